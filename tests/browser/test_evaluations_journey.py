"""The issue's journey in a real browser: an evaluation manager records an evaluation with two
recommendations, the office responds, a lesson is validated, and it then shows on the CPO
form of that country and outcome and, once the outcome's coordinator links it to the
strategy, in the next report."""

from __future__ import annotations

import pytest

from evaluations.models import Evaluation, Lesson, Recommendation
from rbm.models import Role
from rbm.services import system_user
from reporting.compilation import compile_outcomes_part
from reporting.models import ReportRun
from tests import factories
from tests.browser.conftest import ARTIFACTS, login
from tests.evaluations.conftest import World, make_world
from workplans.services import workplans_open

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"evaluations-{name}.png"), full_page=True)


@pytest.fixture
def world(user_for, reference) -> World:
    return make_world(user_for, reference)


def _log_out(page):
    page.get_by_role("button", name="Log out").click()


def test_an_evaluation_s_lesson_reaches_the_cpo_form_and_the_report(
    browser, page, live_server, world: World
):
    url = live_server.url
    cpo = factories.CpoFactory(programme=world.programme, outcome=world.outcome)
    coordinator = world.user_for(Role.OUTCOME_COORDINATOR)
    world.outcome.coordinators.add(coordinator)

    # The evaluation manager records the evaluation
    login(page, live_server, world.manager.username, factories.PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Evaluations and lessons"
    ).click()
    page.get_by_role("link", name="Record an evaluation").click()
    page.fill("#id_title", "Independent evaluation of the DWCP of Indonesia")
    page.select_option("#id_subject_kind", "programme")
    page.select_option("#id_programme", str(world.programme.pk))
    page.select_option("#id_kind", "independent")
    page.select_option("#id_timing", "final")
    page.fill("#id_start_date", "2015-03-01")
    page.fill("#id_end_date", "2015-09-30")
    page.fill("#id_summary_en", "Labour inspection improved in three provinces.")
    page.get_by_role("button", name="Save the evaluation").click()
    evaluation = Evaluation.objects.get(title="Independent evaluation of the DWCP of Indonesia")
    page.wait_for_url(f"{url}/evaluations/{evaluation.pk}/")

    # with two recommendations, one to the office and one to the constituents
    for text, kind in (
        ("Extend labour inspection to the informal economy.", "office"),
        ("Involve workers' organizations in the steering committee.", "constituents"),
    ):
        page.locator("#add-recommendation summary").click()
        page.fill("#id_text", text)
        page.select_option("#id_addressee_kind", kind)
        if kind == "office":
            page.select_option("#id_addressee_office", str(world.programme.office.pk))
        page.get_by_role("button", name="Add the recommendation").click()
        page.wait_for_url(f"{url}/evaluations/{evaluation.pk}/")
    assert Recommendation.objects.filter(evaluation=evaluation).count() == 2
    page.get_by_role("button", name="Start the evaluation").click()
    page.get_by_role("button", name="Mark the evaluation completed").click()
    assert page.locator("#evaluation-status").inner_text() == "Completed"
    _log_out(page)

    # The office responds: accepts one, partially accepts the other with its reasons
    login(page, live_server, world.field.username, factories.PASSWORD)
    page.goto(f"{url}/evaluations/{evaluation.pk}/")
    first, second = Recommendation.objects.filter(evaluation=evaluation).order_by("number")
    page.select_option(f"#id_r{first.pk}-response", "accepted")
    page.locator(f"#recommendation-{first.pk}").get_by_role(
        "button", name="Save the response"
    ).click()
    page.wait_for_url(f"{url}/evaluations/{evaluation.pk}/**")
    page.select_option(f"#id_r{second.pk}-response", "partially_accepted")
    page.locator(f"#recommendation-{second.pk}").get_by_role(
        "button", name="Save the response"
    ).click()
    # a partial acceptance without reasons is answered on the form, with the message
    assert page.get_by_text("Give the reasons for a partial acceptance").is_visible()
    page.fill(f"#id_r{second.pk}-reasons", "The committee is tripartite already.")
    page.locator(f"#recommendation-{second.pk}").get_by_role(
        "button", name="Save the response"
    ).click()
    page.wait_for_url(f"{url}/evaluations/{evaluation.pk}/**")
    second.refresh_from_db()
    assert second.response == "partially_accepted"

    # and records a lesson of the evaluation
    page.goto(f"{url}/evaluations/lessons/new/?evaluation={evaluation.pk}")
    page.select_option("#id_kind", "lesson")
    page.fill("#id_title", "Train inspectors where they work")
    page.fill("#id_text", "Inspectors trained on site applied the new checklists more often.")
    page.fill("#id_what_to_change", "Plan on-site training in the next CPOs.")
    page.fill("#id_year", "2015")
    page.select_option("#id_outcomes", str(world.outcome.pk))
    page.select_option("#id_countries", str(world.programme.country_id))
    page.get_by_role("button", name="Save the lesson").click()
    lesson = Lesson.objects.get(title="Train inspectors where they work")
    page.wait_for_url(f"{url}/evaluations/lessons/{lesson.pk}/")
    # not validated yet: it does not show on the CPO form
    page.goto(f"{url}/dwcp/cpos/{cpo.pk}/edit/")
    assert page.locator("#lessons-and-recommendations").is_visible()
    assert not page.get_by_text("Train inspectors where they work").is_visible()
    _log_out(page)

    # The evaluation manager validates the lesson
    login(page, live_server, world.manager.username, factories.PASSWORD)
    page.goto(f"{url}/evaluations/")
    page.locator("#lessons-to-validate").get_by_role(
        "link", name="Train inspectors where they work"
    ).click()
    page.get_by_role("button", name="Validate the lesson").click()
    assert page.locator("#lesson-status").inner_text() == "Validated"
    page.goto(f"{url}/evaluations/?q=inspectors+trained")
    assert page.locator("mark").first.is_visible()
    _shot(page, "search")
    page.goto(f"{url}/evaluations/{evaluation.pk}/")
    _shot(page, "evaluation")
    _log_out(page)

    # It shows on the CPO form of that country and outcome
    login(page, live_server, world.field.username, factories.PASSWORD)
    page.goto(f"{url}/dwcp/cpos/{cpo.pk}/edit/")
    section = page.locator("#lessons-and-recommendations")
    assert section.get_by_role("link", name="Train inspectors where they work").is_visible()
    assert section.get_by_text("Involve workers' organizations").is_visible()
    _shot(page, "cpo-form")
    _log_out(page)

    # The coordinator links it to the outcome's strategy, and the next report prints it
    biennium = factories.biennium("2012-13")
    workplan = next(
        w
        for w in workplans_open(user=system_user(), biennium=biennium)
        if w.outcome_id == world.outcome.pk
    )
    login(page, live_server, coordinator.username, factories.PASSWORD)
    page.goto(f"{url}/workplans/{workplan.pk}/")
    page.locator("#strategy-lessons").get_by_role("button", name="The strategy acts on it").click()
    assert page.locator("#strategy-lessons").get_by_text("the strategy acts on it").is_visible()
    run = ReportRun.objects.create(biennium=biennium)
    section = next(
        s for s in compile_outcomes_part(run).values() if s["code"] == world.outcome.code
    )
    assert [entry["title"] for entry in section["lessons"]] == ["Train inspectors where they work"]

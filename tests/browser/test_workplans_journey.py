"""The review of outcome 16's workplan in the demo, in a real browser: the programme officer
reads the table and the chart and returns it, the coordinator answers and submits it again,
the programme officer approves it."""

from __future__ import annotations

import pytest

from rbm.models import User
from tests.browser.conftest import ARTIFACTS, login
from workplans.models import EventKind, OutcomeWorkplan, WorkplanStatus
from workplans.selectors import demand_target_table

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a known password for the journey"
RETURN_COMMENT = "Say which donor funds the Asian targets above demand, then submit again."
ANSWER = "The United States Department of Labor funds the six extra targets in Asia."


def _shot(page, name):
    """Keep a picture of the page for people reviewing the journey (test-artifacts/)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"workplans-{name}.png"), full_page=True)


def _log_out(page):
    page.get_by_role("button", name="Log out").click()


def test_the_programme_officer_returns_the_child_labour_workplan_and_then_approves_it(
    browser, page, live_server, demo
):
    # Given the demo: outcome 16's workplan submitted, waiting for the programme officer
    for username in ("programme.officer", "coordinator.child-labour"):
        user = User.objects.get(username=username)
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    workplan = OutcomeWorkplan.objects.select_related("outcome", "biennium").get(
        outcome__code="16", biennium__start_year=2012
    )
    assert workplan.status == WorkplanStatus.SUBMITTED
    table = demand_target_table(workplan.biennium, outcome=workplan.outcome)
    expected = {region.code: table.cell(workplan.outcome, region) for region in table.regions}
    url = live_server.url

    # When the programme officer logs in, sees the workplan waiting and opens it
    login(page, live_server, "programme.officer", PASSWORD)
    assert page.get_by_text("submitted workplan waits for approval or return").is_visible()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Workplans").click()
    page.locator("table.workplans").get_by_role("link", name="16 Child labour").click()
    assert page.url == f"{url}/workplans/{workplan.pk}/"

    # Then the table row and the chart show demand against targets for each region
    figures = page.locator("table.region-figures")
    assert figures.get_by_role("row", name="Asia and the Pacific").is_visible()
    chart = page.locator("svg.bars")
    assert chart.get_attribute("role") == "img"
    assert (
        "Prioritized demand and proposed targets by region"
        in chart.locator("title#chart-title").text_content()
    )
    for code, cell in expected.items():
        for measure, value in (("demand", cell.demand), ("target", cell.target)):
            bar = chart.locator(f'rect[data-region="{code}"][data-measure="{measure}"]')
            assert bar.count() == 1, (code, measure)
            assert bar.get_attribute("data-value") == str(value)
            assert bar.bounding_box()["width"] > 0 or value == 0
            label = chart.locator(f'g[data-region="{code}"] text.value[data-measure="{measure}"]')
            assert label.text_content() == str(value)
    # Child labour in Asia: targets exceed demand, and the chart says so (the seed's example)
    assert expected["asia-pacific"].target > expected["asia-pacific"].demand
    assert (
        chart.locator('g[data-region="asia-pacific"]')
        .get_by_text("target exceeds demand")
        .is_visible()
    )
    _shot(page, "officer-reads")

    # When the officer returns it with a comment
    page.get_by_text("Return with a comment…").click()
    page.get_by_label("What should the coordinator revise?").fill(RETURN_COMMENT)
    page.get_by_role("button", name="Return to the coordinator").click()
    assert page.get_by_text("The workplan was returned to its coordinator").is_visible()
    assert page.locator(".meta .badge", has_text="Returned with comments").is_visible()
    _log_out(page)

    # Then the coordinator finds it returned at home, reads the comment and answers
    login(page, live_server, "coordinator.child-labour", PASSWORD)
    panel = page.locator("section.card", has_text="Your workplans")
    assert panel.get_by_text("Returned with comments").is_visible()
    panel.get_by_role("link", name="16 Child labour").click()
    assert page.locator("#returned").get_by_text(RETURN_COMMENT).is_visible()
    page.get_by_label("Your comment").fill(ANSWER)
    page.get_by_role("button", name="Add the comment").click()
    assert page.get_by_text("Your comment was added to the review thread.").is_visible()
    assert page.locator("#thread").get_by_text(ANSWER).is_visible()
    _shot(page, "coordinator-answers")
    page.get_by_role("button", name="Submit again for review").click()
    assert page.get_by_text("The workplan was submitted to the programme officers.").is_visible()
    assert page.locator(".meta .badge", has_text="Submitted").is_visible()
    _log_out(page)

    # When the programme officer approves it from the review queue
    login(page, live_server, "programme.officer", PASSWORD)
    page.get_by_role("link", name="Open the review queue").click()
    item = page.locator("article.queue-item", has_text="Child labour")
    item.get_by_role("button", name="Approve").click()
    assert page.get_by_text("was approved").is_visible()

    # Then the workplan shows as approved, with the thread of every step
    page.goto(f"{url}/workplans/{workplan.pk}/")
    assert page.locator(".meta .badge", has_text="Approved").is_visible()
    thread = page.locator("#thread li")
    texts = [thread.nth(n).locator(".who").text_content() for n in range(thread.count())]
    kinds = [" ".join(text.split()) for text in texts]
    assert [k.split(" · ")[0] for k in kinds] == [
        "Marie Dubois submitted",
        "Carlos Mendoza commented",
        "Carlos Mendoza returned with comments",
        "Marie Dubois commented",
        "Marie Dubois submitted",
        "Carlos Mendoza approved",
    ]
    _shot(page, "approved")
    workplan.refresh_from_db()
    assert workplan.status == WorkplanStatus.APPROVED
    assert list(workplan.events.values_list("kind", flat=True))[-4:] == [
        EventKind.RETURNED,
        EventKind.COMMENT,
        EventKind.SUBMITTED,
        EventKind.APPROVED,
    ]

    # And on a phone, the workplan page and the table fit the screen
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    small = phone.new_page()
    login(small, live_server, "programme.officer", PASSWORD)
    for path, name in [
        (f"/workplans/{workplan.pk}/", "phone-workplan"),
        ("/workplans/table/?biennium=2012-13", "phone-table"),
        (f"/workplans/{workplan.pk}/midterm/", "phone-midterm"),
    ]:
        small.goto(url + path)
        _shot(small, name)
        assert small.evaluate("document.documentElement.scrollWidth") <= 390, path
    phone.close()

"""Lessons back into planning: the CPO form, the DWCP page, the workplan's strategy element
"Experience and lessons learned", and the implementation report's lessons."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from evaluations import selectors, services
from rbm.errors import ApplicationError
from rbm.models import Role
from rbm.services import system_user
from reporting.compilation import compile_outcomes_part
from reporting.models import ReportRun
from tests import factories
from tests.evaluations.conftest import World
from workplans.services import workplans_open

pytestmark = pytest.mark.django_db


def test_the_cpo_form_and_the_programme_page_show_validated_lessons_and_open_recommendations(
    world: World,
) -> None:
    cpo = factories.CpoFactory(programme=world.programme, outcome=world.outcome)
    world.lesson(validated=True, title="Validated lesson of Indonesia")
    world.lesson(title="Proposed lesson of Indonesia")
    world.lesson(
        validated=True,
        title="Lesson of the other outcome elsewhere",
        validator=world.admin,
        countries=[],
        outcomes=[world.other_outcome],
    )
    evaluation = world.completed()
    services.recommendation_add(
        user=world.manager,
        evaluation=evaluation,
        text="Open recommendation to the office",
        addressee_kind="constituents",
    )
    client = Client()
    client.force_login(world.field)
    for url in (
        reverse("dwcp:cpo-edit", args=[cpo.pk]),
        reverse("dwcp:programme-detail", args=[world.programme.pk]),
    ):
        page = client.get(url).text
        assert "Validated lesson of Indonesia" in page
        assert "Open recommendation to the office" in page
        assert "Proposed lesson of Indonesia" not in page
        assert "Lesson of the other outcome elsewhere" not in page


def test_the_coordinator_links_lessons_and_the_report_prints_them(world: World) -> None:
    coordinator = world.user_for(Role.OUTCOME_COORDINATOR)
    world.outcome.coordinators.add(coordinator)
    biennium = factories.biennium("2012-13")
    lesson = world.lesson(validated=True, title="Acted on")
    proposed = world.lesson(title="Not validated")
    world.lesson(validated=True, title="Not acted on")
    # Only the outcome's coordinator links, only validated lessons of the outcome
    other = world.user_for(Role.OUTCOME_COORDINATOR)
    with pytest.raises(PermissionDenied):
        services.strategy_lesson_link(
            user=other, outcome=world.outcome, biennium=biennium, lesson=lesson
        )
    with pytest.raises(ApplicationError):
        services.strategy_lesson_link(
            user=coordinator, outcome=world.outcome, biennium=biennium, lesson=proposed
        )
    with pytest.raises(ApplicationError):
        services.strategy_lesson_link(
            user=world.admin, outcome=world.other_outcome, biennium=biennium, lesson=lesson
        )
    # Through the workplan page
    workplan = next(
        w
        for w in workplans_open(user=system_user(), biennium=biennium)
        if w.outcome_id == world.outcome.pk
    )
    client = Client()
    client.force_login(coordinator)
    page = client.get(reverse("workplans:detail", args=[workplan.pk]))
    assert "Acted on" in page.text
    assert "Not validated" not in page.text
    linked = client.post(
        reverse("evaluations:strategy-lesson", args=[world.outcome.pk, biennium.pk]),
        {"lesson": lesson.pk, "next": reverse("workplans:detail", args=[workplan.pk])},
    )
    assert linked.status_code == 302
    assert next(
        (lesson_, flag)
        for lesson_, flag in selectors.outcome_lessons(world.outcome.pk, biennium.pk)
    ) == (lesson, True)
    # The report's outcome section carries the linked lesson only
    run = ReportRun.objects.create(biennium=biennium)
    part = compile_outcomes_part(run)
    section = next(s for s in part.values() if s["code"] == world.outcome.code)
    assert [entry["title"] for entry in section["lessons"]] == ["Acted on"]


def test_linking_a_lesson_twice_is_refused_with_a_message(world: World) -> None:
    from django.core.exceptions import ValidationError

    biennium = factories.biennium("2012-13")
    lesson = world.lesson(validated=True)
    services.strategy_lesson_link(
        user=world.admin, outcome=world.outcome, biennium=biennium, lesson=lesson
    )
    with pytest.raises(ValidationError, match="already acts on this lesson"):
        services.strategy_lesson_link(
            user=world.admin, outcome=world.outcome, biennium=biennium, lesson=lesson
        )
    client = Client()
    client.force_login(world.admin)
    again = client.post(
        reverse("evaluations:strategy-lesson", args=[world.outcome.pk, biennium.pk]),
        {"lesson": lesson.pk, "next": "/"},
    )
    # the page answers with the message, never a 500
    assert again.status_code == 302
    assert (
        client.post(
            reverse("evaluations:strategy-lesson", args=[world.outcome.pk, biennium.pk]),
            {"lesson": "x"},
        ).status_code
        == 404
    )

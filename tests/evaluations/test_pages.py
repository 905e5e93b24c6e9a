"""The pages: who sees what, forms answering with all their errors, query counts."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from evaluations import services
from evaluations.models import Evaluation
from tests.conftest import QueryCounter
from tests.evaluations.conftest import World

pytestmark = pytest.mark.django_db


def _client(user: object = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)  # type: ignore[arg-type]
    return client


def test_the_search_page_answers_everyone_with_what_they_may_read(world: World) -> None:
    world.lesson(validated=True, title="Internal lesson", text="Inspection works")
    done = world.completed(title="Public evaluation")
    world.lesson(validated=True, title="Public lesson", source="evaluation", evaluation=done)
    url = reverse("evaluations:search")
    public = _client().get(url, {"q": "inspection"})
    assert public.status_code == 200
    assert "Public evaluation" in public.text
    assert "Internal lesson" not in public.text
    staff = _client(world.field).get(url, {"q": "inspection"})
    assert "Internal lesson" in staff.text
    assert "<mark>" in staff.text
    # Bad filters are a 400 with the message, never a 500
    assert _client().get(url, {"year": "abc", "country": "x"}).status_code == 400


def test_an_internal_evaluation_is_a_404_to_the_public_and_its_report_too(world: World) -> None:
    internal = world.completed(kind="internal", title="Internal review")
    public = world.completed(title="Public one")
    for name in ("evaluations:evaluation-detail", "evaluations:evaluation-report"):
        assert _client().get(reverse(name, args=[internal.pk])).status_code == 404
    page = _client().get(reverse("evaluations:evaluation-detail", args=[public.pk]))
    assert page.status_code == 200
    assert "Recommendations and management response" not in page.text
    assert (
        _client(world.field)
        .get(reverse("evaluations:evaluation-detail", args=[internal.pk]))
        .status_code
        == 200
    )


def test_the_evaluation_form_shows_every_error_at_once(world: World) -> None:
    response = _client(world.manager).post(
        reverse("evaluations:evaluation-create"),
        {"title": "", "subject_kind": "programme", "kind": "independent", "timing": "x"},
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert {"title", "timing", "start_date"} <= set(form.errors)
    assert _client(world.field).post(reverse("evaluations:evaluation-create")).status_code == 403


def test_a_manager_records_an_evaluation_through_the_page(world: World) -> None:
    response = _client(world.manager).post(
        reverse("evaluations:evaluation-create"),
        {
            "title": "Mid-term review of the DWCP",
            "subject_kind": "programme",
            "programme": world.programme.pk,
            "kind": "review",
            "timing": "mid_term",
            "start_date": "2014-02-01",
            "summary_en": "",
        },
    )
    assert response.status_code == 302
    evaluation = Evaluation.objects.get(title="Mid-term review of the DWCP")
    assert evaluation.manager == world.manager
    step = _client(world.manager).post(
        reverse("evaluations:evaluation-step", args=[evaluation.pk, "complete"]),
        {"version": evaluation.version},
    )
    assert step.status_code == 400


def _fill(world: World, count: int) -> None:
    for n in range(count):
        evaluation = world.completed(title=f"Evaluation {n}")
        for m in range(2):
            recommendation = services.recommendation_add(
                user=world.manager,
                evaluation=evaluation,
                text=f"Recommendation {m}",
                addressee_kind="office",
                addressee_office=world.programme.office,
            )
            recommendation = services.recommendation_respond(
                user=world.manager, recommendation=recommendation, response="accepted", version=1
            )
            services.follow_up_add(
                user=world.manager,
                recommendation=recommendation,
                description="Act",
                owner=world.field,
                due_date=datetime.date(2016, 1, 1),
            )
        world.lesson(
            validated=True, title=f"Lesson {n}", source="evaluation", evaluation=evaluation
        )


@pytest.mark.parametrize(
    "page",
    ["search", "list", "detail", "home", "programme", "cpo_form"],
)
def test_query_counts_do_not_grow_with_the_data(
    world: World, count_queries: QueryCounter, page: str
) -> None:
    from tests import factories

    cpo = factories.CpoFactory(programme=world.programme, outcome=world.outcome)
    client = _client(world.field)

    def url() -> str:
        first = Evaluation.objects.order_by("pk").first()
        return {
            "search": reverse("evaluations:search") + "?q=recommendation",
            "list": reverse("evaluations:evaluation-list"),
            "detail": reverse("evaluations:evaluation-detail", args=[first.pk if first else 0]),
            "home": reverse("home"),
            "programme": reverse("dwcp:programme-detail", args=[world.programme.pk]),
            "cpo_form": reverse("dwcp:cpo-edit", args=[cpo.pk]),
        }[page]

    _fill(world, 2)
    address = url()
    assert client.get(address).status_code == 200
    few = count_queries(lambda: client.get(address))
    _fill(world, 6)
    many = count_queries(lambda: client.get(address))
    assert many <= few


def test_the_workbook_holds_what_the_reader_may_read_and_no_formula(
    world: World, count_queries: QueryCounter
) -> None:
    import io

    from openpyxl import load_workbook

    done = world.completed(title='=HYPERLINK("http://x")')
    world.completed(title="Internal", kind="internal")
    recommendation = services.recommendation_add(
        user=world.manager, evaluation=done, text="+1 more", addressee_kind="constituents"
    )
    assert recommendation.number == 1
    staff = load_workbook(
        io.BytesIO(_client(world.field).get(reverse("evaluations:export")).content)
    )
    assert staff.sheetnames == ["Evaluations", "Recommendations", "Follow-up actions", "Lessons"]
    titles = [row[1].value for row in staff["Evaluations"].iter_rows(min_row=2)]
    assert sorted(titles) == ['=HYPERLINK("http://x")', "Internal"]
    cell = staff["Evaluations"]["B2"]
    assert cell.data_type == "s"
    public = load_workbook(io.BytesIO(_client().get(reverse("evaluations:export")).content))
    assert public.sheetnames == ["Evaluations", "Lessons"]
    assert [r[1].value for r in public["Evaluations"].iter_rows(min_row=2)] == [
        '=HYPERLINK("http://x")'
    ]
    client = _client(world.field)
    few = count_queries(lambda: client.get(reverse("evaluations:export")))
    _fill(world, 3)
    assert count_queries(lambda: client.get(reverse("evaluations:export"))) == few


def test_overdue_follow_ups_show_on_the_owner_s_home_page(world: World) -> None:
    evaluation = world.completed()
    recommendation = services.recommendation_add(
        user=world.manager, evaluation=evaluation, text="R", addressee_kind="constituents"
    )
    recommendation = services.recommendation_respond(
        user=world.manager, recommendation=recommendation, response="accepted", version=1
    )
    services.follow_up_add(
        user=world.manager,
        recommendation=recommendation,
        description="Train the inspectors of Java",
        owner=world.field,
        due_date=datetime.date(2016, 1, 1),
    )
    home = _client(world.field).get(reverse("home")).text
    assert "Overdue follow-up actions" in home
    assert "Train the inspectors of Java" in home
    assert "Overdue follow-up actions" not in _client(world.manager).get(reverse("home")).text


@pytest.mark.parametrize(
    "name", ["evaluation", "recommendation", "followupaction", "lesson", "theme", "strategylesson"]
)
def test_the_admin_shows_the_records_and_writes_none(world: World, name: str) -> None:
    world.completed()
    world.lesson()
    client = _client(world.admin)
    assert client.get(reverse(f"admin:evaluations_{name}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:evaluations_{name}_add")).status_code == 403


def test_validating_from_a_stale_page_is_a_409_with_the_message(world: World) -> None:
    lesson = world.lesson()
    client = _client(world.manager)
    url = reverse("evaluations:lesson-validate", args=[lesson.pk])
    assert client.post(url, {"version": 1, "decision": "validate"}).status_code == 302
    stale = client.post(url, {"version": 1, "decision": "reject"})
    assert stale.status_code == 409
    assert "Someone else saved this record" in stale.text
    assert _client(world.field).post(url, {"version": 2}).status_code == 403

"""The validation queue at scale: filters, sort on every column, page size, bulk review of
the filtered set, and a constant number of queries."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from dwcp import services
from dwcp.models import ProgressReport, ReviewState
from tests import factories
from tests.notify.conftest import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(world: World) -> dict[str, ProgressReport]:
    """Three submitted reports: Indonesia 2013-H2 (waited 20 days, claims a result),
    Indonesia 2013-H1 (5 days), the Philippines 2013-H2 (1 day)."""
    made = {}
    for name, cpo, period, days, claimed in (
        ("idn_h2", world.idn_cpo, "2013-H2", 20, True),
        ("idn_h1", world.idn_cpo, "2013-H1", 5, False),
        ("phl_h2", world.phl_cpo, "2013-H2", 1, False),
    ):
        report = factories.ProgressReportFactory(
            cpo=cpo,
            period=factories.period(period),
            result_claimed=claimed,
            evidence_text="Decree." if claimed else "",
        )
        user = world.field_idn if cpo == world.idn_cpo else world.field_phl
        report = services.progress_report_submit(user=user, report=report, version=report.version)
        ProgressReport.objects.filter(pk=report.pk).update(
            submitted_at=timezone.now() - datetime.timedelta(days=days)
        )
        made[name] = report
    return made


def _shown(client: Any, query: str = "") -> list[int]:
    response = client.get(f"/dwcp/validation/{query}")
    assert response.status_code == 200
    return [report.pk for report in response.context["page"].object_list]


def test_filters(world: World, queue: dict[str, ProgressReport], client: Any) -> None:
    client.force_login(world.rpo_asia)
    idn = factories.country("IDN").pk
    assert set(_shown(client)) == {r.pk for r in queue.values()}
    assert set(_shown(client, f"?country={idn}")) == {queue["idn_h2"].pk, queue["idn_h1"].pk}
    assert _shown(client, f"?office={world.phl_office.pk}") == [queue["phl_h2"].pk]
    period = factories.period("2013-H1").pk
    assert _shown(client, f"?period={period}") == [queue["idn_h1"].pk]
    assert _shown(client, "?claimed=yes") == [queue["idn_h2"].pk]
    assert _shown(client, "?waiting=3") == [queue["idn_h2"].pk, queue["idn_h1"].pk]
    assert len(_shown(client, f"?outcome={world.idn_cpo.outcome_id}")) == 3
    bad = client.get("/dwcp/validation/?waiting=-4&country=x")
    assert bad.status_code == 400
    assert "Waiting at least" in bad.content.decode()


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("waiting", ["idn_h2", "idn_h1", "phl_h2"]),
        ("-waiting", ["phl_h2", "idn_h1", "idn_h2"]),
        ("period", ["idn_h1", "idn_h2", "phl_h2"]),
        ("claimed", ["idn_h1", "phl_h2", "idn_h2"]),
        ("-claimed", ["idn_h2", "idn_h1", "phl_h2"]),
        ("country", ["idn_h2", "idn_h1", "phl_h2"]),
        ("-country", ["phl_h2", "idn_h2", "idn_h1"]),
    ],
)
def test_sort_on_every_column(
    world: World, queue: dict[str, ProgressReport], client: Any, sort: str, expected: list[str]
) -> None:
    client.force_login(world.rpo_asia)
    assert _shown(client, f"?sort={sort}") == [queue[name].pk for name in expected]


@pytest.mark.parametrize("sort", ["cpo", "-cpo", "office", "-office", "outcome", "-outcome"])
def test_every_column_sorts(world: World, queue: Any, client: Any, sort: str) -> None:
    client.force_login(world.rpo_asia)
    assert len(_shown(client, f"?sort={sort}")) == 3


def test_page_size(world: World, queue: Any, client: Any) -> None:
    client.force_login(world.rpo_asia)
    response = client.get("/dwcp/validation/?size=25")
    assert response.context["page"].paginator.per_page == 25
    assert client.get("/dwcp/validation/?size=7").status_code == 400


def test_bulk_validation_of_the_filtered_set(
    world: World, queue: dict[str, ProgressReport], client: Any
) -> None:
    client.force_login(world.rpo_asia)
    idn = factories.country("IDN").pk
    stale = client.post(
        f"/dwcp/validation/?country={idn}",
        {"scope": "filtered", "expected": 3, "bulk_action": "validate"},
    )
    assert stale.status_code == 409
    assert not ProgressReport.objects.filter(review_state=ReviewState.VALIDATED).exists()
    response = client.post(
        f"/dwcp/validation/?country={idn}",
        {"scope": "filtered", "expected": 2, "bulk_action": "validate"},
    )
    assert response.status_code == 302
    assert set(
        ProgressReport.objects.filter(review_state=ReviewState.VALIDATED).values_list(
            "pk", flat=True
        )
    ) == {queue["idn_h2"].pk, queue["idn_h1"].pk}
    assert ProgressReport.objects.get(pk=queue["phl_h2"].pk).review_state == "submitted"


def test_another_region_reviews_nothing_of_this_one(world: World, queue: Any, client: Any) -> None:
    client.force_login(world.rpo_africa)
    assert _shown(client) == []
    client.post(
        "/dwcp/validation/", {"scope": "filtered", "expected": 0, "bulk_action": "validate"}
    )
    assert not ProgressReport.objects.filter(review_state=ReviewState.VALIDATED).exists()


def test_the_filtered_queue_reads_a_constant_number_of_queries(
    world: World, queue: Any, client: Any, count_queries: Any
) -> None:
    client.force_login(world.rpo_asia)
    idn = factories.country("IDN").pk
    url = f"/dwcp/validation/?country={idn}&sort=-outcome&size=50"
    few = count_queries(lambda: client.get(url))
    for number in range(15):
        cpo = factories.CpoFactory(programme=world.idn_cpo.programme, code=f"{700 + number}")
        report = factories.ProgressReportFactory(cpo=cpo, period=world.period)
        services.progress_report_submit(user=world.field_idn, report=report, version=report.version)
    assert count_queries(lambda: client.get(url)) == few

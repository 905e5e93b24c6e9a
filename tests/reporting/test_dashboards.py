"""The dashboards: each figure against a count made here, links to what it counts, a CSV of
the same numbers, the reader's scope respected, queries that do not grow with the data, and
the world map's countries."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Sum
from django.urls import reverse
from django.utils import timezone

from dwcp.models import CountryProgrammeOutcome, CpoResource, ProgressReport
from rbm.models import Role
from rbm.permissions import PUBLIC, can
from reporting.dashboards.figures import dashboard
from strategic_plans.models import RegionalTarget, Target
from tests import factories

pytestmark = pytest.mark.django_db

STATUSES = ["planned", "in_progress", "achieved", "in_progress", "planned", "achieved"]


@pytest.fixture
def data(user_for: Any) -> dict[str, Any]:
    _plan, (outcome16, outcome18) = factories.framework_2012_13()
    africa, asia = factories.region("africa"), factories.region("asia-pacific")
    for outcome, total, by_region in (
        (outcome16, 12, {africa: 5, asia: 7}),
        (outcome18, 4, {asia: 4}),
    ):
        target = factories.TargetFactory(indicator=outcome.indicators.get(), total=total)
        for region, value in by_region.items():
            factories.RegionalTargetFactory(target=target, region=region, value=value)
    office = factories.OfficeFactory(countries=[factories.country("IDN"), factories.country("KEN")])
    validator = user_for(Role.ADMINISTRATOR)
    now = timezone.now()
    programmes = {
        "IDN": factories.DwcpFactory(
            office=office, country=factories.country("IDN"), published=True
        ),
        "KEN": factories.DwcpFactory(
            office=office, country=factories.country("KEN"), published=False
        ),
    }
    states = ["validated", "submitted", "returned", "draft", None, "validated"]
    for n, status in enumerate(STATUSES):
        alpha3 = "IDN" if n % 2 == 0 else "KEN"
        cpo = factories.CpoFactory(
            programme=programmes[alpha3],
            code=f"{alpha3}{100 + n}",
            outcome=outcome16 if n < 4 else outcome18,
            result_status=status,
            prioritized=n % 3 != 0,
            targeted=n % 2 == 0,
        )
        factories.CpoResourceFactory(
            cpo=cpo,
            funding_source=factories.funding_source("RB"),
            planned=1000 * (n + 1),
            spent=400 * (n + 1),
        )
        state = states[n]
        if state is None:
            continue
        extra: dict[str, Any] = {}
        if state != "draft":
            extra["submitted_at"] = now - datetime.timedelta(days=3 + 20 * n)
        if state == "validated":
            extra.update(validated_by=validator, validated_at=now)
        factories.ProgressReportFactory(
            cpo=cpo,
            period=factories.period("2013-H2"),
            review_state=state,
            result_claimed=state == "validated",
            evidence_text="Minutes." if state == "validated" else "",
            **extra,
        )
    # A CPO of another biennium, which the 2012-13 figures leave out.
    factories.CpoFactory(
        programme=programmes["IDN"],
        code="IDN900",
        biennium=factories.biennium("2014-15"),
        outcome=outcome16,
    )
    return {"outcomes": (outcome16, outcome18), "regions": (africa, asia), "programmes": programmes}


def _cells(board: Any, key: str) -> dict[str, list[Any]]:
    return {label: [cell.value for cell in cells] for label, cells in board.table(key).rows}


def _achieved(cpos: Any) -> Any:
    return cpos.filter(
        Exists(
            ProgressReport.objects.filter(
                cpo=OuterRef("pk"),
                review_state="validated",
                result_claimed=True,
                period__biennium=OuterRef("biennium"),
            )
        ),
        indicator__isnull=False,
    )


def test_the_office_dashboard_figures_match_direct_counts(
    data: dict[str, Any], user_for: Any
) -> None:
    board = dashboard(user_for(Role.PROGRAMME_OFFICER), "office", None, "2012-13")
    cpos = CountryProgrammeOutcome.objects.filter(biennium__start_year=2012)
    outcome16, outcome18 = data["outcomes"]
    # Results against targets by outcome.
    by_outcome = _cells(board, "outcomes")
    for outcome in (outcome16, outcome18):
        row = by_outcome[f"{outcome.code} {outcome.title}"]
        assert row[0] == _achieved(cpos.filter(outcome=outcome)).count()
        assert (
            row[1]
            == Target.objects.filter(
                indicator__outcome=outcome, biennium__start_year=2012
            ).aggregate(t=Sum("total"))["t"]
        )
    # By region.
    by_region = _cells(board, "regions")
    for region in data["regions"]:
        row = by_region[region.label]
        assert row[0] == _achieved(cpos.filter(programme__country__region=region)).count()
        assert (
            row[1]
            == RegionalTarget.objects.filter(
                region=region, target__biennium__start_year=2012
            ).aggregate(t=Sum("value"))["t"]
        )
    # By progress status.
    status = _cells(board, "status")
    assert status["Achieved"] == [cpos.filter(result_status="achieved").count()] == [2]
    assert status["In progress"] == [cpos.filter(result_status="in_progress").count()]
    # Review states of the current period's reports, and the CPOs without one.
    review = _cells(board, "review")
    for state, label in (
        ("validated", "Validated"),
        ("submitted", "Submitted"),
        ("returned", "Returned for revision"),
        ("draft", "Draft"),
    ):
        assert review[label] == [
            ProgressReport.objects.filter(
                cpo__in=cpos, period__code="2013-H2", review_state=state
            ).count()
        ]
    assert (
        review["No report"]
        == [cpos.exclude(progress_reports__period__code="2013-H2").count()]
        == [1]
    )
    assert "3 of 6 CPOs (50%)" in board.table("review").note
    # Demand against targets.
    demand = _cells(board, "demand")
    for region in data["regions"]:
        in_region = cpos.filter(programme__country__region=region)
        assert demand[region.label][:2] == [
            in_region.filter(prioritized=True).count(),
            in_region.filter(targeted=True).count(),
        ]
    # Money by source.
    money = CpoResource.objects.filter(cpo__in=cpos).aggregate(p=Sum("planned"), s=Sum("spent"))
    assert _cells(board, "resources")["RB"][:2] == [money["p"], money["s"]]
    # The validation backlog by age: submitted 3 + 20 days ago.
    backlog = _cells(board, "backlog")
    assert [v[0] for v in backlog.values()] == [0, 1, 0]
    assert "1 submitted reports" in board.table("backlog").note


def test_figures_link_to_the_records_they_count(
    data: dict[str, Any], user_for: Any, client: Any
) -> None:
    client.force_login(user_for(Role.PROGRAMME_OFFICER))
    board = dashboard(user_for(Role.PROGRAMME_OFFICER), "office", None, "2012-13")
    cell = board.table("status").rows[2][1][0]
    assert cell.url.startswith(reverse("dwcp:cpo-list"))
    listed = client.get(cell.url)
    assert listed.status_code == 200
    assert listed.context["page"].paginator.count == cell.value
    assert board.table("backlog").rows[1][1][0].url == reverse("dwcp:validation-queue")


def test_a_region_and_an_outcome_dashboard_count_their_own(
    data: dict[str, Any], user_for: Any
) -> None:
    _africa, asia = data["regions"]
    outcome16, _ = data["outcomes"]
    reader = user_for(Role.PROGRAMME_OFFICER)
    cpos = CountryProgrammeOutcome.objects.filter(biennium__start_year=2012)
    board = dashboard(reader, "region", asia.pk, "2012-13")
    assert _cells(board, "regions") == {
        asia.label: [_achieved(cpos.filter(programme__country__region=asia)).count(), 11]
    }
    board = dashboard(reader, "outcome", outcome16.pk, "2012-13")
    assert [b.code for b in board.shown] == ["2012-13"]  # the only biennium with a P&B
    achieved = _achieved(cpos.filter(outcome=outcome16)).count()
    assert list(_cells(board, "outcomes").values()) == [[achieved, 12]]
    kenya = data["programmes"]["KEN"]
    board = dashboard(reader, "programme", kenya.pk, "2012-13")
    assert (
        sum(v[0] for v in _cells(board, "status").values()) == cpos.filter(programme=kenya).count()
    )


def test_a_field_officer_counts_only_what_they_may_read(
    data: dict[str, Any], user_for: Any
) -> None:
    elsewhere = user_for(Role.FIELD_OFFICE_STAFF)  # another office: only published programmes
    board = dashboard(elsewhere, "office", None, "2012-13")
    published = CountryProgrammeOutcome.objects.filter(
        biennium__start_year=2012, programme__published=True
    )
    assert sum(v[0] for v in _cells(board, "status").values()) == published.count() == 3


def test_the_page_the_csv_and_the_map(data: dict[str, Any], user_for: Any, client: Any) -> None:
    assert client.get(reverse("reporting:dashboard")).status_code == 302
    client.force_login(user_for(Role.PROGRAMME_OFFICER))
    page = client.get(reverse("reporting:dashboard"), {"biennium": "2012-13"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "<svg" in body
    assert 'role="img"' in body
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(
                    reverse("reporting:dashboard"), {"biennium": "2012-13", "format": "csv"}
                ).content.decode()
            )
        )
    )
    assert rows[0] == ["table", "row", "column", "value"]
    assert ["CPOs by progress status, 2012-13", "Achieved", "CPOs", "2"] in rows
    picked = client.get(
        reverse("reporting:dashboard"),
        {"scope": "region", "pk": data["regions"][0].pk, "biennium": "2012-13"},
    )
    assert picked.status_code == 302
    assert client.get(picked["Location"]).status_code == 200
    assert client.get(reverse("reporting:dashboard-of", args=["region", "x"])).status_code == 404
    assert client.get(reverse("reporting:dashboard-of", args=["planet", "1"])).status_code == 404
    for scope, pk in (("a/b", "1"), ("region", "x/y"), ("", "3"), ("region", "")):
        picked = client.get(reverse("reporting:dashboard"), {"scope": scope, "pk": pk})
        assert picked.status_code == 404
    for figure in ("cpos", "results", "resources", "programmes", "phase", "nonsense"):
        world = client.get(reverse("reporting:map"), {"figure": figure, "biennium": "2012-13"})
        assert world.status_code == 200
        text = world.content.decode()
        assert 'data-country="IDN"' in text
        assert 'data-country="KEN"' in text
    entry = world.context["items"][0]
    assert (
        entry["url"]
        == reverse("reporting:dashboard-of", args=["country", factories.country("IDN").pk])
        + "?biennium=2012-13"
    )


def test_dashboard_queries_do_not_grow_with_the_data(
    data: dict[str, Any], user_for: Any, client: Any, count_queries: Any
) -> None:
    client.force_login(user_for(Role.PROGRAMME_OFFICER))
    urls = [
        reverse("reporting:dashboard") + "?biennium=2012-13",
        reverse("reporting:dashboard-of", args=["region", data["regions"][1].pk]),
        reverse("reporting:dashboard-of", args=["outcome", data["outcomes"][0].pk]),
        reverse("reporting:dashboard-of", args=["country", factories.country("IDN").pk]),
        reverse("reporting:dashboard-of", args=["programme", data["programmes"]["IDN"].pk]),
        reverse("reporting:map") + "?figure=results",
    ]
    few = [count_queries(lambda url=url: client.get(url)) for url in urls]
    for alpha3 in ("FRA", "BRA", "IND"):
        programme = factories.DwcpFactory(country=factories.country(alpha3), published=True)
        for _ in range(3):
            cpo = factories.CpoFactory(programme=programme, outcome=data["outcomes"][1])
            factories.CpoResourceFactory(cpo=cpo, planned=Decimal(10), spent=Decimal(1))
    assert [count_queries(lambda url=url: client.get(url)) for url in urls] == few


TESTED_ACTIONS = {"dashboard.view"}


@pytest.mark.parametrize("role", [*Role.values, PUBLIC])
def test_each_row_of_dashboard_view(role: str, user_for: Any) -> None:
    user = AnonymousUser() if role == PUBLIC else user_for(role)
    assert can(user, "dashboard.view") is (role != PUBLIC)


def test_figures_are_kept_a_minute_for_readers_of_the_same_cpos(
    data: dict[str, Any], user_for: Any, client: Any, count_queries: Any
) -> None:
    url = reverse("reporting:dashboard") + "?biennium=2012-13"
    client.force_login(user_for(Role.PROGRAMME_OFFICER))
    cold = count_queries(lambda: client.get(url))
    warm = count_queries(lambda: client.get(url), cold=False)
    assert warm < cold / 2
    # A reader who may read fewer CPOs does not get the first reader's figures.
    client.force_login(user_for(Role.FIELD_OFFICE_STAFF))
    page = client.get(url)
    counted = sum(
        cell.value for _label, cells in page.context["board"].table("status").rows for cell in cells
    )
    assert (
        counted
        == CountryProgrammeOutcome.objects.filter(
            biennium__start_year=2012, programme__published=True
        ).count()
    )

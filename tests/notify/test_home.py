"""The home page as a work queue for each role, each item linking to where to act, in a
number of queries that does not grow with the data."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from dwcp import services
from rbm.models import Role
from tests import factories
from tests.notify.conftest import World, set_calendar

pytestmark = pytest.mark.django_db


def _returned(world: World, period: str = "2013-H2") -> Any:
    report = factories.ProgressReportFactory(cpo=world.idn_cpo, period=factories.period(period))
    report = services.progress_report_submit(
        user=world.field_idn, report=report, version=report.version
    )
    return services.progress_report_return(
        user=world.rpo_asia, report=report, version=report.version, comment="Add the evidence."
    )


def test_the_field_office_sees_returned_due_and_overdue(world: World, client: Any) -> None:
    set_calendar(world.period, opens=-10, due=5, locks=30)
    report = _returned(world, "2013-H1")
    factories.MilestoneFactory(
        cpo=world.idn_cpo,
        due_on=datetime.date(2012, 12, 31),
        text="Tripartite workshop",
    )
    client.force_login(world.field_idn)
    page = client.get("/").content.decode()
    assert f"/dwcp/progress/{report.pk}/edit/" in page
    assert "1 report returned for revision" in page
    assert "1 report due for 2013, second half" in page
    assert f"/dwcp/cpos/{world.idn_cpo.pk}/" in page
    assert "Tripartite workshop" in page
    assert "overdue since" in page
    # The Philippines' office sees none of Indonesia's work.
    client.force_login(world.field_phl)
    page = client.get("/").content.decode()
    assert "0 reports returned for revision" in page
    assert world.idn_cpo.code not in page


def test_the_region_sees_reports_waiting_with_their_days_and_extensions(
    world: World, client: Any
) -> None:
    report = factories.ProgressReportFactory(cpo=world.idn_cpo, period=world.period)
    services.progress_report_submit(user=world.field_idn, report=report, version=report.version)
    type(report).objects.filter(pk=report.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=12)
    )
    set_calendar(world.period, opens=-60, due=-30, locks=-1)
    services.extension_request(
        user=world.field_phl, period=world.period, office=world.phl_office, reason="Floods."
    )
    client.force_login(world.rpo_asia)
    page = client.get("/").content.decode()
    assert "waiting 12 days" in page
    assert f"#report-{report.pk}" in page
    assert "1 extension asked" in page
    assert world.phl_office.name in page
    client.force_login(world.rpo_africa)
    page = client.get("/").content.decode()
    assert "waiting 12 days" not in page
    assert world.phl_office.name not in page


def test_the_coordinator_sees_the_outcomes_cpos_without_a_report(world: World, client: Any) -> None:
    set_calendar(world.period, opens=-10, due=5, locks=30)
    coordinator = factories.UserFactory(role=Role.OUTCOME_COORDINATOR)
    world.idn_cpo.outcome.coordinators.add(coordinator)
    client.force_login(coordinator)
    page = client.get("/").content.decode()
    assert f"/dwcp/cpos/{world.idn_cpo.pk}/" in page
    assert f"/dwcp/cpos/{world.phl_cpo.pk}/" in page  # same outcome


@pytest.mark.parametrize(
    "who",
    ["field_idn", "rpo_asia", "coordinator", "po", "gb"],
)
def test_each_home_page_reads_a_constant_number_of_queries(
    world: World, client: Any, count_queries: Any, who: str
) -> None:
    set_calendar(world.period, opens=-10, due=5, locks=30)
    coordinator = factories.UserFactory(role=Role.OUTCOME_COORDINATOR)
    world.idn_cpo.outcome.coordinators.add(coordinator)
    people = {
        "field_idn": world.field_idn,
        "rpo_asia": world.rpo_asia,
        "coordinator": coordinator,
        "po": world.po,
        "gb": factories.UserFactory(role=Role.GB_SECRETARIAT),
    }
    client.force_login(people[who])
    _returned(world, "2012-H1")

    prefix = world.idn_cpo.programme.country.alpha3

    def more(start: int) -> None:
        for number in range(start, start + 14):
            cpo = factories.CpoFactory(programme=world.idn_cpo.programme, code=f"{prefix}{number}")
            factories.MilestoneFactory(cpo=cpo, due_on=datetime.date(2013, 1, 1))
            report = factories.ProgressReportFactory(cpo=cpo, period=world.period)
            report = services.progress_report_submit(
                user=world.field_idn, report=report, version=report.version
            )
            if number % 2:
                services.progress_report_return(
                    user=world.rpo_asia, report=report, version=report.version, comment="Fix."
                )
            factories.CpoFactory(programme=world.idn_cpo.programme, code=f"{prefix}{number + 200}")

    # Four-digit codes: the factory's own are three digits, so they never collide.
    more(5000)  # every list past its first rows
    few = count_queries(lambda: client.get("/"))
    more(5100)
    assert count_queries(lambda: client.get("/")) == few

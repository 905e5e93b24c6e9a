"""Reporting coverage per region and office, and reminders to the offices behind:
programme officers only, once a day per office and period, logged, told to the office."""

from __future__ import annotations

from typing import Any

import pytest

from dwcp import selectors, services
from dwcp.models import ReportingReminder
from rbm.models import Notification
from tests import factories
from tests.notify.conftest import World

pytestmark = pytest.mark.django_db


def test_coverage_per_region_and_office(world: World) -> None:
    report = factories.ProgressReportFactory(cpo=world.idn_cpo, period=world.period)
    services.progress_report_submit(user=world.field_idn, report=report, version=report.version)
    factories.CpoFactory(programme=world.idn_cpo.programme, code="777")
    regions = selectors.reporting_coverage(world.period)
    assert len(regions) == 1
    asia = regions[0]
    assert (asia.total, asia.reported) == (3, 1)
    offices = {o.office_id: o for o in asia.offices}
    assert offices[world.idn_office.pk].share == 50
    assert offices[world.phl_office.pk].share == 0


def test_a_reminder_tells_the_office_once_a_day(world: World, client: Any) -> None:
    client.force_login(world.po)
    page = client.get(f"/dwcp/reminders/?period={world.period.pk}")
    assert page.status_code == 200
    assert world.phl_office.name in page.content.decode()
    sent = client.post(
        "/dwcp/reminders/", {"period": world.period.pk, "office": world.phl_office.pk}
    )
    assert sent.status_code == 302
    told = Notification.objects.filter(event="progress.reminder")
    assert {n.recipient_id for n in told} == {world.field_phl.pk}
    assert told.get().params["count"] == 1
    again = client.post(
        "/dwcp/reminders/", {"period": world.period.pk, "office": world.phl_office.pk}
    )
    assert again.status_code == 429
    assert "one reminder a day" in again.content.decode()
    log = ReportingReminder.objects.get()
    assert (log.office, log.sent_by, log.missing, log.recipients) == (
        world.phl_office,
        world.po,
        1,
        1,
    )


def test_only_programme_officers_remind(world: World, client: Any) -> None:
    for user in (world.field_idn, world.rpo_asia):
        client.force_login(user)
        assert client.get("/dwcp/reminders/").status_code == 403
        response = client.post(
            "/dwcp/reminders/", {"period": world.period.pk, "office": world.phl_office.pk}
        )
        assert response.status_code == 403
    assert not ReportingReminder.objects.exists()


def test_the_coverage_page_reads_a_constant_number_of_queries(
    world: World, client: Any, count_queries: Any
) -> None:
    client.force_login(world.po)
    url = f"/dwcp/reminders/?period={world.period.pk}"
    few = count_queries(lambda: client.get(url))
    for number in range(6):
        office = factories.OfficeFactory(countries=[factories.country("THA")])
        programme = factories.DwcpFactory(country=factories.country("THA"), office=office)
        factories.CpoFactory(programme=programme, code=f"{300 + number}")
    assert count_queries(lambda: client.get(url)) == few

"""The reporting calendar: a period opens, falls due and locks; after the lock, reports of
the period are refused alike by the services, the pages and the API, unless the region
granted the office an extension; the region's review and validated figures are untouched."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from dwcp import services
from dwcp.models import ProgressReport, ReportingExtension, ReviewState
from rbm.services import api_token_create
from tests.notify.conftest import World, set_calendar

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _create(world: World, **kwargs: object) -> ProgressReport:
    return services.progress_report_create(
        user=world.field_idn,
        cpo=world.idn_cpo,
        period=world.period,
        status="on_track",
        narrative="Work goes ahead.",
        **kwargs,  # type: ignore[arg-type]
    )


def test_the_default_dates_follow_the_biennium_rule(world: World) -> None:
    done = services.reporting_calendar_set_defaults(user=world.po, biennium=world.period.biennium)
    assert len(done) == 4
    world.period.refresh_from_db()
    assert world.period.opens_on == datetime.date(2013, 7, 1)
    assert world.period.due_on == datetime.date(2014, 1, 30)
    assert world.period.locks_on == datetime.date(2014, 3, 1)


def test_only_programme_officers_set_the_dates(world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.reporting_period_dates_set(
            user=world.field_idn,
            period=world.period,
            version=world.period.version,
            opens_on=TODAY,
            due_on=TODAY,
            locks_on=TODAY,
        )
    with pytest.raises(ValidationError):
        services.reporting_period_dates_set(
            user=world.po,
            period=world.period,
            version=world.period.version,
            opens_on=TODAY,
            due_on=TODAY + datetime.timedelta(days=5),
            locks_on=TODAY,
        )
    period = services.reporting_period_dates_set(
        user=world.po,
        period=world.period,
        version=world.period.version,
        opens_on=TODAY,
        due_on=TODAY,
        locks_on=TODAY + datetime.timedelta(days=3),
    )
    assert period.version == 2


def test_an_open_period_takes_reports_a_locked_one_refuses_them(world: World) -> None:
    set_calendar(world.period, opens=-30, due=-1, locks=0)
    report = _create(world)  # the lock day itself still takes writes
    set_calendar(world.period, opens=-30, due=-10, locks=-1)
    with pytest.raises(services.PeriodLocked) as error:
        services.progress_report_update(
            user=world.field_idn, report=report, version=report.version, narrative="Late."
        )
    assert "can no longer be created or changed" in error.value.message
    with pytest.raises(services.PeriodLocked):
        services.progress_report_submit(user=world.field_idn, report=report, version=report.version)
    report.delete()
    with pytest.raises(services.PeriodLocked):
        _create(world)


def test_a_period_not_yet_open_refuses_reports(world: World) -> None:
    set_calendar(world.period, opens=2, due=10, locks=20)
    with pytest.raises(services.PeriodLocked) as error:
        _create(world)
    assert "can be written from" in error.value.message


def test_an_extension_lets_one_office_write_until_its_end(world: World) -> None:
    set_calendar(world.period, opens=-60, due=-30, locks=-1)
    extension = services.extension_request(
        user=world.field_idn, period=world.period, office=world.idn_office, reason="Floods."
    )
    assert extension.state == ReportingExtension.State.REQUESTED
    with pytest.raises(services.PeriodLocked):
        _create(world)  # asked is not granted
    with pytest.raises(PermissionDenied):  # another region's officer
        services.extension_grant(
            user=world.rpo_africa,
            period=world.period,
            office=world.idn_office,
            ends_on=TODAY + datetime.timedelta(days=7),
        )
    services.extension_grant(
        user=world.rpo_asia,
        period=world.period,
        office=world.idn_office,
        ends_on=TODAY + datetime.timedelta(days=7),
    )
    report = _create(world)
    services.progress_report_submit(user=world.field_idn, report=report, version=report.version)
    # The Philippines' office holds no extension.
    with pytest.raises(services.PeriodLocked):
        services.progress_report_create(
            user=world.field_phl,
            cpo=world.phl_cpo,
            period=world.period,
            status="on_track",
            narrative="Late too.",
        )
    extension.refresh_from_db()
    assert extension.history.count() == 2  # asked, then granted: recorded


def test_an_office_asks_only_for_itself(world: World) -> None:
    set_calendar(world.period, opens=-60, due=-30, locks=-1)
    with pytest.raises(PermissionDenied):
        services.extension_request(
            user=world.field_phl, period=world.period, office=world.idn_office, reason="Mine."
        )


def test_the_lock_leaves_review_and_validated_figures_alone(world: World) -> None:
    set_calendar(world.period, opens=-60, due=-30, locks=5)
    report = _create(world, women_reached=10, men_reached=12)
    report = services.progress_report_submit(
        user=world.field_idn, report=report, version=report.version
    )
    set_calendar(world.period, opens=-60, due=-30, locks=-1)
    report = services.progress_report_validate(
        user=world.rpo_asia, report=report, version=report.version
    )
    report.refresh_from_db()
    assert report.review_state == ReviewState.VALIDATED
    assert (report.women_reached, report.men_reached) == (10, 12)


def test_the_page_refuses_a_late_report_with_the_message(world: World, client) -> None:
    set_calendar(world.period, opens=-60, due=-30, locks=-1)
    client.force_login(world.field_idn)
    response = client.post(
        f"/dwcp/cpos/{world.idn_cpo.pk}/progress/new/",
        {"period": world.period.pk, "status": "on_track", "narrative": "Late."},
    )
    assert response.status_code == 403
    assert "can no longer be created or changed" in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_the_api_refuses_a_late_report_with_the_same_message(world: World) -> None:
    set_calendar(world.period, opens=-60, due=-30, locks=-1)
    _token, key = api_token_create(user=world.field_idn, name="late")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = client.post(
        "/api/v1/progress-reports/",
        {
            "cpo": world.idn_cpo.pk,
            "period": world.period.code,
            "status": "on_track",
            "narrative": "Late.",
        },
        format="json",
    )
    assert response.status_code == 403
    assert "can no longer be created or changed" in str(response.json())
    assert not ProgressReport.objects.exists()


def test_the_calendar_page_sets_dates_and_grants(world: World, client) -> None:
    client.force_login(world.po)
    response = client.post(
        "/dwcp/calendar/",
        {"action": "defaults", "biennium": world.period.biennium_id},
    )
    assert response.status_code == 302
    world.period.refresh_from_db()
    prefix = f"p{world.period.pk}"
    response = client.post(
        "/dwcp/calendar/",
        {
            "action": f"dates:{world.period.pk}",
            "biennium": world.period.biennium_id,
            f"{prefix}-opens_on": "2013-07-01",
            f"{prefix}-due_on": "2013-06-01",
            f"{prefix}-locks_on": "2014-03-01",
            f"{prefix}-version": world.period.version,
        },
    )
    assert response.status_code == 400
    assert "falls due on or after it opens" in response.content.decode()
    client.force_login(world.field_idn)
    assert (
        client.post(
            "/dwcp/calendar/",
            {"action": "defaults", "biennium": world.period.biennium_id},
        ).status_code
        == 403
    )
    client.force_login(world.rpo_asia)
    response = client.post(
        "/dwcp/calendar/",
        {
            "action": "grant",
            "biennium": world.period.biennium_id,
            "period": world.period.pk,
            "office": world.idn_office.pk,
            "ends_on": (TODAY + datetime.timedelta(days=10)).isoformat(),
        },
    )
    assert response.status_code == 302
    assert ReportingExtension.objects.get().state == "granted"
    page = client.get("/dwcp/calendar/").content.decode()
    assert world.idn_office.name in page

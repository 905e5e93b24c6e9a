"""A small world for the calendar, notifications and work queues: Indonesia's office (two
staff), the Philippines' office, the regional officers of Asia and the Pacific and of
Africa, a programme officer; a CPO in Indonesia and one in the Philippines, 2012-13."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from dwcp.models import CountryProgrammeOutcome, ReportingPeriod
from rbm.models import Office, Role, User
from tests import factories


@dataclass
class World:
    idn_office: Office
    phl_office: Office
    field_idn: User
    field_idn_2: User
    field_phl: User
    rpo_asia: User
    rpo_africa: User
    po: User
    idn_cpo: CountryProgrammeOutcome
    phl_cpo: CountryProgrammeOutcome
    period: ReportingPeriod


def set_calendar(period: ReportingPeriod, *, opens: int, due: int, locks: int) -> None:
    """Dates relative to today (days; negative: in the past)."""
    today = timezone.localdate()
    ReportingPeriod.objects.filter(pk=period.pk).update(
        opens_on=today + datetime.timedelta(days=opens),
        due_on=today + datetime.timedelta(days=due),
        locks_on=today + datetime.timedelta(days=locks),
    )
    period.refresh_from_db()


@pytest.fixture
def world(reference: Any) -> World:
    idn_office = factories.OfficeFactory(countries=[factories.country("IDN")])
    phl_office = factories.OfficeFactory(countries=[factories.country("PHL")])

    def user(role: str, **kwargs: Any) -> User:
        return factories.UserFactory(
            role=role, email=f"{role}{User.objects.count()}@example.org", **kwargs
        )

    field_idn = user(Role.FIELD_OFFICE_STAFF, office=idn_office, language="fr")
    field_idn_2 = user(Role.FIELD_OFFICE_STAFF, office=idn_office)
    field_phl = user(Role.FIELD_OFFICE_STAFF, office=phl_office)
    rpo_asia = user(Role.REGIONAL_PROGRAMME_OFFICER, region=factories.region("asia-pacific"))
    rpo_africa = user(Role.REGIONAL_PROGRAMME_OFFICER, region=factories.region("africa"))
    po = user(Role.PROGRAMME_OFFICER)
    idn = factories.DwcpFactory(country=factories.country("IDN"), office=idn_office)
    phl = factories.DwcpFactory(country=factories.country("PHL"), office=phl_office)
    return World(
        idn_office=idn_office,
        phl_office=phl_office,
        field_idn=field_idn,
        field_idn_2=field_idn_2,
        field_phl=field_phl,
        rpo_asia=rpo_asia,
        rpo_africa=rpo_africa,
        po=po,
        idn_cpo=factories.CpoFactory(programme=idn),
        phl_cpo=factories.CpoFactory(programme=phl),
        period=factories.period("2013-H2"),
    )


@pytest.fixture
def inbox(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A real SMTP server, Django's SMTP backend pointed at it (here and, through the
    environment, in a worker started by the test)."""
    from tests.notify.smtp import smtp_server

    with smtp_server() as box:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = box.port
        monkeypatch.setenv("EMAIL_HOST", "127.0.0.1")
        monkeypatch.setenv("EMAIL_PORT", str(box.port))
        monkeypatch.setenv("SITE_URL", settings.SITE_URL)
        yield box

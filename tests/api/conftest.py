"""Fixtures of the API tests: a small world with two offices in Asia and the Pacific, one in
Africa, one user per role, programmes in every state a reader can meet, and clients."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from dwcp.models import DecentWorkCountryProgramme, ProgressReport, ReviewState
from rbm.models import Role, User
from rbm.permissions import PUBLIC
from rbm.services import api_token_create
from tests import factories

FIELD = Role.FIELD_OFFICE_STAFF
RPO = Role.REGIONAL_PROGRAMME_OFFICER
COORD = Role.OUTCOME_COORDINATOR
PO = Role.PROGRAMME_OFFICER
GB = Role.GB_SECRETARIAT
ADMIN = Role.ADMINISTRATOR

# Who is who in the world below.
PEOPLE = [
    "public",
    "field_idn",  # field office staff of the office covering Indonesia
    "field_phl",  # field office staff of another office (the Philippines), same region
    "rpo_asia",  # regional officer of Asia and the Pacific (Indonesia's region)
    "rpo_africa",  # regional officer of another region
    "coordinator",
    "programme_officer",
    "gb_secretariat",
    "administrator",
]


@dataclass
class World:
    users: dict[str, User | None]
    idn: DecentWorkCountryProgramme  # unpublished, Indonesia
    phl: DecentWorkCountryProgramme  # published, the Philippines
    idn_cpo: Any
    phl_cpo: Any
    idn_draft: ProgressReport
    idn_submitted: ProgressReport
    phl_draft: ProgressReport
    phl_validated: ProgressReport

    def user(self, who: str) -> User | None:
        return self.users[who]


def _validated(report: ProgressReport, by: User) -> ProgressReport:
    report.review_state = ReviewState.VALIDATED
    report.validated_by = by
    report.validated_at = timezone.now()
    report.save()
    return report


@pytest.fixture
def world(db: None, user_for: Any) -> World:
    office_idn = factories.OfficeFactory(countries=[factories.country("IDN")])
    office_phl = factories.OfficeFactory(countries=[factories.country("PHL")])
    users: dict[str, User | None] = {
        "public": None,
        "field_idn": user_for(FIELD, office=office_idn),
        "field_phl": user_for(FIELD, office=office_phl),
        "rpo_asia": user_for(RPO, region=factories.region("asia-pacific")),
        "rpo_africa": user_for(RPO, region=factories.region("africa")),
        "coordinator": user_for(COORD),
        "programme_officer": user_for(PO),
        "gb_secretariat": user_for(GB),
        "administrator": user_for(ADMIN),
    }
    idn = factories.DwcpFactory(country=factories.country("IDN"), office=office_idn)
    phl = factories.DwcpFactory(country=factories.country("PHL"), office=office_phl, published=True)
    idn_cpo = factories.CpoFactory(programme=idn)
    phl_cpo = factories.CpoFactory(programme=phl)
    idn_draft = factories.ProgressReportFactory(cpo=idn_cpo, period=factories.period("2012-H1"))
    idn_submitted = factories.ProgressReportFactory(
        cpo=idn_cpo,
        period=factories.period("2012-H2"),
        review_state=ReviewState.SUBMITTED,
        submitted_by=users["field_idn"],
        submitted_at=timezone.now(),
    )
    phl_draft = factories.ProgressReportFactory(cpo=phl_cpo, period=factories.period("2012-H1"))
    phl_validated = _validated(
        factories.ProgressReportFactory(cpo=phl_cpo, period=factories.period("2012-H2")),
        users["administrator"],
    )
    return World(
        users=users,
        idn=idn,
        phl=phl,
        idn_cpo=idn_cpo,
        phl_cpo=phl_cpo,
        idn_draft=idn_draft,
        idn_submitted=idn_submitted,
        phl_draft=phl_draft,
        phl_validated=phl_validated,
    )


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def client_as(world: World) -> Any:
    """``client_as("field_idn")``: an API client authenticated as that person (token)."""

    made = itertools.count()

    def make(who: str) -> APIClient:
        client = APIClient()
        user = world.user(who)
        if user is not None:
            _token, key = api_token_create(user=user, name=f"tests {who} {next(made)}")
            client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    return make


def token_client(user: User) -> APIClient:
    client = APIClient()
    _token, key = api_token_create(user=user, name="tests")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


__all__ = ["PEOPLE", "PUBLIC", "World", "token_client"]

"""Fixtures of development cooperation: a donor, a field office with its user, and a way to
make projects through the services."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from cooperation.models import Donor, DonorKind, Project
from cooperation.services import ContributionData, LinkData, YearData, project_create
from rbm.models import Office, Region, Role, User
from rbm.services import system_user
from tests import factories
from tests.reporting.conftest import compile_report  # noqa: F401 - the report's fixture


@pytest.fixture
def donor(db: None) -> Donor:
    return Donor.objects.create(
        code="NOR", name="Norway", kind=DonorKind.GOVERNMENT, iati_org_id="XM-DAC-8"
    )


@pytest.fixture
def office(reference: dict[str, Region]) -> Office:
    """The office covering Indonesia (the CPO factory's programmes use it)."""
    return factories.OfficeFactory(countries=[factories.country("IDN")])


@pytest.fixture
def field_user(user_for: Callable[..., User], office: Office) -> User:
    return user_for(Role.FIELD_OFFICE_STAFF, office=office)


@pytest.fixture
def cpo(office: Office) -> Any:
    """A 2012-13 CPO in Indonesia with RB 50,000 and XBTC 150,000 planned."""
    cpo = factories.CpoFactory(programme=factories.DwcpFactory(office=office, published=True))
    factories.CpoResourceFactory(
        cpo=cpo, funding_source=factories.funding_source("RB"), planned=50000
    )
    factories.CpoResourceFactory(
        cpo=cpo, funding_source=factories.funding_source("XBTC"), planned=150000
    )
    return cpo


@pytest.fixture
def make_project(office: Office, donor: Donor) -> Callable[..., Project]:
    """``make_project(links=[(cpo, share)], budget={2012: 100000}, **fields)``, as the system
    account (an administrator)."""
    counter = iter(range(1, 999))

    def make(
        *,
        links: list[tuple[Any, Any]] = (),  # type: ignore[assignment]
        budget: dict[int, Any] | None = None,
        expenditure: dict[int, Any] | None = None,
        status: str = "proposal",
        user: User | None = None,
        **fields: Any,
    ) -> Project:
        budget = {2012: Decimal(60000), 2013: Decimal(40000)} if budget is None else budget
        expenditure = expenditure or {}
        fields.setdefault("code", f"IDN/12/{next(counter):02d}/NOR")
        fields.setdefault("title", "Decent jobs for young women and men")
        fields.setdefault("office", office)
        fields.setdefault("start_date", datetime.date(2012, 1, 1))
        fields.setdefault("end_date", datetime.date(2013, 12, 31))
        fields.setdefault("countries", [factories.country("IDN")])
        fields.setdefault(
            "contributions", [ContributionData(donor, sum(budget.values(), Decimal(0)))]
        )
        return (
            project_create(
                user=user or system_user(),
                years=[
                    YearData(year, Decimal(amount), expenditure=Decimal(expenditure.get(year, 0)))
                    for year, amount in budget.items()
                ],
                links=[LinkData(cpo, Decimal(share)) for cpo, share in links],
                status=status if status in ("concept", "proposal") else "proposal",
                **fields,
            )
            if status in ("concept", "proposal")
            else _advance(
                make(links=links, budget=budget, expenditure=expenditure, user=user, **fields),
                status,
            )
        )

    return make


def _advance(project: Project, status: str) -> Project:
    """Take a proposal through the lifecycle, as the system account, up to ``status``."""
    from cooperation.models import Verdict
    from cooperation.services import project_appraise, project_step

    actor = system_user()
    order = ["appraised", "submitted", "funded", "ongoing", "operationally_closed"]
    if status == "dropped":
        return project_step(user=actor, project=project, target="dropped", version=project.version)
    for target in order[: order.index(status) + 1]:
        project.refresh_from_db()
        if target == "appraised":
            verdict = Verdict.RELEVANT if project.cpo_links.exists() else Verdict.OUTSIDE_DWCP
            project_appraise(
                user=actor,
                project=project,
                version=project.version,
                verdict=verdict,
                constituents_consulted=True,
                gender_dimension=True,
                evaluation_planned=True,
            )
        else:
            project_step(user=actor, project=project, target=target, version=project.version)
    project.refresh_from_db()
    return project

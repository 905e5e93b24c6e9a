"""The rules of development cooperation, through the services: shares of a biennium at most
100 %, appraisal before submission, the lifecycle with who takes each step, and the funding
arithmetic in Decimal."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cooperation import selectors
from cooperation.models import Project, ProjectStatus, Verdict
from cooperation.services import (
    LinkData,
    project_appraise,
    project_step,
    project_update,
)
from rbm.errors import ConflictError
from rbm.models import OfficeKind, Role, User
from rbm.permissions import StateRefused
from tests import factories

pytestmark = pytest.mark.django_db


def _appraise(user: User, project: Project, verdict: str = Verdict.RELEVANT) -> Any:
    return project_appraise(
        user=user,
        project=project,
        version=project.version,
        verdict=verdict,
        constituents_consulted=True,
        gender_dimension=True,
        evaluation_planned=False,
    )


# Shares never exceed 100 % of the budget in a biennium --------------------------------------


def test_shares_of_a_biennium_above_100_are_refused(
    make_project: Callable[..., Project], cpo: Any
) -> None:
    other = factories.CpoFactory(programme=cpo.programme, priority=cpo.priority)
    with pytest.raises(ValidationError) as refused:
        make_project(links=[(cpo, "60"), (other, "40.01")])
    assert "100.01" in str(refused.value.message_dict["links"])
    assert not Project.objects.exists()


def test_shares_up_to_100_are_kept(make_project: Callable[..., Project], cpo: Any) -> None:
    other = factories.CpoFactory(programme=cpo.programme, priority=cpo.priority)
    project = make_project(links=[(cpo, "60"), (other, "40")])
    assert sorted(project.cpo_links.values_list("share", flat=True)) == [Decimal(40), Decimal(60)]


def test_shares_of_different_bienniums_are_separate(
    make_project: Callable[..., Project], cpo: Any
) -> None:
    later = factories.CpoFactory(
        programme=cpo.programme, priority=cpo.priority, biennium=factories.biennium("2014-15")
    )
    project = make_project(
        links=[(cpo, "100"), (later, "100")],
        budget={2012: 1, 2014: 1},
        end_date=datetime.date(2015, 12, 31),
    )
    assert project.cpo_links.count() == 2


def test_update_that_would_pass_100_is_refused_and_changes_nothing(
    make_project: Callable[..., Project], cpo: Any, field_user: User
) -> None:
    other = factories.CpoFactory(programme=cpo.programme, priority=cpo.priority)
    project = make_project(links=[(cpo, "70")])
    with pytest.raises(ValidationError) as refused:
        project_update(
            user=field_user,
            project=project,
            version=project.version,
            links=[LinkData(cpo, Decimal(70)), LinkData(other, Decimal(31))],
            title="",
        )
    # Every problem at once: the empty title and the shares.
    assert set(refused.value.message_dict) == {"title", "links"}
    assert project.cpo_links.count() == 1


def test_a_cpo_outside_the_projects_countries_is_refused(
    make_project: Callable[..., Project],
) -> None:
    elsewhere = factories.CpoFactory(
        programme=factories.DwcpFactory(country=factories.country("VNM"))
    )
    with pytest.raises(ValidationError) as refused:
        make_project(links=[(elsewhere, "10")])
    assert "not one of the project's countries" in str(refused.value)


def test_a_stale_version_is_a_conflict(
    make_project: Callable[..., Project], field_user: User
) -> None:
    project = make_project()
    project_update(user=field_user, project=project, version=project.version, title="First")
    with pytest.raises(ConflictError):
        project_update(user=field_user, project=project, version=project.version, title="Second")


# Appraisal before submission ---------------------------------------------------------------


def test_a_proposal_cannot_go_to_a_donor_before_its_appraisal(
    make_project: Callable[..., Project], field_user: User
) -> None:
    project = make_project()
    with pytest.raises(StateRefused) as refused:
        project_step(user=field_user, project=project, target="submitted", version=project.version)
    assert "appraised" in refused.value.message
    project.refresh_from_db()
    assert project.status == ProjectStatus.PROPOSAL


def test_appraisal_by_the_regional_officer_then_submission(
    make_project: Callable[..., Project], cpo: Any, field_user: User, user_for: Callable[..., User]
) -> None:
    project = make_project(links=[(cpo, "50")])
    officer = user_for(Role.REGIONAL_PROGRAMME_OFFICER, region=factories.region("asia-pacific"))
    appraisal = _appraise(officer, project)
    assert appraisal.in_dwcp_country
    assert appraisal.linked_to_cpo
    assert list(appraisal.priorities.all()) == [cpo.priority]
    project.refresh_from_db()
    assert project.status == ProjectStatus.APPRAISED
    project = project_step(
        user=field_user, project=project, target="submitted", version=project.version
    )
    assert project.status == ProjectStatus.SUBMITTED
    assert project.history.first().status == ProjectStatus.SUBMITTED


def test_a_not_relevant_verdict_blocks_submission(
    make_project: Callable[..., Project], cpo: Any, field_user: User, user_for: Callable[..., User]
) -> None:
    project = make_project(links=[(cpo, "50")])
    officer = user_for(Role.REGIONAL_PROGRAMME_OFFICER, region=factories.region("asia-pacific"))
    _appraise(officer, project, Verdict.NOT_RELEVANT)
    project.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        project_step(user=field_user, project=project, target="submitted", version=project.version)
    assert "not relevant" in str(refused.value)


def test_a_proposal_outside_every_dwcp_goes_ahead_and_is_counted(
    make_project: Callable[..., Project], field_user: User, user_for: Callable[..., User]
) -> None:
    project = make_project()
    officer = user_for(Role.REGIONAL_PROGRAMME_OFFICER, region=factories.region("asia-pacific"))
    with pytest.raises(ValidationError):
        _appraise(officer, project, Verdict.RELEVANT)
    _appraise(officer, project, Verdict.OUTSIDE_DWCP)
    project.refresh_from_db()
    project_step(user=field_user, project=project, target="submitted", version=project.version)
    assert selectors.outside_dwcp_count(factories.biennium("2012-13")) == 1


def test_an_officer_of_another_region_may_not_appraise(
    make_project: Callable[..., Project], user_for: Callable[..., User]
) -> None:
    project = make_project()
    officer = user_for(Role.REGIONAL_PROGRAMME_OFFICER, region=factories.region("africa"))
    with pytest.raises(PermissionDenied):
        _appraise(officer, project, Verdict.OUTSIDE_DWCP)


# The lifecycle and who takes each step -----------------------------------------------------


def test_funding_needs_donors_and_a_budget(
    make_project: Callable[..., Project], field_user: User
) -> None:
    project = make_project(status="submitted", contributions=[], budget={})
    with pytest.raises(ValidationError) as refused:
        project_step(user=field_user, project=project, target="funded", version=project.version)
    assert len(refused.value.messages) == 2


def test_the_whole_lifecycle(make_project: Callable[..., Project], field_user: User) -> None:
    project = make_project(status="submitted")
    for target in ("funded", "ongoing", "operationally_closed", "financially_closed"):
        project = project_step(
            user=field_user, project=project, target=target, version=project.version
        )
    assert project.status == ProjectStatus.FINANCIALLY_CLOSED
    with pytest.raises(StateRefused):
        project_update(user=field_user, project=project, version=project.version, title="Late")
    with pytest.raises(StateRefused):
        project_step(user=field_user, project=project, target="dropped", version=project.version)


def test_a_funded_project_cannot_be_dropped(
    make_project: Callable[..., Project], field_user: User
) -> None:
    project = make_project(status="funded")
    with pytest.raises(StateRefused):
        project_step(user=field_user, project=project, target="dropped", version=project.version)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.FIELD_OFFICE_STAFF, True),
        (Role.HQ_TECHNICAL_UNIT, False),
        (Role.REGIONAL_PROGRAMME_OFFICER, False),
        (Role.OUTCOME_COORDINATOR, False),
        (Role.PROGRAMME_OFFICER, False),
        (Role.GB_SECRETARIAT, False),
        (Role.EVALUATION_MANAGER, False),
        (Role.ADMINISTRATOR, True),
    ],
)
def test_who_manages_a_country_project(
    make_project: Callable[..., Project],
    user_for: Callable[..., User],
    office: Any,
    role: str,
    allowed: bool,
) -> None:
    project = make_project(status="concept")
    user = user_for(role, office=office) if role == Role.FIELD_OFFICE_STAFF else user_for(role)
    if allowed:
        project = project_step(
            user=user, project=project, target="proposal", version=project.version
        )
        assert project.status == ProjectStatus.PROPOSAL
    else:
        with pytest.raises(PermissionDenied):
            project_step(user=user, project=project, target="proposal", version=project.version)


def test_field_staff_of_another_office_may_not_manage(
    make_project: Callable[..., Project], user_for: Callable[..., User]
) -> None:
    project = make_project()
    stranger = user_for(
        Role.FIELD_OFFICE_STAFF,
        office=factories.OfficeFactory(countries=[factories.country("VNM")]),
    )
    with pytest.raises(PermissionDenied):
        project_update(user=stranger, project=project, version=project.version, title="Mine")


def test_a_technical_unit_manages_its_global_projects_only(
    make_project: Callable[..., Project], user_for: Callable[..., User]
) -> None:
    unit = factories.OfficeFactory(kind=OfficeKind.TECHNICAL_UNIT, region=None, countries=[])
    staff = user_for(Role.HQ_TECHNICAL_UNIT, office=unit)
    project = make_project(
        user=staff, code="GLO/12/01/NOR", geography="global", countries=[], office=unit
    )
    assert project.region is None
    project_update(user=staff, project=project, version=project.version, title="Global jobs")
    with pytest.raises(ValidationError) as refused:
        make_project(user=staff, code="IDN/12/77/NOR")
    assert "geography" in refused.value.message_dict
    field_project = make_project()
    with pytest.raises(PermissionDenied):
        project_update(user=staff, project=field_project, version=field_project.version, title="x")


def test_countries_of_several_regions_make_an_interregional_project(
    make_project: Callable[..., Project],
) -> None:
    with pytest.raises(ValidationError) as refused:
        make_project(countries=[factories.country("IDN"), factories.country("KEN")])
    assert "interregional" in str(refused.value.message_dict["countries"])


def test_years_outside_the_dates_are_refused(make_project: Callable[..., Project]) -> None:
    with pytest.raises(ValidationError) as refused:
        make_project(budget={2011: 5, 2012: 5})
    assert "2011" in str(refused.value.message_dict["years"])


# Funding arithmetic in Decimal ---------------------------------------------------------------


def test_gap_closes_as_a_project_is_funded(
    make_project: Callable[..., Project], cpo: Any, field_user: User
) -> None:
    # Needed: RB 50,000 + XBTC 150,000. The project's 2012-13 budget 100,000.01, a third of it
    # to this CPO.
    make_project(
        links=[(cpo, "33.33")], budget={2012: Decimal("60000.01"), 2013: Decimal("40000.00")}
    )
    funding = selectors.cpo_funding([cpo.pk])[cpo.pk]
    assert funding.needed == Decimal("200000.00")
    assert funding.secured == Decimal("50000.00")
    assert funding.pipeline == Decimal("33330.00")  # 100,000.01 x 33.33 % = 33,330.0033
    assert funding.gap == Decimal("150000.00")
    make_project(
        links=[(cpo, "100")], budget={2012: Decimal("0.10"), 2013: Decimal("0.20")}, status="funded"
    )
    funding = selectors.cpo_funding([cpo.pk])[cpo.pk]
    assert funding.projects_secured == Decimal("0.30")
    assert funding.secured == Decimal("50000.30")
    assert funding.gap == Decimal("149999.70")
    assert isinstance(funding.gap, Decimal)


def test_delivery_rate_and_under_delivery(make_project: Callable[..., Project], cpo: Any) -> None:
    project = make_project(
        links=[(cpo, "50")],
        budget={2012: Decimal(1000), 2013: Decimal(3000)},
        expenditure={2012: Decimal(900), 2013: Decimal(1000)},
        status="ongoing",
    )
    funding = selectors.cpo_funding([cpo.pk])[cpo.pk]
    assert funding.delivered == Decimal("950.00")
    assert funding.delivery_rate == Decimal("0.4750")
    delivery = selectors.deliveries([project], today=datetime.date(2013, 6, 1))[project.pk]
    assert (delivery.year, delivery.rate, delivery.under) == (2013, Decimal("0.3333"), True)
    delivery = selectors.deliveries([project], today=datetime.date(2012, 6, 1))[project.pk]
    assert (delivery.year, delivery.rate, delivery.under) == (2012, Decimal("0.9000"), False)


def test_region_and_outcome_views_sum_the_cpos(
    make_project: Callable[..., Project], cpo: Any
) -> None:
    other = factories.CpoFactory(programme=cpo.programme, priority=cpo.priority)
    factories.CpoResourceFactory(
        cpo=other, funding_source=factories.funding_source("RB"), planned=10
    )
    make_project(links=[(cpo, "50"), (other, "50")], budget={2012: 1000}, status="funded")
    view = selectors.region_funding(factories.region("asia-pacific"), cpo.biennium)
    assert [line.outcome for line in view.outcomes] == [cpo.outcome]
    assert view.total.needed == Decimal("200010.00")
    assert view.total.secured == Decimal("50010.00") + Decimal("1000.00")
    by_region = dict(selectors.outcome_resources_by_region(cpo.outcome_id, cpo.biennium_id))
    assert by_region[factories.region("asia-pacific")].projects_secured == Decimal("1000.00")
    assert by_region[factories.region("africa")].projects_secured == Decimal("0.00")
    gaps, count = selectors.gaps_without_proposal(
        factories.CpoFactory._meta.model.objects.filter(pk__in=[cpo.pk, other.pk])
    )
    assert count == 1
    assert gaps == [cpo]


def test_a_technical_unit_records_the_cpos_it_services(
    make_project: Callable[..., Project], cpo: Any, user_for: Callable[..., User]
) -> None:
    from cooperation.services import cpo_link_set_servicing

    project = make_project(links=[(cpo, "50")])
    link = project.cpo_links.get()
    unit = factories.OfficeFactory(kind=OfficeKind.TECHNICAL_UNIT, region=None, countries=[])
    staff = user_for(Role.HQ_TECHNICAL_UNIT, office=unit)
    with pytest.raises(PermissionDenied):
        cpo_link_set_servicing(user=staff, link=link, serviced=True)
    cpo.outcome.technical_units.add(unit)
    link = cpo_link_set_servicing(user=staff, link=link, serviced=True)
    assert link.serviced_by == unit
    assert cpo_link_set_servicing(user=staff, link=link, serviced=False).serviced_by is None

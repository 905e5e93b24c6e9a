"""Every write of development cooperation: donors, projects with their years, donors'
contributions and links to CPOs, the lifecycle's steps and the appraisal.

Each takes the acting user and asks the permission table; a project's parts are written
under the project's row lock with its version checked, so that two editors of one project
get one success and one 409, and the shares of a biennium are summed on a stable set.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperation.models import (
    SUBMITTABLE_VERDICTS,
    Appraisal,
    CpoLink,
    Donor,
    DonorContribution,
    Geography,
    Project,
    ProjectStatus,
    ProjectYear,
    Verdict,
)
from cooperation.permissions import GEOGRAPHIES_OF_ROLE, STEPS
from dwcp.models import (
    CountryProgrammeOutcome,
    CountryProgrammePriority,
    DecentWorkCountryProgramme,
)
from rbm.conflicts import unique_conflict
from rbm.models import Country, Office, Region, Role, User
from rbm.permissions import require, role_of
from rbm.services import check_version, save_versioned, validate
from rbm.workflow import locked_for, transition

PROJECT_FIELDS = (
    "code",
    "title",
    "summary",
    "funding_kind",
    "geography",
    "region",
    "office",
    "technical_unit",
    "start_date",
    "end_date",
)
DONOR_FIELDS = ("code", "name", "kind", "iati_org_id", "country")


def normal_project_code(code: str) -> str:
    """A project code as stored: without surrounding blanks, in capitals."""
    return code.strip().upper()


@dataclass(frozen=True)
class YearData:
    year: int
    budget: Decimal
    disbursed: Decimal = Decimal(0)
    expenditure: Decimal = Decimal(0)


@dataclass(frozen=True)
class ContributionData:
    donor: Donor
    amount: Decimal


@dataclass(frozen=True)
class LinkData:
    cpo: CountryProgrammeOutcome
    share: Decimal


# Donors ------------------------------------------------------------------------------------


@transaction.atomic
def donor_create(*, user: User, **fields: Any) -> Donor:
    require(user, "donor.manage")
    unknown = set(fields) - set(DONOR_FIELDS)
    if unknown:
        raise ValueError(f"Not a donor field: {sorted(unknown)}")
    donor = Donor(**fields)
    donor.code = donor.code.strip().upper()
    donor.iati_org_id = donor.iati_org_id.strip()
    validate(donor)
    with unique_conflict(donor):
        donor.save()
    return donor


@transaction.atomic
def donor_update(*, user: User, donor: Donor, version: int | None, **fields: Any) -> Donor:
    require(user, "donor.manage")
    unknown = set(fields) - set(DONOR_FIELDS)
    if unknown:
        raise ValueError(f"Not a donor field: {sorted(unknown)}")
    donor = Donor.objects.select_for_update().get(pk=donor.pk)
    check_version(donor, version)
    for name, value in fields.items():
        setattr(donor, name, value.strip() if name in ("code", "iati_org_id") else value)
    donor.code = donor.code.upper()
    validate(donor)
    with unique_conflict(donor):
        save_versioned(donor, update_fields=list(fields))
    return donor


# Checks every door shares -------------------------------------------------------------------


def _money(value: Any, field: str, errors: dict[str, list[str]]) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors.setdefault(field, []).append(_("Enter an amount in USD, e.g. 125000.00."))
        return Decimal(0)
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e13"):
        errors.setdefault(field, []).append(
            _("An amount is zero or more and below 10,000,000,000,000 USD.")
        )
        return Decimal(0)
    return amount.quantize(Decimal("0.01"))


def years_errors(project: Project, years: Sequence[YearData]) -> tuple[list[YearData], list[str]]:
    """The years as stored (amounts to the cent) and every problem with them."""
    errors: dict[str, list[str]] = {}
    seen: set[int] = set()
    clean: list[YearData] = []
    for data in years:
        budget = _money(data.budget, "years", errors)
        disbursed = _money(data.disbursed, "years", errors)
        expenditure = _money(data.expenditure, "years", errors)
        if data.year in seen:
            errors.setdefault("years", []).append(
                _("%(year)s appears twice in the budget.") % {"year": data.year}
            )
        seen.add(data.year)
        if project.start_date and project.end_date and data.year not in project.years:
            errors.setdefault("years", []).append(
                _("%(year)s lies outside the project's dates (%(start)s to %(end)s).")
                % {"year": data.year, "start": project.start_date, "end": project.end_date}
            )
        clean.append(YearData(data.year, budget, disbursed, expenditure))
    return clean, errors.get("years", [])


def links_errors(
    project: Project, links: Sequence[LinkData], country_ids: frozenset[int]
) -> list[str]:
    """Every reason the project cannot hold these links: a CPO twice, a CPO outside the
    project's countries or region, shares of a biennium above 100 %."""
    problems: list[str] = []
    seen: set[int] = set()
    totals: dict[Any, Decimal] = defaultdict(Decimal)
    for link in links:
        cpo = link.cpo
        try:
            share = Decimal(str(link.share))
        except (InvalidOperation, ValueError):
            problems.append(_("Enter the share of %(cpo)s in per cent.") % {"cpo": cpo.code})
            continue
        if not share.is_finite() or share <= 0 or share > 100:
            problems.append(
                _("The share of %(cpo)s lies between 0.01 and 100 per cent.") % {"cpo": cpo.code}
            )
            continue
        if cpo.pk in seen:
            problems.append(_("%(cpo)s is linked twice.") % {"cpo": cpo.code})
        seen.add(cpo.pk)
        country = cpo.programme.country
        if project.geography == Geography.COUNTRIES and country.pk not in country_ids:
            problems.append(
                _(
                    "%(cpo)s is an outcome in %(country)s, "
                    "which is not one of the project's countries."
                )
                % {"cpo": cpo.code, "country": country}
            )
        if project.geography == Geography.REGIONAL and country.region_id != project.region_id:
            problems.append(
                _("%(cpo)s is an outcome outside the project's region.") % {"cpo": cpo.code}
            )
        totals[cpo.biennium] += share
    for biennium, total in sorted(totals.items(), key=lambda item: item[0].start_year):
        refusal = CpoLink.share_total_error(total, biennium)
        if refusal:
            problems.append(refusal)
    return problems


def contributions_errors(
    contributions: Sequence[ContributionData],
) -> tuple[list[ContributionData], list[str]]:
    errors: dict[str, list[str]] = {}
    seen: set[int] = set()
    clean = []
    for data in contributions:
        amount = _money(data.amount, "contributions", errors)
        if data.donor.pk in seen:
            errors.setdefault("contributions", []).append(
                _("%(donor)s appears twice among the donors.") % {"donor": data.donor}
            )
        seen.add(data.donor.pk)
        clean.append(ContributionData(data.donor, amount))
    return clean, errors.get("contributions", [])


def _region_of_countries(countries: Sequence[Country]) -> Region | None:
    regions = {c.region_id: c.region for c in countries}
    return next(iter(regions.values())) if len(regions) == 1 else None


def _scope_errors(
    user: User, project: Project, countries: Sequence[Country]
) -> dict[str, list[str]]:
    """The geography's own rules: countries of one region for a country project, none for a
    regional or wider one; the region follows the countries."""
    errors: dict[str, list[str]] = {}
    if project.geography == Geography.COUNTRIES:
        if not countries:
            errors["countries"] = [_("Choose the project's country or countries.")]
        else:
            region = _region_of_countries(countries)
            if region is None:
                errors["countries"] = [
                    _("These countries lie in several regions: make the project interregional.")
                ]
            project.region = region
    elif countries and project.geography != Geography.REGIONAL:
        errors["countries"] = [_("A global or interregional project lists no countries.")]
    if (
        project.geography == Geography.REGIONAL
        and project.region_id
        and any(c.region_id != project.region_id for c in countries)
    ):
        errors["countries"] = [_("Choose countries of the project's region.")]
    allowed = GEOGRAPHIES_OF_ROLE.get(Role(role_of(user))) if role_of(user) in Role.values else None
    if allowed is not None and project.geography not in allowed:
        errors["geography"] = [_("Your role does not manage projects of this geography.")]
    if (
        role_of(user) == Role.HQ_TECHNICAL_UNIT
        and project.office_id != user.office_id
        and (project.technical_unit_id != user.office_id)
    ):
        errors["technical_unit"] = [_("Name your unit as responsible office or technical unit.")]
    return errors


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _merge(errors: dict[str, list[str]], error: ValidationError) -> None:
    for field, messages in error.message_dict.items():
        errors.setdefault(field, []).extend(messages)


# Writing a project's parts ------------------------------------------------------------------


def _write_years(project: Project, years: list[YearData]) -> None:
    current = {row.year: row for row in project.years_set.all()}
    for data in years:
        row = current.pop(data.year, None) or ProjectYear(project=project, year=data.year)
        if row.pk is None or (row.budget, row.disbursed, row.expenditure) != (
            data.budget,
            data.disbursed,
            data.expenditure,
        ):
            row.budget, row.disbursed, row.expenditure = (
                data.budget,
                data.disbursed,
                data.expenditure,
            )
            row.save()
    for row in current.values():
        row.delete()


def _write_contributions(project: Project, contributions: list[ContributionData]) -> None:
    current = {row.donor_id: row for row in project.contributions.all()}
    for data in contributions:
        row = current.pop(data.donor.pk, None) or DonorContribution(
            project=project, donor=data.donor
        )
        if row.pk is None or row.amount != data.amount:
            row.amount = data.amount
            row.save()
    for row in current.values():
        row.delete()


def _write_links(project: Project, links: Sequence[LinkData]) -> None:
    current = {row.cpo_id: row for row in project.cpo_links.all()}
    for data in links:
        share = Decimal(str(data.share)).quantize(Decimal("0.01"))
        row = current.pop(data.cpo.pk, None) or CpoLink(
            project=project, cpo=data.cpo, biennium_id=data.cpo.biennium_id
        )
        if row.pk is None or row.share != share:
            row.share = share
            row.save()
    for row in current.values():
        row.delete()


def _cpos_for_links(links: Iterable[LinkData]) -> list[LinkData]:
    """The links with their CPOs read with what the checks need (country, biennium)."""
    links = list(links)
    ids = [link.cpo.pk for link in links]
    cpos = CountryProgrammeOutcome.objects.select_related("programme__country", "biennium").in_bulk(
        ids
    )
    return [LinkData(cpos.get(link.cpo.pk, link.cpo), link.share) for link in links]


@transaction.atomic
def project_create(
    *,
    user: User,
    code: str,
    title: str,
    office: Office,
    start_date: datetime.date,
    end_date: datetime.date,
    funding_kind: str = "XBTC",
    geography: str = Geography.COUNTRIES,
    countries: Sequence[Country] = (),
    region: Region | None = None,
    technical_unit: Office | None = None,
    summary: str = "",
    years: Sequence[YearData] = (),
    contributions: Sequence[ContributionData] = (),
    links: Sequence[LinkData] = (),
    status: str = ProjectStatus.CONCEPT,
) -> Project:
    """Create a project (a concept, or a proposal) with its parts. Every problem is
    reported at once."""
    require(user, "project.create")
    if status not in (ProjectStatus.CONCEPT, ProjectStatus.PROPOSAL):
        raise ValidationError({"status": [_("A new project is a concept or a proposal.")]})
    project = Project(
        code=normal_project_code(code),
        title=title,
        summary=summary,
        funding_kind=funding_kind,
        geography=geography,
        region=region,
        office=office,
        technical_unit=technical_unit,
        start_date=start_date,
        end_date=end_date,
        status=status,
    )
    countries = list(countries)
    project._country_ids = frozenset(c.pk for c in countries)  # type: ignore[attr-defined]
    errors = _scope_errors(user, project, countries)
    if "geography" in errors or "technical_unit" in errors:
        # Say what to change rather than a bare refusal.
        _raise(errors)
    require(user, "project.manage", project)
    try:
        validate(project)
    except ValidationError as error:
        _merge(errors, error)
    years_clean, problems = years_errors(project, years)
    if problems:
        errors.setdefault("years", []).extend(problems)
    contributions_clean, problems = contributions_errors(contributions)
    if problems:
        errors.setdefault("contributions", []).extend(problems)
    links = _cpos_for_links(links)
    problems = links_errors(project, links, project._country_ids)  # type: ignore[attr-defined]
    if problems:
        errors.setdefault("links", []).extend(problems)
    _raise(errors)
    with unique_conflict(project):
        project.save()
    project.countries.set(countries)
    _write_years(project, years_clean)
    _write_contributions(project, contributions_clean)
    _write_links(project, links)
    return project


@transaction.atomic
def project_update(
    *,
    user: User,
    project: Project,
    version: int | None,
    countries: Sequence[Country] | None = None,
    years: Sequence[YearData] | None = None,
    contributions: Sequence[ContributionData] | None = None,
    links: Sequence[LinkData] | None = None,
    **fields: Any,
) -> Project:
    """Change a project and, where given, replace its countries, years, donors' figures or
    links to CPOs. The version the editor read is checked (409), every problem reported."""
    unknown = set(fields) - set(PROJECT_FIELDS)
    if unknown:
        raise ValueError(f"Not a project field: {sorted(unknown)}")
    project = locked_for(project, user=user, action="project.manage", version=version)
    if "code" in fields:
        fields["code"] = normal_project_code(fields["code"])
    for name, value in fields.items():
        setattr(project, name, value)
    country_list = (
        list(countries)
        if countries is not None
        else list(project.countries.select_related("region"))
    )
    project._country_ids = frozenset(c.pk for c in country_list)  # type: ignore[attr-defined]
    errors = _scope_errors(user, project, country_list)
    # The new scope must still be one the editor manages.
    require(user, "project.manage", project)
    try:
        validate(project)
    except ValidationError as error:
        _merge(errors, error)
    current_years = [
        YearData(r.year, r.budget, r.disbursed, r.expenditure) for r in project.years_set.all()
    ]
    years_clean, problems = years_errors(project, years if years is not None else current_years)
    if problems:
        errors.setdefault("years", []).extend(problems)
    contributions_clean: list[ContributionData] = []
    if contributions is not None:
        contributions_clean, problems = contributions_errors(contributions)
        if problems:
            errors.setdefault("contributions", []).extend(problems)
    link_list = (
        _cpos_for_links(links)
        if links is not None
        else [
            LinkData(link.cpo, link.share)
            for link in project.cpo_links.select_related("cpo__programme__country", "cpo__biennium")
        ]
    )
    problems = links_errors(project, link_list, project._country_ids)  # type: ignore[attr-defined]
    if problems:
        errors.setdefault("links", []).extend(problems)
    _raise(errors)
    with unique_conflict(project):
        save_versioned(
            project, update_fields=list(fields) + (["region"] if "region" not in fields else [])
        )
    if countries is not None:
        project.countries.set(country_list)
    if years is not None:
        _write_years(project, years_clean)
    if contributions is not None:
        _write_contributions(project, contributions_clean)
    if links is not None:
        _write_links(project, link_list)
    return project


# The lifecycle -----------------------------------------------------------------------------


def _check_submission(project: Project) -> None:
    appraisal = Appraisal.objects.filter(project=project).first()
    if appraisal is None:
        raise ValidationError(
            _("A proposal goes to a donor only once appraised for its DWCP relevance.")
        )
    if appraisal.verdict not in SUBMITTABLE_VERDICTS:
        raise ValidationError(
            _(
                "The appraisal found this proposal not relevant to the DWCP: revise it and "
                "have it appraised again before it goes to the donor."
            )
        )


def _check_funding(project: Project) -> None:
    problems = []
    if not project.contributions.filter(amount__gt=0).exists():
        problems.append(_("Record the donors' contributions before the project is funded."))
    if not project.years_set.filter(budget__gt=0).exists():
        problems.append(_("Record the project's budget by year before it is funded."))
    if problems:
        raise ValidationError(problems)


STEP_CHECKS: dict[str, Callable[[Project], None]] = {
    ProjectStatus.SUBMITTED: _check_submission,
    ProjectStatus.FUNDED: _check_funding,
}


def project_step(*, user: User, project: Project, target: str, version: int | None) -> Project:
    """Move a project one step of its lifecycle (every step but the appraisal)."""
    if target not in STEPS or target == ProjectStatus.APPRAISED:
        raise ValidationError({"status": [_("Choose a step of the project's lifecycle.")]})
    action, _states = STEPS[target]
    return transition(
        project,
        user=user,
        action=action,
        target=target,
        version=version,
        check=STEP_CHECKS.get(ProjectStatus(target)),
    )


@transaction.atomic
def project_appraise(
    *,
    user: User,
    project: Project,
    version: int | None,
    verdict: str,
    constituents_consulted: bool,
    gender_dimension: bool,
    evaluation_planned: bool,
    notes: str = "",
    priorities: Sequence[CountryProgrammePriority] | None = None,
) -> Appraisal:
    """Record the regional programme officer's appraisal and move the proposal to
    "appraised". The first two questions of the checklist are read from the project: in a
    DWCP country (one of its countries has a programme), linked to a CPO."""
    links = list(project.cpo_links.select_related("cpo__priority"))
    country_ids = set(project.countries.values_list("id", flat=True))
    in_dwcp_country = DecentWorkCountryProgramme.objects.filter(country__in=country_ids).exists()
    errors: dict[str, list[str]] = {}
    if verdict not in Verdict.values:
        errors["verdict"] = [_("Choose a verdict.")]
    elif verdict == Verdict.RELEVANT and not links:
        errors["verdict"] = [
            _("A proposal linked to no CPO is outside every DWCP: say so in the verdict.")
        ]
    elif verdict == Verdict.OUTSIDE_DWCP and links:
        errors["verdict"] = [_("This proposal serves CPOs: it is not outside every DWCP.")]
    served = {link.cpo.priority_id for link in links}
    chosen = list(priorities) if priorities is not None else [link.cpo.priority for link in links]
    if any(p.pk not in served for p in chosen):
        errors["priorities"] = [_("Choose priorities of the CPOs the project serves.")]
    _raise(errors)
    project = transition(
        project,
        user=user,
        action="project.appraise",
        target=ProjectStatus.APPRAISED,
        version=version,
    )
    appraisal = Appraisal.objects.filter(project=project).first() or Appraisal(project=project)
    appraisal.in_dwcp_country = in_dwcp_country
    appraisal.linked_to_cpo = bool(links)
    appraisal.constituents_consulted = constituents_consulted
    appraisal.gender_dimension = gender_dimension
    appraisal.evaluation_planned = evaluation_planned
    appraisal.verdict = verdict
    appraisal.notes = notes
    appraisal.appraised_by = user
    appraisal.appraised_at = timezone.now()
    validate(appraisal)
    if appraisal.pk:
        appraisal.version += 1
    appraisal.save()
    appraisal.priorities.set({p.pk: p for p in chosen}.values())
    return appraisal


@transaction.atomic
def cpo_link_set_servicing(*, user: User, link: CpoLink, serviced: bool) -> CpoLink:
    """An HQ technical unit records that it services (or no longer services) a CPO the
    project serves."""
    link = (
        CpoLink.objects.select_for_update(of=("self",))
        .select_related("cpo__outcome")
        .get(pk=link.pk)
    )
    require(user, "cpo_link.service", link)
    link.serviced_by = user.office if serviced and role_of(user) == Role.HQ_TECHNICAL_UNIT else None
    if serviced and link.serviced_by is None:
        raise ValidationError({"serviced_by": [_("Only a technical unit services a CPO.")]})
    link.save(update_fields=["serviced_by", "updated_at"])
    return link

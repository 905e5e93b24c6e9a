"""Reads of development cooperation: who sees which project, the project list and page,
and the funding and delivery arithmetic (in Decimal, USD) per CPO, programme, outcome and
region, in a fixed number of queries whatever the number of rows.

A CPO's money:

- **needed**: the CPO's planned resources, all sources (``dwcp.CpoResource.planned``);
- **secured**: its regular budget line plus the shares of funded projects (approved and
  funded, ongoing, closed) of their budget in the CPO's biennium;
- **pipeline**: the shares of proposals (proposal, appraised, submitted to a donor);
- **gap**: needed minus secured, never below zero;
- **delivered**: the shares of funded projects' expenditure in the biennium; the delivery
  rate is delivered over the secured projects' budget.

A project's delivery rate is its expenditure over its budget of the year (the current year,
or its last year once it has ended); below ``delivery_threshold()`` it is flagged.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from cooperation.models import (
    HUNDRED,
    PIPELINE_STATES,
    SECURED_STATES,
    Appraisal,
    CpoLink,
    Donor,
    DonorContribution,
    Project,
    ProjectStatus,
    ProjectYear,
)
from dwcp.models import CountryProgrammeOutcome, CpoResource
from rbm.models import Biennium, FundingSource, Region
from rbm.permissions import AnyUser, role_of

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=20, decimal_places=4)


def delivery_threshold() -> Decimal:
    """Below this delivery rate (expenditure over the year's budget) a project is flagged."""
    return Decimal(str(getattr(settings, "COOPERATION_DELIVERY_THRESHOLD", "0.60")))


def cents(value: Decimal | None) -> Decimal:
    return (value or ZERO).quantize(CENT, rounding=ROUND_HALF_UP)


def rate(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    """A ratio to four places, or None when there is nothing to divide by."""
    if not denominator:
        return None
    return (numerator / denominator).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


# Who sees what -----------------------------------------------------------------------------


def public_filter(prefix: str = "") -> Q:
    """Projects the public reads: approved (funded and later), serving a CPO of a published
    programme."""
    published = CpoLink.objects.filter(project=OuterRef("pk"), cpo__programme__published=True)
    return Q(**{f"{prefix}status__in": SECURED_STATES}) & Q(Exists(published))


def visible_projects(user: AnyUser | None) -> QuerySet[Project]:
    """Staff read every project; the public the approved projects of published DWCPs."""
    projects = Project.objects.all()
    if role_of(user) == "public":
        projects = projects.filter(public_filter())
    return projects


# The list and the page ---------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectFilters:
    status: str = ""
    region: int | None = None
    donor: int | None = None
    funding_kind: str = ""
    geography: str = ""
    country: int | None = None
    office: int | None = None
    outside_dwcp: bool = False
    query: str = ""


def project_list(user: AnyUser | None, filters: ProjectFilters | None = None) -> QuerySet[Project]:
    """The projects the user reads, filtered, with what the list shows: region, office, the
    total budget and contributions (subqueries, no join fan-out), the donors (prefetched)."""
    filters = filters or ProjectFilters()
    projects = visible_projects(user)
    if filters.status:
        projects = projects.filter(status=filters.status)
    if filters.region:
        projects = projects.filter(region_id=filters.region)
    if filters.funding_kind:
        projects = projects.filter(funding_kind=filters.funding_kind)
    if filters.geography:
        projects = projects.filter(geography=filters.geography)
    if filters.office:
        projects = projects.filter(office_id=filters.office)
    if filters.country:
        projects = projects.filter(
            Exists(
                Project.countries.through.objects.filter(
                    project=OuterRef("pk"), country_id=filters.country
                )
            )
        )
    if filters.donor:
        projects = projects.filter(
            Exists(DonorContribution.objects.filter(project=OuterRef("pk"), donor_id=filters.donor))
        )
    if filters.outside_dwcp:
        projects = projects.exclude(Exists(CpoLink.objects.filter(project=OuterRef("pk"))))
    if filters.query:
        projects = projects.filter(
            Q(code__icontains=filters.query) | Q(title__icontains=filters.query)
        )
    budget = (
        ProjectYear.objects.filter(project=OuterRef("pk"))
        .values("project")
        .annotate(total=Sum("budget"))
        .values("total")
    )
    contributed = (
        DonorContribution.objects.filter(project=OuterRef("pk"))
        .values("project")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return (
        projects.select_related("region", "office")
        .annotate(
            budget_total=Coalesce(Subquery(budget), Value(ZERO), output_field=MONEY),
            contributed_total=Coalesce(Subquery(contributed), Value(ZERO), output_field=MONEY),
        )
        .prefetch_related(
            Prefetch(
                "contributions",
                queryset=DonorContribution.objects.select_related("donor").order_by(
                    "-amount", "pk"
                ),
            )
        )
        .order_by("code")
    )


def year_of_delivery(project: Project, today: datetime.date | None = None) -> int:
    """The year whose delivery counts: this year, or the project's last year once ended (its
    first before it starts)."""
    year = (today or timezone.localdate()).year
    return max(min(year, project.end_date.year), project.start_date.year)


@dataclass
class Delivery:
    year: int
    budget: Decimal
    expenditure: Decimal
    rate: Decimal | None
    under: bool


def deliveries(
    projects: Iterable[Project], today: datetime.date | None = None
) -> dict[int, Delivery]:
    """Each project's delivery of its year, in one query."""
    projects = list(projects)
    wanted = {p.pk: year_of_delivery(p, today) for p in projects}
    if not wanted:
        return {}
    rows = ProjectYear.objects.filter(project_id__in=wanted).filter(
        Q(*[Q(project_id=pk, year=year) for pk, year in wanted.items()], _connector=Q.OR)
    )
    found = {row.project_id: row for row in rows}
    threshold = delivery_threshold()
    result = {}
    for project in projects:
        row = found.get(project.pk)
        budget = row.budget if row else ZERO
        spent = row.expenditure if row else ZERO
        ratio = rate(spent, budget)
        active = project.status in (ProjectStatus.ONGOING, ProjectStatus.FUNDED)
        result[project.pk] = Delivery(
            year=wanted[project.pk],
            budget=budget,
            expenditure=spent,
            rate=ratio,
            under=active and ratio is not None and ratio < threshold,
        )
    return result


def project_detail(user: AnyUser | None, pk: int) -> Project:
    """One project with its parts (raises Project.DoesNotExist when the user may not read
    it: a 404)."""
    return (
        visible_projects(user)
        .select_related("region", "office", "technical_unit")
        .prefetch_related(
            "countries",
            Prefetch("contributions", queryset=DonorContribution.objects.select_related("donor")),
            Prefetch("years_set", queryset=ProjectYear.objects.order_by("year")),
            Prefetch(
                "cpo_links",
                queryset=CpoLink.objects.select_related(
                    "cpo__programme__country", "cpo__outcome", "biennium", "serviced_by"
                ).annotate(published=F("cpo__programme__published")),
            ),
        )
        .get(pk=pk)
    )


def project_appraisal(project: Project) -> Appraisal | None:
    return (
        Appraisal.objects.select_related("appraised_by")
        .prefetch_related("priorities")
        .filter(project=project)
        .first()
    )


def project_link_amounts(project: Project) -> dict[int, Decimal]:
    """Each link's amount: its share of the project's budget in the CPO's biennium."""
    years = {row.year: row.budget for row in project.years_set.all()}
    amounts = {}
    for link in project.cpo_links.all():
        budget = sum(
            (years.get(y, ZERO) for y in (link.biennium.start_year, link.biennium.end_year)), ZERO
        )
        amounts[link.pk] = cents(budget * link.share / HUNDRED)
    return amounts


def donors() -> QuerySet[Donor]:
    return Donor.objects.select_related("country").order_by("name")


# Funding arithmetic ------------------------------------------------------------------------


@dataclass
class Funding:
    """Money of one CPO, or summed over several (USD, to the cent)."""

    needed: Decimal = ZERO
    regular_budget: Decimal = ZERO
    projects_secured: Decimal = ZERO
    pipeline: Decimal = ZERO
    delivered: Decimal = ZERO
    cpos: int = 0
    cpos_with_gap_no_proposal: int = 0

    @property
    def secured(self) -> Decimal:
        return self.regular_budget + self.projects_secured

    @property
    def gap(self) -> Decimal:
        return max(self.needed - self.secured, ZERO)

    @property
    def delivery_rate(self) -> Decimal | None:
        return rate(self.delivered, self.projects_secured)

    @property
    def gap_after_pipeline(self) -> Decimal:
        return max(self.gap - self.pipeline, ZERO)

    def add(self, other: Funding) -> None:
        self.needed += other.needed
        self.regular_budget += other.regular_budget
        self.projects_secured += other.projects_secured
        self.pipeline += other.pipeline
        self.delivered += other.delivered
        self.cpos += other.cpos
        self.cpos_with_gap_no_proposal += other.cpos_with_gap_no_proposal

    def as_dict(self) -> dict[str, Any]:
        return {
            "needed": self.needed,
            "regular_budget": self.regular_budget,
            "projects_secured": self.projects_secured,
            "secured": self.secured,
            "pipeline": self.pipeline,
            "gap": self.gap,
            "delivered": self.delivered,
            "delivery_rate": self.delivery_rate,
        }


def _in_biennium(prefix: str = "") -> Q:
    """A link joined to its project's years of the link's biennium (one join, one filter)."""
    return Q(
        **{
            f"{prefix}project__years_set__year__gte": F(f"{prefix}biennium__start_year"),
            f"{prefix}project__years_set__year__lte": F(f"{prefix}biennium__end_year"),
        }
    )


def _link_sums(links: QuerySet[CpoLink], *group: str) -> list[dict[str, Any]]:
    """The links' amounts grouped by ``group`` and the project's state: budget and
    expenditure shares of the biennium (exact numeric sums; the share divided at the end)."""
    return list(
        links.filter(_in_biennium())
        .values(*group, "project__status")
        .annotate(
            budget=Sum(F("share") * F("project__years_set__budget"), output_field=MONEY),
            spent=Sum(F("share") * F("project__years_set__expenditure"), output_field=MONEY),
        )
        .order_by()
    )


def _add_links(funding: Funding, row: dict[str, Any]) -> None:
    budget = (row["budget"] or ZERO) / HUNDRED
    spent = (row["spent"] or ZERO) / HUNDRED
    if row["project__status"] in SECURED_STATES:
        funding.projects_secured += budget
        funding.delivered += spent
    elif row["project__status"] in PIPELINE_STATES:
        funding.pipeline += budget


def _rounded(funding: Funding) -> Funding:
    for name in ("needed", "regular_budget", "projects_secured", "pipeline", "delivered"):
        setattr(funding, name, cents(getattr(funding, name)))
    return funding


def cpo_funding(cpo_ids: Iterable[int]) -> dict[int, Funding]:
    """Each CPO's money, in two queries whatever their number."""
    ids = list(cpo_ids)
    result: dict[int, Funding] = {pk: Funding(cpos=1) for pk in ids}
    if not ids:
        return result
    plan = (
        CpoResource.objects.filter(cpo_id__in=ids)
        .values("cpo_id")
        .annotate(
            needed=Sum("planned"),
            rb=Coalesce(Sum("planned", filter=Q(funding_source__code="RB")), Value(ZERO)),
        )
        .order_by()
    )
    for row in plan:
        result[row["cpo_id"]].needed = row["needed"]
        result[row["cpo_id"]].regular_budget = row["rb"]
    for link_row in _link_sums(CpoLink.objects.filter(cpo_id__in=ids), "cpo_id"):
        _add_links(result[link_row["cpo_id"]], link_row)
    for funding in result.values():
        _rounded(funding)
        if funding.gap and not funding.pipeline:
            funding.cpos_with_gap_no_proposal = 1
    return result


def cpo_projects(cpo_id: int, user: AnyUser | None) -> list[dict[str, Any]]:
    """The projects serving a CPO (those the user reads), with their share and amount."""
    links = (
        CpoLink.objects.filter(cpo_id=cpo_id, project__in=visible_projects(user))
        .filter(_in_biennium())
        .values("project_id", "project__code", "project__title", "project__status", "share")
        .annotate(
            budget=Sum(F("share") * F("project__years_set__budget"), output_field=MONEY),
            spent=Sum(F("share") * F("project__years_set__expenditure"), output_field=MONEY),
        )
        .order_by("project__code")
    )
    labels = dict(ProjectStatus.choices)
    return [
        {
            "id": row["project_id"],
            "code": row["project__code"],
            "title": row["project__title"],
            "status": row["project__status"],
            "status_label": labels.get(row["project__status"], row["project__status"]),
            "share": row["share"],
            "amount": cents((row["budget"] or ZERO) / HUNDRED),
            "delivered": cents((row["spent"] or ZERO) / HUNDRED),
            "secured": row["project__status"] in SECURED_STATES,
        }
        for row in links
    ]


def grouped_funding(where: dict[str, Any], *group: str) -> dict[tuple[Any, ...], Funding]:
    """The money of the CPOs matching ``where`` (CPO lookups, e.g. ``biennium_id``,
    ``programme__country__region_id``) summed by ``group`` (CPO fields such as
    ``outcome_id``), in four queries. The resources and links are filtered through their
    own join to the CPOs (not ``cpo__in`` a subquery), the regular budget by its id."""
    result: dict[tuple[Any, ...], Funding] = defaultdict(Funding)
    through = {f"cpo__{key}": value for key, value in where.items()}
    counts = (
        CountryProgrammeOutcome.objects.filter(**where)
        .values(*group)
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in counts:
        result[tuple(row[g] for g in group)].cpos = row["n"]
    regular = FundingSource.objects.filter(code="RB").values_list("pk", flat=True).first()
    plan = (
        CpoResource.objects.filter(**through)
        .values(*(f"cpo__{g}" for g in group))
        .annotate(
            needed=Sum("planned"),
            rb=Coalesce(Sum("planned", filter=Q(funding_source_id=regular)), Value(ZERO)),
        )
        .order_by()
    )
    for row in plan:
        funding = result[tuple(row[f"cpo__{g}"] for g in group)]
        funding.needed += row["needed"]
        funding.regular_budget += row["rb"]
    for row in _link_sums(CpoLink.objects.filter(**through), *(f"cpo__{g}" for g in group)):
        _add_links(result[tuple(row[f"cpo__{g}"] for g in group)], row)
    for funding in result.values():
        _rounded(funding)
    return dict(result)


def gaps_without_proposal(
    cpos: QuerySet[CountryProgrammeOutcome], limit: int = 50
) -> tuple[list[CountryProgrammeOutcome], int]:
    """CPOs with a funding gap and no proposal in the pipeline: (the first ``limit``, how
    many). Counted in the database: needed above secured, no pipeline link."""
    needed = (
        CpoResource.objects.filter(cpo=OuterRef("pk"))
        .values("cpo")
        .annotate(total=Sum("planned"))
        .values("total")
    )
    rb = (
        CpoResource.objects.filter(cpo=OuterRef("pk"), funding_source__code="RB")
        .values("cpo")
        .annotate(total=Sum("planned"))
        .values("total")
    )
    secured_links = (
        CpoLink.objects.filter(cpo=OuterRef("pk"), project__status__in=SECURED_STATES)
        .filter(_in_biennium())
        .values("cpo")
        .annotate(
            total=Sum(F("share") * F("project__years_set__budget") / HUNDRED, output_field=MONEY)
        )
        .values("total")
    )
    pipeline = CpoLink.objects.filter(cpo=OuterRef("pk"), project__status__in=PIPELINE_STATES)
    rows = (
        cpos.annotate(
            needed=Coalesce(Subquery(needed), Value(ZERO), output_field=MONEY),
            secured=Coalesce(Subquery(rb), Value(ZERO), output_field=MONEY)
            + Coalesce(Subquery(secured_links), Value(ZERO), output_field=MONEY),
        )
        .filter(needed__gt=F("secured"))
        .exclude(Exists(pipeline))
        .select_related("programme__country", "outcome", "biennium")
        .order_by("programme__country__name", "code")
    )
    return list(rows[:limit]), rows.count()


# Views of the money: DWCP, region, outcome, resource mobilization --------------------------


def programme_funding(programme_id: int) -> list[tuple[Biennium, Funding]]:
    """A programme's money by biennium."""
    grouped = grouped_funding({"programme_id": programme_id}, "biennium_id")
    bienniums = Biennium.objects.in_bulk([key[0] for key in grouped])
    return sorted(
        ((bienniums[key[0]], funding) for key, funding in grouped.items()),
        key=lambda item: item[0].start_year,
    )


@dataclass
class OutcomeLine:
    outcome: Any
    funding: Funding


@dataclass
class RegionFunding:
    region: Region
    biennium: Biennium
    outcomes: list[OutcomeLine] = field(default_factory=list)
    total: Funding = field(default_factory=Funding)


def region_funding(region: Region, biennium: Biennium) -> RegionFunding:
    """The funding gap of a region in a biennium, by P&B outcome."""
    from strategic_plans.models import Outcome

    grouped = grouped_funding(
        {"biennium_id": biennium.pk, "programme__country__region_id": region.pk}, "outcome_id"
    )
    outcomes = Outcome.objects.in_bulk([key[0] for key in grouped])
    view = RegionFunding(region=region, biennium=biennium)
    for (outcome_id,), funding in sorted(
        grouped.items(), key=lambda item: (outcomes[item[0][0]].position, outcomes[item[0][0]].code)
    ):
        view.outcomes.append(OutcomeLine(outcomes[outcome_id], funding))
        view.total.add(funding)
    return view


def outcome_resources_by_region(outcome_id: int, biennium_id: int) -> list[tuple[Region, Funding]]:
    """An outcome's extra-budgetary resources by region, computed from projects: for the
    workplan page (every region listed, zeros included)."""
    grouped = grouped_funding(
        {"outcome_id": outcome_id, "biennium_id": biennium_id}, "programme__country__region_id"
    )
    return [(region, grouped.get((region.pk,), Funding())) for region in Region.objects.all()]


def ending_within(days: int = 365, today: datetime.date | None = None) -> QuerySet[Project]:
    today = today or timezone.localdate()
    return (
        Project.objects.filter(
            status__in=(ProjectStatus.FUNDED, ProjectStatus.ONGOING),
            end_date__gte=today,
            end_date__lte=today + datetime.timedelta(days=days),
        )
        .select_related("office", "region")
        .order_by("end_date", "code")
    )


def pipeline_by(biennium: Biennium) -> dict[str, list[dict[str, Any]]]:
    """The pipeline (proposals' shares of their budget in the biennium) by donor, outcome and
    region; a project of several donors counts under each in proportion to its
    contributions."""
    from strategic_plans.models import Outcome

    links = CpoLink.objects.filter(biennium=biennium, project__status__in=PIPELINE_STATES)
    by_outcome = _link_sums(links, "cpo__outcome_id")
    by_region = _link_sums(links, "cpo__programme__country__region_id")
    by_project = {
        row["project_id"]: row["budget"] / HUNDRED for row in _link_sums(links, "project_id")
    }
    shares: dict[int, Decimal] = defaultdict(Decimal)
    contributions = DonorContribution.objects.filter(project_id__in=by_project).values(
        "project_id", "donor_id", "amount"
    )
    per_project: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    for row in contributions:
        per_project[row["project_id"]].append((row["donor_id"], row["amount"]))
    unassigned = ZERO
    for project_id, amount in by_project.items():
        given = per_project.get(project_id, [])
        total = sum((a for _d, a in given), ZERO)
        if not total:
            unassigned += amount
            continue
        for donor_id, contribution in given:
            shares[donor_id] += amount * contribution / total
    donors_ = Donor.objects.in_bulk(list(shares))
    outcomes = Outcome.objects.in_bulk([row["cpo__outcome_id"] for row in by_outcome])
    regions = Region.objects.in_bulk(
        [row["cpo__programme__country__region_id"] for row in by_region]
    )
    donor_rows = [{"label": donors_[pk].name, "amount": cents(v)} for pk, v in shares.items()]
    if unassigned:
        donor_rows.append({"label": None, "amount": cents(unassigned)})
    return {
        "donor": sorted(donor_rows, key=lambda r: -r["amount"]),
        "outcome": sorted(
            (
                {
                    "label": str(outcomes[r["cpo__outcome_id"]]),
                    "amount": cents(r["budget"] / HUNDRED),
                }
                for r in by_outcome
            ),
            key=lambda r: -r["amount"],
        ),
        "region": sorted(
            (
                {
                    "label": regions[r["cpo__programme__country__region_id"]].label,
                    "amount": cents(r["budget"] / HUNDRED),
                }
                for r in by_region
            ),
            key=lambda r: -r["amount"],
        ),
    }


def outside_dwcp_count(biennium: Biennium | None = None) -> int:
    """Proposals and projects (not dropped) that serve no CPO: outside every DWCP. With a
    biennium: those whose dates overlap it."""
    projects = Project.objects.exclude(status=ProjectStatus.DROPPED).exclude(
        Exists(CpoLink.objects.filter(project=OuterRef("pk")))
    )
    if biennium is not None:
        projects = projects.filter(
            start_date__year__lte=biennium.end_year, end_date__year__gte=biennium.start_year
        )
    return projects.count()


# The implementation report's resources section ---------------------------------------------


def report_resources(
    outcome_ids: Iterable[int], biennium_id: int, region_ids: Iterable[int] | None = None
) -> dict[str, Any]:
    """Resources from projects for the implementation report, batched over the outcomes:
    per outcome (by id) and region (by code), needed, secured, pipeline, delivered and the
    gap, and each outcome's total (JSON-ready: amounts as strings); and the count of
    projects and proposals of the biennium outside every DWCP. Four queries for the money
    whatever the number of outcomes, one for the count."""
    where: dict[str, Any] = {"biennium_id": biennium_id, "outcome_id__in": list(outcome_ids)}
    if region_ids is not None:
        where["programme__country__region_id__in"] = list(region_ids)
    grouped = grouped_funding(where, "outcome_id", "programme__country__region_id")
    regions = {r.pk: r for r in Region.objects.all()}
    outcomes: dict[int, Any] = {}
    for (outcome_id, region_id), funding in sorted(
        grouped.items(), key=lambda item: (item[0][0], regions[item[0][1]].position)
    ):
        entry = outcomes.setdefault(outcome_id, {"regions": {}, "total": Funding()})
        entry["regions"][regions[region_id].code] = _json(funding)
        entry["total"].add(funding)
    for entry in outcomes.values():
        entry["total"] = _json(entry["total"])
    biennium = Biennium.objects.get(pk=biennium_id)
    return {"outcomes": outcomes, "outside_dwcp": outside_dwcp_count(biennium)}


def report_projects(
    outcome_ids: Iterable[int], biennium_id: int, region_ids: Iterable[int] | None = None
) -> list[dict[str, Any]]:
    """The approved projects serving CPOs of the report (biennium, outcomes and regions in
    scope), with what the IATI export writes of them, in a fixed number of queries:
    JSON-ready, ordered by code."""
    links = CpoLink.objects.filter(
        biennium_id=biennium_id,
        cpo__outcome_id__in=list(outcome_ids),
        project__status__in=SECURED_STATES,
    )
    if region_ids is not None:
        links = links.filter(cpo__programme__country__region_id__in=list(region_ids))
    project_ids = links.values("project_id")
    projects = (
        Project.objects.filter(pk__in=project_ids)
        .select_related("office", "region")
        .prefetch_related(
            "countries",
            Prefetch("contributions", queryset=DonorContribution.objects.select_related("donor")),
            Prefetch("years_set", queryset=ProjectYear.objects.order_by("year")),
            Prefetch(
                "cpo_links",
                queryset=CpoLink.objects.filter(biennium_id=biennium_id)
                .select_related("cpo__outcome", "cpo__programme__country")
                .order_by("cpo__code"),
            ),
        )
        .order_by("code")
    )
    return [
        {
            "code": p.code,
            "title": p.title,
            "summary": p.summary,
            "status": p.status,
            "funding_kind": p.funding_kind,
            "geography": p.geography,
            "region": p.region.code if p.region else None,
            "countries": [[c.alpha2, c.name] for c in p.countries.all()],
            "office": p.office.name,
            "start_date": p.start_date.isoformat(),
            "end_date": p.end_date.isoformat(),
            "donors": [
                {
                    "name": c.donor.name,
                    "iati_org_id": c.donor.iati_org_id,
                    "kind": c.donor.kind,
                    "amount": str(c.amount),
                }
                for c in p.contributions.all()
            ],
            "years": [
                {
                    "year": y.year,
                    "budget": str(y.budget),
                    "disbursed": str(y.disbursed),
                    "expenditure": str(y.expenditure),
                }
                for y in p.years_set.all()
            ],
            "cpos": [
                {
                    "code": link.cpo.code,
                    "title": link.cpo.title,
                    "outcome": link.cpo.outcome.code,
                    "country": link.cpo.programme.country.alpha3,
                    "share": str(link.share),
                    "targeted": link.cpo.targeted,
                }
                for link in p.cpo_links.all()
            ],
        }
        for p in projects
    ]


def _json(funding: Funding) -> dict[str, str]:
    return {
        "needed": str(funding.needed),
        "secured": str(funding.secured),
        "pipeline": str(funding.pipeline),
        "delivered": str(funding.delivered),
        "gap": str(funding.gap),
    }


def cpos_by_code(keys: Iterable[tuple[str, int]]) -> dict[tuple[str, int], CountryProgrammeOutcome]:
    """CPOs by (code, biennium id), with what the link checks read, in one query."""
    keys = list(keys)
    if not keys:
        return {}
    wanted = Q(*[Q(code=code, biennium_id=biennium) for code, biennium in keys], _connector=Q.OR)
    cpos = CountryProgrammeOutcome.objects.filter(wanted).select_related(
        "programme__country", "biennium"
    )
    return {(cpo.code, cpo.biennium_id): cpo for cpo in cpos}


def latest_biennium_id() -> int | None:
    """The latest biennium any CPO belongs to."""
    return (
        CountryProgrammeOutcome.objects.order_by("-biennium__start_year")
        .values_list("biennium_id", flat=True)
        .first()
    )


def biennium_cpos(
    biennium: Biennium, region: Region | None = None
) -> QuerySet[CountryProgrammeOutcome]:
    cpos = CountryProgrammeOutcome.objects.filter(biennium=biennium)
    if region is not None:
        cpos = cpos.filter(programme__country__region=region)
    return cpos


def cpos_in_bulk(ids: Iterable[int]) -> dict[int, CountryProgrammeOutcome]:
    """CPOs by id, with what the link checks read, in one query."""
    return CountryProgrammeOutcome.objects.select_related("programme__country", "biennium").in_bulk(
        list(ids)
    )


def project_export(
    user: AnyUser | None, filters: ProjectFilters | None = None
) -> QuerySet[Project]:
    """The projects of the workbook with every part, in a fixed number of queries."""
    return (
        project_list(user, filters)
        .prefetch_related(
            "countries",
            Prefetch("years_set", queryset=ProjectYear.objects.order_by("year")),
            Prefetch("cpo_links", queryset=CpoLink.objects.select_related("cpo", "biennium")),
        )
        .select_related("technical_unit")
    )


# The API's project list, read as rows -------------------------------------------------------


def project_rows(ids: list[int]) -> list[dict[str, Any]]:
    """The projects ``ids`` as the API writes them, in the order of ``ids``: five queries of
    plain rows (no model instances), whatever the page size."""
    if not ids:
        return []
    base = {
        row["id"]: row
        for row in Project.objects.filter(pk__in=ids).values(
            "id",
            "code",
            "title",
            "summary",
            "funding_kind",
            "geography",
            "start_date",
            "end_date",
            "status",
            "version",
            region_code=F("region__code"),
            office_code=F("office__code"),
            unit_code=F("technical_unit__code"),
        )
    }
    parts: dict[str, dict[int, list[Any]]] = {
        "countries": defaultdict(list),
        "contributions": defaultdict(list),
        "years": defaultdict(list),
        "cpo_links": defaultdict(list),
    }
    for project_id, alpha3 in (
        Project.countries.through.objects.filter(project_id__in=ids)
        .order_by("country__name")
        .values_list("project_id", "country__alpha3")
    ):
        parts["countries"][project_id].append(alpha3)
    for project_id, donor, amount in (
        DonorContribution.objects.filter(project_id__in=ids)
        .order_by("-amount", "pk")
        .values_list("project_id", "donor__code", "amount")
    ):
        parts["contributions"][project_id].append({"donor": donor, "amount": str(amount)})
    for project_id, year, budget, disbursed, spent in (
        ProjectYear.objects.filter(project_id__in=ids)
        .order_by("year")
        .values_list("project_id", "year", "budget", "disbursed", "expenditure")
    ):
        parts["years"][project_id].append(
            {
                "year": year,
                "budget": str(budget),
                "disbursed": str(disbursed),
                "expenditure": str(spent),
            }
        )
    for project_id, cpo_id, code, start, share in (
        CpoLink.objects.filter(project_id__in=ids)
        .order_by("biennium__start_year", "cpo__code")
        .values_list("project_id", "cpo_id", "cpo__code", "biennium__start_year", "share")
    ):
        parts["cpo_links"][project_id].append(
            {
                "cpo": cpo_id,
                "cpo_code": code,
                "biennium": Biennium.format_code(start, start + 1),
                "share": str(share),
            }
        )
    rows = []
    for pk in ids:
        row = base[pk]
        rows.append(
            {
                "id": pk,
                "code": row["code"],
                "title": row["title"],
                "summary": row["summary"],
                "funding_kind": row["funding_kind"],
                "geography": row["geography"],
                "countries": parts["countries"][pk],
                "region": row["region_code"],
                "office": row["office_code"],
                "technical_unit": row["unit_code"],
                "start_date": row["start_date"].isoformat(),
                "end_date": row["end_date"].isoformat(),
                "status": row["status"],
                "version": row["version"],
                "contributions": parts["contributions"][pk],
                "years": parts["years"][pk],
                "cpo_links": parts["cpo_links"][pk],
            }
        )
    return rows

"""Reads of country programmes, outcomes and progress, filtered as ``dwcp.permissions`` says
and planned to a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from dwcp.models import (
    CountryProgrammeOutcome,
    CountryProgrammePriority,
    CpoImport,
    CpoResource,
    DecentWorkCountryProgramme,
    Milestone,
    ProgressReport,
    ProgressReview,
    ReviewAction,
    ReviewState,
    TripartiteParty,
)
from dwcp.permissions import ADMIN, FIELD, HQ_ROLES, REGIONAL
from rbm.audit import HistoryEntry, history_entries
from rbm.models import Biennium, Country, FundingSource, Office, User
from rbm.paging import GroupedSlices, Row
from rbm.permissions import AnyUser, can, office_country_ids, role_of
from strategic_plans.models import Indicator, Outcome

ZERO = Decimal("0.00")


def programme_scope(user: AnyUser | None, prefix: str = "") -> Q:
    """Which programmes ``user`` may read, as a filter (``prefix`` for related lookups)."""
    role = role_of(user)
    published = Q(**{f"{prefix}published": True})
    if role in HQ_ROLES or role in ADMIN:
        return Q()
    if role in FIELD:
        assert isinstance(user, User)
        return published | Q(**{f"{prefix}country_id__in": office_country_ids(user)})
    if role in REGIONAL:
        assert isinstance(user, User)
        return published | Q(**{f"{prefix}country__region_id": user.region_id})
    return published


def report_scope(user: AnyUser | None) -> Q:
    """Which progress reports ``user`` may read."""
    role = role_of(user)
    public = Q(review_state=ReviewState.VALIDATED, cpo__programme__published=True)
    if role in ADMIN:
        return Q()
    if role in HQ_ROLES:
        return public | ~Q(review_state=ReviewState.DRAFT)
    if role in FIELD:
        assert isinstance(user, User)
        return public | Q(cpo__programme__country_id__in=office_country_ids(user))
    if role in REGIONAL:
        assert isinstance(user, User)
        return public | (
            ~Q(review_state=ReviewState.DRAFT)
            & Q(cpo__programme__country__region_id=user.region_id)
        )
    return public


def visible_programmes(user: AnyUser | None) -> QuerySet[DecentWorkCountryProgramme]:
    return DecentWorkCountryProgramme.objects.filter(programme_scope(user)).select_related(
        "country__region", "office"
    )


def visible_cpos(user: AnyUser | None) -> QuerySet[CountryProgrammeOutcome]:
    return CountryProgrammeOutcome.objects.filter(programme_scope(user, "programme__"))


def visible_reports(user: AnyUser | None) -> QuerySet[ProgressReport]:
    return ProgressReport.objects.filter(report_scope(user))


def visible_imports(user: AnyUser | None) -> QuerySet[CpoImport]:
    """CPO imports, latest first, without their files: the user's own, every one for an
    administrator (``cpo_import.list_all``)."""
    imports = CpoImport.objects.select_related("uploaded_by").defer("content")
    if not can(user, "cpo_import.list_all"):
        imports = imports.filter(uploaded_by_id=getattr(user, "pk", None))
    return imports.order_by("-created_at", "-pk")


def _count_by_programme(
    model: type[CountryProgrammeOutcome] | type[CountryProgrammePriority],
) -> Coalesce:
    """How many rows of ``model`` the programme has, as a scalar subquery."""
    rows = (
        model.objects.filter(programme=OuterRef("pk"))
        .order_by()
        .values("programme")
        .annotate(rows=Count("*"))
        .values("rows")
    )
    return Coalesce(Subquery(rows), 0)


def programme_list(
    user: AnyUser | None, *, office_only: bool = False, filters: dict[str, Any] | None = None
) -> QuerySet[DecentWorkCountryProgramme]:
    # Counted by a subquery each: two counts over joins (CPOs times priorities, made distinct)
    # took 2 s at 600,000 CPOs.
    programmes = visible_programmes(user).annotate(
        cpo_count=_count_by_programme(CountryProgrammeOutcome),
        priority_count=_count_by_programme(CountryProgrammePriority),
    )
    if office_only and isinstance(user, User) and user.office_id:
        programmes = programmes.filter(country_id__in=office_country_ids(user))
    filters = filters or {}
    if filters.get("country"):
        programmes = programmes.filter(country=filters["country"])
    if filters.get("region"):
        programmes = programmes.filter(country__region=filters["region"])
    if filters.get("phase"):
        programmes = programmes.filter(phase=filters["phase"])
    if filters.get("published") in (True, False):
        programmes = programmes.filter(published=filters["published"])
    return programmes.order_by("country__name", "-start_year")


def cpo_list(
    user: AnyUser | None, *, filters: dict[str, Any] | None = None
) -> QuerySet[CountryProgrammeOutcome]:
    """CPOs the user may read with what a list shows, in a fixed number of queries; the money
    totals of a page come from ``cpo_money_totals``."""
    filters = filters or {}
    cpos = visible_cpos(user).select_related(
        "programme__country__region",
        "programme__office",
        "priority",
        "biennium",
        "outcome",
        "indicator",
    )
    if filters.get("office"):
        cpos = cpos.filter(programme__country__offices=filters["office"])
    if filters.get("programme"):
        cpos = cpos.filter(programme=filters["programme"])
    if filters.get("region"):
        cpos = cpos.filter(programme__country__region=filters["region"])
    if filters.get("country"):
        cpos = cpos.filter(programme__country=filters["country"])
    if filters.get("biennium"):
        cpos = cpos.filter(biennium=filters["biennium"])
    if filters.get("outcome"):
        cpos = cpos.filter(outcome=filters["outcome"])
    if filters.get("result_status"):
        cpos = cpos.filter(result_status=filters["result_status"])
    for flag in ("prioritized", "targeted"):
        if filters.get(flag) in (True, False):
            cpos = cpos.filter(**{flag: filters[flag]})
    if filters.get("q"):
        cpos = cpos.filter(Q(code__icontains=filters["q"]) | Q(title__icontains=filters["q"]))
    if filters.get("biennium"):
        # Within one biennium the unique index on (biennium, code) gives the order, without a
        # join and a sort of every CPO of the biennium (200 ms at 100,000 CPOs).
        return cpos.order_by("code", "pk")
    return cpos.order_by("biennium__start_year", "code", "pk")


def cpos_by_biennium(
    cpos: QuerySet[CountryProgrammeOutcome],
    read: Callable[[QuerySet[CountryProgrammeOutcome]], list[Row]],
) -> GroupedSlices[Row]:
    """``cpos`` ordered by biennium (start year) and code, to paginate: counted in one query
    grouped by biennium, each page read by ``read`` from the unique (biennium, code) index of
    the bienniums it spans. Sorting every CPO by its biennium's year took 0.25-0.6 s a page
    at 600,000 CPOs."""
    return GroupedSlices(
        cpos.order_by(),
        group="biennium",
        groups=list(Biennium.objects.order_by("start_year").values_list("pk", flat=True)),
        within=("code", "pk"),
        read=read,
    )


def cpo_money_totals(cpos: list[CountryProgrammeOutcome]) -> None:
    """Set ``planned_total`` and ``spent_total`` on each CPO of a page (one query).

    Summed for the page only: annotating the list's queryset made PostgreSQL add up the
    resources of every listed CPO before taking a page, 4 s for 600,000 CPOs.
    """
    totals = {
        cpo_id: (planned, spent)
        for cpo_id, planned, spent in CpoResource.objects.filter(cpo__in=cpos)
        .order_by()
        .values("cpo_id")
        .annotate(planned=Sum("planned"), spent=Sum("spent"))
        .values_list("cpo_id", "planned", "spent")
    }
    for cpo in cpos:
        planned, spent = totals.get(cpo.pk, (ZERO, ZERO))
        cpo.planned_total = planned  # type: ignore[attr-defined]
        cpo.spent_total = spent  # type: ignore[attr-defined]


@dataclass
class ProgrammeDetail:
    programme: DecentWorkCountryProgramme
    priorities: list[Any]
    cpos: list[CountryProgrammeOutcome]
    funding_sources: list[FundingSource]
    # funding source id -> (planned, spent), over all the programme's CPOs
    resources: dict[int, tuple[Decimal, Decimal]]
    planned_total: Decimal
    spent_total: Decimal
    parties: list[Any]
    reports_by_cpo: dict[int, list[ProgressReport]] = field(default_factory=dict)


def programme_detail(
    programme: DecentWorkCountryProgramme, user: AnyUser | None
) -> ProgrammeDetail:
    cpos = list(
        programme.cpos.select_related("priority", "biennium", "outcome", "indicator")
        .prefetch_related(
            Prefetch("resources", queryset=CpoResource.objects.select_related("funding_source"))
        )
        .order_by("biennium__start_year", "code")
    )
    reports = (
        visible_reports(user)
        .filter(cpo__programme=programme)
        .select_related("period")
        .order_by("period__starts_on")
    )
    by_cpo: dict[int, list[ProgressReport]] = {}
    for report in reports:
        by_cpo.setdefault(report.cpo_id, []).append(report)
    sources = list(FundingSource.objects.all())
    totals: dict[int, tuple[Decimal, Decimal]] = {}
    for cpo in cpos:
        for line in cpo.resources.all():
            planned, spent = totals.get(line.funding_source_id, (ZERO, ZERO))
            totals[line.funding_source_id] = (planned + line.planned, spent + line.spent)
    return ProgrammeDetail(
        programme=programme,
        priorities=list(programme.priorities.all()),
        cpos=cpos,
        funding_sources=sources,
        resources=totals,
        planned_total=sum((v[0] for v in totals.values()), ZERO),
        spent_total=sum((v[1] for v in totals.values()), ZERO),
        parties=list(programme.parties.all()),
        reports_by_cpo=by_cpo,
    )


def cpo_reports(cpo: CountryProgrammeOutcome, user: AnyUser | None) -> list[ProgressReport]:
    return list(
        visible_reports(user)
        .filter(cpo=cpo)
        .select_related("period", "submitted_by", "validated_by")
        .prefetch_related(
            Prefetch("reviews", queryset=ProgressReview.objects.select_related("actor"))
        )
        .order_by("period__starts_on")
    )


def validation_queue(user: User) -> QuerySet[ProgressReport]:
    """Submitted reports the user may validate: their region's (everything for administrators)."""
    reports = ProgressReport.objects.filter(review_state=ReviewState.SUBMITTED).select_related(
        "cpo__programme__country__region",
        "cpo__programme__office",
        "cpo__outcome",
        "cpo__indicator",
        "period",
        "submitted_by",
    )
    role = role_of(user)
    # Oldest first, read from the partial index progress_submitted_queue.
    if role in ADMIN:
        return reports.order_by("submitted_at", "pk")
    if role in REGIONAL and user.region_id is not None:
        return reports.filter(cpo__programme__country__region_id=user.region_id).order_by(
            "submitted_at", "pk"
        )
    return reports.none()


def validated_result_exists(biennium: Biennium | None = None) -> Exists:
    """Annotation: the CPO has a validated report that claims a result.

    With ``biennium`` (when every CPO in the query is of that biennium), PostgreSQL reads
    only that biennium's claims, from the partial index ``progress_validated_claims``.
    """
    reports = ProgressReport.objects.filter(
        cpo=OuterRef("pk"), review_state=ReviewState.VALIDATED, result_claimed=True
    )
    if biennium is not None:
        reports = reports.filter(period__biennium=biennium)
    return Exists(reports)


# Reads for the pages ----------------------------------------------------------------------


def countries_for_new_programme(user: AnyUser | None) -> list[Country]:
    """Countries ``user`` may start a programme for; the permission table decides."""
    if can(user, "dwcp.create"):
        candidates = Country.objects.all()
    elif isinstance(user, User) and office_country_ids(user):
        candidates = Country.objects.filter(pk__in=office_country_ids(user))
    else:
        return []
    return [
        country
        for country in candidates.select_related("region").order_by("name")
        if can(user, "dwcp.create", country)
    ]


def offices_covering(countries: list[Country]) -> list[Office]:
    """Offices that cover at least one of ``countries`` (the responsible office's choices)."""
    return list(
        Office.objects.filter(countries__in=[c.pk for c in countries]).distinct().order_by("name")
    )


@dataclass
class CpoChoices:
    """What the CPO form of a programme offers."""

    priorities: list[Any]
    bienniums: list[Biennium]
    outcomes: list[Outcome]
    indicators: list[Indicator]
    # outcome id -> ids of the offered bienniums whose programme and budget holds the outcome
    outcome_bienniums: dict[int, list[int]]


def cpo_form_choices(
    programme: DecentWorkCountryProgramme, current: CountryProgrammeOutcome | None = None
) -> CpoChoices:
    """Bienniums with a programme and budget inside the programme's period, the outcomes of
    their frameworks and those outcomes' indicators (the CPO being edited keeps its own)."""
    bienniums = list(
        Biennium.objects.filter(
            programme__isnull=False,
            start_year__lte=programme.end_year,
            end_year__gte=programme.start_year,
        )
        .select_related("programme")
        .order_by("start_year")
    )
    plan_bienniums: dict[int, list[int]] = {}
    for biennium in bienniums:
        plan_bienniums.setdefault(biennium.programme.plan_id, []).append(biennium.pk)
    outcome_filter = Q(objective__plan_id__in=list(plan_bienniums))
    if current is not None:
        outcome_filter |= Q(pk=current.outcome_id)
        if current.biennium_id not in [b.pk for b in bienniums]:
            bienniums.append(current.biennium)
    outcomes = list(
        Outcome.objects.filter(outcome_filter)
        .select_related("objective__plan")
        .order_by("objective__plan__start_year", "objective__number", "position", "code")
    )
    indicators = list(
        Indicator.objects.filter(outcome__in=[o.pk for o in outcomes])
        .select_related("outcome")
        .order_by("outcome__position", "outcome__code", "position", "code")
    )
    return CpoChoices(
        priorities=list(programme.priorities.order_by("number")),
        bienniums=bienniums,
        outcomes=outcomes,
        indicators=indicators,
        outcome_bienniums={o.pk: plan_bienniums.get(o.objective.plan_id, []) for o in outcomes},
    )


def _history_ids(model: type[models.Model], **lookup: Any) -> list[int]:
    """Ids of the rows that ever matched ``lookup``, deleted ones included (from history)."""
    history = model.history  # type: ignore[attr-defined]
    return list(history.filter(**lookup).values_list("id", flat=True).distinct())


def programme_history(detail: ProgrammeDetail) -> list[HistoryEntry]:
    """Changes to the programme and everything in it that the page shows."""
    programme = detail.programme
    cpo_ids = [cpo.pk for cpo in detail.cpos]
    return history_entries(
        [
            (DecentWorkCountryProgramme, [programme.pk]),
            (TripartiteParty, _history_ids(TripartiteParty, programme_id=programme.pk)),
            (
                CountryProgrammePriority,
                _history_ids(CountryProgrammePriority, programme_id=programme.pk),
            ),
            (CountryProgrammeOutcome, cpo_ids),
            (Milestone, _history_ids(Milestone, cpo_id__in=cpo_ids) if cpo_ids else []),
            (CpoResource, _history_ids(CpoResource, cpo_id__in=cpo_ids) if cpo_ids else []),
            (
                ProgressReport,
                [report.pk for reports in detail.reports_by_cpo.values() for report in reports],
            ),
        ]
    )


def cpo_history(cpo: CountryProgrammeOutcome, reports: list[ProgressReport]) -> list[HistoryEntry]:
    return history_entries(
        [
            (CountryProgrammeOutcome, [cpo.pk]),
            (Milestone, _history_ids(Milestone, cpo_id=cpo.pk)),
            (CpoResource, _history_ids(CpoResource, cpo_id=cpo.pk)),
            (ProgressReport, [report.pk for report in reports]),
        ]
    )


def programme_filter_countries(user: AnyUser | None) -> list[Country]:
    """Countries that have a programme ``user`` may read (the list's country filter)."""
    return list(
        Country.objects.filter(pk__in=visible_programmes(user).values("country_id")).order_by(
            "name"
        )
    )


def cpo_detail(pk: int) -> CountryProgrammeOutcome:
    """A CPO with what its page shows (milestones, resources), or DoesNotExist."""
    return (
        CountryProgrammeOutcome.objects.select_related(
            "programme__country__region",
            "programme__office",
            "priority",
            "biennium",
            "outcome__objective__plan",
            "indicator",
        )
        .prefetch_related(
            "milestones",
            Prefetch("resources", queryset=CpoResource.objects.select_related("funding_source")),
        )
        .get(pk=pk)
    )


def may_create_programme(user: AnyUser | None) -> bool:
    """Whether ``user`` may start a programme for at least one country."""
    return can(user, "dwcp.create") or bool(countries_for_new_programme(user))


def last_return(report: ProgressReport) -> ProgressReview | None:
    """The step that returned a report for revision (who, when, comment), if it is returned."""
    if report.review_state != ReviewState.RETURNED:
        return None
    return (
        report.reviews.filter(action=ReviewAction.RETURNED)
        .select_related("actor")
        .order_by("-at", "-pk")
        .first()
    )


# Reads for the implementation report (each one query, whatever the data size) -------------


def report_results(
    biennium: Biennium, *, region_ids: list[int], outcome_ids: list[int] | None = None
) -> dict[int, dict[int, dict[str, dict[Any, int]]]]:
    """Results counted against the indicators: CPOs of the biennium linked to an indicator
    whose validated progress report claims a result. By outcome id, then indicator id:
    ``{"by_region": {region id: n}, "by_country": {(alpha3, name, region id): n}}``.
    One query."""
    cpos = CountryProgrammeOutcome.objects.filter(
        biennium=biennium, indicator__isnull=False, programme__country__region_id__in=region_ids
    )
    if outcome_ids is not None:
        cpos = cpos.filter(outcome_id__in=outcome_ids)
    rows = (
        cpos.filter(validated_result_exists(biennium))
        .values(
            "outcome_id",
            "indicator_id",
            "programme__country__alpha3",
            "programme__country__name",
            "programme__country__region_id",
        )
        .annotate(count=Count("pk"))
        .order_by()
    )
    results: dict[int, dict[int, dict[str, dict[Any, int]]]] = {}
    for row in rows:
        entry = results.setdefault(row["outcome_id"], {}).setdefault(
            row["indicator_id"], {"by_region": {}, "by_country": {}}
        )
        region_id = row["programme__country__region_id"]
        entry["by_region"][region_id] = entry["by_region"].get(region_id, 0) + row["count"]
        country = Country(
            alpha3=row["programme__country__alpha3"], name=row["programme__country__name"]
        )
        key = (country.alpha3, country.label, region_id)
        entry["by_country"][key] = entry["by_country"].get(key, 0) + row["count"]
    return results


def report_resources(
    biennium: Biennium, *, region_ids: list[int] | None, outcome_ids: list[int] | None = None
) -> dict[tuple[int, int, int], tuple[Decimal, Decimal]]:
    """Planned and spent money of the CPOs by (programme id, outcome id, funding source id),
    for every region when ``region_ids`` is None. One query over the biennium's lines."""
    lines = CpoResource.objects.filter(cpo__biennium=biennium)
    if region_ids is not None:
        lines = lines.filter(cpo__programme__country__region_id__in=region_ids)
    if outcome_ids is not None:
        lines = lines.filter(cpo__outcome_id__in=outcome_ids)
    return {
        (row["cpo__programme_id"], row["cpo__outcome_id"], row["funding_source_id"]): (
            row["planned"],
            row["spent"],
        )
        for row in lines.values("cpo__programme_id", "cpo__outcome_id", "funding_source_id")
        .annotate(planned=Sum("planned"), spent=Sum("spent"))
        .order_by()
    }


def report_programme_rows(
    biennium: Biennium, region_ids: list[int], *, outcome_ids: list[int] | None = None
) -> dict[int, list[dict[str, Any]]]:
    """The country programmes of a region with what their CPOs of the biennium add up to, by
    P&B outcome and indicator, from validated data: a CPO's result counts only if a
    validated report claims it, and people reached are those of validated reports.

    By region id; four queries, and a size that depends on the programmes and the
    framework, not on the number of CPOs. Their money comes from ``report_resources``.
    """
    cpos = CountryProgrammeOutcome.objects.filter(
        biennium=biennium, programme__country__region_id__in=region_ids
    )
    if outcome_ids is not None:
        cpos = cpos.filter(outcome_id__in=outcome_ids)
    counts = (
        cpos.annotate(achieved=validated_result_exists(biennium))
        .values("programme_id", "outcome_id", "indicator_id")
        .annotate(
            cpos=Count("pk"),
            prioritized=Count("pk", filter=Q(prioritized=True)),
            targeted=Count("pk", filter=Q(targeted=True)),
            achieved_count=Count("pk", filter=Q(achieved=True)),
        )
        .order_by()
    )
    rows: list[dict[str, Any]] = [dict(row) for row in counts]
    programme_ids = {row["programme_id"] for row in rows}
    programmes = {
        p.pk: p
        for p in DecentWorkCountryProgramme.objects.filter(pk__in=programme_ids).select_related(
            "country", "office"
        )
    }
    outcomes = Outcome.objects.in_bulk({row["outcome_id"] for row in rows})
    indicators = Indicator.objects.in_bulk({row["indicator_id"] for row in rows} - {None})
    # People reached join from the reports to their CPO (not "cpo in (subquery)"): PostgreSQL
    # then reads the biennium's validated reports from a covering index.
    in_scope: dict[str, Any] = {
        "cpo__biennium": biennium,
        "cpo__programme__country__region_id__in": region_ids,
    }
    if outcome_ids is not None:
        in_scope["cpo__outcome_id__in"] = outcome_ids
    reached = {
        row["cpo__programme_id"]: (row["women"] or 0, row["men"] or 0)
        for row in ProgressReport.objects.filter(
            **in_scope, period__biennium=biennium, review_state=ReviewState.VALIDATED
        )
        .values("cpo__programme_id")
        .annotate(women=Sum("women_reached"), men=Sum("men_reached"))
        .order_by()
    }
    by_programme: dict[int, dict[int, list[dict[str, Any]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for row in rows:
        by_programme[row["programme_id"]][row["outcome_id"]].append(row)
    result: dict[int, list[dict[str, Any]]] = {region_id: [] for region_id in region_ids}
    for programme in sorted(programmes.values(), key=lambda p: (p.country.alpha3, p.pk)):
        outcome_entries = []
        for outcome_id, outcome_rows in sorted(
            by_programme[programme.pk].items(),
            key=lambda item: (outcomes[item[0]].position, outcomes[item[0]].code),
        ):
            outcome = outcomes[outcome_id]
            indicator_entries = [
                {
                    "code": indicators[row["indicator_id"]].code,
                    "text": indicators[row["indicator_id"]].text,
                    "baseline": indicators[row["indicator_id"]].baseline,
                    "cpos": row["cpos"],
                    "targeted": row["targeted"],
                    "achieved": row["achieved_count"],
                }
                for row in sorted(
                    (r for r in outcome_rows if r["indicator_id"] is not None),
                    key=lambda r: indicators[r["indicator_id"]].code,
                )
            ]
            outcome_entries.append(
                {
                    "code": outcome.code,
                    "title": outcome.title,
                    **{
                        key: sum(r[source] for r in outcome_rows)
                        for key, source in (
                            ("cpos", "cpos"),
                            ("prioritized", "prioritized"),
                            ("targeted", "targeted"),
                            ("achieved", "achieved_count"),
                        )
                    },
                    "indicators": indicator_entries,
                }
            )
        women, men = reached.get(programme.pk, (0, 0))
        result[programme.country.region_id].append(
            {
                "id": programme.pk,
                "title": programme.title,
                "country": programme.country.alpha3,
                "country_alpha2": programme.country.alpha2,
                "country_name": programme.country.label,
                "office": programme.office.name,
                "start_year": programme.start_year,
                "end_year": programme.end_year,
                "phase": programme.phase,
                "published": programme.published,
                **{
                    key: sum(o[key] for o in outcome_entries)
                    for key in ("cpos", "prioritized", "targeted", "achieved")
                },
                "women_reached": women,
                "men_reached": men,
                "outcomes": outcome_entries,
            }
        )
    return result

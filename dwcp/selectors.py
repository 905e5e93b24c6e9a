"""Reads of country programmes, outcomes and progress, filtered as ``dwcp.permissions`` says
and planned to a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from dwcp.models import (
    CountryProgrammeOutcome,
    CpoResource,
    DecentWorkCountryProgramme,
    ProgressReport,
    ProgressReview,
    ReviewState,
)
from dwcp.permissions import ADMIN, FIELD, HQ_ROLES, REGIONAL
from rbm.models import FundingSource, User
from rbm.permissions import AnyUser, office_country_ids, role_of

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


def programme_list(
    user: AnyUser | None, *, office_only: bool = False, filters: dict[str, Any] | None = None
) -> QuerySet[DecentWorkCountryProgramme]:
    programmes = visible_programmes(user).annotate(
        cpo_count=Count("cpos", distinct=True), priority_count=Count("priorities", distinct=True)
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
    """CPOs the user may read with what a list shows, in a fixed number of queries."""
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
    return cpos.annotate(
        planned_total=Coalesce(Sum("resources__planned"), ZERO),
        spent_total=Coalesce(Sum("resources__spent"), ZERO),
    ).order_by("biennium__start_year", "code")


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
    if role in ADMIN:
        return reports.order_by("submitted_at")
    if role in REGIONAL and user.region_id is not None:
        return reports.filter(cpo__programme__country__region_id=user.region_id).order_by(
            "submitted_at"
        )
    return reports.none()


def validated_result_exists() -> Exists:
    """Annotation: the CPO has a validated report that claims a result."""
    return Exists(
        ProgressReport.objects.filter(
            cpo=OuterRef("pk"), review_state=ReviewState.VALIDATED, result_claimed=True
        )
    )

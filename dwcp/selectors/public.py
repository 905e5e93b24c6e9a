"""What the public portal reads of country programmes: published programmes only, and of
their progress only what a region validated (no draft, submitted or returned report, no
reviewer or author, no evidence file). Each read is a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Max, Q, QuerySet

from dwcp.models import (
    CountryProgrammeOutcome,
    CountryProgrammePriority,
    DecentWorkCountryProgramme,
    ProgressReport,
    ReviewState,
)
from rbm.models import Biennium, Country

PUBLISHED = Q(published=True)


def public_programmes() -> QuerySet[DecentWorkCountryProgramme]:
    """Published programmes with their country, region and number of CPOs, by country."""
    return (
        DecentWorkCountryProgramme.objects.filter(PUBLISHED)
        .select_related("country__region")
        .annotate(cpo_count=Count("cpos"))
        .order_by("country__name", "start_year", "pk")
    )


def public_programme_count() -> int:
    """How many programmes are published. One query, without the CPOs."""
    return DecentWorkCountryProgramme.objects.filter(PUBLISHED).count()


def public_programme(pk: int) -> DecentWorkCountryProgramme | None:
    return (
        DecentWorkCountryProgramme.objects.filter(PUBLISHED, pk=pk)
        .select_related("country__region")
        .first()
    )


@dataclass(frozen=True)
class PublicResult:
    """The latest validated progress report of a CPO: what the public reads of its progress."""

    period: str
    narrative: str
    result_claimed: bool
    women_reached: int | None
    men_reached: int | None


@dataclass
class PublicCpo:
    cpo: CountryProgrammeOutcome
    result: PublicResult | None


@dataclass
class PublicPriority:
    priority: CountryProgrammePriority
    cpos: list[PublicCpo]


def _latest_validated(cpo_ids: list[int]) -> dict[int, PublicResult]:
    latest: dict[int, tuple[Any, ...]] = {}
    rows = (
        ProgressReport.objects.filter(cpo_id__in=cpo_ids, review_state=ReviewState.VALIDATED)
        .values_list(
            "cpo_id",
            "period__starts_on",
            "pk",
            "period__name",
            "narrative",
            "result_claimed",
            "women_reached",
            "men_reached",
        )
        .order_by()
    )
    for row in rows:
        kept = latest.get(row[0])
        if kept is None or row[1:3] > kept[1:3]:
            latest[row[0]] = row
    return {
        cpo_id: PublicResult(
            period=row[3],
            narrative=row[4].strip(),
            result_claimed=row[5],
            women_reached=row[6],
            men_reached=row[7],
        )
        for cpo_id, row in latest.items()
    }


def public_programme_bienniums(programme: DecentWorkCountryProgramme) -> list[Biennium]:
    """The bienniums of a programme's CPOs, latest first. One query."""
    return list(
        Biennium.objects.filter(cpos__programme=programme).distinct().order_by("-start_year")
    )


def public_programme_priorities(
    programme: DecentWorkCountryProgramme, biennium: Biennium | None = None
) -> list[PublicPriority]:
    """A published programme's priorities, each with its CPOs (of ``biennium``, if given)
    and their latest validated report. Three queries."""
    priorities = list(programme.priorities.order_by("number"))
    in_biennium = {"biennium": biennium} if biennium is not None else {}
    cpos = list(
        CountryProgrammeOutcome.objects.filter(programme=programme, **in_biennium)
        .select_related("biennium", "outcome", "indicator")
        .order_by("biennium__start_year", "code", "pk")
    )
    results = _latest_validated([cpo.pk for cpo in cpos])
    by_priority: dict[int, list[PublicCpo]] = {}
    for cpo in cpos:
        by_priority.setdefault(cpo.priority_id, []).append(PublicCpo(cpo, results.get(cpo.pk)))
    return [PublicPriority(p, by_priority.get(p.pk, [])) for p in priorities]


def public_results(biennium: Biennium, outcome_ids: list[int]) -> dict[int, dict[int, int]]:
    """Validated results of published programmes' CPOs of ``biennium``: by indicator id, then
    region id, the number of CPOs whose validated report claims a result. One query."""
    rows = (
        ProgressReport.objects.filter(
            review_state=ReviewState.VALIDATED,
            result_claimed=True,
            period__biennium=biennium,
            cpo__biennium=biennium,
            cpo__programme__published=True,
            cpo__indicator__isnull=False,
            cpo__outcome_id__in=outcome_ids,
        )
        .values("cpo__indicator_id", "cpo__programme__country__region_id")
        .annotate(count=Count("cpo_id", distinct=True))
        .order_by()
    )
    results: dict[int, dict[int, int]] = {}
    for row in rows:
        by_region = results.setdefault(row["cpo__indicator_id"], {})
        by_region[row["cpo__programme__country__region_id"]] = row["count"]
    return results


def public_examples(biennium: Biennium, outcome_id: int) -> list[dict[str, Any]]:
    """The country examples of an outcome's validated results in published programmes: each
    CPO whose validated report claims a result, with the narrative of its latest such report,
    by country then CPO code. One query."""
    latest: dict[int, tuple[Any, ...]] = {}
    rows = (
        ProgressReport.objects.filter(
            review_state=ReviewState.VALIDATED,
            result_claimed=True,
            period__biennium=biennium,
            cpo__biennium=biennium,
            cpo__programme__published=True,
            cpo__outcome_id=outcome_id,
        )
        .values_list(
            "period__starts_on",
            "pk",
            "cpo_id",
            "cpo__code",
            "cpo__title",
            "cpo__programme_id",
            "cpo__programme__country__alpha3",
            "cpo__programme__country__name",
            "cpo__programme__country__region_id",
            "narrative",
        )
        .order_by()
    )
    for row in rows:
        kept = latest.get(row[2])
        if kept is None or row[:2] > kept[:2]:
            latest[row[2]] = row
    return [
        {
            "cpo": row[3],
            "title": row[4],
            "programme_id": row[5],
            "country": row[6],
            "country_name": Country(alpha3=row[6], name=row[7]).label,
            "region_id": row[8],
            "narrative": row[9].strip(),
        }
        for row in sorted(latest.values(), key=lambda r: (r[6], r[3], r[2]))
    ]


def public_cpo_rows(limit: int | None = None) -> list[dict[str, Any]]:
    """Every CPO of a published programme as a row of the open data file, with whether a
    validated report claims its result. Two queries."""
    cpos = (
        CountryProgrammeOutcome.objects.filter(programme__published=True)
        .values(
            "pk",
            "code",
            "title",
            "biennium__start_year",
            "programme__country__alpha3",
            "programme__country__name",
            "programme__country__region__code",
            "programme_id",
            "priority__number",
            "outcome__code",
            "indicator__code",
            "prioritized",
            "targeted",
        )
        .order_by("programme__country__alpha3", "biennium__start_year", "code", "pk")
    )
    rows: list[dict[str, Any]] = [dict(row) for row in (cpos[:limit] if limit else cpos)]
    achieved = set(
        ProgressReport.objects.filter(
            review_state=ReviewState.VALIDATED,
            result_claimed=True,
            cpo__programme__published=True,
            period__biennium=F("cpo__biennium"),
        ).values_list("cpo_id", flat=True)
    )
    for row in rows:
        start = row.pop("biennium__start_year")
        row["biennium"] = f"{start}-{(start + 1) % 100:02d}"
        row["validated_result"] = row["pk"] in achieved
    return rows


def public_stamp() -> tuple[int, datetime.datetime | None]:
    """What changes when anything the portal shows of the programmes changes: the number and
    latest change of published programmes, their CPOs and validated reports. Three queries."""
    programmes = DecentWorkCountryProgramme.objects.filter(PUBLISHED).aggregate(
        n=Count("pk"), at=Max("updated_at")
    )
    cpos = CountryProgrammeOutcome.objects.filter(programme__published=True).aggregate(
        n=Count("pk"), at=Max("updated_at")
    )
    reports = ProgressReport.objects.filter(review_state=ReviewState.VALIDATED).aggregate(
        n=Count("pk"), at=Max("updated_at")
    )
    stamps = [s["at"] for s in (programmes, cpos, reports) if s["at"] is not None]
    total = programmes["n"] * 1_000_003 + cpos["n"] * 1009 + reports["n"]
    return total, max(stamps) if stamps else None

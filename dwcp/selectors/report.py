"""Reads for the implementation report (each one query, whatever the data size)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum

from dwcp.models import (
    CountryProgrammeOutcome,
    CpoResource,
    DecentWorkCountryProgramme,
    ProgressReport,
    ReviewState,
)
from dwcp.selectors.progress import validated_result_exists
from rbm.models import Biennium, Country
from strategic_plans.models import Indicator, Outcome


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


def report_examples(
    biennium: Biennium, *, region_ids: list[int], outcome_ids: list[int] | None = None
) -> dict[int, list[dict[str, Any]]]:
    """The country examples of the results counted against the indicators: every CPO of the
    biennium whose validated progress report claims a result (the CPOs ``report_results``
    counts), with its country, code, title, indicator and the narrative of its latest
    validated report that claims the result. By outcome id, sorted by country code then CPO
    code. One query, whatever the number of outcomes."""
    reports = ProgressReport.objects.filter(
        cpo__biennium=biennium,
        period__biennium=biennium,
        review_state=ReviewState.VALIDATED,
        result_claimed=True,
        cpo__indicator__isnull=False,
        cpo__programme__country__region_id__in=region_ids,
    )
    if outcome_ids is not None:
        reports = reports.filter(cpo__outcome_id__in=outcome_ids)
    # Tuples, not dicts, and each country's name looked up once: at scale 100 this reads
    # some 36,000 reports.
    latest: dict[int, tuple[Any, ...]] = {}
    for row in reports.values_list(
        "period__starts_on",
        "pk",
        "cpo_id",
        "cpo__outcome_id",
        "cpo__code",
        "cpo__title",
        "cpo__indicator__code",
        "cpo__programme__country__alpha3",
        "cpo__programme__country__name",
        "cpo__programme__country__region_id",
        "narrative",
    ).order_by():
        kept = latest.get(row[2])
        if kept is None or row[:2] > kept[:2]:
            latest[row[2]] = row
    names: dict[str, str] = {}
    examples: dict[int, list[dict[str, Any]]] = {}
    for row in sorted(latest.values(), key=lambda r: (r[7], r[4], r[2])):
        _starts, _pk, _cpo, outcome_id, code, title, indicator, alpha3, name, region_id, text = row
        if alpha3 not in names:
            names[alpha3] = Country(alpha3=alpha3, name=name).label
        examples.setdefault(outcome_id, []).append(
            {
                "country": alpha3,
                "country_name": names[alpha3],
                "region_id": region_id,
                "cpo": code,
                "title": title,
                "indicator": indicator,
                "narrative": text.strip(),
            }
        )
    return examples


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

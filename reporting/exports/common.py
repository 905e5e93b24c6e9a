"""What every export shares: walking a snapshot's content, and its names and numbers as a
reader sees them.

Everything here reads the snapshot (its ``content`` and its own fields), never live data.
Call these inside ``translation.override(snapshot.language)``: labels come out in the
snapshot's language; the content's own texts already are.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from reporting.models import Language, ReportSnapshot, Scope

JSON = dict[str, Any]

NO_FIGURE = "–"
TENTHS = Decimal("0.1")
UNITS = Decimal(1)
THOUSAND = Decimal(1000)


@dataclass(frozen=True)
class Named:
    """A region or a funding source as the snapshot names it."""

    code: str
    name: str


def regions(content: JSON) -> list[Named]:
    """The regions in the report's scope, in the report's order."""
    return [Named(r["code"], r["name"]) for r in content["meta"]["regions"]]


def funding_sources(content: JSON) -> list[Named]:
    return [Named(s["code"], s["name"]) for s in content["meta"]["funding_sources"]]


def outcomes(content: JSON) -> Iterator[tuple[JSON, JSON]]:
    """(objective, outcome) for every outcome, in the report's order."""
    for objective in content["objectives"]:
        for outcome in objective["outcomes"]:
            yield objective, outcome


def indicators(content: JSON) -> Iterator[tuple[JSON, JSON, JSON]]:
    """(objective, outcome, indicator) for every indicator, in the report's order."""
    for objective, outcome in outcomes(content):
        for indicator in outcome["indicators"]:
            yield objective, outcome, indicator


def programmes(content: JSON) -> Iterator[tuple[JSON, JSON]]:
    """(regional part, programme) for every country programme of the annex."""
    for part in content["programmes"]:
        for programme in part["programmes"]:
            yield part, programme


def decimal(value: str | None) -> Decimal | None:
    """A money amount or a rate of the content (a string) as a number; None stays None."""
    return None if value is None else Decimal(value)


def resource_total(outcome: JSON, measure: str) -> Decimal | None:
    """An outcome's budget, planned or spent money over all sources (None if not given)."""
    values = [decimal(line[measure]) for line in outcome["resources"].values()]
    known = [value for value in values if value is not None]
    return sum(known, Decimal(0)) if known else None


def regional_target_sum(indicator: JSON) -> int:
    return sum(value or 0 for value in indicator["target_by_region"].values())


# Texts for documents -------------------------------------------------------------------------


def money_text(value: str | Decimal | None) -> str:
    """An amount in USD thousands, whole, as the Governing Body's documents print money:
    ``1234567.89`` is ``1,235`` (the active language's separators), never with cents; a dash
    when there is none. Headers and labels say the unit (``USD thousands``)."""
    if value is None:
        return NO_FIGURE
    thousands = _rounded(Decimal(value) / THOUSAND, UNITS)
    return number_format(thousands, decimal_pos=0, force_grouping=True)


def count_text(value: int | None) -> str:
    return NO_FIGURE if value is None else number_format(value, force_grouping=True)


def percent_text(rate: str | Decimal | None) -> str:
    """A rate of the content (``0.4286``) as ``42.9%``; a dash when there is no target."""
    if rate is None:
        return NO_FIGURE
    percent = _rounded(Decimal(rate) * 100, TENTHS)
    return _("%(value)s%%") % {"value": number_format(percent, decimal_pos=1, force_grouping=True)}


def _rounded(value: Decimal, step: Decimal) -> Decimal:
    """Rounded half up (Django's number_format cuts the digits it does not show)."""
    return value.quantize(step, rounding=ROUND_HALF_UP)


def date_text(iso_date: str) -> str:
    """``2012-10-15`` as the active language writes a date."""
    return date_format(date.fromisoformat(iso_date), "DATE_FORMAT")


def in_english_marker(record: JSON, field: str) -> str:
    """`` [EN]`` after a framework text the content holds in English because its translation
    into the report's language is missing (``untranslated``, ADR 0016); else nothing."""
    return " [EN]" if field in record.get("untranslated", ()) else ""


def objective_heading(objective: JSON) -> str:
    """``Strategic objective 1: …``; a cross-cutting area by its title alone."""
    title = f"{objective['title']}{in_english_marker(objective, 'title')}"
    if objective["cross_cutting"]:
        return title
    number = _("Strategic objective %(number)s") % {"number": objective["number"]}
    return f"{number}: {title}"


def outcome_heading(outcome: JSON) -> str:
    title = f"{outcome['title']}{in_english_marker(outcome, 'title')}"
    return _("Outcome %(code)s – %(title)s") % {"code": outcome["code"], "title": title}


def region_name(content: JSON, code: str | None) -> str:
    """A region's name in the snapshot; ``All regions`` for none."""
    if code is None:
        return _("All regions")
    names = {region.code: region.name for region in regions(content)}
    return names.get(code, code)


def language_label(snapshot: ReportSnapshot) -> str:
    return str(Language(snapshot.language).label)


def status_label(snapshot: ReportSnapshot) -> str:
    if snapshot.final:
        return _("Final: submitted to the Governing Body")
    return _("Draft: not yet marked final")


def scope_label(snapshot: ReportSnapshot) -> str:
    return str(snapshot.content["meta"]["scope_label"])


def compiled_text(snapshot: ReportSnapshot) -> str:
    """The day the snapshot was compiled, in the site's time zone."""
    return date_format(timezone.localtime(snapshot.created_at), "DATE_FORMAT")


def file_stem(snapshot: ReportSnapshot) -> str:
    """``implementation-report-2012-13-whole-en-<hash12>`` (the scope by its region or
    objective when it has one)."""
    meta = snapshot.content["meta"]
    scope = str(snapshot.scope)
    if snapshot.scope == Scope.REGION and meta.get("region"):
        scope = f"region-{meta['region']}"
    elif snapshot.scope == Scope.OBJECTIVE and meta.get("objective") is not None:
        scope = f"objective-{meta['objective']}"
    return (
        f"implementation-report-{meta['biennium']}-{scope}-{snapshot.language}-"
        f"{snapshot.short_hash}"
    )

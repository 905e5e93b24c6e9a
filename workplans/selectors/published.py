"""Published tables and their comparison with the figures the records give."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet

from rbm.models import Biennium, Region
from workplans.models import PublishedTable
from workplans.selectors.table import TOTAL, DemandTargetTable


@dataclass(frozen=True)
class Difference:
    outcome: str
    region: str
    measure: str  # "demand" or "target"
    published: int | None
    computed: int


def compare_with_published(table: DemandTargetTable, published: PublishedTable) -> list[Difference]:
    """Every figure of ``published`` that differs from the records, in the table's order.

    Figures the published table leaves out are not compared; a figure for an outcome or
    region the records do not know is reported with computed 0.
    """
    computed = {(_norm_outcome(o), _norm_region(r)): (d, t) for o, r, d, t in table.figures()}
    order = {key: index for index, key in enumerate(computed)}
    differences = []
    for figure in published.figures.all():
        key = (_norm_outcome(figure.outcome_code), _norm_region(figure.region_code))
        demand, target = computed.get(key, (0, 0))
        for measure, printed, value in (
            ("demand", figure.demand, demand),
            ("target", figure.target, target),
        ):
            if printed is not None and printed != value:
                differences.append(
                    Difference(figure.outcome_code, figure.region_code, measure, printed, value)
                )
    differences.sort(
        key=lambda d: (
            order.get((_norm_outcome(d.outcome), _norm_region(d.region)), len(order)),
            d.measure,
        )
    )
    return differences


def _norm_outcome(code: str) -> str:
    code = code.strip()
    if code.lower() == TOTAL.lower():
        return TOTAL
    return code.lstrip("0") or "0"


_REGION_KEYS: dict[str, str] = {}


def _norm_region(value: str) -> str:
    """Region names, codes and the seed's short names ("Asia", "Europe") to one key."""
    value = value.strip()
    if value.lower() == TOTAL.lower():
        return TOTAL
    if not _REGION_KEYS:
        for region in Region.objects.all():
            for alias in (region.code, region.name, region.name.split(" ")[0]):
                _REGION_KEYS[alias.lower()] = region.code
    return _REGION_KEYS.get(value.lower(), value.lower())


def region_for(value: str) -> Region | None:
    """The region a published table names (name, code or short name), or None."""
    key = _norm_region(value)
    return Region.objects.filter(code=key).first()


def published_tables(biennium: Biennium | None = None) -> QuerySet[PublishedTable]:
    tables = PublishedTable.objects.select_related("biennium", "recorded_by").annotate(
        figure_count=Count("figures")
    )
    if biennium is not None:
        tables = tables.filter(biennium=biennium)
    return tables


def published_table_with_figures(pk: int) -> PublishedTable:
    return PublishedTable.objects.prefetch_related(Prefetch("figures")).get(pk=pk)

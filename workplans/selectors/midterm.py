"""Reads of mid-term reviews: a workplan's review page and the report's reviews."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch

from rbm.models import Biennium, FundingSource, Region
from workplans.models import (
    CorrectiveAction,
    MidTermReview,
    OutcomeWorkplan,
    Reallocation,
    ReallocationKind,
    WorkplanResource,
)
from workplans.selectors.workplan import RegionProgress, reached_targets


def report_midterm_reviews(
    biennium: Biennium, outcome_ids: Collection[int]
) -> dict[int, dict[str, object]]:
    """The mid-term reviews of the outcomes' workplans, as the report shows them, by outcome
    id (an outcome whose workplan has no review is left out). Three queries, whatever the
    number of outcomes."""
    reviews = (
        MidTermReview.objects.filter(
            workplan__biennium=biennium, workplan__outcome_id__in=outcome_ids
        )
        .select_related("workplan")
        .prefetch_related(
            Prefetch(
                "corrective_actions", queryset=CorrectiveAction.objects.select_related("region")
            ),
            Prefetch(
                "reallocations",
                queryset=Reallocation.objects.select_related(
                    "from_source", "from_region", "to_source", "to_region"
                ),
            ),
        )
    )
    return {review.workplan.outcome_id: _review_for_report(review) for review in reviews}


def _review_for_report(review: MidTermReview) -> dict[str, object]:
    return {
        "date": review.review_date.isoformat(),
        "summary": review.summary,
        "lessons_learned": review.lessons_learned,
        "corrective_actions": [
            {"region": a.region.code if a.region else None, "text": a.text}
            for a in review.corrective_actions.all()
        ],
        "reallocations": [
            {
                "kind": r.kind,
                "from_source": r.from_source.code if r.from_source else None,
                "from_region": r.from_region.code if r.from_region else None,
                "to_source": r.to_source.code,
                "to_region": r.to_region.code if r.to_region else None,
                "amount": f"{r.amount:.2f}",
                "reason": r.reason,
            }
            for r in review.reallocations.all()
        ],
    }


@dataclass
class ResourceChange:
    """One resource line of a workplan before the mid-term review's reallocations and now."""

    funding_source: FundingSource
    region: Region | None
    before: Decimal
    after: Decimal

    @property
    def difference(self) -> Decimal:
        return self.after - self.before


@dataclass
class MidtermDetail:
    workplan: OutcomeWorkplan
    review: MidTermReview | None
    corrective_actions: list[CorrectiveAction]
    reallocations: list[Reallocation]
    progress: list[RegionProgress]
    lines: list[ResourceChange]
    total_before: Decimal
    total_after: Decimal
    transferred: Decimal  # moved between lines by transfers
    added: Decimal  # brought in by new allocations
    regions: list[Region]
    funding_sources: list[FundingSource]


def midterm_detail(workplan: OutcomeWorkplan) -> MidtermDetail:
    """The mid-term review of a workplan with its decisions, the progress by region and the
    resources before and after the reallocations, in a fixed number of queries.

    After approval resources change only through reallocations, so the lines before the
    review are the lines now with each reallocation undone.
    """
    regions = list(Region.objects.all())
    sources = list(FundingSource.objects.all())
    review = MidTermReview.objects.filter(workplan=workplan).first()
    actions: list[CorrectiveAction] = []
    reallocations: list[Reallocation] = []
    if review is not None:
        actions = list(review.corrective_actions.select_related("region"))
        reallocations = list(
            review.reallocations.select_related(
                "from_source", "from_region", "to_source", "to_region", "decided_by"
            )
        )
    after: dict[tuple[int, int | None], Decimal] = defaultdict(Decimal)
    for line in WorkplanResource.objects.filter(workplan=workplan):
        after[(line.funding_source_id, line.region_id)] += line.amount
    before = defaultdict(Decimal, after)
    transferred = added = Decimal(0)
    for record in reallocations:
        before[(record.to_source_id, record.to_region_id)] -= record.amount
        if record.kind == ReallocationKind.TRANSFER:
            assert record.from_source_id is not None
            before[(record.from_source_id, record.from_region_id)] += record.amount
            transferred += record.amount
        else:
            added += record.amount
    region_order = {r.pk: n for n, r in enumerate(regions)}
    source_order = {s.pk: n for n, s in enumerate(sources)}
    sources_by_id = {s.pk: s for s in sources}
    regions_by_id = {r.pk: r for r in regions}
    keys = sorted(
        (key for key in set(after) | set(before) if after.get(key) or before.get(key)),
        key=lambda k: (
            source_order.get(k[0], 0),
            len(regions) if k[1] is None else region_order.get(k[1], 0),
        ),
    )
    progress_rows = reached_targets(workplan.biennium, workplan.outcome)
    return MidtermDetail(
        workplan=workplan,
        review=review,
        corrective_actions=actions,
        reallocations=reallocations,
        progress=[
            RegionProgress(region, *progress_rows.get(region.pk, (0, 0, 0))) for region in regions
        ],
        lines=[
            ResourceChange(
                funding_source=sources_by_id[source_id],
                region=regions_by_id[region_id] if region_id is not None else None,
                before=before.get((source_id, region_id), Decimal(0)),
                after=after.get((source_id, region_id), Decimal(0)),
            )
            for source_id, region_id in keys
        ],
        total_before=sum(before.values(), Decimal(0)),
        total_after=sum(after.values(), Decimal(0)),
        transferred=transferred,
        added=added,
        regions=regions,
        funding_sources=sources,
    )

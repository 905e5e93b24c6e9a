"""Demo workplans for 2012-13: one per outcome, resources by source and region from the
CPOs' planned money, a mix of review states (outcome 16 waits for the programme officer), a
mid-term review with corrective actions and reallocations, and Table 1 as printed."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import ROUND_CEILING, Decimal
from pathlib import Path

from dwcp.models import CountryProgrammeOutcome
from rbm.demo import DemoContext, register_step
from rbm.models import Biennium, FundingSource, Region, User
from strategic_plans.models import StrategyElement
from workplans.models import (
    MidTermReview,
    OutcomeWorkplan,
    PublishedTable,
    ReallocationKind,
    WorkplanStatus,
)
from workplans.services import (
    corrective_action_add,
    midterm_review_save,
    published_table_record,
    reallocation_record,
    workplan_approve,
    workplan_comment,
    workplan_resources_set,
    workplan_return,
    workplan_strategy_set,
    workplan_submit,
    workplans_open,
)

TABLE_1 = Path(__file__).resolve().parent / "data" / "table1-as-printed.csv"
TABLE_1_NAME = "Table 1 as printed"
APPROVED = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"}
RETURNED = {"12"}
SUBMITTED = {"16"}
CHILD_LABOUR_STRATEGY = {
    "support-to-constituents": (
        "Labour ministries, employers' and workers' organizations are trained to design and "
        "monitor national action plans on the worst forms of child labour, with the Turin "
        "Centre."
    ),
    "knowledge": (
        "National child labour surveys in six countries, with data by sex and age, feed the "
        "global estimates and the research on employment recovery with quality jobs."
    ),
    "gender-equality": (
        "Action plans address the girl child in domestic work and the boys in hazardous "
        "agriculture and mining, with separate targets."
    ),
}


def _rounded(amount: Decimal, step: int = 1000) -> Decimal:
    return (amount / step).to_integral_value(rounding=ROUND_CEILING) * step


def _resources(biennium: Biennium) -> dict[int, dict[tuple[int, int | None], Decimal]]:
    """By outcome: its CPOs' planned money by (source, region), plus a global line of a
    quarter of the regular budget for headquarters' work."""
    lines: dict[int, dict[tuple[int, int | None], Decimal]] = defaultdict(
        lambda: defaultdict(Decimal)
    )
    rows = CountryProgrammeOutcome.objects.filter(biennium=biennium).values_list(
        "outcome_id",
        "resources__funding_source_id",
        "programme__country__region_id",
        "resources__planned",
    )
    for outcome_id, source_id, region_id, planned in rows:
        if source_id is not None:
            lines[outcome_id][(source_id, region_id)] += planned
    regular = FundingSource.objects.get(code="RB").pk
    for by_line in lines.values():
        regional_rb = sum((v for (s, _r), v in by_line.items() if s == regular), Decimal(0))
        for key in list(by_line):
            by_line[key] = _rounded(by_line[key])
        by_line[(regular, None)] = _rounded(regional_rb / 4)
    return lines


def _run(context: DemoContext) -> None:
    biennium = Biennium.objects.filter(start_year=2012).first()
    officer = User.objects.filter(username="programme.officer").first()
    admin = User.objects.filter(username="admin").first()
    if biennium is None or officer is None or admin is None:
        return
    workplans_open(user=officer, biennium=biennium)
    if not PublishedTable.objects.filter(biennium=biennium, name=TABLE_1_NAME).exists():
        published_table_record(
            user=officer,
            biennium=biennium,
            name=TABLE_1_NAME,
            source="Programme and Budget proposals for 2012-13: preview (GB.309/PFA/2), Table 1",
            text=TABLE_1.read_text(encoding="utf-8"),
        )
    workplans = list(
        OutcomeWorkplan.objects.filter(biennium=biennium).select_related("outcome", "coordinator")
    )
    sources = FundingSource.objects.in_bulk()
    regions = Region.objects.in_bulk()
    resources = _resources(biennium)
    elements = {e.code: e for e in StrategyElement.objects.all()}
    for workplan in workplans:
        if workplan.events.exists() or workplan.resources.exists():
            continue  # made by an earlier run
        editor = workplan.coordinator or admin
        code = workplan.outcome.code
        if code == "16":
            for element_code, text in CHILD_LABOUR_STRATEGY.items():
                workplan_strategy_set(
                    user=editor,
                    workplan=workplan,
                    element=elements[element_code],
                    text=text,
                    previous=None,
                )
        workplan = workplan_resources_set(
            user=editor,
            workplan=workplan,
            version=workplan.version,
            lines={
                (sources[s], regions[r] if r else None): amount
                for (s, r), amount in resources.get(workplan.outcome_id, {}).items()
            },
        )
        if code in APPROVED | RETURNED | SUBMITTED:
            workplan = workplan_submit(user=editor, workplan=workplan, version=workplan.version)
        if code in APPROVED:
            workplan = workplan_approve(user=officer, workplan=workplan, version=workplan.version)
        if code in RETURNED:
            workplan_return(
                user=officer,
                workplan=workplan,
                version=workplan.version,
                comment=(
                    "The targets for Africa are far below demand: explain the choice or "
                    "raise them, and write the risk management element."
                ),
            )
        if code == "16":
            workplan_comment(
                user=officer,
                workplan=workplan,
                text="Targets exceed demand in Asia: say which donor funds the difference.",
            )
    _midterm_review(officer, biennium, sources, regions)


def _midterm_review(
    officer: User,
    biennium: Biennium,
    sources: dict[int, FundingSource],
    regions: dict[int, Region],
) -> None:
    """Outcome 7 (labour migration): the review after nine months, with its decisions."""
    workplan = OutcomeWorkplan.objects.filter(
        biennium=biennium, outcome__code="7", status=WorkplanStatus.APPROVED
    ).first()
    if workplan is None or MidTermReview.objects.filter(workplan=workplan).exists():
        return
    review = midterm_review_save(
        user=officer,
        workplan=workplan,
        review_date=datetime.date(biennium.start_year, 10, 15),
        summary=(
            "After nine months, targets in Asia and the Pacific are on track; in Africa two of "
            "three targets are at risk for lack of extra-budgetary funding."
        ),
        lessons_learned=(
            "Coordination with other organizations in the field of migration needs to be more "
            "deliberate and effective."
        ),
    )
    by_code = {s.code: s for s in sources.values()}
    by_region = {r.code: r for r in regions.values()}
    corrective_action_add(
        user=officer,
        review=review,
        region=by_region["africa"],
        text="Move RBSA to the two African targets at risk and mobilize a new donor.",
    )
    corrective_action_add(
        user=officer,
        review=review,
        text="Hold a joint planning meeting with IOM and UNHCR before the end of the year.",
    )
    africa_lines = workplan.resources.filter(region=by_region["africa"]).order_by("-amount")
    biggest = africa_lines.first()
    if biggest is not None:
        reallocation_record(
            user=officer,
            review=review,
            kind=ReallocationKind.TRANSFER,
            from_source=biggest.funding_source,
            from_region=biggest.region,
            to_source=biggest.funding_source,
            to_region=by_region["asia-pacific"],
            amount=_rounded(biggest.amount / 5),
            reason="Asia's targets advance faster; Africa's wait for the new donor.",
        )
    reallocation_record(
        user=officer,
        review=review,
        kind=ReallocationKind.NEW_ALLOCATION,
        to_source=by_code["RBSA"],
        to_region=by_region["africa"],
        amount=Decimal("150000"),
        reason="RBSA approved in September for the African targets at risk.",
    )


register_step("outcome-based workplans", 30, _run)

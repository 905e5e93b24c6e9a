"""Demo steps of the results framework, from the seed documents: the SPF 2002-05 (four
strategic objectives, ten operational objectives, 38 indicators) and the SPF 2010-15 with the
19 outcomes of the Programme and Budget for 2012-13, the strategy examples of its preview,
and targets by region from its Table 1."""

from __future__ import annotations

import json
from typing import Any

from rbm.demo import DemoContext, register_step
from rbm.models import Biennium, Region, User
from strategic_plans.lifecycle import programme_adopt, programme_propose
from strategic_plans.models import (
    Indicator,
    Outcome,
    ProgrammeAndBudget,
    ProgrammeStatus,
    Target,
)
from strategic_plans.services import (
    DATA_DIR,
    framework_load,
    strategies_load,
    strategy_elements_load,
    target_set,
    translations_load,
)

COORDINATED = {"coordinator.child-labour": ("SPF 2010-15", "16")}
TABLE_FILE = "spf_2010_15.json"
TRANSLATIONS_FILE = "spf_2010_15_translations.json"


def table1() -> dict[str, Any]:
    """Table 1 of the P&B 2012-13 preview: cells (outcome, region, demand, target) and the
    totals as printed."""
    data = json.loads((DATA_DIR / TABLE_FILE).read_text(encoding="utf-8"))
    table: dict[str, Any] = data["table1"]
    return table


def _targets(user: User) -> None:
    """Indicator N.1 of each 2012-13 outcome: Table 1's proposed targets by region, and the
    printed outcome total as the stated total (so the table's inconsistencies show)."""
    table = table1()
    start, _end = Biennium.parse_code(table["biennium"])
    biennium = Biennium.objects.get(start_year=start)
    regions = {r.code: r for r in Region.objects.all()}
    indicators = {
        i.outcome.code: i
        for i in Indicator.objects.filter(
            outcome__objective__plan__short_name="SPF 2010-15", code__endswith=".1"
        ).select_related("outcome")
    }
    existing = set(Target.objects.filter(biennium=biennium).values_list("indicator_id", flat=True))
    by_outcome: dict[str, dict[Region, int]] = {}
    for cell in table["cells"]:
        by_outcome.setdefault(cell["outcome"], {})[regions[cell["region"]]] = cell["target"]
    for code, by_region in by_outcome.items():
        indicator = indicators[code]
        if indicator.pk in existing:
            continue
        target_set(
            user=user,
            indicator=indicator,
            biennium=biennium,
            total=table["printed_totals"]["outcome_totals"][code]["target"],
            by_region=by_region,
            note="Table 1, Programme and Budget proposals for 2012-13 (preview).",
        )


def _frameworks(context: DemoContext) -> None:
    strategy_elements_load(user=context.actor)
    for filename in ("spf_2002_05.json", TABLE_FILE):
        plan = framework_load(filename, user=context.actor)
        context.log.append(f"{plan.short_name}: {plan.objectives.count()} objectives")
    strategies_load(TABLE_FILE, user=context.actor)
    translated = translations_load(TRANSLATIONS_FILE, user=context.actor)
    context.log.append(f"SPF 2010-15: French and Spanish titles for {translated} records")
    programme = ProgrammeAndBudget.objects.get(biennium__start_year=2012)
    if programme.status == ProgrammeStatus.DRAFT:
        programme = programme_propose(
            user=context.actor, programme=programme, version=programme.version
        )
    if programme.status == ProgrammeStatus.PROPOSED:
        programme_adopt(user=context.actor, programme=programme, version=programme.version)
    _targets(context.actor)
    for username, (short_name, code) in COORDINATED.items():
        user = User.objects.filter(username=username).first()
        if user is not None:
            outcome = Outcome.objects.get(objective__plan__short_name=short_name, code=code)
            outcome.coordinators.add(user)


register_step("results frameworks", 10, _frameworks)

"""Demo steps of the results framework, from the seed documents: the SPF 2002-05 (four
strategic objectives, ten operational objectives, 38 indicators) and the SPF 2010-15 with the
19 outcomes of the Programme and Budget for 2012-13 and the strategy examples of its preview."""

from __future__ import annotations

from rbm.demo import DemoContext, register_step
from rbm.models import User
from strategic_plans.models import Outcome
from strategic_plans.services import framework_load, strategies_load, strategy_elements_load

COORDINATED = {"coordinator.child-labour": ("SPF 2010-15", "16")}


def _frameworks(context: DemoContext) -> None:
    strategy_elements_load()
    for filename in ("spf_2002_05.json", "spf_2010_15.json"):
        plan = framework_load(filename)
        context.log.append(f"{plan.short_name}: {plan.objectives.count()} objectives")
    strategies_load("spf_2010_15.json")
    for username, (short_name, code) in COORDINATED.items():
        user = User.objects.filter(username=username).first()
        if user is not None:
            outcome = Outcome.objects.get(objective__plan__short_name=short_name, code=code)
            outcome.coordinators.add(user)


register_step("results frameworks", 10, _frameworks)

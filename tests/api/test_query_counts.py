"""Every list endpoint reads a page in a fixed number of queries, whatever the page size and
the number of rows (and whoever reads: scopes are filters, not loops)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from dwcp.models import ReviewState
from rbm.services import system_user
from strategic_plans.models import Outcome
from strategic_plans.services import target_set
from tests import factories

pytestmark = pytest.mark.django_db

LISTS = [
    "regions",
    "countries",
    "offices",
    "bienniums",
    "funding-sources",
    "strategic-plans",
    "strategic-objectives",
    "outcomes",
    "indicators",
    "targets",
    "outcome-resources",
    "outcome-strategies",
    "dwcps",
    "priorities",
    "cpos",
    "reporting-periods",
    "progress-reports",
]


def _grow(world, n: int) -> None:
    """Add n programmes (half Indonesian, half published elsewhere) with everything under them."""
    _plan, outcomes = factories.framework_2012_13()
    from strategic_plans.models import StrategyElement
    from strategic_plans.services import outcome_strategy_set

    elements = list(StrategyElement.objects.all())
    for i in range(n):
        country = factories.country("IDN") if i % 2 else factories.country("PHL")
        programme = factories.DwcpFactory(country=country, published=bool(i % 3))
        programme.parties.create(kind="government", name=f"Ministry {i}")
        programme.parties.create(kind="workers", name=f"Union {i}")
        cpo = factories.CpoFactory(programme=programme)
        factories.MilestoneFactory.create_batch(2, cpo=cpo)
        factories.CpoResourceFactory(cpo=cpo)
        factories.CpoResourceFactory(cpo=cpo, funding_source=factories.funding_source("XBTC"))
        factories.ProgressReportFactory(
            cpo=cpo,
            review_state=ReviewState.SUBMITTED,
            submitted_by=world.user("field_idn"),
            submitted_at=timezone.now(),
        )
        office = factories.OfficeFactory(countries=[country, factories.country("TLS")])
        assert office.pk
        code = str(30 + Outcome.objects.count())
        outcome = factories.OutcomeFactory(objective=outcomes[0].objective, code=code)
        indicator = factories.IndicatorFactory(outcome=outcome, code=f"{outcome.code}.1")
        target_set(
            user=system_user(),
            indicator=indicator,
            biennium=factories.biennium("2012-13"),
            total=4,
            by_region={factories.region("africa"): 2, factories.region("americas"): 1},
            note="One target not yet placed in a region.",
        )
        factories.OutcomeResourceFactory(outcome=outcome)
        outcome_strategy_set(
            user=system_user(),
            outcome=outcome,
            biennium=factories.biennium("2012-13"),
            element=elements[i % len(elements)],
            text=f"Strategy {i}",
        )
        plan = factories.StrategicPlanFactory()
        factories.ObjectiveFactory(plan=plan)
        factories.biennium(f"{2030 + 2 * i}-{(31 + 2 * i) % 100:02d}")


@pytest.mark.parametrize("who", ["public", "field_idn", "rpo_asia", "administrator"])
def test_list_queries_do_not_grow_with_page_size_or_rows(who, world, client_as, count_queries):
    client = client_as(who)
    client.get("/api/v1/regions/")  # the token's first use is recorded once

    def measure(page_size: int) -> dict[str, int]:
        counts = {}
        for resource in LISTS:
            url = f"/api/v1/{resource}/?page_size={page_size}"
            counts[resource] = count_queries(lambda url=url: client.get(url))
        return counts

    _grow(world, 2)
    small = measure(2)
    _grow(world, 8)
    large = measure(200)
    assert large == small
    # What the report quotes: queries per list request.
    print(f"\n{who}: " + ", ".join(f"{r}={n}" for r, n in small.items()))

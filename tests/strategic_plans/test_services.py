"""Writing targets, resources and strategies."""

from decimal import Decimal

import pytest

from strategic_plans.models import OutcomeResource, RegionalTarget, StrategyElement
from strategic_plans.services import (
    outcome_resource_set,
    outcome_strategy_set,
    target_set,
    target_warning,
)
from tests import factories

pytestmark = pytest.mark.django_db


def _regions(*codes: str) -> list:
    return [factories.region(code) for code in codes]


def test_regional_targets_that_do_not_add_up_are_kept_and_flagged() -> None:
    # Given an indicator of a 2010-15 plan
    indicator = factories.IndicatorFactory(code="16.1")
    africa, asia = _regions("africa", "asia-pacific")
    # When the regional targets add up to 10 but the stated total is 12
    target, warning = target_set(
        indicator=indicator,
        biennium=factories.biennium("2012-13"),
        total=12,
        by_region={africa: 4, asia: 6},
    )
    # Then both are stored as given, and a warning says so
    target.refresh_from_db()
    assert target.total == 12
    assert sorted(RegionalTarget.objects.filter(target=target).values_list("value", flat=True)) == [
        4,
        6,
    ]
    assert warning is not None
    assert warning.regional_sum == 10
    assert "add up to 10 but the stated total is 12" in warning.message


def test_regional_targets_that_add_up_raise_no_warning() -> None:
    indicator = factories.IndicatorFactory()
    africa, asia = _regions("africa", "asia-pacific")
    target, warning = target_set(
        indicator=indicator, biennium=factories.biennium(), total=10, by_region={africa: 4, asia: 6}
    )
    assert warning is None
    assert target_warning(target) is None


def test_setting_a_target_again_updates_it_in_place() -> None:
    indicator = factories.IndicatorFactory()
    (africa,) = _regions("africa")
    first, _ = target_set(
        indicator=indicator, biennium=factories.biennium(), total=3, by_region={africa: 3}
    )
    second, _ = target_set(
        indicator=indicator, biennium=factories.biennium(), total=5, by_region={africa: 5}
    )
    assert first.pk == second.pk
    assert RegionalTarget.objects.get(target=first).value == 5


def test_resources_are_decimal_usd_per_source() -> None:
    outcome = factories.OutcomeFactory()
    resource = outcome_resource_set(
        outcome=outcome,
        biennium=factories.biennium(),
        funding_source=factories.funding_source("XBTC"),
        amount=Decimal("1234567.89"),
    )
    resource.refresh_from_db()
    assert resource.amount == Decimal("1234567.89")
    outcome_resource_set(
        outcome=outcome,
        biennium=factories.biennium(),
        funding_source=factories.funding_source("XBTC"),
        amount=Decimal("10.00"),
    )
    assert OutcomeResource.objects.get(outcome=outcome).amount == Decimal("10.00")


def test_strategy_text_per_element_and_biennium() -> None:
    outcome = factories.OutcomeFactory()
    element = StrategyElement.objects.get(code="knowledge")
    strategy = outcome_strategy_set(
        outcome=outcome, biennium=factories.biennium(), element=element, text="Collect data."
    )
    again = outcome_strategy_set(
        outcome=outcome, biennium=factories.biennium(), element=element, text="Collect more."
    )
    assert strategy.pk == again.pk
    again.refresh_from_db()
    assert again.text == "Collect more."


def test_the_standard_strategy_elements_are_those_of_the_seed() -> None:
    titles = list(StrategyElement.objects.values_list("title", flat=True))
    assert titles[:4] == [
        "Support to constituents",
        "Knowledge",
        "Gender equality and non-discrimination",
        "Experience and lessons learned",
    ]
    assert len(titles) == 10
    assert "Risk management" in titles

"""Writing targets, resources and strategies."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from rbm.models import Role
from rbm.services import system_user
from strategic_plans.models import (
    OutcomeResource,
    OutcomeStrategy,
    RegionalTarget,
    StrategyElement,
)
from strategic_plans.services import (
    outcome_resource_set,
    outcome_strategy_set,
    strategy_elements_load,
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
        user=system_user(),
        indicator=indicator,
        biennium=factories.biennium("2012-13"),
        total=12,
        by_region={africa: 4, asia: 6},
        note="The preliminary table's printed total.",
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
        user=system_user(),
        indicator=indicator,
        biennium=factories.biennium(),
        total=10,
        by_region={africa: 4, asia: 6},
    )
    assert warning is None
    assert target_warning(target) is None


def test_setting_a_target_again_updates_it_in_place() -> None:
    indicator = factories.IndicatorFactory()
    (africa,) = _regions("africa")
    first, _ = target_set(
        user=system_user(),
        indicator=indicator,
        biennium=factories.biennium(),
        total=3,
        by_region={africa: 3},
    )
    second, _ = target_set(
        user=system_user(),
        indicator=indicator,
        biennium=factories.biennium(),
        total=5,
        by_region={africa: 5},
    )
    assert first.pk == second.pk
    assert RegionalTarget.objects.get(target=first).value == 5


def test_resources_are_decimal_usd_per_source() -> None:
    outcome = factories.OutcomeFactory()
    resource = outcome_resource_set(
        user=system_user(),
        outcome=outcome,
        biennium=factories.biennium(),
        funding_source=factories.funding_source("XBTC"),
        amount=Decimal("1234567.89"),
    )
    resource.refresh_from_db()
    assert resource.amount == Decimal("1234567.89")
    outcome_resource_set(
        user=system_user(),
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
        user=system_user(),
        outcome=outcome,
        biennium=factories.biennium(),
        element=element,
        text="Collect data.",
    )
    again = outcome_strategy_set(
        user=system_user(),
        outcome=outcome,
        biennium=factories.biennium(),
        element=element,
        text="Collect more.",
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


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("coordinator of the outcome", True),
        ("coordinator of another outcome", False),
        (Role.PROGRAMME_OFFICER, True),
        (Role.ADMINISTRATOR, True),
        (Role.FIELD_OFFICE_STAFF, False),
        (Role.GB_SECRETARIAT, False),
    ],
)
def test_who_writes_an_outcome_s_strategy(user_for, who, allowed) -> None:
    # Given an outcome, its coordinator and another outcome's
    outcome = factories.OutcomeFactory()
    if who.startswith("coordinator"):
        user = user_for(Role.OUTCOME_COORDINATOR)
        coordinated = outcome if who == "coordinator of the outcome" else factories.OutcomeFactory()
        coordinated.coordinators.add(user)
    else:
        user = user_for(who)
    element = StrategyElement.objects.get(code="knowledge")

    def write():
        return outcome_strategy_set(
            user=user,
            outcome=outcome,
            biennium=factories.biennium(),
            element=element,
            text="Research on the worst forms.",
        )

    # When they write its strategy, then the table (framework.strategy) decides
    if allowed:
        assert write().text == "Research on the worst forms."
    else:
        with pytest.raises(PermissionDenied):
            write()
        assert not OutcomeStrategy.objects.filter(outcome=outcome).exists()


@pytest.mark.parametrize(
    "write",
    [
        lambda user: target_set(
            user=user,
            indicator=factories.IndicatorFactory(),
            biennium=factories.biennium(),
            total=3,
        ),
        lambda user: outcome_resource_set(
            user=user,
            outcome=factories.OutcomeFactory(),
            biennium=factories.biennium(),
            funding_source=factories.funding_source("RB"),
            amount=Decimal(1),
        ),
        lambda user: strategy_elements_load(user=user),
    ],
    ids=["target", "resource", "strategy elements"],
)
@pytest.mark.parametrize("role", [Role.FIELD_OFFICE_STAFF, Role.OUTCOME_COORDINATOR])
def test_framework_writes_check_the_acting_user(user_for, write, role) -> None:
    # Given someone whose role may not write the framework, when they try, then 403
    with pytest.raises(PermissionDenied):
        write(user_for(role))

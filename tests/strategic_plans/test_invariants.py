"""The results framework's invariants: the database holds what it can, services the rest."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from rbm.services import system_user
from strategic_plans.models import Outcome, OutcomeResource, RegionalTarget, StrategicPlan, Target
from strategic_plans.services import (
    outcome_create,
    outcome_resource_set,
    programme_create,
    target_set,
)
from tests import factories

pytestmark = pytest.mark.django_db


def test_outcome_codes_are_unique_within_their_objective() -> None:
    objective = factories.ObjectiveFactory()
    factories.OutcomeFactory(objective=objective, code="16")
    with pytest.raises(IntegrityError), transaction.atomic():
        Outcome.objects.create(objective=objective, code="16", title="Again")


def test_outcome_codes_are_unique_within_the_whole_plan() -> None:
    plan = factories.StrategicPlanFactory()
    first = factories.ObjectiveFactory(plan=plan, number=1)
    second = factories.ObjectiveFactory(plan=plan, number=2)
    outcome_create(user=system_user(), objective=first, code="1a", title="One")
    with pytest.raises(ValidationError) as error:
        outcome_create(
            user=system_user(), objective=second, code="1a", title="Same code, other objective"
        )
    assert "already has an outcome with this code" in str(error.value)


def test_the_same_outcome_code_may_exist_in_another_plan() -> None:
    outcome_create(user=system_user(), objective=factories.ObjectiveFactory(), code="1", title="A")
    outcome_create(user=system_user(), objective=factories.ObjectiveFactory(), code="1", title="B")
    assert Outcome.objects.filter(code="1").count() == 2


@pytest.mark.parametrize("code", ["A", "1.1", "123", "1ab", ""])
def test_malformed_outcome_codes_are_refused(code: str) -> None:
    with pytest.raises(ValidationError):
        outcome_create(
            user=system_user(), objective=factories.ObjectiveFactory(), code=code, title="x"
        )


def test_indicator_codes_are_unique_within_their_outcome_and_carry_its_code() -> None:
    outcome = factories.OutcomeFactory(code="18")
    factories.IndicatorFactory(outcome=outcome, code="18.1")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.IndicatorFactory(outcome=outcome, code="18.1")
    indicator = factories.IndicatorFactory.build(outcome=outcome, code="17.2")
    with pytest.raises(ValidationError) as error:
        indicator.full_clean()
    assert "18.N" in str(error.value)


def test_plan_periods_last_two_to_six_years_in_the_database() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        StrategicPlan.objects.create(title="t", short_name="s", start_year=2010, end_year=2020)
    with pytest.raises(IntegrityError), transaction.atomic():
        StrategicPlan.objects.create(title="t", short_name="s", start_year=2010, end_year=2010)


def test_a_programme_must_lie_inside_its_plan_period() -> None:
    plan = factories.StrategicPlanFactory(start_year=2002, end_year=2005)
    with pytest.raises(ValidationError) as error:
        programme_create(
            user=system_user(), plan=plan, biennium=factories.biennium("2012-13"), title="P&B"
        )
    assert "outside the period 2002-05" in str(error.value)
    assert programme_create(
        user=system_user(), plan=plan, biennium=factories.biennium("2004-05"), title="P&B"
    ).pk


def test_a_target_must_lie_inside_its_plan_period() -> None:
    plan = factories.StrategicPlanFactory(start_year=2002, end_year=2005)
    indicator = factories.IndicatorFactory(outcome__objective__plan=plan)
    with pytest.raises(ValidationError):
        target_set(
            user=system_user(), indicator=indicator, biennium=factories.biennium("2012-13"), total=3
        )


def test_targets_and_amounts_cannot_be_negative_even_in_the_database() -> None:
    target = factories.TargetFactory(total=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        Target.objects.filter(pk=target.pk).update(total=-1)
    regional = factories.RegionalTargetFactory(target=target)
    with pytest.raises(IntegrityError), transaction.atomic():
        RegionalTarget.objects.filter(pk=regional.pk).update(value=-3)
    resource = factories.OutcomeResourceFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        OutcomeResource.objects.filter(pk=resource.pk).update(amount=Decimal("-0.01"))


def test_negative_values_get_a_clear_message_from_services() -> None:
    indicator = factories.IndicatorFactory()
    with pytest.raises(ValidationError) as error:
        target_set(user=system_user(), indicator=indicator, biennium=factories.biennium(), total=-2)
    assert "total" in error.value.message_dict
    outcome = factories.OutcomeFactory()
    with pytest.raises(ValidationError) as error:
        outcome_resource_set(
            user=system_user(),
            outcome=outcome,
            biennium=factories.biennium(),
            funding_source=factories.funding_source("RB"),
            amount=Decimal("-5"),
        )
    assert "amount" in error.value.message_dict


def test_one_target_per_indicator_and_biennium() -> None:
    target = factories.TargetFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Target.objects.create(indicator=target.indicator, biennium=target.biennium, total=1)

"""factory_boy factories for the domain models."""

from __future__ import annotations

from typing import Any

import factory
from django.contrib.auth.hashers import make_password

from rbm.models import Biennium, Country, FundingSource, Office, OfficeKind, Region, Role, User
from strategic_plans.models import (
    Indicator,
    Outcome,
    OutcomeResource,
    ProgrammeAndBudget,
    RegionalTarget,
    StrategicObjective,
    StrategicPlan,
    Target,
)

PASSWORD = "correct horse battery staple"


def region(code: str = "asia-pacific") -> Region:
    return Region.objects.get(code=code)


def country(alpha3: str = "IDN") -> Country:
    return Country.objects.get(alpha3=alpha3)


def funding_source(code: str = "RB") -> FundingSource:
    return FundingSource.objects.get(code=code)


def biennium(code: str = "2012-13") -> Biennium:
    start, end = Biennium.parse_code(code)
    return Biennium.objects.get_or_create(start_year=start, defaults={"end_year": end})[0]


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"office-{n}")
    name = factory.Sequence(lambda n: f"Country Office {n}")
    kind = OfficeKind.COUNTRY_OFFICE
    region = factory.LazyFunction(lambda: region("asia-pacific"))

    @factory.post_generation
    def countries(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create:
            return
        self.countries.set(extracted if extracted is not None else [country("IDN")])


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User {n}")
    role = Role.PROGRAMME_OFFICER
    password = factory.LazyFunction(lambda: make_password(PASSWORD))
    is_staff = factory.LazyAttribute(lambda o: o.role == Role.ADMINISTRATOR)
    is_superuser = factory.LazyAttribute(lambda o: o.role == Role.ADMINISTRATOR)


class StrategicPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategicPlan

    title = factory.Sequence(lambda n: f"Strategic Plan {n}")
    short_name = factory.Sequence(lambda n: f"SP {n}")
    start_year = 2010
    end_year = 2015


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeAndBudget

    plan = factory.SubFactory(StrategicPlanFactory)
    biennium = factory.LazyFunction(lambda: biennium("2012-13"))
    title = factory.LazyAttribute(lambda o: f"Programme and Budget for {o.biennium}")


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategicObjective

    plan = factory.SubFactory(StrategicPlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Objective {n}")


class OutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outcome

    objective = factory.SubFactory(ObjectiveFactory)
    code = factory.Sequence(lambda n: str(n % 99 + 1))
    title = factory.Sequence(lambda n: f"Outcome title {n}")


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    outcome = factory.SubFactory(OutcomeFactory)
    code = factory.Sequence(lambda n: f"{n % 90 + 1}")
    text = factory.Sequence(lambda n: f"Member States that do thing {n}")

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Any:
        outcome = kwargs["outcome"]
        if "." not in kwargs["code"]:
            kwargs["code"] = f"{outcome.code}.{kwargs['code']}"
        return super()._create(model_class, *args, **kwargs)


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    indicator = factory.SubFactory(IndicatorFactory)
    biennium = factory.LazyFunction(lambda: biennium("2012-13"))
    total = 10


class RegionalTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegionalTarget

    target = factory.SubFactory(TargetFactory)
    region = factory.LazyFunction(lambda: region("africa"))
    value = 2


class OutcomeResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutcomeResource

    outcome = factory.SubFactory(OutcomeFactory)
    biennium = factory.LazyFunction(lambda: biennium("2012-13"))
    funding_source = factory.LazyFunction(lambda: funding_source("RB"))
    amount = 1000

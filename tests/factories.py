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


# Country programmes --------------------------------------------------------------------------

from dwcp.models import (  # noqa: E402
    CountryProgrammeOutcome,
    CountryProgrammePriority,
    CpoResource,
    DecentWorkCountryProgramme,
    Milestone,
    ProgressReport,
    ReportingPeriod,
)


def framework_2012_13() -> tuple[StrategicPlan, list[Outcome]]:
    """A 2010-15 plan with a P&B for 2012-13 and two outcomes (16, 18), each with indicator .1."""
    plan = StrategicPlan.objects.filter(short_name="Test SPF 2010-15").first()
    if plan is None:
        plan = StrategicPlanFactory(
            title="Test Strategic Policy Framework 2010-15",
            short_name="Test SPF 2010-15",
            start_year=2010,
            end_year=2015,
        )
        ProgrammeFactory(plan=plan, biennium=biennium("2012-13"))
        objective = ObjectiveFactory(plan=plan, number=4, title="Standards")
        for code, title in (("16", "Child labour"), ("18", "International labour standards")):
            outcome = OutcomeFactory(objective=objective, code=code, title=title)
            IndicatorFactory(outcome=outcome, code=f"{code}.1")
    outcomes = list(Outcome.objects.filter(objective__plan=plan).order_by("code"))
    return plan, outcomes


def period(code: str = "2012-H1") -> ReportingPeriod:
    """A default reporting period ("2013-H2"), created with its biennium's others."""
    from dwcp.services import reporting_periods_ensure
    from rbm.services import system_user

    year = int(code[:4])
    start = year - year % 2
    reporting_periods_ensure(
        user=system_user(), biennium=biennium(f"{start}-{(start + 1) % 100:02d}")
    )
    return ReportingPeriod.objects.get(code=code)


class DwcpFactory(factory.django.DjangoModelFactory):
    """A Decent Work Country Programme (for Indonesia by default, 2012-2015)."""

    class Meta:
        model = DecentWorkCountryProgramme

    country = factory.LazyFunction(lambda: country("IDN"))
    office = factory.LazyAttribute(
        lambda o: o.country.offices.first() or OfficeFactory(countries=[o.country])
    )
    title = factory.Sequence(lambda n: f"Decent Work Country Programme {n}")
    start_year = 2012
    end_year = 2015
    published = False


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CountryProgrammePriority

    programme = factory.SubFactory(DwcpFactory)
    number = factory.LazyAttribute(lambda o: o.programme.priorities.count() + 1)
    title = factory.Sequence(lambda n: f"Priority {n}")


class CpoFactory(factory.django.DjangoModelFactory):
    """A 2012-13 CPO of outcome 16 (targeted and prioritized), linked to indicator 16.1."""

    class Meta:
        model = CountryProgrammeOutcome

    programme = factory.SubFactory(DwcpFactory)
    priority = factory.LazyAttribute(
        lambda o: o.programme.priorities.first() or PriorityFactory(programme=o.programme)
    )
    biennium = factory.LazyFunction(lambda: biennium("2012-13"))
    outcome = factory.LazyFunction(lambda: framework_2012_13()[1][0])
    indicator = factory.LazyAttribute(lambda o: o.outcome.indicators.first())
    code = factory.Sequence(lambda n: f"{n % 900 + 100:03d}")
    title = factory.Sequence(lambda n: f"Country programme outcome {n}")
    gender_statement = "Women and men are consulted separately and counted separately."
    prioritized = True
    targeted = True

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Any:
        if len(kwargs["code"]) == 3:
            kwargs["code"] = f"{kwargs['programme'].country.alpha3}{kwargs['code']}"
        return super()._create(model_class, *args, **kwargs)


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    cpo = factory.SubFactory(CpoFactory)
    due_on = factory.Faker("date_between", start_date="-1y", end_date="+1y")
    text = factory.Sequence(lambda n: f"Milestone {n}")


class CpoResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CpoResource

    cpo = factory.SubFactory(CpoFactory)
    funding_source = factory.LazyFunction(lambda: funding_source("RB"))
    planned = 50000
    spent = 20000


class ProgressReportFactory(factory.django.DjangoModelFactory):
    """A draft report on the CPO's first reporting period."""

    class Meta:
        model = ProgressReport

    cpo = factory.SubFactory(CpoFactory)
    period = factory.LazyFunction(lambda: period("2012-H1"))
    status = "on_track"
    narrative = "Work goes ahead with the constituents."

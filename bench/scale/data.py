"""What the scale data holds: reference data, people, frameworks, programmes, CPOs with
their resources and progress reports, and workplans."""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, transaction

from bench.scale.copying import Counts, ScaleDataError, copy_rows, next_id, reset_sequences
from bench.scale.projects import flush as flush_projects
from bench.scale.projects import generate_projects
from dwcp.models import (
    CountryProgrammeOutcome,
    CountryProgrammePriority,
    CpoResource,
    DecentWorkCountryProgramme,
    Phase,
    ProgressReport,
    ProgressStatus,
    ReportingPeriod,
    ResultStatus,
    ReviewState,
)
from rbm.demo import DemoContext
from rbm.demo_steps import _offices as demo_offices
from rbm.models import Biennium, Country, FundingSource, Office, OfficeKind, Region, Role, User
from rbm.services import reference_data_load, system_user
from strategic_plans.models import (
    Indicator,
    Outcome,
    ProgrammeAndBudget,
    RegionalTarget,
    StrategicObjective,
    StrategicPlan,
    Target,
)
from strategic_plans.services import strategy_elements_load
from workplans.models import OutcomeWorkplan, WorkplanResource, WorkplanStatus

CPOS_PER_BIENNIUM = 1000
PROGRAMME_COUNTRIES = 65


STAMP = datetime.datetime(2021, 12, 31, 12, 0, tzinfo=datetime.UTC)
PLANS = (
    ("Scale framework 2010-15", "Scale SPF 2010-15", 2010, 2015),
    ("Scale framework 2016-21", "Scale SPF 2016-21", 2016, 2021),
)
OUTCOMES = [
    ("Employment promotion", 1), ("Skills development", 1), ("Enterprise development", 1),
    ("Social security", 2), ("Working conditions", 2), ("Occupational safety and health", 2),
    ("Labour migration", 2), ("HIV/AIDS", 2), ("Employers’ organizations", 3),
    ("Workers’ organizations", 3), ("Labour administration", 3),
    ("Social dialogue and industrial relations", 3), ("Decent work in economic sectors", 3),
    ("FoA and collective bargaining", 4), ("Forced labour", 4), ("Child labour", 4),
    ("Discrimination", 4), ("International labour standards", 4),
    ("Mainstreaming decent work", 5),
]  # fmt: skip
OBJECTIVES = {
    1: "Create greater opportunities for women and men to secure decent employment and income",
    2: "Enhance the coverage and effectiveness of social protection for all",
    3: "Strengthen tripartism and social dialogue",
    4: "Promote and realize standards and fundamental principles and rights at work",
    5: "Policy coherence",
}


GENERATED = [
    ProgressReport,
    CpoResource,
    CountryProgrammeOutcome,
    CountryProgrammePriority,
    ReportingPeriod,
    DecentWorkCountryProgramme,
    WorkplanResource,
    OutcomeWorkplan,
    RegionalTarget,
    Target,
    Indicator,
    Outcome,
    StrategicObjective,
    ProgrammeAndBudget,
    StrategicPlan,
]


def flush() -> None:
    """Empty the tables the generator fills (and everything that refers to them)."""
    tables = ", ".join(f'"{m._meta.db_table}"' for m in GENERATED)
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    flush_projects()


def generate(
    *, scale: int, seed: int, replace: bool = False, log: Callable[[str], None] = print
) -> Counts:
    """Load scale data into an empty database (``replace`` empties it first)."""
    if connection.vendor != "postgresql":
        raise ScaleDataError("Scale data is loaded with PostgreSQL's COPY: set DATABASE_URL.")
    if not 1 <= scale <= 600:
        raise ScaleDataError("The scale is a whole number from 1 to 600.")
    if CountryProgrammeOutcome.objects.exists() and not replace:
        raise ScaleDataError(
            "The database already holds country programme outcomes; use --replace to empty "
            "the programme, framework and workplan tables first."
        )
    rng = random.Random(seed)
    counts = Counts()
    with transaction.atomic():
        if replace:
            flush()
        started = time.monotonic()
        system = system_user()
        reference_data_load(user=system)
        strategy_elements_load(user=system)
        demo_offices(DemoContext())
        counts.add("reference data", Country.objects.count(), time.monotonic() - started)
        people = _people(counts)
        frameworks = _frameworks(rng, counts)
        programmes = _programmes(rng, frameworks, counts)
        _cpos(rng, scale, frameworks, programmes, people, counts, log)
        _workplans(frameworks, counts)
        # Evaluations and lessons, from their own random stream (bench/scale/evaluations.py).
        from bench.scale.evaluations import generate_evaluations

        every = [programme for group in programmes.values() for programme in group]
        generate_evaluations(
            random.Random(seed + 17),
            scale,
            every,
            [outcome for framework in frameworks for outcome in framework.outcomes],
            sorted({programme.country_id for programme in every}),
            counts,
        )
        reset_sequences(GENERATED)
        # Development cooperation projects: ``scale`` per programme (bench/scale/projects.py).
        generate_projects(rng, scale, counts, log)
    with connection.cursor() as cursor:
        started = time.monotonic()
        cursor.execute("VACUUM ANALYZE")
        counts.add("analyze", 0, time.monotonic() - started)
    return counts


@dataclass
class People:
    field_by_office: dict[int, int]
    rpo_by_region: dict[int, int]


def _people(counts: Counts) -> People:
    """One field officer per office and one programme officer per region (no passwords)."""
    started = time.monotonic()
    offices = list(Office.objects.exclude(kind=OfficeKind.HEADQUARTERS))
    existing = set(User.objects.values_list("username", flat=True))
    new = []
    for office in offices:
        username = f"scale.field.{office.code}"
        if username not in existing:
            user = User(username=username, role=Role.FIELD_OFFICE_STAFF, office=office)
            user.set_unusable_password()
            new.append(user)
    for region in Region.objects.all():
        username = f"scale.rpo.{region.code}"
        if username not in existing:
            user = User(username=username, role=Role.REGIONAL_PROGRAMME_OFFICER, region=region)
            user.set_unusable_password()
            new.append(user)
    User.objects.bulk_create(new)
    users = User.objects.filter(username__startswith="scale.")
    counts.add("users", len(new), time.monotonic() - started)
    return People(
        field_by_office={u.office_id: u.pk for u in users if u.office_id},
        rpo_by_region={u.region_id: u.pk for u in users if u.region_id},
    )


@dataclass
class Framework:
    plan: StrategicPlan
    bienniums: list[Biennium]
    outcomes: list[Outcome]
    indicators: dict[int, list[Indicator]]  # outcome id ->


def _frameworks(rng: random.Random, counts: Counts) -> list[Framework]:
    started = time.monotonic()
    regions = list(Region.objects.all())
    frameworks = []
    for title, short_name, start, end in PLANS:
        plan = StrategicPlan.objects.create(
            title=title, short_name=short_name, start_year=start, end_year=end
        )
        bienniums = []
        for year in range(start, end, 2):
            biennium, _new = Biennium.objects.get_or_create(
                start_year=year, defaults={"end_year": year + 1}
            )
            ProgrammeAndBudget.objects.create(
                plan=plan, biennium=biennium, title=f"Programme and Budget for {biennium}"
            )
            bienniums.append(biennium)
        objectives = {
            number: StrategicObjective.objects.create(
                plan=plan, number=number, title=text, is_cross_cutting=number == 5
            )
            for number, text in OBJECTIVES.items()
        }
        outcomes = Outcome.objects.bulk_create(
            Outcome(objective=objectives[objective], code=str(n), title=name, position=n)
            for n, (name, objective) in enumerate(OUTCOMES, start=1)
        )
        indicators: dict[int, list[Indicator]] = {}
        made = []
        for outcome in outcomes:
            number = 3 if int(outcome.code) <= 12 else 2  # 12 x 3 + 7 x 2 = 50 indicators
            for k in range(1, number + 1):
                made.append(
                    Indicator(
                        outcome=outcome,
                        code=f"{outcome.code}.{k}",
                        text="Member States that, with ILO support, advance "
                        f"{outcome.title.lower()} (measure {k}).",
                        position=k,
                    )
                )
        for indicator in Indicator.objects.bulk_create(made):
            indicators.setdefault(indicator.outcome_id, []).append(indicator)
        targets = []
        regional = []
        for biennium in bienniums:
            for outcome_indicators in indicators.values():
                for indicator in outcome_indicators:
                    by_region = [rng.randrange(1, 12) for _ in regions]
                    targets.append(
                        Target(indicator=indicator, biennium=biennium, total=sum(by_region))
                    )
                    regional.append(by_region)
        RegionalTarget.objects.bulk_create(
            RegionalTarget(target=target, region=region, value=value)
            for target, by_region in zip(Target.objects.bulk_create(targets), regional, strict=True)
            for region, value in zip(regions, by_region, strict=True)
        )
        frameworks.append(Framework(plan, bienniums, outcomes, indicators))
    counts.add("framework", 2 * 19 * 50, time.monotonic() - started)
    return frameworks


def _programmes(
    rng: random.Random, frameworks: list[Framework], counts: Counts
) -> dict[int, list[DecentWorkCountryProgramme]]:
    """Two programmes (2010-15, 2016-21) for each of 65 countries; by plan id."""
    started = time.monotonic()
    countries = sorted(Country.objects.prefetch_related("offices"), key=lambda c: c.alpha3)
    chosen = sorted(rng.sample(countries, PROGRAMME_COUNTRIES), key=lambda c: c.alpha3)
    by_plan: dict[int, list[DecentWorkCountryProgramme]] = {}
    for framework in frameworks:
        plan = framework.plan
        programmes = DecentWorkCountryProgramme.objects.bulk_create(
            DecentWorkCountryProgramme(
                country=country,
                office=sorted(
                    country.offices.all(),
                    key=lambda o: (o.kind == OfficeKind.REGIONAL_OFFICE, o.code),
                )[0],
                title=f"Decent Work Country Programme for {country.name}, "
                f"{plan.start_year}-{plan.end_year}",
                start_year=plan.start_year,
                end_year=plan.end_year,
                phase=Phase.IMPLEMENTATION if plan.start_year > 2010 else Phase.COMPLETED,
                published=True,
                published_at=STAMP,
            )
            for country in chosen
        )
        CountryProgrammePriority.objects.bulk_create(
            CountryProgrammePriority(programme=programme, number=n, title=title)
            for programme in programmes
            for n, title in (
                (1, "Employment and skills"),
                (2, "Social protection"),
                (3, "Rights and social dialogue"),
            )
        )
        by_plan[plan.pk] = programmes
    counts.add("programmes", 2 * PROGRAMME_COUNTRIES, time.monotonic() - started)
    return by_plan


def _periods(biennium: Biennium) -> list[ReportingPeriod]:
    periods = []
    for year in (biennium.start_year, biennium.end_year):
        for half, (start, end) in enumerate(
            (
                (datetime.date(year, 1, 1), datetime.date(year, 6, 30)),
                (datetime.date(year, 7, 1), datetime.date(year, 12, 31)),
            ),
            start=1,
        ):
            periods.append(
                ReportingPeriod(
                    biennium=biennium,
                    code=f"{year}-H{half}",
                    name=f"{year}, {'first' if half == 1 else 'second'} half",
                    starts_on=start,
                    ends_on=end,
                )
            )
    return ReportingPeriod.objects.bulk_create(periods)


def _cpos(
    rng: random.Random,
    scale: int,
    frameworks: list[Framework],
    programmes: dict[int, list[DecentWorkCountryProgramme]],
    people: People,
    counts: Counts,
    log: Callable[[str], None],
) -> None:
    sources = list(FundingSource.objects.order_by("position"))
    regular, others = sources[0], sources[1:]
    priorities = {(p.programme_id, p.number): p.pk for p in CountryProgrammePriority.objects.all()}
    cpo_id = next_id(CountryProgrammeOutcome)
    resource_id = next_id(CpoResource)
    report_id = next_id(ProgressReport)
    for framework in frameworks:
        plan_programmes = programmes[framework.plan.pk]
        for biennium in framework.bienniums:
            periods = _periods(biennium)
            cpos: list[dict[str, Any]] = []
            resources: list[dict[str, Any]] = []
            reports: list[dict[str, Any]] = []
            serial: dict[int, int] = {}
            for n in range(CPOS_PER_BIENNIUM * scale):
                programme = plan_programmes[n % len(plan_programmes)]
                outcome = framework.outcomes[rng.randrange(len(framework.outcomes))]
                indicators = framework.indicators[outcome.pk]
                indicator = (
                    indicators[rng.randrange(len(indicators))] if rng.random() > 0.1 else None
                )
                prioritized = rng.random() < 0.8
                targeted = rng.random() < (0.6 if prioritized else 0.9)
                status = rng.choices(
                    [
                        ResultStatus.IN_PROGRESS,
                        ResultStatus.ACHIEVED,
                        ResultStatus.PARTLY_ACHIEVED,
                        ResultStatus.PLANNED,
                        ResultStatus.NOT_ACHIEVED,
                        ResultStatus.DROPPED,
                    ],
                    weights=[40, 30, 10, 10, 5, 5],
                )[0]
                serial[programme.pk] = serial.get(programme.pk, 100) + 1
                priority_number = min(outcome.objective.number, 3)
                cpos.append(
                    {
                        "id": cpo_id,
                        "created_at": STAMP,
                        "updated_at": STAMP,
                        "version": 1,
                        "code": f"{programme.country.alpha3}{serial[programme.pk]:04d}",
                        "programme_id": programme.pk,
                        "priority_id": priorities[(programme.pk, priority_number)],
                        "biennium_id": biennium.pk,
                        "outcome_id": outcome.pk,
                        "indicator_id": indicator.pk if indicator else None,
                        "title": f"{outcome.title} in {programme.country.name}, result {n + 1}",
                        "description": "",
                        "gender_statement": "Women and men are counted separately.",
                        "prioritized": prioritized,
                        "targeted": targeted,
                        "result_status": status,
                    }
                )
                for source in [regular, *rng.sample(others, rng.choice([1, 2]))]:
                    planned = Decimal(rng.randrange(10_000, 500_000, 1_000))
                    resources.append(
                        {
                            "id": resource_id,
                            "cpo_id": cpo_id,
                            "funding_source_id": source.pk,
                            "planned": planned,
                            "spent": (planned * Decimal(rng.randrange(0, 101)) / 100).quantize(
                                Decimal("0.01")
                            ),
                            "created_at": STAMP,
                            "updated_at": STAMP,
                        }
                    )
                    resource_id += 1
                reports.extend(
                    _reports(
                        rng,
                        cpo_id,
                        status,
                        indicator is not None,
                        periods,
                        programme,
                        people,
                        report_id,
                    )
                )
                report_id += 4
                cpo_id += 1
            copy_rows(CountryProgrammeOutcome, cpos, counts)
            copy_rows(CpoResource, resources, counts)
            copy_rows(ProgressReport, reports, counts)
            log(
                f"  {biennium}: {len(cpos):,} CPOs, {len(resources):,} resource lines, "
                f"{len(reports):,} progress reports"
            )


def _reports(
    rng: random.Random,
    cpo_id: int,
    status: str,
    has_indicator: bool,
    periods: list[ReportingPeriod],
    programme: DecentWorkCountryProgramme,
    people: People,
    first_id: int,
) -> Iterator[dict[str, Any]]:
    """Four reports: the first two validated, the third validated or returned, the last in
    any state. A result is claimed on the last validated one when the CPO achieved it."""
    states = [
        ReviewState.VALIDATED,
        ReviewState.VALIDATED,
        rng.choice([ReviewState.VALIDATED, ReviewState.RETURNED]),
        rng.choice([ReviewState.DRAFT, ReviewState.SUBMITTED, ReviewState.VALIDATED]),
    ]
    last_validated = max(i for i, s in enumerate(states) if s == ReviewState.VALIDATED)
    achieved = status in (ResultStatus.ACHIEVED, ResultStatus.PARTLY_ACHIEVED) and has_indicator
    field_user = people.field_by_office[programme.office_id]
    rpo = people.rpo_by_region[programme.country.region_id]
    for index, (state, period) in enumerate(zip(states, periods, strict=True)):
        claim = achieved and index == last_validated
        submitted = state != ReviewState.DRAFT
        yield {
            "id": first_id + index,
            "created_at": STAMP,
            "updated_at": STAMP,
            "version": 3 if state == ReviewState.VALIDATED else 2 if submitted else 1,
            "cpo_id": cpo_id,
            "period_id": period.pk,
            "status": ProgressStatus.ACHIEVED
            if claim
            else rng.choice(
                [ProgressStatus.ON_TRACK, ProgressStatus.AT_RISK, ProgressStatus.OFF_TRACK]
            ),
            "narrative": "Work went ahead with the constituents.",
            "result_claimed": claim,
            "evidence_text": "Decree and minutes of the tripartite meeting." if claim else "",
            "evidence_url": "",
            "evidence_file": "",
            "women_reached": rng.randrange(0, 2000),
            "men_reached": rng.randrange(0, 2000),
            "review_state": state,
            "submitted_by_id": field_user if submitted else None,
            "submitted_at": STAMP if submitted else None,
            "validated_by_id": rpo if state == ReviewState.VALIDATED else None,
            "validated_at": STAMP if state == ReviewState.VALIDATED else None,
            "return_comment": "Attach the evidence." if state == ReviewState.RETURNED else "",
        }


def _workplans(frameworks: list[Framework], counts: Counts) -> None:
    started = time.monotonic()
    sources = list(FundingSource.objects.all())
    regions = list(Region.objects.all())
    made = 0
    for framework in frameworks:
        for biennium in framework.bienniums:
            workplans = OutcomeWorkplan.objects.bulk_create(
                OutcomeWorkplan(outcome=outcome, biennium=biennium, status=WorkplanStatus.APPROVED)
                for outcome in framework.outcomes
            )
            WorkplanResource.objects.bulk_create(
                WorkplanResource(
                    workplan=workplan,
                    funding_source=source,
                    region=region,
                    amount=Decimal(100_000 * (1 + (workplan.outcome_id + source.pk) % 7)),
                )
                for workplan in workplans
                for source in sources
                for region in [*regions, None]
            )
            made += len(workplans)
    counts.add("workplans", made, time.monotonic() - started)

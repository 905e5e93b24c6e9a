"""Demo country programmes for 2012-13, built so that the CPOs' prioritized and targeted counts
per outcome and region equal the cells of Table 1 of the P&B 2012-13 preview.

For a cell with demand d and target t the step makes max(d, t) CPOs spread over the region's
programmes: min(d, t) both prioritized and targeted, the rest only the one that is larger.
Everything goes through the services, acting as the office's field staff and the region's
programme officer, so validation and history apply. Random choices use a fixed seed, and
every object is looked up before it is made: running the step again changes nothing.
"""

from __future__ import annotations

import datetime
import json
import random
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

from dwcp.models import (
    PHASE_ORDER,
    CountryProgrammeOutcome,
    CountryProgrammePriority,
    DecentWorkCountryProgramme,
    PartyKind,
    Phase,
    ProgressReport,
    ProgressStatus,
    ResultStatus,
)
from dwcp.services import (
    MilestoneData,
    ResourceData,
    cpo_create,
    party_set,
    priority_create,
    programme_create,
    programme_move_phase,
    programme_set_published,
    progress_report_create,
    progress_report_return,
    progress_report_submit,
    progress_report_validate,
    reporting_periods_ensure,
)
from rbm.demo import DemoContext, register_step
from rbm.demo_steps import ensure_user
from rbm.models import Biennium, Country, FundingSource, Office, OfficeKind, Region, Role, User
from strategic_plans.demo_steps import table1
from strategic_plans.models import Indicator, Outcome, OutcomeResource
from strategic_plans.services import outcome_resource_set

DATA = Path(__file__).resolve().parent / "data" / "demo_programmes.json"
SEED = 20121013
VARIANTS = [
    "",
    " (national level)",
    " (in selected provinces)",
    " (for workers in the informal economy)",
    " (for rural women and men)",
    " (second phase)",
]
REGIONAL_OFFICERS = {
    "africa": "rpo.africa",
    "americas": "rpo.americas",
    "arab-states": "rpo.arab-states",
    "asia-pacific": "rpo.asia",
    "europe-central-asia": "rpo.europe",
}


def demo_programmes() -> dict[str, Any]:
    return json.loads(DATA.read_text(encoding="utf-8"))


def _responsible_office(country: Country) -> Office:
    offices = sorted(
        country.offices.all(), key=lambda o: (o.kind == OfficeKind.REGIONAL_OFFICE, o.code)
    )
    return offices[0]


_USERS: dict[str, User] = {}


def _field_user(context: DemoContext, office: Office) -> User:
    """The office's field staff who authors its demo records (field.jakarta can log in)."""
    username = "field.jakarta" if office.code == "co-jakarta" else f"field.{office.code}"
    if username not in _USERS:
        _USERS[username] = ensure_user(
            context,
            {
                "username": username,
                "first_name": "Field officer",
                "last_name": office.name.split(",")[-1].strip()[:60],
                "role": Role.FIELD_OFFICE_STAFF,
                "office": office.code,
            },
            can_log_in=False,
        )
    return _USERS[username]


def _regional_user(context: DemoContext, region: Region) -> User:
    username = REGIONAL_OFFICERS[region.code]
    if username not in _USERS:
        _USERS[username] = ensure_user(
            context,
            {
                "username": username,
                "first_name": "Programme officer",
                "last_name": str(region.name),
                "role": Role.REGIONAL_PROGRAMME_OFFICER,
                "region": region.code,
            },
        )
    return _USERS[username]


def _programmes(context: DemoContext, data: dict[str, Any]) -> dict[str, list[Any]]:
    """Create the programmes with parties and three priorities; by region, in file order."""
    by_region: dict[str, list[Any]] = defaultdict(list)
    countries = {c.alpha3: c for c in Country.objects.prefetch_related("offices")}
    for spec in data["programmes"]:
        country = countries[spec["country"]]
        office = _responsible_office(country)
        user = _field_user(context, office)
        period = f"{spec['start_year']}-{spec['end_year']}"
        title = f"Decent Work Country Programme for {country.name}, {period}"
        programme = DecentWorkCountryProgramme.objects.filter(country=country, title=title).first()
        if programme is None:
            programme = programme_create(
                user=user,
                country=country,
                office=office,
                title=title,
                start_year=spec["start_year"],
                end_year=spec["end_year"],
                undaf_title=f"United Nations Development Assistance Framework for {country.name}",
                national_plan_title=f"National development plan of {country.name}",
            )
            party_set(
                user=user,
                programme=programme,
                parties=[
                    {
                        "kind": PartyKind.GOVERNMENT,
                        "name": f"Ministry of Labour of {country.name}",
                        "agreed_on": datetime.date(spec["start_year"], 3, 15),
                    },
                    {
                        "kind": PartyKind.EMPLOYERS,
                        "name": f"Employers' Federation of {country.name}",
                        "agreed_on": datetime.date(spec["start_year"], 3, 15),
                    },
                    {
                        "kind": PartyKind.WORKERS,
                        "name": f"Trade Union Confederation of {country.name}",
                        "agreed_on": datetime.date(spec["start_year"], 3, 15),
                    },
                ],
            )
            for priority in data["priorities"]:
                priority_create(user=user, programme=programme, title=priority["title"])
            for phase in PHASE_ORDER[1 : PHASE_ORDER.index(Phase(spec["phase"])) + 1]:
                programme = programme_move_phase(
                    user=user, programme=programme, phase=phase, version=programme.version
                )
            if spec["published"]:
                programme_set_published(
                    user=user, programme=programme, published=True, version=programme.version
                )
        by_region[spec["region"]].append(programme)
    return by_region


def _resources(
    rng: random.Random, sources: dict[str, FundingSource], status: str
) -> list[ResourceData]:
    lines = [("RB", 25_000, 120_000, 5_000)]
    extra = rng.sample(
        [
            ("XBTC", 80_000, 900_000, 10_000),
            ("RBSA", 40_000, 250_000, 5_000),
            ("RBTC", 10_000, 60_000, 1_000),
        ],
        k=rng.choice([1, 1, 2]),
    )
    result = []
    for code, low, high, step in [*lines, *extra]:
        planned = Decimal(rng.randrange(low, high + step, step))
        share = 0 if status == ResultStatus.PLANNED else rng.uniform(0.3, 1.0)
        spent = (planned * Decimal(str(round(share, 2)))).quantize(Decimal("100"))
        result.append(ResourceData(funding_source=sources[code], planned=planned, spent=spent))
    return result


def _status(rng: random.Random, targeted: bool) -> str:
    if targeted:
        return rng.choices(
            [
                ResultStatus.IN_PROGRESS,
                ResultStatus.ACHIEVED,
                ResultStatus.PARTLY_ACHIEVED,
                ResultStatus.PLANNED,
                ResultStatus.NOT_ACHIEVED,
            ],
            weights=[50, 25, 10, 10, 5],
        )[0]
    return rng.choices(
        [ResultStatus.PLANNED, ResultStatus.IN_PROGRESS, ResultStatus.DROPPED], weights=[60, 30, 10]
    )[0]


def _cpos(
    context: DemoContext, data: dict[str, Any], by_region: dict[str, list[Any]]
) -> list[CountryProgrammeOutcome]:
    table = table1()
    start, _end = Biennium.parse_code(table["biennium"])
    biennium = Biennium.objects.get(start_year=start)
    reporting_periods_ensure(user=context.actor, biennium=biennium)
    outcomes = {
        o.code: o
        for o in Outcome.objects.filter(objective__plan__short_name="SPF 2010-15").select_related(
            "objective"
        )
    }
    indicators = {
        i.outcome_id: i
        for i in Indicator.objects.filter(outcome__in=outcomes.values(), code__endswith=".1")
    }
    sources = {s.code: s for s in FundingSource.objects.all()}
    priorities = {
        (p.programme_id, p.number): p
        for p in CountryProgrammePriority.objects.filter(
            programme__in=[p for progs in by_region.values() for p in progs]
        )
    }
    existing = {
        cpo.code: cpo
        for cpo in CountryProgrammeOutcome.objects.filter(biennium=biennium).select_related(
            "programme__country__region", "indicator"
        )
    }
    rng = random.Random(SEED)  # noqa: S311 - demo data, not secrets
    next_number: dict[int, int] = defaultdict(lambda: 101)
    per_country_outcome: dict[tuple[int, str], int] = defaultdict(int)
    made = []
    for cell in table["cells"]:
        programmes = by_region[cell["region"]]
        outcome = outcomes[cell["outcome"]]
        both = min(cell["demand"], cell["target"])
        flags = [(True, True)] * both
        flags += [(True, False)] * (cell["demand"] - both)
        flags += [(False, True)] * (cell["target"] - both)
        offset = int(cell["outcome"]) * 3
        for index, (prioritized, targeted) in enumerate(flags):
            programme = programmes[(offset + index) % len(programmes)]
            country = programme.country
            number = next_number[programme.pk]
            next_number[programme.pk] += 1
            code = f"{country.alpha3}{number:03d}"
            # Random draws happen for every CPO, made or found, so that reruns stay in step.
            status = _status(rng, targeted)
            resources = _resources(rng, sources, status)
            has_indicator = rng.random() > 0.12
            if code in existing:
                made.append(existing[code])
                continue
            variant = per_country_outcome[(programme.pk, outcome.code)]
            per_country_outcome[(programme.pk, outcome.code)] += 1
            title = data["outcome_titles"][outcome.code] + VARIANTS[variant % len(VARIANTS)]
            objective = outcome.objective.number
            priority_number = 1 if objective == 1 else 2 if objective == 2 else 3
            user = _field_user(context, programme.office)
            cpo = cpo_create(
                user=user,
                programme=programme,
                priority=priorities[(programme.pk, priority_number)],
                biennium=biennium,
                outcome=outcome,
                indicator=indicators[outcome.pk] if has_indicator else None,
                code=code,
                title=title,
                description=(
                    f"{data['outcome_titles'][outcome.code]} in {country.name}, as agreed with the "
                    "government, employers' and workers' organizations."
                ),
                gender_statement=data["gender_statement"].format(topic=outcome.title.lower()),
                prioritized=prioritized,
                targeted=targeted,
                result_status=status,
                milestones=[
                    MilestoneData(
                        datetime.date(2012, 6, 30),
                        "Tripartite consultation on the outcome held",
                        True,
                    ),
                    MilestoneData(
                        datetime.date(2013, 6, 30),
                        "Draft measures validated by the constituents",
                        status in (ResultStatus.ACHIEVED, ResultStatus.PARTLY_ACHIEVED),
                    ),
                ],
                resources=resources,
            )
            made.append(cpo)
    return made


REPORT_STATES = ["validated", "validated", "submitted", "returned", "draft"]


def _reports(context: DemoContext, cpos: list[CountryProgrammeOutcome]) -> None:
    """One to three reports per CPO; earlier periods validated, the latest in any state."""
    if not cpos:
        return
    periods = reporting_periods_ensure(user=context.actor, biennium=cpos[0].biennium)
    existing = set(ProgressReport.objects.filter(cpo__in=cpos).values_list("cpo_id", "period_id"))
    rng = random.Random(SEED + 1)  # noqa: S311 - demo data, not secrets
    for cpo in cpos:
        count = rng.choice([1, 2, 2, 3])
        last_state = rng.choice(REPORT_STATES)
        if cpo.result_status == ResultStatus.PLANNED:
            count, last_state = 1, rng.choice(["draft", "submitted"])
        elif cpo.result_status in (ResultStatus.ACHIEVED, ResultStatus.PARTLY_ACHIEVED):
            last_state = "validated"  # the region has validated the result it claims
        field_user = _field_user(context, cpo.programme.office)
        region_user = _regional_user(context, cpo.programme.country.region)
        for index in range(count):
            period = periods[index]
            last = index == count - 1
            state = last_state if last else "validated"
            claim = (
                last
                and state == "validated"
                and cpo.indicator_id is not None
                and cpo.result_status in (ResultStatus.ACHIEVED, ResultStatus.PARTLY_ACHIEVED)
            )
            # Draws for every report, made or found, so that reruns stay in step.
            status = (
                ProgressStatus.ACHIEVED
                if claim
                else rng.choice(
                    [
                        ProgressStatus.ON_TRACK,
                        ProgressStatus.ON_TRACK,
                        ProgressStatus.AT_RISK,
                        ProgressStatus.OFF_TRACK,
                    ]
                )
            )
            women = rng.randrange(20, 2000, 10)
            men = rng.randrange(20, 2000, 10)
            if (cpo.pk, period.pk) in existing:
                continue
            report = progress_report_create(
                user=field_user,
                cpo=cpo,
                period=period,
                status=status,
                narrative=_narrative(cpo, str(period), status, claim, women, men),
                result_claimed=claim,
                evidence_text="Signed decree and minutes of the tripartite meeting."
                if claim
                else "",
                women_reached=women,
                men_reached=men,
            )
            if state == "draft":
                continue
            report = progress_report_submit(user=field_user, report=report, version=report.version)
            if state == "validated":
                progress_report_validate(user=region_user, report=report, version=report.version)
            elif state == "returned":
                progress_report_return(
                    user=region_user,
                    report=report,
                    version=report.version,
                    comment="Please attach the evidence and give the number of people reached.",
                )


PROGRESS: dict[str, str] = {
    ProgressStatus.ON_TRACK: "the activities are on schedule.",
    ProgressStatus.AT_RISK: "delays in the tripartite consultations put the timetable at risk.",
    ProgressStatus.OFF_TRACK: (
        "the planned activities have fallen behind and the office is agreeing a revised plan "
        "with the constituents."
    ),
}


def _narrative(
    cpo: CountryProgrammeOutcome, period: str, status: str, claim: bool, women: int, men: int
) -> str:
    """A progress narrative in the words of the seeds: for a result, what the constituents
    did, the indicator it counts against (its text) and what it rests on; otherwise the
    CPO's title (from the outcome's), its country and how the work stands."""
    country = cpo.programme.country.name
    if not claim or cpo.indicator is None:
        topic = cpo.title[0].lower() + cpo.title[1:]
        return (
            f"{period}: work on {topic} in {country} continues with the government, employers' "
            f"and workers' organizations; {PROGRESS.get(status, 'work continues.')}"
        )
    indicator = cpo.indicator
    among = f"now counts among the {indicator.text[0].lower()}{indicator.text[1:]}"
    counts = (
        f"{country} {among}"
        if indicator.text.startswith("Member States")
        else f"With it, the national organization of {country} {among}"
    )
    return (
        f"{period}: the government, employers' and workers' organizations agreed the measures "
        f"in a tripartite meeting, and they are now in force. {counts} "
        f"The region validated it against the measurement criteria of indicator "
        f"{indicator.code}, on the signed decree and the minutes of the tripartite meeting; "
        f"{women:,} women and {men:,} men were reached."
    )


def _an_example_per_outcome(context: DemoContext, cpos: list[CountryProgrammeOutcome]) -> None:
    """Every outcome of the biennium with at least one country example: where the draws left
    an outcome without a validated result, its first targeted CPO linked to an indicator (by
    code) that has a period left reports the result, in the seeds' words, and its region
    validates it. Runs after the draws, so that it changes nothing else."""
    if not cpos:
        return
    periods = reporting_periods_ensure(user=context.actor, biennium=cpos[0].biennium)
    claimed = set(
        ProgressReport.objects.filter(
            cpo__in=cpos, result_claimed=True, review_state="validated"
        ).values_list("cpo__outcome_id", flat=True)
    )
    used: dict[int, set[int]] = defaultdict(set)
    for cpo_id, period_id in ProgressReport.objects.filter(cpo__in=cpos).values_list(
        "cpo_id", "period_id"
    ):
        used[cpo_id].add(period_id)
    for cpo in sorted(cpos, key=lambda c: c.code):
        if cpo.outcome_id in claimed or not cpo.targeted or cpo.indicator_id is None:
            continue
        if len(used[cpo.pk]) >= len(periods):
            continue
        period = periods[len(used[cpo.pk])]  # its reports fill the first periods, in order
        women, men = 240, 310
        report = progress_report_create(
            user=_field_user(context, cpo.programme.office),
            cpo=cpo,
            period=period,
            status=ProgressStatus.ACHIEVED,
            narrative=_narrative(cpo, str(period), ProgressStatus.ACHIEVED, True, women, men),
            result_claimed=True,
            evidence_text="Signed decree and minutes of the tripartite meeting.",
            women_reached=women,
            men_reached=men,
        )
        region_user = _regional_user(context, cpo.programme.country.region)
        report = progress_report_submit(
            user=_field_user(context, cpo.programme.office), report=report, version=report.version
        )
        progress_report_validate(user=region_user, report=report, version=report.version)
        claimed.add(cpo.outcome_id)


def _outcome_resources(context: DemoContext, cpos: list[CountryProgrammeOutcome]) -> None:
    """P&B resources of each outcome for 2012-13: its CPOs' planned amounts by source, rounded
    up to the next 10,000 USD (the demo has no other source for them)."""
    if not cpos:
        return
    biennium = cpos[0].biennium
    if OutcomeResource.objects.filter(biennium=biennium).exists():
        return
    totals: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    lines = CountryProgrammeOutcome.objects.filter(biennium=biennium).values_list(
        "outcome_id", "resources__funding_source_id", "resources__planned"
    )
    for outcome_id, source_id, planned in lines:
        if source_id is not None:
            totals[(outcome_id, source_id)] += planned
    outcomes = Outcome.objects.in_bulk({o for o, _s in totals})
    sources = FundingSource.objects.in_bulk({s for _o, s in totals})
    for (outcome_id, source_id), amount in sorted(totals.items()):
        rounded = (amount / 10_000).to_integral_value(rounding="ROUND_CEILING") * 10_000
        outcome_resource_set(
            user=context.actor,
            outcome=outcomes[outcome_id],
            biennium=biennium,
            funding_source=sources[source_id],
            amount=rounded,
        )


def _run(context: DemoContext) -> None:
    _USERS.clear()
    data = demo_programmes()
    for region in Region.objects.all():
        _regional_user(context, region)
    by_region = _programmes(context, data)
    cpos = _cpos(context, data, by_region)
    _reports(context, cpos)
    _an_example_per_outcome(context, cpos)
    _outcome_resources(context, cpos)
    context.log.append(
        f"{DecentWorkCountryProgramme.objects.count()} country programmes, "
        f"{CountryProgrammeOutcome.objects.count()} CPOs, "
        f"{ProgressReport.objects.count()} progress reports"
    )


register_step("country programmes", 20, _run)

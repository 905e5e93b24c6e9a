"""Compiling the report: validated data only, a fixed number of queries per part (whatever
the number of outcomes), the same hash for the same data, scopes, snapshots that never
change, and comparing two snapshots."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, InternalError, transaction
from django.utils import timezone

from dwcp import services as dwcp_services
from dwcp.models import ReviewState
from rbm.errors import ApplicationError
from rbm.models import Role
from rbm.services import system_user
from reporting.compilation import (
    compile_figures_part,
    compile_outcomes_part,
    compile_programmes_part,
    outline,
)
from reporting.completeness import snapshot_gaps
from reporting.models import ReportRun, ReportSnapshot, RunStatus, Scope
from reporting.selectors import compare_snapshots
from reporting.services import report_run_request, report_run_retry, snapshot_mark_final
from reporting.tasks import counted_queries
from strategic_plans.models import OutcomeStrategy, StrategyElement
from strategic_plans.services import target_set
from tests import factories
from workplans.models import (
    CorrectiveAction,
    MidTermReview,
    OutcomeWorkplan,
    Reallocation,
    ReallocationKind,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(user_for):
    """A 2012-13 framework (outcomes 16 and 18), an Indonesian programme and its people."""
    _plan, outcomes = factories.framework_2012_13()
    office = factories.OfficeFactory(countries=[factories.country("IDN"), factories.country("KEN")])
    field = user_for(Role.FIELD_OFFICE_STAFF, office=office)
    asia = user_for(Role.REGIONAL_PROGRAMME_OFFICER, region=factories.region("asia-pacific"))
    africa = user_for(Role.REGIONAL_PROGRAMME_OFFICER, region=factories.region("africa"))
    target_set(
        user=system_user(),
        indicator=outcomes[0].indicators.get(),
        biennium=factories.biennium("2012-13"),
        total=4,
        by_region={factories.region("asia-pacific"): 3, factories.region("africa"): 1},
    )
    return {"outcomes": outcomes, "field": field, "asia": asia, "africa": africa, "office": office}


def _cpo_with_report(world, state: str, *, country="IDN", claim=True, outcome=0, narrative="Done."):
    programme = factories.DwcpFactory(country=factories.country(country), office=world["office"])
    cpo = factories.CpoFactory(programme=programme, outcome=world["outcomes"][outcome])
    period = dwcp_services.reporting_periods_ensure(user=system_user(), biennium=cpo.biennium)[0]
    report = dwcp_services.progress_report_create(
        user=world["field"],
        cpo=cpo,
        period=period,
        status="achieved",
        narrative=narrative,
        result_claimed=claim,
        evidence_text="Decree." if claim else "",
    )
    if state == ReviewState.DRAFT:
        return cpo
    report = dwcp_services.progress_report_submit(
        user=world["field"], report=report, version=report.version
    )
    reviewer = world["asia"] if country == "IDN" else world["africa"]
    if state == ReviewState.VALIDATED:
        dwcp_services.progress_report_validate(user=reviewer, report=report, version=report.version)
    elif state == ReviewState.RETURNED:
        dwcp_services.progress_report_return(
            user=reviewer, report=report, version=report.version, comment="Add evidence."
        )
    return cpo


def _indicator(snapshot: ReportSnapshot, code: str) -> dict:
    for objective in snapshot.content["objectives"]:
        for outcome in objective["outcomes"]:
            for indicator in outcome["indicators"]:
                if indicator["code"] == code:
                    return indicator
    raise AssertionError(code)


def test_only_validated_results_count(world, compile_report) -> None:
    for state in ReviewState.values:
        _cpo_with_report(world, state)
    _cpo_with_report(world, ReviewState.VALIDATED, claim=False)
    indicator = _indicator(compile_report().snapshot, "16.1")
    assert indicator["results"] == 1
    assert indicator["results_by_region"]["asia-pacific"] == 1
    assert indicator["target"] == 4
    assert indicator["rate"] == "0.2500"
    assert indicator["results_by_country"] == [
        {"country": "IDN", "name": "Indonesia", "region": "asia-pacific", "results": 1}
    ]


def _outcome(snapshot: ReportSnapshot, code: str) -> dict:
    for objective in snapshot.content["objectives"]:
        for outcome in objective["outcomes"]:
            if outcome["code"] == code:
                return outcome
    raise AssertionError(code)


def test_results_come_with_their_country_examples(world, compile_report) -> None:
    # Given validated results in Kenya and Indonesia, and reports not validated or claiming
    # nothing
    cpos = {state: _cpo_with_report(world, state) for state in ReviewState.values}
    _cpo_with_report(world, ReviewState.VALIDATED, claim=False)
    kenya = _cpo_with_report(
        world,
        ReviewState.VALIDATED,
        country="KEN",
        narrative="  The labour code now bans hazardous work under 18.  ",
    )
    indonesia = cpos[ReviewState.VALIDATED]
    # When the report is compiled
    snapshot = compile_report().snapshot
    outcome = _outcome(snapshot, "16")
    # Then the outcome lists exactly the CPOs whose result counts, by country then code
    assert outcome["examples"] == [
        {
            "country": "IDN",
            "country_name": "Indonesia",
            "region": "asia-pacific",
            "cpo": indonesia.code,
            "title": indonesia.title,
            "indicator": "16.1",
            "narrative": "Done.",
        },
        {
            "country": "KEN",
            "country_name": "Kenya",
            "region": "africa",
            "cpo": kenya.code,
            "title": kenya.title,
            "indicator": "16.1",
            "narrative": "The labour code now bans hazardous work under 18.",
        },
    ]
    assert len(outcome["examples"]) == _indicator(snapshot, "16.1")["results"]
    assert _outcome(snapshot, "18")["examples"] == []
    assert snapshot.content["version"] == 2


def test_a_regional_report_gives_its_region_s_examples_only(world, compile_report) -> None:
    _cpo_with_report(world, ReviewState.VALIDATED)
    _cpo_with_report(world, ReviewState.VALIDATED, country="KEN")
    snapshot = compile_report(scope=Scope.REGION, region=factories.region("africa")).snapshot
    assert [e["country"] for e in _outcome(snapshot, "16")["examples"]] == ["KEN"]


def test_the_same_data_gives_the_same_hash_and_new_data_another(world, compile_report) -> None:
    _cpo_with_report(world, ReviewState.VALIDATED)
    first, second = compile_report(), compile_report()
    assert first.snapshot_id != second.snapshot_id
    assert first.snapshot.content_hash == second.snapshot.content_hash
    _cpo_with_report(world, ReviewState.VALIDATED, country="KEN")
    assert compile_report().snapshot.content_hash != first.snapshot.content_hash


def test_each_part_reads_in_a_fixed_number_of_queries(world) -> None:
    outcome = world["outcomes"][0]
    _cpo_with_report(world, ReviewState.VALIDATED)
    run = ReportRun.objects.create(biennium=factories.biennium("2012-13"))
    assert [spec.key for spec in outline(run)] == ["figures", "programmes", "outcomes"]

    examples: list[int] = []

    def measure() -> tuple[int, int, int]:
        counts = []
        for compile_part in (
            lambda: compile_outcomes_part(run),
            lambda: compile_figures_part(run),
            lambda: compile_programmes_part(run),
        ):
            with counted_queries() as queries:
                part = compile_part()
            counts.append(queries[0])
            if "examples" in part:
                examples.append(len(part["examples"]["16"]))
        return tuple(counts)

    few = measure()
    for _ in range(6):
        _cpo_with_report(world, ReviewState.VALIDATED, country="KEN")
        cpo = _cpo_with_report(world, ReviewState.SUBMITTED)
        factories.CpoResourceFactory(cpo=cpo)
    factories.IndicatorFactory(outcome=outcome, code="16.2")
    assert measure() == few
    # ...while the figures part's country examples grew from one to seven
    assert examples == [1, 7]


def _outcome_with_everything(outcome, user) -> None:
    """A target by region, a P&B budget, a strategy text and a mid-term review with a
    corrective action and a reallocation: every read of the outcomes part finds rows."""
    biennium = factories.biennium("2012-13")
    indicator = outcome.indicators.first() or factories.IndicatorFactory(outcome=outcome)
    target_set(
        user=system_user(),
        indicator=indicator,
        biennium=biennium,
        total=3,
        by_region={factories.region("africa"): 2, factories.region("americas"): 1},
    )
    factories.OutcomeResourceFactory(outcome=outcome, amount=Decimal("2500000"))
    OutcomeStrategy.objects.create(
        outcome=outcome,
        biennium=biennium,
        element=StrategyElement.objects.order_by("position").first(),
        text=f"Strategy of {outcome.code}.",
    )
    workplan = OutcomeWorkplan.objects.create(outcome=outcome, biennium=biennium)
    review = MidTermReview.objects.create(
        workplan=workplan, review_date=datetime.date(2012, 10, 15), summary="On track."
    )
    CorrectiveAction.objects.create(review=review, region=factories.region("africa"), text="Hire.")
    Reallocation.objects.create(
        review=review,
        kind=ReallocationKind.NEW_ALLOCATION,
        to_source=factories.funding_source("RB"),
        amount=Decimal("1000"),
        reason="Demand.",
        decided_by=user,
    )


def test_the_outcomes_part_reads_in_the_same_queries_whatever_the_number_of_outcomes(
    world,
) -> None:
    # Given the two outcomes of the framework, each with targets, budget, strategy and review
    user = factories.UserFactory(role=Role.PROGRAMME_OFFICER)
    for outcome in world["outcomes"]:
        _outcome_with_everything(outcome, user)
    run = ReportRun.objects.create(biennium=factories.biennium("2012-13"))
    with counted_queries() as queries:
        few = compile_outcomes_part(run)
    # When the framework has three more such outcomes
    objective = world["outcomes"][0].objective
    for code in ("19", "2", "7"):
        _outcome_with_everything(factories.OutcomeFactory(objective=objective, code=code), user)
    with counted_queries() as more_queries:
        more = compile_outcomes_part(run)
    # Then the part holds a section per outcome, keyed in the report's order, read in the
    # same number of queries
    assert list(few) == ["outcome-04-000-16", "outcome-04-000-18"]
    assert sorted(more) == [
        "outcome-04-000-16",
        "outcome-04-000-18",
        "outcome-04-000-19",
        "outcome-04-000-2",
        "outcome-04-000-7",
    ]
    assert more_queries[0] == queries[0]
    section = more["outcome-04-000-19"]
    assert section["indicators"][0]["target_by_region"]["africa"] == 2
    assert section["resources"]["RB"]["budget"] == "2500000.00"
    assert section["strategy"][0]["text"] == "Strategy of 19."
    assert section["midterm_review"]["corrective_actions"] == [
        {"region": "africa", "text": "Hire."}
    ]
    assert section["midterm_review"]["reallocations"][0]["amount"] == "1000.00"
    assert more["outcome-04-000-16"] == few["outcome-04-000-16"]


def test_a_regional_report_keeps_its_region(world, compile_report) -> None:
    _cpo_with_report(world, ReviewState.VALIDATED)
    _cpo_with_report(world, ReviewState.VALIDATED, country="KEN")
    snapshot = compile_report(scope=Scope.REGION, region=factories.region("africa")).snapshot
    indicator = _indicator(snapshot, "16.1")
    assert list(indicator["target_by_region"]) == ["africa"]
    assert indicator["results"] == 1
    assert indicator["target"] == 1
    assert [p["region"] for p in snapshot.content["programmes"]] == ["africa"]


def test_an_objective_report_holds_its_outcomes_only(world, compile_report) -> None:
    objective = world["outcomes"][0].objective
    other = factories.ObjectiveFactory(plan=objective.plan, number=9)
    factories.OutcomeFactory(objective=other, code="19")
    snapshot = compile_report(scope=Scope.OBJECTIVE, objective=objective).snapshot
    codes = [o["code"] for ob in snapshot.content["objectives"] for o in ob["outcomes"]]
    assert codes == ["16", "18"]


def test_a_snapshot_never_changes_in_the_database(world, compile_report) -> None:
    snapshot = compile_report().snapshot
    with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
        ReportSnapshot.objects.filter(pk=snapshot.pk).update(content={"forged": True})
    secretary = factories.UserFactory(role=Role.GB_SECRETARIAT)
    snapshot = snapshot_mark_final(
        user=secretary, snapshot=snapshot, confirm_gaps=_gap_keys(snapshot)
    )
    assert snapshot.final
    with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
        ReportSnapshot.objects.filter(pk=snapshot.pk).update(final=False)
    with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
        ReportSnapshot.objects.filter(pk=snapshot.pk).delete()
    with pytest.raises(ApplicationError):
        snapshot_mark_final(user=secretary, snapshot=snapshot)
    # a new run is a new snapshot
    assert compile_report().snapshot_id != snapshot.pk


def test_comparing_two_snapshots_lists_what_changed(world, compile_report) -> None:
    before = compile_report().snapshot
    cpo = _cpo_with_report(world, ReviewState.VALIDATED)
    factories.CpoResourceFactory(cpo=cpo, planned=50000, spent=20000)
    target_set(
        user=system_user(),
        indicator=world["outcomes"][0].indicators.get(),
        biennium=factories.biennium("2012-13"),
        total=5,
        by_region={factories.region("asia-pacific"): 4, factories.region("africa"): 1},
    )
    after = compile_report().snapshot
    changes = {(c.section, c.item): (c.before, c.after) for c in compare_snapshots(before, after)}
    assert changes[("targets", "16.1 · total")] == (4, 5)
    assert changes[("targets", "16.1 · Asia and the Pacific")] == (3, 4)
    assert changes[("results", "16.1 · total")] == (0, 1)
    assert changes[("resources", "16 · RB planned")] == ("0.00", "50000.00")
    assert changes[("resources", "16 · RB spent")] == ("0.00", "20000.00")
    assert changes[("demand and targets", "16 · Asia and the Pacific demand")] == (0, 1)
    assert compare_snapshots(after, after) == []


def test_two_languages_of_the_same_data_compare_by_keys_with_no_change(
    world, compile_report
) -> None:
    # Given the same data compiled in English and in French
    _cpo_with_report(world, ReviewState.VALIDATED)
    english = compile_report().snapshot
    french = compile_report(language="fr").snapshot
    english_regions = {r["code"]: r["name"] for r in english.content["meta"]["regions"]}
    french_regions = {r["code"]: r["name"] for r in french.content["meta"]["regions"]}
    assert english_regions["asia-pacific"] != french_regions["asia-pacific"]  # labels differ
    # When they are compared, either way round, no figure has changed
    assert compare_snapshots(english, french) == []
    assert compare_snapshots(french, english) == []
    # And a real change is found by its key and labelled in the later snapshot's language
    target_set(
        user=system_user(),
        indicator=world["outcomes"][0].indicators.get(),
        biennium=factories.biennium("2012-13"),
        total=6,
        by_region={factories.region("asia-pacific"): 5, factories.region("africa"): 1},
    )
    later = compile_report(language="fr").snapshot
    changes = {c.key: c for c in compare_snapshots(english, later)}
    assert set(changes) == {"16.1/total", "16.1/asia-pacific"}
    change = changes["16.1/asia-pacific"]
    assert (change.section, change.before, change.after) == ("targets", 3, 5)
    assert change.item == f"16.1 · {french_regions['asia-pacific']}"


def _gap_keys(snapshot: ReportSnapshot) -> list[str]:
    return [gap.key for gap in snapshot_gaps(snapshot.content)]


def test_a_snapshot_lists_its_gaps_and_goes_final_only_when_they_are_named(
    world, compile_report
) -> None:
    # Given outcome 16 with a validated result but no strategy, outcome 18 with neither
    _cpo_with_report(world, ReviewState.VALIDATED)
    snapshot = compile_report().snapshot
    assert _gap_keys(snapshot) == ["strategy:16", "strategy:18", "results:18.1"]
    secretary = factories.UserFactory(role=Role.GB_SECRETARIAT)
    # When it is marked final without naming them, or naming only some, or naming others
    for confirm in (None, [], ["strategy:16"], ["strategy:16", "strategy:18", "results:16.1"]):
        with pytest.raises(ValidationError) as refused:
            snapshot_mark_final(user=secretary, snapshot=snapshot, confirm_gaps=confirm)
        assert "confirm_gaps" in refused.value.message_dict
        snapshot.refresh_from_db()
        assert snapshot.final is False
    assert "Indicator 18.1: no validated result." in refused.value.message_dict["confirm_gaps"][0]
    assert "results:16.1" in refused.value.message_dict["confirm_gaps"][1]
    # Then naming every gap marks it final, and the confirmed gaps are in its history
    snapshot_mark_final(
        user=secretary,
        snapshot=snapshot,
        confirm_gaps=["results:18.1", "strategy:16", "strategy:18"],
    )
    snapshot.refresh_from_db()
    assert snapshot.final is True
    assert snapshot.final_gaps == ["strategy:16", "strategy:18", "results:18.1"]
    record = snapshot.history.order_by("-history_id").first()
    assert record.final is True
    assert record.final_gaps == snapshot.final_gaps
    assert record.finalized_by_id == secretary.pk
    # ...and PostgreSQL keeps them as they were confirmed
    with pytest.raises(InternalError), transaction.atomic():
        ReportSnapshot.objects.filter(pk=snapshot.pk).update(final_gaps=[])


def test_a_snapshot_without_gaps_goes_final_without_confirmation(world, compile_report) -> None:
    # Given every outcome with a written strategy and every indicator with a validated result
    for position, outcome in enumerate(world["outcomes"]):
        OutcomeStrategy.objects.create(
            outcome=outcome,
            biennium=factories.biennium("2012-13"),
            element=StrategyElement.objects.order_by("position").first(),
            text=f"Strategy of {outcome.code}.",
        )
        _cpo_with_report(world, ReviewState.VALIDATED, outcome=position)
    snapshot = compile_report().snapshot
    assert _gap_keys(snapshot) == []
    # When it is marked final with no confirmation, then it is final with no gaps recorded
    snapshot_mark_final(user=factories.UserFactory(role=Role.GB_SECRETARIAT), snapshot=snapshot)
    snapshot.refresh_from_db()
    assert snapshot.final is True
    assert snapshot.final_gaps == []


def test_an_unwritten_strategy_element_and_a_silent_example_are_gaps() -> None:
    content = {
        "objectives": [
            {
                "outcomes": [
                    {
                        "code": "16",
                        "strategy": [{"element": "knowledge", "text": "  "}],
                        "indicators": [
                            {"code": "16.1", "results": 2},
                            {"code": "16.2", "results": 1},
                            {"code": "16.3", "results": 1},
                        ],
                        "examples": [
                            {"indicator": "16.1", "narrative": ""},
                            {"indicator": "16.2", "narrative": "Done."},
                        ],
                    }
                ]
            }
        ]
    }
    assert [gap.key for gap in snapshot_gaps(content)] == [
        "strategy:16",
        "narrative:16.1",
        "narrative:16.3",
    ]
    # Content without examples (version 1) has no narrative gaps
    del content["objectives"][0]["outcomes"][0]["examples"]
    assert [gap.key for gap in snapshot_gaps(content)] == ["strategy:16"]


def test_a_failed_run_says_why_and_can_be_retried(
    world, monkeypatch, django_capture_on_commit_callbacks, compile_report
) -> None:
    import reporting.compilation as compilation

    def broken(run):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(compilation, "compile_outcomes_part", broken)
    with pytest.raises(RuntimeError), django_capture_on_commit_callbacks(execute=True):
        report_run_request(user=system_user(), biennium=factories.biennium("2012-13"))
    run = ReportRun.objects.get()
    assert run.status == RunStatus.FAILED
    assert "the database went away" in run.error
    assert run.snapshot_id is None
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        report_run_retry(user=system_user(), run=run)
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED
    assert run.attempts == 2


def test_a_running_run_is_retried_only_when_stalled(
    world, django_capture_on_commit_callbacks
) -> None:
    run = ReportRun.objects.create(
        biennium=factories.biennium("2012-13"),
        status=RunStatus.RUNNING,
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
    )
    with pytest.raises(ApplicationError):
        report_run_retry(user=system_user(), run=run)
    ReportRun.objects.filter(pk=run.pk).update(
        heartbeat_at=timezone.now() - datetime.timedelta(hours=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        report_run_retry(user=system_user(), run=run)
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED


def test_the_secretariat_requests_and_others_may_not(
    world, user_for, django_capture_on_commit_callbacks
) -> None:
    from django.core.exceptions import PermissionDenied

    for role in (Role.FIELD_OFFICE_STAFF, Role.PROGRAMME_OFFICER, Role.OUTCOME_COORDINATOR):
        with pytest.raises(PermissionDenied):
            report_run_request(user=user_for(role), biennium=factories.biennium("2012-13"))
    run = report_run_request(
        user=user_for(Role.GB_SECRETARIAT), biennium=factories.biennium("2012-13")
    )
    assert run.requested_by.role == Role.GB_SECRETARIAT

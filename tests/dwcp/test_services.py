"""The rules of country programmes, written through the services."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from dwcp import services
from dwcp.models import (
    CountryProgrammeOutcome,
    CountryProgrammePriority,
    Phase,
    ProgressReport,
    ProgressReview,
    ReviewState,
)
from dwcp.selectors import validated_result_exists
from rbm.errors import ApplicationError, ConflictError
from rbm.models import Role
from rbm.services import system_user
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    return factories.OfficeFactory(countries=[factories.country("IDN")])


@pytest.fixture
def field(user_for, office):
    return user_for(Role.FIELD_OFFICE_STAFF, office=office)


@pytest.fixture
def rpo(user_for):
    return user_for(Role.REGIONAL_PROGRAMME_OFFICER, region=factories.region("asia-pacific"))


@pytest.fixture
def programme(field, office):
    return services.programme_create(
        user=field,
        country=factories.country("IDN"),
        office=office,
        title="Decent Work Country Programme for Indonesia, 2012-2015",
        start_year=2012,
        end_year=2015,
    )


@pytest.fixture
def priority(field, programme):
    return services.priority_create(user=field, programme=programme, title="Youth employment")


def _cpo(field, programme, priority, **overrides):
    _plan, outcomes = factories.framework_2012_13()
    values = {
        "user": field,
        "programme": programme,
        "priority": priority,
        "biennium": factories.biennium("2012-13"),
        "outcome": outcomes[0],
        "indicator": outcomes[0].indicators.first(),
        "code": "IDN126",
        "title": "National action plan on child labour implemented",
        "gender_statement": "Girls and boys in domestic work are counted separately.",
        "targeted": True,
    }
    values.update(overrides)
    return services.cpo_create(**values)


# Programmes and priorities ----------------------------------------------------------------


def test_the_responsible_office_must_cover_the_country(field, office) -> None:
    with pytest.raises(PermissionDenied):
        services.programme_create(
            user=field,
            country=factories.country("PHL"),
            office=office,
            title="t",
            start_year=2012,
            end_year=2015,
        )
    admin = factories.UserFactory(role=Role.ADMINISTRATOR)
    with pytest.raises(ValidationError) as error:
        services.programme_create(
            user=admin,
            country=factories.country("PHL"),
            office=office,
            title="t",
            start_year=2012,
            end_year=2015,
        )
    assert "does not cover" in str(error.value)


def test_a_fourth_priority_is_refused_with_a_message(field, programme) -> None:
    for title in ("Jobs", "Social protection", "Rights"):
        services.priority_create(user=field, programme=programme, title=title)
    with pytest.raises(ValidationError) as error:
        services.priority_create(user=field, programme=programme, title="A fourth")
    assert "at most three country programme priorities" in str(error.value)
    assert programme.priorities.count() == 3


def test_the_database_holds_the_three_priority_limit_too(programme) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        CountryProgrammePriority.objects.create(programme=programme, number=4, title="x")


def test_a_deleted_priority_frees_its_number(field, programme) -> None:
    first = services.priority_create(user=field, programme=programme, title="One")
    services.priority_create(user=field, programme=programme, title="Two")
    services.priority_delete(user=field, priority=first)
    again = services.priority_create(user=field, programme=programme, title="New one")
    assert again.number == 1


def test_phases_move_one_step_and_evaluation_is_the_region_s(field, rpo, programme) -> None:
    programme = services.programme_move_phase(
        user=field, programme=programme, phase=Phase.PRIORITIES_AGREED, version=programme.version
    )
    with pytest.raises(ApplicationError):
        services.programme_move_phase(
            user=field, programme=programme, phase=Phase.COMPLETED, version=programme.version
        )
    for phase in [
        Phase.OUTCOMES_DEFINED,
        Phase.IMPLEMENTATION_PLANNING,
        Phase.IMPLEMENTATION,
        Phase.MONITORING,
        Phase.COMPLETED,
    ]:
        programme = services.programme_move_phase(
            user=field, programme=programme, phase=phase, version=programme.version
        )
    with pytest.raises(PermissionDenied):
        services.programme_move_phase(
            user=field, programme=programme, phase=Phase.EVALUATED, version=programme.version
        )
    # "Evaluated" needs a completed evaluation of the programme (the evaluations app's check)
    with pytest.raises(ApplicationError):
        services.programme_move_phase(
            user=rpo, programme=programme, phase=Phase.EVALUATED, version=programme.version
        )
    _completed_evaluation_of(programme)
    programme = services.programme_move_phase(
        user=rpo, programme=programme, phase=Phase.EVALUATED, version=programme.version
    )
    assert programme.phase == Phase.EVALUATED
    reasons = list(
        programme.history.exclude(history_change_reason=None).values_list(
            "history_change_reason", flat=True
        )
    )
    assert "Completed → Evaluated" in reasons


def test_publishing_needs_a_priority(field, programme) -> None:
    with pytest.raises(ApplicationError):
        services.programme_set_published(
            user=field, programme=programme, published=True, version=programme.version
        )
    services.priority_create(user=field, programme=programme, title="Jobs")
    programme = services.programme_set_published(
        user=field, programme=programme, published=True, version=programme.version
    )
    assert programme.published
    assert programme.published_at is not None


def test_a_stale_edit_is_refused_and_overwrites_nothing(field, programme) -> None:
    read_version = programme.version
    services.programme_update(
        user=field, programme=programme, version=read_version, title="Saved first"
    )
    with pytest.raises(ConflictError) as error:
        services.programme_update(
            user=field, programme=programme, version=read_version, title="Saved second"
        )
    assert "Someone else saved this record" in error.value.message
    programme.refresh_from_db()
    assert programme.title == "Saved first"


@pytest.mark.parametrize(
    ("name", "size", "message"),
    [("plan.exe", 10, "not allowed"), ("plan.pdf", 11 * 1024 * 1024, "limit is 10 MB")],
)
def test_the_signed_document_is_checked(field, programme, name, size, message) -> None:
    upload = SimpleUploadedFile(name, b"x" * size)
    with pytest.raises(ValidationError) as error:
        services.programme_update(
            user=field, programme=programme, version=programme.version, signed_document=upload
        )
    assert message in str(error.value)


# CPOs ---------------------------------------------------------------------------------------


def test_a_cpo_needs_a_statement_of_how_it_affects_women_and_men(
    field, programme, priority
) -> None:
    for blank in ("", "   "):
        with pytest.raises(ValidationError) as error:
            _cpo(field, programme, priority, gender_statement=blank)
        assert "gender_statement" in error.value.message_dict


def test_the_database_refuses_a_cpo_without_gender_statement(field, programme, priority) -> None:
    cpo = _cpo(field, programme, priority)
    with pytest.raises(IntegrityError), transaction.atomic():
        CountryProgrammeOutcome.objects.filter(pk=cpo.pk).update(gender_statement="")


def test_a_cpo_ties_into_an_outcome_of_its_biennium_s_framework(field, programme, priority) -> None:
    old_plan_outcome = factories.OutcomeFactory(
        objective__plan=factories.StrategicPlanFactory(start_year=2002, end_year=2005), code="1"
    )
    with pytest.raises(ValidationError) as error:
        _cpo(field, programme, priority, outcome=old_plan_outcome, indicator=None)
    assert "not to the framework of 2012-13" in str(error.value)


def test_the_indicator_must_be_of_the_chosen_outcome(field, programme, priority) -> None:
    _plan, (child_labour, standards) = factories.framework_2012_13()
    with pytest.raises(ValidationError) as error:
        _cpo(field, programme, priority, outcome=child_labour, indicator=standards.indicators.get())
    assert "indicator" in error.value.message_dict


def test_the_biennium_lies_inside_the_programme_period(field, programme, priority) -> None:
    factories.framework_2012_13()
    with pytest.raises(ValidationError) as error:
        _cpo(field, programme, priority, biennium=factories.biennium("2016-17"))
    assert "outside the programme's period" in str(error.value)


@pytest.mark.parametrize(("code", "reason"), [("PHL126", "starts with IDN"), ("IDN12", "three")])
def test_cpo_codes_carry_the_country(field, programme, priority, code, reason) -> None:
    with pytest.raises(ValidationError) as error:
        _cpo(field, programme, priority, code=code)
    assert reason in str(error.value)


def test_cpo_codes_are_unique_per_biennium(field, programme, priority) -> None:
    _cpo(field, programme, priority, code="IDN126")
    with pytest.raises(ValidationError):
        _cpo(field, programme, priority, code="idn126")


def test_both_flags_may_be_set_or_either_alone(field, programme, priority) -> None:
    both = _cpo(field, programme, priority, code="IDN101", prioritized=True, targeted=True)
    demand = _cpo(field, programme, priority, code="IDN102", prioritized=True, targeted=False)
    target = _cpo(field, programme, priority, code="IDN103", prioritized=False, targeted=True)
    assert (both.prioritized, both.targeted) == (True, True)
    assert (demand.prioritized, demand.targeted) == (True, False)
    assert (target.prioritized, target.targeted) == (False, True)


def test_milestones_and_resources_are_saved_and_replaced(field, programme, priority) -> None:
    rb, xbtc = factories.funding_source("RB"), factories.funding_source("XBTC")
    cpo = _cpo(
        field,
        programme,
        priority,
        milestones=[services.MilestoneData(datetime.date(2012, 6, 30), "Baseline study", True)],
        resources=[
            services.ResourceData(rb, Decimal("50000.00"), Decimal("20000.00")),
            services.ResourceData(xbtc, Decimal("300000"), Decimal("0")),
        ],
    )
    assert cpo.resources.count() == 2
    cpo, changed = services.cpo_update(
        user=field,
        cpo=cpo,
        version=cpo.version,
        milestones=[services.MilestoneData(datetime.date(2013, 6, 30), "Law adopted")],
        resources=[services.ResourceData(rb, Decimal("60000"), Decimal("30000"))],
    )
    assert changed
    assert [m.text for m in cpo.milestones.all()] == ["Law adopted"]
    assert [(r.funding_source.code, r.planned) for r in cpo.resources.all()] == [
        ("RB", Decimal("60000.00"))
    ]


def test_negative_or_duplicate_resources_are_refused(field, programme, priority) -> None:
    rb = factories.funding_source("RB")
    with pytest.raises(ValidationError):
        _cpo(field, programme, priority, resources=[services.ResourceData(rb, Decimal("-1"))])
    with pytest.raises(ValidationError) as error:
        _cpo(
            field,
            programme,
            priority,
            resources=[
                services.ResourceData(rb, Decimal("1")),
                services.ResourceData(rb, Decimal("2")),
            ],
        )
    assert "appears twice" in str(error.value)
    assert not CountryProgrammeOutcome.objects.exists()


def test_sending_the_same_cpo_change_twice_changes_nothing_the_second_time(
    field, programme, priority
) -> None:
    cpo = _cpo(field, programme, priority)
    read = cpo.version
    cpo, changed = services.cpo_update(user=field, cpo=cpo, version=read, title="New title")
    assert changed
    history_before = cpo.history.count()
    # The same change, based on the old read: nothing to do, so no conflict either
    cpo, changed = services.cpo_update(user=field, cpo=cpo, version=read, title="New title")
    assert not changed
    assert cpo.history.count() == history_before
    # A different change based on the old read is a conflict
    with pytest.raises(ConflictError):
        services.cpo_update(user=field, cpo=cpo, version=read, title="Another title")


def test_another_office_cannot_touch_the_cpo(user_for, field, programme, priority) -> None:
    cpo = _cpo(field, programme, priority)
    other = user_for(Role.FIELD_OFFICE_STAFF)  # an office that covers Indonesia? no: default
    other.office.countries.set([factories.country("PHL")])
    other = type(other).objects.get(pk=other.pk)
    with pytest.raises(PermissionDenied):
        services.cpo_update(user=other, cpo=cpo, version=cpo.version, title="Mine now")


# Progress reports and their review ---------------------------------------------------------


@pytest.fixture
def report(field, programme, priority):
    cpo = _cpo(field, programme, priority)
    periods = services.reporting_periods_ensure(user=system_user(), biennium=cpo.biennium)
    return services.progress_report_create(
        user=field,
        cpo=cpo,
        period=periods[0],
        status="on_track",
        narrative="The plan was drafted with the constituents.",
        women_reached=120,
        men_reached=80,
    )


def test_the_default_reporting_periods_are_the_halves_of_each_year() -> None:
    periods = services.reporting_periods_ensure(
        user=system_user(), biennium=factories.biennium("2012-13")
    )
    assert [p.code for p in periods] == ["2012-H1", "2012-H2", "2013-H1", "2013-H2"]
    assert (
        services.reporting_periods_ensure(
            user=system_user(), biennium=factories.biennium("2012-13")
        )
        == periods
    )


def test_review_submit_validate_records_who_and_when(field, rpo, report) -> None:
    report = services.progress_report_submit(user=field, report=report, version=report.version)
    assert report.review_state == ReviewState.SUBMITTED
    assert report.submitted_by == field
    report = services.progress_report_validate(user=rpo, report=report, version=report.version)
    report.refresh_from_db()
    assert report.review_state == ReviewState.VALIDATED
    assert report.validated_by == rpo
    assert report.validated_at is not None
    steps = list(ProgressReview.objects.filter(report=report).values_list("action", "actor"))
    assert steps == [("submitted", field.pk), ("validated", rpo.pk)]


def test_return_needs_a_comment_then_the_office_revises(field, rpo, report) -> None:
    report = services.progress_report_submit(user=field, report=report, version=report.version)
    with pytest.raises(ValidationError):
        services.progress_report_return(
            user=rpo, report=report, version=report.version, comment="  "
        )
    report = services.progress_report_return(
        user=rpo, report=report, version=report.version, comment="Add the evidence."
    )
    assert report.review_state == ReviewState.RETURNED
    report = services.progress_report_update(
        user=field, report=report, version=report.version, narrative="Revised with evidence."
    )
    report = services.progress_report_submit(user=field, report=report, version=report.version)
    assert report.review_state == ReviewState.SUBMITTED


@pytest.mark.parametrize("who", ["field", "other_region"])
def test_only_the_region_validates(field, report, user_for, who) -> None:
    report = services.progress_report_submit(user=field, report=report, version=report.version)
    user = (
        field
        if who == "field"
        else user_for(Role.REGIONAL_PROGRAMME_OFFICER, region=factories.region("africa"))
    )
    with pytest.raises(PermissionDenied):
        services.progress_report_validate(user=user, report=report, version=report.version)


def test_steps_out_of_order_are_refused(field, rpo, report) -> None:
    with pytest.raises(ApplicationError):
        services.progress_report_validate(user=rpo, report=report, version=report.version)
    report = services.progress_report_submit(user=field, report=report, version=report.version)
    with pytest.raises(ApplicationError):
        services.progress_report_update(
            user=field, report=report, version=report.version, narrative="Changed after submit"
        )


def test_a_claimed_result_needs_evidence_and_an_indicator(field, programme, priority) -> None:
    cpo = _cpo(field, programme, priority, code="IDN130", indicator=None)
    period = services.reporting_periods_ensure(user=system_user(), biennium=cpo.biennium)[1]
    with pytest.raises(ValidationError) as error:
        services.progress_report_create(
            user=field,
            cpo=cpo,
            period=period,
            status="achieved",
            narrative="Done.",
            result_claimed=True,
        )
    assert "evidence" in str(error.value)
    assert "indicator" in str(error.value)


def test_only_validated_reports_count(field, rpo, programme, priority) -> None:
    cpo = _cpo(field, programme, priority)
    period = services.reporting_periods_ensure(user=system_user(), biennium=cpo.biennium)[0]
    report = services.progress_report_create(
        user=field,
        cpo=cpo,
        period=period,
        status="achieved",
        narrative="Plan adopted.",
        result_claimed=True,
        evidence_text="Decree No. 12/2013",
    )
    counted = CountryProgrammeOutcome.objects.annotate(result=validated_result_exists())
    assert not counted.get(pk=cpo.pk).result
    report = services.progress_report_submit(user=field, report=report, version=report.version)
    assert not counted.get(pk=cpo.pk).result
    services.progress_report_validate(user=rpo, report=report, version=report.version)
    assert counted.get(pk=cpo.pk).result


def test_bulk_review_is_all_or_nothing(field, rpo, programme, priority) -> None:
    cpo = _cpo(field, programme, priority)
    periods = services.reporting_periods_ensure(user=system_user(), biennium=cpo.biennium)
    reports = []
    for period in periods[:3]:
        report = services.progress_report_create(
            user=field, cpo=cpo, period=period, status="on_track", narrative="Going well."
        )
        reports.append(
            services.progress_report_submit(user=field, report=report, version=report.version)
        )
    stale = (reports[2], reports[2].version - 1)
    with pytest.raises(ApplicationError) as error:
        services.progress_reports_review_bulk(
            user=rpo,
            decisions=[(reports[0], reports[0].version), (reports[1], reports[1].version), stale],
            action="validate",
        )
    assert error.value.extra["failures"][0]["report_id"] == reports[2].pk
    assert not ProgressReport.objects.filter(review_state=ReviewState.VALIDATED).exists()
    done = services.progress_reports_review_bulk(
        user=rpo, decisions=[(r, r.version) for r in reports], action="validate"
    )
    assert len(done) == 3
    assert ProgressReport.objects.filter(review_state=ReviewState.VALIDATED).count() == 3


def _completed_evaluation_of(programme) -> None:
    import datetime

    from evaluations import services as evaluations
    from rbm.services import system_user

    admin = system_user()
    evaluation = evaluations.evaluation_create(
        user=admin,
        title="Country programme evaluation",
        subject_kind="programme",
        programme=programme,
        kind="independent",
        timing="final",
        start_date=datetime.date(2015, 1, 1),
        end_date=datetime.date(2015, 6, 30),
        summary_en="What the evaluation found.",
    )
    for step in (evaluations.evaluation_start, evaluations.evaluation_complete):
        evaluation = step(user=admin, evaluation=evaluation, version=evaluation.version)

"""Workplan review workflow, who may take each step, resources and the reallocation rule."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from rbm import permissions
from rbm.errors import ApplicationError, ConflictError
from rbm.models import Role
from rbm.permissions import PUBLIC, can
from strategic_plans.models import OutcomeStrategy, StrategyElement
from tests import factories
from workplans import services
from workplans.models import EventKind, OutcomeWorkplan, Reallocation, WorkplanStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(user_for):
    return user_for(Role.OUTCOME_COORDINATOR)


@pytest.fixture
def officer(user_for):
    return user_for(Role.PROGRAMME_OFFICER)


@pytest.fixture
def workplan(coordinator, officer):
    _plan, (child_labour, _standards) = factories.framework_2012_13()
    child_labour.coordinators.add(coordinator)
    opened = services.workplans_open(user=officer, biennium=factories.biennium("2012-13"))
    assert {w.outcome.code for w in opened} == {"16", "18"}
    return OutcomeWorkplan.objects.get(outcome=child_labour)


def _lines(**amounts):
    rb, xbtc = factories.funding_source("RB"), factories.funding_source("XBTC")
    africa, asia = factories.region("africa"), factories.region("asia-pacific")
    return {
        (rb, africa): Decimal(amounts.get("rb_africa", 100_000)),
        (xbtc, asia): Decimal(amounts.get("xbtc_asia", 300_000)),
        (rb, None): Decimal(amounts.get("rb_global", 50_000)),
    }


def test_opening_gives_each_outcome_one_workplan_with_its_coordinator(workplan, coordinator):
    assert workplan.coordinator == coordinator
    assert workplan.status == WorkplanStatus.DRAFT
    again = services.workplans_open(
        user=factories.UserFactory(role=Role.PROGRAMME_OFFICER),
        biennium=factories.biennium("2012-13"),
    )
    assert again == []


def test_the_review_workflow_records_each_step(workplan, coordinator, officer) -> None:
    workplan = services.workplan_submit(
        user=coordinator, workplan=workplan, version=workplan.version
    )
    workplan = services.workplan_return(
        user=officer, workplan=workplan, version=workplan.version, comment="Raise Africa's targets."
    )
    assert workplan.status == WorkplanStatus.RETURNED
    services.workplan_comment(user=coordinator, workplan=workplan, text="Done: raised to 22.")
    workplan = services.workplan_submit(
        user=coordinator, workplan=workplan, version=workplan.version
    )
    workplan = services.workplan_approve(user=officer, workplan=workplan, version=workplan.version)
    assert workplan.status == WorkplanStatus.APPROVED
    steps = list(workplan.events.values_list("kind", "author_id", "text"))
    assert steps == [
        (EventKind.SUBMITTED, coordinator.pk, ""),
        (EventKind.RETURNED, officer.pk, "Raise Africa's targets."),
        (EventKind.COMMENT, coordinator.pk, "Done: raised to 22."),
        (EventKind.SUBMITTED, coordinator.pk, ""),
        (EventKind.APPROVED, officer.pk, ""),
    ]


def test_returning_needs_a_comment(workplan, coordinator, officer) -> None:
    workplan = services.workplan_submit(
        user=coordinator, workplan=workplan, version=workplan.version
    )
    with pytest.raises(ValidationError):
        services.workplan_return(
            user=officer, workplan=workplan, version=workplan.version, comment=" "
        )


def test_steps_out_of_order_are_refused(workplan, coordinator, officer) -> None:
    with pytest.raises(ApplicationError):
        services.workplan_approve(user=officer, workplan=workplan, version=workplan.version)
    workplan = services.workplan_submit(
        user=coordinator, workplan=workplan, version=workplan.version
    )
    with pytest.raises(ApplicationError):
        services.workplan_submit(user=coordinator, workplan=workplan, version=workplan.version)
    with pytest.raises(ApplicationError):
        services.workplan_resources_set(
            user=coordinator, workplan=workplan, version=workplan.version, lines=_lines()
        )


def test_a_stale_approval_is_refused(workplan, coordinator, officer) -> None:
    read = workplan.version
    workplan = services.workplan_submit(user=coordinator, workplan=workplan, version=read)
    with pytest.raises(ConflictError):
        services.workplan_approve(user=officer, workplan=workplan, version=read)


WHO = [
    PUBLIC,
    "coordinator of the outcome",
    "coordinator of another outcome",
    Role.PROGRAMME_OFFICER,
    Role.REGIONAL_PROGRAMME_OFFICER,
    Role.FIELD_OFFICE_STAFF,
    Role.GB_SECRETARIAT,
    Role.ADMINISTRATOR,
]
SIGNED_IN = set(WHO) - {PUBLIC}
ROWS = {
    "workplan.view": SIGNED_IN,
    "workplan.table": SIGNED_IN,
    "workplan.edit": {"coordinator of the outcome", Role.ADMINISTRATOR},
    "workplan.submit": {"coordinator of the outcome", Role.ADMINISTRATOR},
    "workplan.review": {Role.PROGRAMME_OFFICER, Role.ADMINISTRATOR},
    "workplan.comment": {
        "coordinator of the outcome",
        Role.PROGRAMME_OFFICER,
        Role.REGIONAL_PROGRAMME_OFFICER,
        Role.ADMINISTRATOR,
    },
    "workplan.create": {Role.PROGRAMME_OFFICER, Role.ADMINISTRATOR},
    "published.manage": {Role.PROGRAMME_OFFICER, Role.ADMINISTRATOR},
    "midterm.edit": {"coordinator of the outcome", Role.PROGRAMME_OFFICER, Role.ADMINISTRATOR},
}


# action -> the workplan states it may be taken in (the others: every state)
STATES = {
    "workplan.edit": {WorkplanStatus.DRAFT, WorkplanStatus.RETURNED},
    "workplan.submit": {WorkplanStatus.DRAFT, WorkplanStatus.RETURNED},
    "workplan.review": {WorkplanStatus.SUBMITTED},
    "midterm.edit": {WorkplanStatus.APPROVED},
}
TESTED_ACTIONS = set(ROWS)  # for tests/rbm's completeness test


def test_every_action_of_the_app_has_its_rows_here() -> None:
    mine = {
        a for a in permissions.actions() if a.split(".")[0] in {"workplan", "published", "midterm"}
    }
    assert mine == set(ROWS)


@pytest.mark.parametrize(
    ("action", "who", "status"),
    [(a, w, s) for a in ROWS for w in WHO for s in WorkplanStatus.values],
)
def test_who_may_take_each_step(workplan, coordinator, user_for, action, who, status) -> None:
    workplan.status = status
    if who == PUBLIC:
        user = AnonymousUser()
    elif who == "coordinator of the outcome":
        user = coordinator
    elif who == "coordinator of another outcome":
        user = user_for(Role.OUTCOME_COORDINATOR)
        OutcomeWorkplan.objects.exclude(pk=workplan.pk).get().outcome.coordinators.add(user)
    else:
        user = user_for(who)
    allowed = who in ROWS[action] and status in STATES.get(action, WorkplanStatus.values)
    assert can(user, action, workplan) is allowed


def test_another_coordinator_cannot_submit(workplan, user_for) -> None:
    stranger = user_for(Role.OUTCOME_COORDINATOR)
    with pytest.raises(PermissionDenied):
        services.workplan_submit(user=stranger, workplan=workplan, version=workplan.version)


def test_the_strategy_is_the_outcome_strategy_of_the_biennium(workplan, coordinator) -> None:
    element = StrategyElement.objects.get(code="risk-management")
    services.workplan_strategy_set(
        user=coordinator,
        workplan=workplan,
        element=element,
        text="Risks are reviewed quarterly.",
        previous="",
    )
    strategy = OutcomeStrategy.objects.get(outcome=workplan.outcome, element=element)
    assert strategy.text == "Risks are reviewed quarterly."
    # Someone who opened the element before that save is refused, with the text saved since.
    with pytest.raises(ConflictError) as refused:
        services.workplan_strategy_set(
            user=coordinator, workplan=workplan, element=element, text="Mine.", previous=""
        )
    assert refused.value.extra["current_text"] == "Risks are reviewed quarterly."
    strategy.refresh_from_db()
    assert strategy.text == "Risks are reviewed quarterly."
    services.workplan_strategy_set(
        user=coordinator,
        workplan=workplan,
        element=element,
        text="Risks are reviewed monthly.",
        previous="Risks are reviewed quarterly.",
    )
    strategy.refresh_from_db()
    assert strategy.text == "Risks are reviewed monthly."
    with pytest.raises(ValidationError):
        services.workplan_strategy_set(
            user=coordinator, workplan=workplan, element=element, text="", previous=""
        )


def test_resources_replace_the_lines_and_refuse_negatives(workplan, coordinator) -> None:
    workplan = services.workplan_resources_set(
        user=coordinator, workplan=workplan, version=workplan.version, lines=_lines()
    )
    assert workplan.resources.count() == 3
    with pytest.raises(ValidationError):
        services.workplan_resources_set(
            user=coordinator,
            workplan=workplan,
            version=workplan.version,
            lines=_lines(rb_africa=-1),
        )
    workplan = services.workplan_resources_set(
        user=coordinator, workplan=workplan, version=workplan.version, lines=_lines(rb_global=0)
    )
    assert workplan.resources.count() == 2


@pytest.fixture
def review(workplan, coordinator, officer):
    workplan = services.workplan_resources_set(
        user=coordinator, workplan=workplan, version=workplan.version, lines=_lines()
    )
    workplan = services.workplan_submit(
        user=coordinator, workplan=workplan, version=workplan.version
    )
    workplan = services.workplan_approve(user=officer, workplan=workplan, version=workplan.version)
    return services.midterm_review_save(
        user=coordinator,
        workplan=workplan,
        review_date=datetime.date(2012, 10, 15),
        summary="Africa lags behind.",
        lessons_learned="Start with the labour inspectorates.",
    )


def _total(workplan) -> Decimal:
    return sum((line.amount for line in workplan.resources.all()), Decimal(0))


def test_a_transfer_conserves_the_total(review, officer) -> None:
    workplan = review.workplan
    before = _total(workplan)
    services.reallocation_record(
        user=officer,
        review=review,
        kind="transfer",
        from_source=factories.funding_source("XBTC"),
        from_region=factories.region("asia-pacific"),
        to_source=factories.funding_source("XBTC"),
        to_region=factories.region("africa"),
        amount=Decimal("120000"),
        reason="Africa's targets are at risk.",
    )
    lines = {
        (r.funding_source.code, r.region.code if r.region else None): r.amount
        for r in workplan.resources.select_related("funding_source", "region")
    }
    assert lines[("XBTC", "asia-pacific")] == Decimal("180000")
    assert lines[("XBTC", "africa")] == Decimal("120000")
    assert _total(workplan) == before


def test_a_new_allocation_adds_and_says_so(review, officer) -> None:
    before = _total(review.workplan)
    record = services.reallocation_record(
        user=officer,
        review=review,
        kind="new_allocation",
        to_source=factories.funding_source("RBSA"),
        to_region=factories.region("africa"),
        amount=Decimal("75000"),
        reason="RBSA approved in September.",
    )
    assert record.kind == "new_allocation"
    assert _total(review.workplan) == before + Decimal("75000")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"amount": Decimal("999999")}, "Only 300,000.00 USD"),
        ({"amount": Decimal("0")}, "positive amount"),
        ({"amount": Decimal("-5")}, "positive amount"),
        ({"reason": ""}, "reason"),
        ({"from_source": None}, "where the money comes from"),
        ({"to_region": None, "to_source": None}, "to_source"),
    ],
)
def test_a_bad_reallocation_moves_nothing(review, officer, changes, message) -> None:
    values = {
        "user": officer,
        "review": review,
        "kind": "transfer",
        "from_source": factories.funding_source("XBTC"),
        "from_region": factories.region("asia-pacific"),
        "to_source": factories.funding_source("XBTC"),
        "to_region": factories.region("africa"),
        "amount": Decimal("1000"),
        "reason": "Because.",
    }
    values.update(changes)
    before = {(r.pk, r.amount) for r in review.workplan.resources.all()}
    with pytest.raises((ValidationError, TypeError, AssertionError)) as error:
        services.reallocation_record(**values)
    if isinstance(error.value, ValidationError):
        assert message in str(error.value)
    assert {(r.pk, r.amount) for r in review.workplan.resources.all()} == before
    assert not Reallocation.objects.exists()


def test_a_midterm_review_needs_an_approved_workplan(workplan, coordinator) -> None:
    with pytest.raises(ApplicationError):
        services.midterm_review_save(
            user=coordinator, workplan=workplan, review_date=datetime.date(2012, 10, 1)
        )


def test_the_review_date_lies_in_the_biennium(review, coordinator) -> None:
    with pytest.raises(ValidationError):
        services.midterm_review_save(
            user=coordinator,
            workplan=review.workplan,
            review_date=datetime.date(2015, 1, 1),
            version=review.version,
        )


def test_a_step_checks_the_role_then_the_version_then_the_state(
    workplan, coordinator, officer, user_for
) -> None:
    """rbm.workflow.transition: 403 for a role the table refuses, 409 for a stale version,
    then 400 with the table's refusal for a state the step cannot leave."""
    stale = workplan.version
    workplan = services.workplan_submit(user=coordinator, workplan=workplan, version=stale)
    with pytest.raises(PermissionDenied):
        services.workplan_approve(user=coordinator, workplan=workplan, version=workplan.version)
    with pytest.raises(ConflictError):
        services.workplan_submit(user=coordinator, workplan=workplan, version=stale)
    with pytest.raises(ApplicationError) as refused:
        services.workplan_submit(user=coordinator, workplan=workplan, version=workplan.version)
    assert refused.value.message == "The workplan is submitted: it cannot become submitted."
    workplan.refresh_from_db()
    assert workplan.status == WorkplanStatus.SUBMITTED
    assert list(workplan.events.values_list("kind", flat=True)) == [EventKind.SUBMITTED]

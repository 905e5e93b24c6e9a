"""The workplans' and report runs' events: who is told."""

from __future__ import annotations

import pytest

from rbm.models import Notification, Role
from reporting.services import report_run_request, run_fail
from tests import factories
from workplans import services as workplan_services
from workplans.models import OutcomeWorkplan

pytestmark = pytest.mark.django_db


def _told(event: str) -> set[int]:
    return set(Notification.objects.filter(event=event).values_list("recipient_id", flat=True))


def test_workplan_events_tell_reviewers_and_coordinators(user_for) -> None:
    coordinator = user_for(Role.OUTCOME_COORDINATOR)
    other_coordinator = user_for(Role.OUTCOME_COORDINATOR)
    officer = user_for(Role.PROGRAMME_OFFICER)
    _plan, (child_labour, standards) = factories.framework_2012_13()
    child_labour.coordinators.add(coordinator)
    standards.coordinators.add(other_coordinator)
    workplan_services.workplans_open(user=officer, biennium=factories.biennium("2012-13"))
    workplan = OutcomeWorkplan.objects.get(outcome=child_labour)
    workplan = workplan_services.workplan_submit(
        user=coordinator, workplan=workplan, version=workplan.version
    )
    assert _told("workplan.submitted") == {officer.pk}
    workplan = workplan_services.workplan_return(
        user=officer, workplan=workplan, version=workplan.version, comment="Targets?"
    )
    assert _told("workplan.returned") == {coordinator.pk}
    workplan_services.workplan_comment(user=officer, workplan=workplan, text="See the table.")
    assert _told("workplan.commented") == {coordinator.pk}  # not its author
    workplan = workplan_services.workplan_submit(
        user=coordinator, workplan=workplan, version=workplan.version
    )
    workplan_services.workplan_approve(user=officer, workplan=workplan, version=workplan.version)
    assert _told("workplan.approved") == {coordinator.pk}


def test_a_report_run_that_fails_tells_who_asked(user_for) -> None:
    secretariat = user_for(Role.GB_SECRETARIAT)
    factories.framework_2012_13()
    run = report_run_request(user=secretariat, biennium=factories.biennium("2012-13"))
    run_fail(run.pk, "The database went away.")
    told = Notification.objects.filter(recipient=secretariat)
    assert [n.event for n in told] == ["report.failed"]

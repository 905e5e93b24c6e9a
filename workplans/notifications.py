"""The workplans' events: a workplan submitted (told to the programme officers), returned or
approved (told to its outcome's coordinators), commented (told to both, but the author)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from rbm.models import Role, User
from rbm.notifications import Event, notify, register_event
from workplans.models import OutcomeWorkplan, WorkplanEvent

for event in (
    Event(
        "workplan.submitted",
        _("A workplan is submitted"),
        _("The workplan of outcome %(outcome)s (%(biennium)s) waits for your review."),
    ),
    Event(
        "workplan.returned",
        _("A workplan is returned"),
        _("The workplan of outcome %(outcome)s (%(biennium)s) was returned for revision."),
    ),
    Event(
        "workplan.approved",
        _("A workplan is approved"),
        _("The workplan of outcome %(outcome)s (%(biennium)s) was approved."),
    ),
    Event(
        "workplan.commented",
        _("A workplan is commented"),
        _("%(author)s commented on the workplan of outcome %(outcome)s (%(biennium)s)."),
    ),
):
    register_event(event)


def _programme_officers() -> list[User]:
    return list(User.objects.filter(role=Role.PROGRAMME_OFFICER, is_active=True))


def _coordinators(workplan: OutcomeWorkplan) -> list[User]:
    return list(
        User.objects.filter(
            coordinated_outcomes=workplan.outcome_id,
            role=Role.OUTCOME_COORDINATOR,
            is_active=True,
        )
    )


def _tell(event: str, workplan: OutcomeWorkplan, recipients: list[User], **params: str) -> None:
    notify(
        event=event,
        key=f"{event}:{workplan.pk}:v{workplan.version}",
        recipients=recipients,
        url=reverse("workplans:detail", args=[workplan.pk]),
        params={"outcome": workplan.outcome.code, "biennium": str(workplan.biennium), **params},
        record=workplan,
        read_action="workplan.view",
    )


def workplan_submitted(workplan: OutcomeWorkplan) -> None:
    _tell("workplan.submitted", workplan, _programme_officers())


def workplan_returned(workplan: OutcomeWorkplan) -> None:
    _tell("workplan.returned", workplan, _coordinators(workplan))


def workplan_approved(workplan: OutcomeWorkplan) -> None:
    _tell("workplan.approved", workplan, _coordinators(workplan))


def workplan_commented(workplan: OutcomeWorkplan, comment: WorkplanEvent) -> None:
    recipients = [
        user
        for user in [*_coordinators(workplan), *_programme_officers()]
        if user.pk != comment.author_id
    ]
    notify(
        event="workplan.commented",
        key=f"workplan.commented:{comment.pk}",
        recipients=recipients,
        url=reverse("workplans:detail", args=[workplan.pk]) + f"#event-{comment.pk}",
        params={
            "outcome": workplan.outcome.code,
            "biennium": str(workplan.biennium),
            "author": str(comment.author),
        },
        record=workplan,
        read_action="workplan.view",
    )

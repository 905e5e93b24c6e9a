"""The report runs' events: a run finished or failed, told to whoever asked for it."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from rbm.models import User
from rbm.notifications import Event, notify, register_event
from reporting.models import ReportRun

register_event(
    Event(
        "report.finished",
        _("A report run is finished"),
        _("The implementation report %(biennium)s you asked for is ready."),
    )
)
register_event(
    Event(
        "report.failed",
        _("A report run failed"),
        _("The implementation report %(biennium)s you asked for failed: see its page."),
    )
)


def run_ended(run: ReportRun, *, failed: bool) -> None:
    if run.requested_by_id is None:
        return
    event = "report.failed" if failed else "report.finished"
    notify(
        event=event,
        key=f"{event}:{run.pk}",
        recipients=User.objects.filter(pk=run.requested_by_id),
        url=reverse("reporting:run", args=[run.pk]),
        params={"biennium": str(run.biennium)},
        record=run,
        read_action="report.view",
    )

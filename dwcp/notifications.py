"""The country programmes' events: who is told when a progress report moves, an import ends,
an extension is asked or granted, and what the daily scan finds due or overdue.

Recipients follow the permission table's scopes: a report's office is the field staff of the
offices covering its country, its region the regional officers of the country's region; each
is asked ``progress.view`` before being told (``rbm.notifications.notify``).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dwcp.models import CpoImport, ProgressReport, ReportingExtension, ReportingReminder
from rbm.models import Office, Role, User
from rbm.notifications import Event, notify, register_event, register_scan

# How long after a due date the scan still tells about it (if it did not run that day).
OVERDUE_WINDOW = datetime.timedelta(days=7)
DUE_NOTICE = datetime.timedelta(days=7)

EVENTS = [
    Event(
        "progress.submitted",
        _("A progress report is submitted"),
        _("%(cpo)s · %(period)s: a progress report waits for your validation."),
    ),
    Event(
        "progress.returned",
        _("A progress report is returned"),
        _("%(cpo)s · %(period)s: the region returned the progress report for revision."),
    ),
    Event(
        "progress.validated",
        _("A progress report is validated"),
        _("%(cpo)s · %(period)s: the region validated the progress report."),
    ),
    Event(
        "progress.due",
        _("Progress reports fall due in 7 days"),
        _("%(count)s progress reports for %(period)s are due on %(due)s."),
    ),
    Event(
        "progress.overdue",
        _("Progress reports are overdue"),
        _("%(count)s progress reports for %(period)s are overdue: they were due on %(due)s."),
    ),
    Event(
        "milestone.due",
        _("A milestone falls due in 7 days"),
        _("%(cpo)s: the milestone “%(milestone)s” is due on %(due)s."),
    ),
    Event(
        "milestone.overdue",
        _("A milestone is overdue"),
        _("%(cpo)s: the milestone “%(milestone)s” is overdue: it was due on %(due)s."),
    ),
    Event(
        "extension.requested",
        _("An office asks for an extension"),
        _("%(office)s asks for more time to report %(period)s."),
    ),
    Event(
        "extension.granted",
        _("An extension is granted"),
        _("%(office)s may report %(period)s until %(until)s."),
    ),
    Event(
        "import.finished",
        _("A CPO import is finished"),
        _("Your CPO import “%(file)s” is finished."),
    ),
    Event(
        "import.refused",
        _("A CPO import is refused"),
        _("Your CPO import “%(file)s” was refused: nothing was imported."),
    ),
    Event(
        "progress.reminder",
        _("A reminder to report"),
        _("Reminder from headquarters: %(count)s progress reports for %(period)s are missing."),
    ),
]
for event in EVENTS:
    register_event(event)


def office_staff(country_id: int) -> QuerySet[User]:
    """Field staff of the offices covering the country."""
    return User.objects.filter(
        role=Role.FIELD_OFFICE_STAFF, is_active=True, office__countries=country_id
    ).distinct()


def regional_officers(region_id: int) -> QuerySet[User]:
    return User.objects.filter(
        role=Role.REGIONAL_PROGRAMME_OFFICER, is_active=True, region_id=region_id
    )


def _report_params(report: ProgressReport) -> dict[str, Any]:
    return {"cpo": report.cpo.code, "period": str(report.period)}


def _report_key(event: str, report: ProgressReport) -> str:
    return f"{event}:{report.pk}:v{report.version}"


def report_submitted(report: ProgressReport) -> None:
    country = report.cpo.programme.country
    notify(
        event="progress.submitted",
        key=_report_key("progress.submitted", report),
        recipients=regional_officers(country.region_id),
        url=reverse("dwcp:validation-queue") + f"?country={country.pk}",
        params=_report_params(report),
        record=report,
        read_action="progress.view",
    )


def _to_office(event: str, report: ProgressReport) -> None:
    notify(
        event=event,
        key=_report_key(event, report),
        recipients=office_staff(report.cpo.programme.country_id),
        url=reverse("dwcp:cpo-detail", args=[report.cpo_id]),
        params=_report_params(report),
        record=report,
        read_action="progress.view",
    )


def report_returned(report: ProgressReport) -> None:
    _to_office("progress.returned", report)


def report_validated(report: ProgressReport) -> None:
    _to_office("progress.validated", report)


def extension_requested(extension: ReportingExtension) -> None:
    region_id = extension.office.region_id
    if region_id is None:
        return
    notify(
        event="extension.requested",
        key=f"extension.requested:{extension.pk}:v{extension.version}",
        recipients=regional_officers(region_id),
        url=reverse("dwcp:calendar"),
        params={"office": extension.office.name, "period": str(extension.period)},
    )


def extension_granted(extension: ReportingExtension) -> None:
    notify(
        event="extension.granted",
        key=f"extension.granted:{extension.pk}:v{extension.version}",
        recipients=User.objects.filter(office=extension.office_id, is_active=True),
        url=reverse("dwcp:calendar"),
        params={
            "office": extension.office.name,
            "period": str(extension.period),
            "until": extension.ends_on.isoformat() if extension.ends_on else "",
        },
    )


def import_ended(job: CpoImport, *, refused: bool) -> None:
    event = "import.refused" if refused else "import.finished"
    notify(
        event=event,
        key=f"{event}:{job.pk}",
        recipients=User.objects.filter(pk=job.uploaded_by_id),
        url=reverse("dwcp:cpo-import-detail", args=[job.pk]),
        params={"file": job.filename},
        record=job,
        read_action="cpo_import.view",
    )


def reminder_recipients(office: Office) -> QuerySet[User]:
    return User.objects.filter(role=Role.FIELD_OFFICE_STAFF, is_active=True, office=office)


def remind(reminder: ReportingReminder, recipients: list[User]) -> None:
    notify(
        event="progress.reminder",
        key=f"progress.reminder:{reminder.pk}",
        recipients=recipients,
        url="/",
        params={"count": reminder.missing, "period": str(reminder.period)},
    )


# The daily scan: set-based, one INSERT ... SELECT per kind ---------------------------------

_EMAIL_STATE = """CASE WHEN u.email = '' OR u.email_mode = 'none' THEN 'none'
    WHEN u.email_mode = 'digest' THEN 'digest' ELSE 'pending' END"""


def _json(pairs: dict[str, str]) -> str:
    """SQL for a JSON object of the given name -> SQL expression pairs."""
    function = "jsonb_build_object" if connection.vendor == "postgresql" else "json_object"
    arguments = ", ".join(f"'{name}', {value}" for name, value in pairs.items())
    return f"{function}({arguments})"


def _text(expression: str) -> str:
    return (
        f"CAST({expression} AS TEXT)"
        if connection.vendor != "postgresql"
        else f"({expression})::text"
    )


def _insert(select: str, params: dict[str, Any]) -> int:
    sql = (
        "INSERT INTO rbm_notification "
        "(recipient_id, event, key, params, url, created_at, email_state) "
        f"{select} ON CONFLICT (recipient_id, key) DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(cursor.rowcount, 0)


def _concat(*parts: str) -> str:
    return " || ".join(parts)


def scan_reports(day: datetime.date) -> int:
    """Per office member and period: the CPOs of the period's biennium in the office's
    countries without a submitted or validated report, for a period due in 7 days (event
    ``progress.due``) or due in the last week and not yet locked (``progress.overdue``)."""
    total = 0
    for event, condition in (
        ("progress.due", "p.due_on = %(due_day)s"),
        (
            "progress.overdue",
            "p.due_on < %(day)s AND p.due_on >= %(window)s "
            "AND (p.locks_on IS NULL OR p.locks_on >= %(day)s)",
        ),
    ):
        params = {"day": day, "due_day": day + DUE_NOTICE, "window": day - OVERDUE_WINDOW}
        key = _concat(f"'{event}:'", _text("p.id"), "':'", _text("u.office_id"))
        values = _json(
            {"period": "p.name", "count": "COUNT(DISTINCT c.id)", "due": _text("p.due_on")}
        )
        select = f"""
            SELECT u.id, '{event}', {key}, {values}, '/', CURRENT_TIMESTAMP, {_EMAIL_STATE}
            FROM dwcp_reportingperiod p
            JOIN dwcp_countryprogrammeoutcome c ON c.biennium_id = p.biennium_id
            JOIN dwcp_decentworkcountryprogramme d ON d.id = c.programme_id
            JOIN rbm_office_countries oc ON oc.country_id = d.country_id
            JOIN rbm_user u ON u.office_id = oc.office_id
                AND u.role = 'field_office_staff' AND u.is_active
            WHERE {condition}
              AND NOT EXISTS (
                SELECT 1 FROM dwcp_progressreport r
                WHERE r.cpo_id = c.id AND r.period_id = p.id
                  AND r.review_state IN ('submitted', 'validated'))
            GROUP BY u.id, u.office_id, u.email, u.email_mode, p.id, p.name, p.due_on
        """  # noqa: S608 (constants only; the dates are parameters)
        total += _insert(select, params)
    return total


def scan_milestones(day: datetime.date) -> int:
    """Per office member: each milestone not reached, due in 7 days (``milestone.due``) or
    overdue since the last week (``milestone.overdue``)."""
    total = 0
    for event, condition in (
        ("milestone.due", "m.due_on = %(due_day)s"),
        ("milestone.overdue", "m.due_on < %(day)s AND m.due_on >= %(window)s"),
    ):
        params = {"day": day, "due_day": day + DUE_NOTICE, "window": day - OVERDUE_WINDOW}
        key = _concat(f"'{event}:'", _text("m.id"))
        values = _json({"cpo": "c.code", "milestone": "m.text", "due": _text("m.due_on")})
        url = _concat("'/dwcp/cpos/'", _text("c.id"), "'/'")
        select = f"""
            SELECT DISTINCT u.id, '{event}', {key}, {values}, {url}, CURRENT_TIMESTAMP,
                {_EMAIL_STATE}
            FROM dwcp_milestone m
            JOIN dwcp_countryprogrammeoutcome c ON c.id = m.cpo_id
            JOIN dwcp_decentworkcountryprogramme d ON d.id = c.programme_id
            JOIN rbm_office_countries oc ON oc.country_id = d.country_id
            JOIN rbm_user u ON u.office_id = oc.office_id
                AND u.role = 'field_office_staff' AND u.is_active
            WHERE NOT m.reached AND {condition}
        """  # noqa: S608 (constants only; the dates are parameters)
        total += _insert(select, params)
    return total


def scan(day: datetime.date) -> int:
    return scan_reports(day) + scan_milestones(day)


register_scan("dwcp", scan)

"""The reporting calendar: when a period opens, falls due and locks; extensions of the lock
for one office; the lock every write of a progress report asks (page, API alike).

A lock never changes a report: it only refuses creating and changing reports of the period
(``period_write_check``); reviewing (validating, returning) is the region's and goes on, and
validated figures stay as they are.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dwcp.models import (
    CountryProgrammeOutcome,
    ReportingExtension,
    ReportingPeriod,
    ReportingReminder,
)
from rbm.errors import ApplicationError
from rbm.models import Biennium, Office, User
from rbm.permissions import require
from rbm.services import save_versioned, validate
from rbm.workflow import locked_for

# The biennium's rule for a period's dates: reports may be written from the period's start,
# fall due a month after it ends and lock a month later.
DUE_AFTER_END = datetime.timedelta(days=30)
LOCK_AFTER_DUE = datetime.timedelta(days=30)


class PeriodLocked(ApplicationError):
    """A report of a period that is not open (not yet, or locked) cannot be written."""

    status_code = 403


def calendar_defaults(
    period: ReportingPeriod,
) -> tuple[datetime.date, datetime.date, datetime.date]:
    """(opens_on, due_on, locks_on) by the biennium's rule."""
    due = period.ends_on + DUE_AFTER_END
    return period.starts_on, due, due + LOCK_AFTER_DUE


@transaction.atomic
def reporting_calendar_set_defaults(*, user: User, biennium: Biennium) -> list[ReportingPeriod]:
    """Give the biennium's periods without a calendar the default dates."""
    require(user, "calendar.edit")
    periods = list(
        ReportingPeriod.objects.select_for_update()
        .filter(biennium=biennium, locks_on__isnull=True)
        .order_by("starts_on")
    )
    for period in periods:
        period.opens_on, period.due_on, period.locks_on = calendar_defaults(period)
        validate(period)
        save_versioned(period, update_fields=["opens_on", "due_on", "locks_on"])
    return periods


@transaction.atomic
def reporting_period_dates_set(
    *,
    user: User,
    period: ReportingPeriod,
    version: int | None,
    opens_on: datetime.date,
    due_on: datetime.date,
    locks_on: datetime.date,
) -> ReportingPeriod:
    """A programme officer changes a period's opening, due and lock dates."""
    period = locked_for(period, user=user, action="calendar.edit", version=version)
    period.opens_on, period.due_on, period.locks_on = opens_on, due_on, locks_on
    validate(period)
    save_versioned(period, update_fields=["opens_on", "due_on", "locks_on"])
    return period


def _today() -> datetime.date:
    return timezone.localdate()


def period_write_check(
    *, cpo: CountryProgrammeOutcome, period: ReportingPeriod, today: datetime.date | None = None
) -> None:
    """Refuse (``PeriodLocked``) a report written before the period opens or after it locks,
    unless the CPO's office holds an extension running today."""
    today = today or _today()
    if not period.open_on(today):
        raise PeriodLocked(
            _("Reports for %(period)s can be written from %(date)s.")
            % {"period": period, "date": period.opens_on}
        )
    if not period.locked_on(today):
        return
    office_id = cpo.programme.office_id
    extension = (
        ReportingExtension.objects.filter(period=period, office_id=office_id).first()
        if office_id
        else None
    )
    if extension is not None and extension.allows_on(today):
        return
    raise PeriodLocked(
        _(
            "%(period)s locked on %(date)s: its reports can no longer be created or changed. "
            "Ask your region for an extension."
        )
        % {"period": period, "date": period.locks_on}
    )


def _reason(reason: str) -> str:
    return reason.strip()


@transaction.atomic
def extension_request(
    *, user: User, period: ReportingPeriod, office: Office, reason: str
) -> ReportingExtension:
    """The office asks its region for more time to report a locked period."""
    require(user, "extension.request", office)
    if not _reason(reason):
        raise ValidationError({"reason": _("Say why the office needs more time.")})
    if not period.locked_on(_today()):
        raise ApplicationError(
            _("%(period)s is not locked: no extension is needed.") % {"period": period}
        )
    existing = ReportingExtension.objects.select_for_update().filter(period=period, office=office)
    extension = existing.first()
    if extension is not None:
        if extension.allows_on(_today()):
            raise ApplicationError(_("The office already has an extension for this period."))
        extension.state = ReportingExtension.State.REQUESTED
        extension.reason = _reason(reason)
        extension.requested_by = user
        validate(extension)
        save_versioned(extension, update_fields=["state", "reason", "requested_by"])
    else:
        extension = ReportingExtension(
            period=period,
            office=office,
            state=ReportingExtension.State.REQUESTED,
            reason=_reason(reason),
            requested_by=user,
        )
        validate(extension)
        extension.save()
    from dwcp.notifications import extension_requested

    extension_requested(extension)
    return extension


@transaction.atomic
def extension_grant(
    *,
    user: User,
    period: ReportingPeriod,
    office: Office,
    ends_on: datetime.date,
    reason: str = "",
) -> ReportingExtension:
    """The region lets one office write the period's reports until ``ends_on``."""
    require(user, "extension.grant", office)
    if ends_on < _today():
        raise ValidationError({"ends_on": _("An extension ends today or later.")})
    if period.locks_on is not None and ends_on <= period.locks_on:
        raise ValidationError({"ends_on": _("An extension ends after the period's lock date.")})
    extension = (
        ReportingExtension.objects.select_for_update().filter(period=period, office=office).first()
    )
    if extension is None:
        extension = ReportingExtension(period=period, office=office)
    extension.state = ReportingExtension.State.GRANTED
    extension.ends_on = ends_on
    extension.granted_by = user
    extension.granted_at = timezone.now()
    if reason.strip():
        extension.reason = reason.strip()
    validate(extension)
    if extension.pk:
        save_versioned(
            extension, update_fields=["state", "ends_on", "granted_by", "granted_at", "reason"]
        )
    else:
        extension.save()
    from dwcp.notifications import extension_granted

    extension_granted(extension)
    return extension


class TooSoon(ApplicationError):
    """A reminder to the same office about the same period within a day."""

    status_code = 429


REMINDER_INTERVAL = datetime.timedelta(hours=24)


@transaction.atomic
def reminder_send(*, user: User, period: ReportingPeriod, office: Office) -> ReportingReminder:
    """Remind an office's staff of the period's missing reports: at most once a day per office
    and period, logged."""
    require(user, "reminder.send")
    # One sender at a time per office: the second of two at once sees the first's log.
    Office.objects.select_for_update().filter(pk=office.pk).first()
    since = timezone.now() - REMINDER_INTERVAL
    last = ReportingReminder.objects.filter(
        period=period, office=office, sent_at__gte=since
    ).first()
    if last is not None:
        raise TooSoon(
            _("%(office)s was reminded at %(time)s: one reminder a day per office.")
            % {
                "office": office.name,
                "time": timezone.localtime(last.sent_at).strftime("%Y-%m-%d %H:%M"),
            }
        )
    from dwcp.notifications import remind, reminder_recipients
    from dwcp.selectors.workqueue import unreported_cpos

    missing = unreported_cpos(
        period, CountryProgrammeOutcome.objects.filter(programme__office=office)
    ).count()
    if not missing:
        raise ApplicationError(
            _("%(office)s has reported every CPO of %(period)s.")
            % {"office": office.name, "period": period}
        )
    recipients = list(reminder_recipients(office))
    reminder = ReportingReminder.objects.create(
        period=period, office=office, sent_by=user, missing=missing, recipients=len(recipients)
    )
    remind(reminder, recipients)
    return reminder

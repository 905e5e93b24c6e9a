"""Events and notifications: who is told what, in the app and by e-mail.

An app registers its events (``register_event``) from its ``AppConfig.ready``, as it
registers menu links and panels in ``rbm.ui``, and calls ``notify`` from its services when
one happens, naming the people whose role and scope it concerns and the permission action
that reads the record: nobody who may not read the record is told (``can`` is asked for
each recipient). The text is the event's, in the recipient's language, made from plain
parameters (codes, names, counts); an e-mail holds that text and a link to the record,
nothing else.

Sending (``deliver`` for one notification, ``deliver_pending`` for all waiting, ``send_digests``
once a day) runs in Celery tasks (``rbm.tasks``) and is idempotent: each notification is
unique per recipient and key, and its e-mail is claimed (``pending`` -> ``sending``) in a
committed statement before the mail server is spoken to, so a retried or repeated task
never sends it twice. A refusal by the mail server puts it back to ``pending``.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from rbm.models import EmailMode, EmailState, Notification, User
from rbm.permissions import can

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Event:
    """A kind of event: its key ("progress.returned"), its label on the account page and
    the words of its notification, with ``%(name)s`` parameters."""

    key: str
    label: str | Promise
    text: str | Promise


_EVENTS: dict[str, Event] = {}


def register_event(event: Event) -> None:
    _EVENTS[event.key] = event


def events() -> dict[str, Event]:
    return dict(_EVENTS)


# Scans: what falls due or is overdue, checked once a day by ``rbm.scan_due_and_overdue``
# (beat). Each app registers its own (dwcp: progress reports and milestones; cooperation:
# projects ending soon or under-delivering; evaluations: follow-up actions due) as a
# function of the day that records its notifications set-based and returns how many.
Scan = Callable[[datetime.date], int]
_SCANS: dict[str, Scan] = {}


def register_scan(key: str, scan: Scan) -> None:
    _SCANS[key] = scan


def run_scans(day: datetime.date | None = None) -> dict[str, int]:
    """Every registered scan for ``day`` (today), each in its own transaction; then the
    e-mails to send at once are queued."""
    day = day or timezone.localdate()
    counts = {}
    for key, scan in sorted(_SCANS.items()):
        with transaction.atomic():
            counts[key] = scan(day)
    queue_delivery()
    return counts


def event_text(event: str, params: Mapping[str, Any]) -> str:
    """The notification's words in the active language."""
    known = _EVENTS.get(event)
    if known is None:
        return event
    try:
        return str(known.text) % params
    except (KeyError, TypeError, ValueError):
        return str(known.label)


def notification_text(notification: Notification) -> str:
    return event_text(notification.event, notification.params)


def _initial_state(user: User) -> str:
    if not user.email or user.email_mode == EmailMode.NONE:
        return EmailState.NONE
    if user.email_mode == EmailMode.DIGEST:
        return EmailState.DIGEST
    return EmailState.PENDING


def notify(
    *,
    event: str,
    key: str,
    recipients: Iterable[User],
    url: str,
    params: Mapping[str, Any] | None = None,
    record: Any = None,
    read_action: str | None = None,
) -> list[Notification]:
    """Tell ``recipients`` about ``event`` (once per recipient and ``key``); those who may
    not take ``read_action`` on ``record`` are left out. E-mails to send at once are queued
    once the transaction commits."""
    if event not in _EVENTS:
        raise ValueError(f"Unknown event {event!r}: register it first.")
    users = {user.pk: user for user in recipients if user.is_active}
    if read_action is not None:
        users = {pk: user for pk, user in users.items() if can(user, read_action, record)}
    rows = [
        Notification(
            recipient=user,
            event=event,
            key=key[:200],
            params=dict(params or {}),
            url=url[:300],
            email_state=_initial_state(user),
        )
        for user in users.values()
    ]
    if not rows:
        return []
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    created = list(
        Notification.objects.filter(key=key[:200], recipient__in=list(users)).select_related(
            "recipient"
        )
    )
    if any(n.email_state == EmailState.PENDING for n in created):
        queue_delivery()
    return created


def queue_delivery() -> None:
    """Queue ``rbm.deliver_notifications`` once the transaction commits (an e-mail not sent
    now stays pending for the next run: nothing is lost if the broker is down)."""
    from rbm.jobs import enqueue
    from rbm.tasks import deliver_notifications

    enqueue(deliver_notifications, on_refused=lambda: None)


# Reading ------------------------------------------------------------------------------------


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_of(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def notification_mark_read(*, user: User, notification: Notification) -> None:
    if notification.recipient_id != user.pk:
        raise PermissionError
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        notification.read_at = timezone.now()


def notifications_mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# Sending ------------------------------------------------------------------------------------


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _claim(ids: Iterable[int], state: str) -> list[Notification]:
    """Take the notifications still in ``state`` for this sender (committed at once)."""
    with transaction.atomic():
        claimed = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk__in=list(ids), email_state=state)
            .select_related("recipient")
            .order_by("pk")
        )
        Notification.objects.filter(pk__in=[n.pk for n in claimed]).update(
            email_state=EmailState.SENDING
        )
    return claimed


def _message(user: User, subject: str, lines: list[str], message_id: str) -> EmailMessage:
    return EmailMessage(
        subject=subject,
        body="\n".join(lines),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={"Message-ID": f"<{message_id}@{settings.EMAIL_MESSAGE_DOMAIN}>"},
    )


def _immediate(notification: Notification) -> EmailMessage:
    user = notification.recipient
    with translation.override(user.language):
        text = notification_text(notification)
        lines = [
            text,
            "",
            _("Open it: %(url)s") % {"url": absolute_url(notification.url)},
            "",
            _("You receive this because of your role. Choose how you are told on %(url)s")
            % {"url": absolute_url("/account/")},
        ]
        return _message(user, text, lines, f"rbm-n{notification.pk}")


def _finish(sent: list[int], failed: list[int], back_to: str) -> None:
    if sent:
        Notification.objects.filter(pk__in=sent).update(
            email_state=EmailState.SENT, emailed_at=timezone.now()
        )
    if failed:
        Notification.objects.filter(pk__in=failed).update(email_state=back_to)


def deliver_pending(limit: int = 500) -> int:
    """Send the e-mails of notifications waiting to leave at once; returns how many left."""
    ids = list(
        Notification.objects.filter(email_state=EmailState.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    claimed = _claim(ids, EmailState.PENDING)
    if not claimed:
        return 0
    sent: list[int] = []
    connection = get_connection()
    try:
        connection.open()
    except Exception:
        logger.exception("The mail server cannot be reached: %s e-mails wait", len(claimed))
        _finish([], [n.pk for n in claimed], EmailState.PENDING)
        return 0
    try:
        for notification in claimed:
            try:
                connection.send_messages([_immediate(notification)])
            except Exception:
                logger.exception("E-mail of notification %s not sent", notification.pk)
            else:
                sent.append(notification.pk)
    finally:
        # What was not accepted by the server waits for the next run.
        unsent = [n.pk for n in claimed if n.pk not in set(sent)]
        _finish(sent, unsent, EmailState.PENDING)
        connection.close()
    return len(sent)


def send_digests() -> int:
    """One e-mail per person who chose the daily digest, listing what waits for it."""
    users = list(
        User.objects.filter(notifications__email_state=EmailState.DIGEST).distinct().order_by("pk")
    )
    count = 0
    connection = get_connection()
    for user in users:
        ids = Notification.objects.filter(
            recipient=user, email_state=EmailState.DIGEST
        ).values_list("pk", flat=True)
        claimed = _claim(ids, EmailState.DIGEST)
        if not claimed:
            continue
        with translation.override(user.language):
            subject = _("Your daily digest: %(count)s notifications") % {"count": len(claimed)}
            lines = [subject, ""]
            for notification in sorted(claimed, key=lambda n: n.created_at):
                lines.append(f"- {notification_text(notification)}")
                lines.append(f"  {absolute_url(notification.url)}")
            lines += [
                "",
                _("Choose how you are told on %(url)s") % {"url": absolute_url("/account/")},
            ]
            message = _message(user, subject, lines, f"rbm-d{claimed[0].pk}-{len(claimed)}")
        try:
            connection.send_messages([message])
        except Exception:
            logger.exception("Digest of user %s not sent", user.pk)
            _finish([], [n.pk for n in claimed], EmailState.DIGEST)
        else:
            _finish([n.pk for n in claimed], [], EmailState.DIGEST)
            count += 1
    return count

"""Celery tasks of the core: e-mails of notifications (thin: each calls ``rbm.notifications``)."""

from __future__ import annotations

from celery import shared_task

from rbm import notifications


# Safe to run twice: each e-mail is claimed before it is sent (``rbm.notifications``).
@shared_task(name="rbm.deliver_notifications", acks_late=True, soft_time_limit=300, time_limit=330)
def deliver_notifications() -> int:
    total = 0
    while sent := notifications.deliver_pending():
        total += sent
    return total


@shared_task(name="rbm.send_digests", acks_late=True, soft_time_limit=1200, time_limit=1260)
def send_digests() -> int:
    return notifications.send_digests()


@shared_task(name="rbm.scan_due_and_overdue", acks_late=True, soft_time_limit=600, time_limit=630)
def scan_due_and_overdue() -> dict[str, int]:
    """Record what falls due in 7 days or became overdue (idempotent: keys per occurrence)."""
    return notifications.run_scans()

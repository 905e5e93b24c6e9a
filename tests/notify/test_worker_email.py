"""E-mails sent by a real Celery worker on Redis to a real SMTP server: what arrives, and
nothing twice when the task is delivered again."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings

from dwcp import services
from rbm.models import EmailState, Notification
from rbm.tasks import deliver_notifications
from tests import factories
from tests.notify.conftest import World
from tests.notify.smtp import Inbox
from tests.worker import Worker, celery_on_redis, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_worker_sends_each_e_mail_once(world: World, inbox: Inbox) -> None:
    with celery_on_redis() as queue, Worker(queue, concurrency=2):
        report = factories.ProgressReportFactory(cpo=world.idn_cpo, period=world.period)
        report = services.progress_report_submit(
            user=world.field_idn, report=report, version=report.version
        )
        services.progress_report_return(
            user=world.rpo_asia, report=report, version=report.version, comment="Fix it."
        )
        wait_for(lambda: len(inbox.messages) >= 3, timeout=60)
        # The task delivered again (a retry, a second beat): nothing leaves twice.
        for _ in range(3):
            deliver_notifications.apply_async().get(timeout=60)
    assert sorted(str(m["To"]) for m in inbox.messages) == sorted(
        [world.rpo_asia.email, world.field_idn.email, world.field_idn_2.email]
    )
    french = inbox.to(world.field_idn.email)[0]
    assert "renvoyé" in str(french["Subject"])
    assert f"{settings.SITE_URL}/dwcp/cpos/{world.idn_cpo.pk}/" in Inbox.body(french)
    assert not Notification.objects.exclude(email_state=EmailState.SENT).exists()


def test_beat_schedules_the_scan_the_digests_and_waiting_e_mails() -> None:
    tasks: dict[str, Any] = {
        entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }
    assert {"rbm.scan_due_and_overdue", "rbm.send_digests", "rbm.deliver_notifications"} <= set(
        tasks
    )

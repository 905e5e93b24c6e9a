"""Events and notifications: recipients by role and scope, in the app (bell, page, mark
read) and by e-mail to a real SMTP server, immediately or as a digest, never twice."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from dwcp import services
from dwcp.models import ProgressReport
from rbm import notifications
from rbm.models import EmailMode, EmailState, Notification
from rbm.tasks import deliver_notifications, scan_due_and_overdue, send_digests
from tests import factories
from tests.notify.conftest import World, set_calendar
from tests.notify.smtp import Inbox

pytestmark = pytest.mark.django_db


def _submitted(world: World) -> ProgressReport:
    report = factories.ProgressReportFactory(cpo=world.idn_cpo, period=world.period)
    return services.progress_report_submit(
        user=world.field_idn, report=report, version=report.version
    )


def _told(event: str) -> set[int]:
    return set(Notification.objects.filter(event=event).values_list("recipient_id", flat=True))


def test_a_submitted_report_tells_its_region_only(world: World) -> None:
    _submitted(world)
    assert _told("progress.submitted") == {world.rpo_asia.pk}


def test_a_returned_or_validated_report_tells_the_office_only(world: World) -> None:
    report = _submitted(world)
    report = services.progress_report_return(
        user=world.rpo_asia, report=report, version=report.version, comment="Add evidence."
    )
    assert _told("progress.returned") == {world.field_idn.pk, world.field_idn_2.pk}
    report = services.progress_report_submit(
        user=world.field_idn, report=report, version=report.version
    )
    services.progress_report_validate(user=world.rpo_asia, report=report, version=report.version)
    assert _told("progress.validated") == {world.field_idn.pk, world.field_idn_2.pk}
    # Submitted twice: each occurrence told once (its version is in the key).
    assert Notification.objects.filter(event="progress.submitted").count() == 2


def test_the_same_occurrence_is_recorded_once(world: World) -> None:
    report = _submitted(world)
    notified = [
        notifications.notify(
            event="progress.submitted",
            key=f"progress.submitted:{report.pk}:v{report.version}",
            recipients=[world.rpo_asia],
            url="/",
            params={"cpo": "X", "period": "Y"},
        )
        for _ in range(2)
    ]
    assert notified[0][0].pk == notified[1][0].pk
    assert Notification.objects.filter(event="progress.submitted").count() == 1


def test_nobody_who_may_not_read_the_record_is_told(world: World) -> None:
    report = _submitted(world)
    notifications.notify(
        event="progress.submitted",
        key="test:scope",
        recipients=[world.rpo_asia, world.rpo_africa, world.field_phl],
        url="/",
        params={"cpo": "X", "period": "Y"},
        record=report,
        read_action="progress.view",
    )
    assert set(
        Notification.objects.filter(key="test:scope").values_list("recipient_id", flat=True)
    ) == {world.rpo_asia.pk}


def test_immediate_e_mails_in_the_users_language_with_a_link(
    world: World, inbox: Inbox, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        report = _submitted(world)
        services.progress_report_return(
            user=world.rpo_asia,
            report=report,
            version=report.version,
            comment="Secret remark for the office only.",
        )
    french = inbox.to(world.field_idn.email)
    english = inbox.to(world.field_idn_2.email)
    assert len(french) == 1
    assert len(english) == 1
    assert world.idn_cpo.code in str(french[0]["Subject"])
    assert "renvoyé" in str(french[0]["Subject"])
    assert "returned" in str(english[0]["Subject"])
    link = f"{settings.SITE_URL}/dwcp/cpos/{world.idn_cpo.pk}/"
    assert link in Inbox.body(french[0])
    assert "Secret remark" not in Inbox.body(french[0])
    # The region was told of the submission, in English.
    assert len(inbox.to(world.rpo_asia.email)) == 1
    assert not inbox.to(world.field_phl.email)
    assert not inbox.to(world.rpo_africa.email)
    assert set(Notification.objects.values_list("email_state", flat=True)) == {EmailState.SENT}


def test_a_retried_delivery_never_sends_twice(
    world: World, inbox: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _submitted(world)
    assert len(inbox.messages) == 1
    Notification.objects.update(email_state=EmailState.SENDING)  # a sender died mid-way
    deliver_notifications.apply()
    deliver_notifications.apply()
    assert len(inbox.messages) == 1


def test_a_mail_server_refusal_keeps_the_e_mail_for_the_next_run(
    world: World, settings: Any
) -> None:
    from tests.notify.smtp import smtp_server

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 9  # nothing listens
    settings.EMAIL_TIMEOUT = 2
    deliver_notifications.apply()  # nothing waits yet
    _submitted(world)
    deliver_notifications.apply()
    assert Notification.objects.get().email_state == EmailState.PENDING
    with smtp_server() as box:
        settings.EMAIL_PORT = box.port
        deliver_notifications.apply()
        deliver_notifications.apply()
        assert len(box.messages) == 1


def test_the_digest_gathers_the_day_in_one_e_mail(world: World, inbox: Inbox) -> None:
    world.field_idn.email_mode = EmailMode.DIGEST
    world.field_idn.save()
    world.field_idn_2.email_mode = EmailMode.NONE
    world.field_idn_2.save()
    for period in ("2013-H1", "2013-H2"):
        report = factories.ProgressReportFactory(cpo=world.idn_cpo, period=factories.period(period))
        report = services.progress_report_submit(
            user=world.field_idn, report=report, version=report.version
        )
        services.progress_report_validate(
            user=world.rpo_asia, report=report, version=report.version
        )
    assert not inbox.to(world.field_idn.email)  # nothing immediate
    assert send_digests.apply().get() == 1
    assert send_digests.apply().get() == 0
    digest = inbox.to(world.field_idn.email)
    assert len(digest) == 1
    body = Inbox.body(digest[0])
    assert body.count(world.idn_cpo.code) == 2
    assert "2 " in str(digest[0]["Subject"])
    assert not inbox.to(world.field_idn_2.email)
    # The in-app notifications are there all the same.
    assert Notification.objects.filter(recipient=world.field_idn_2).count() == 2


def test_the_scan_tells_offices_what_falls_due_and_what_is_overdue(world: World) -> None:
    today = timezone.localdate()
    set_calendar(world.period, opens=-60, due=7, locks=30)
    factories.MilestoneFactory(cpo=world.idn_cpo, due_on=today - datetime.timedelta(days=2))
    factories.MilestoneFactory(
        cpo=world.idn_cpo, due_on=today - datetime.timedelta(days=2), reached=True
    )
    factories.MilestoneFactory(cpo=world.phl_cpo, due_on=today + datetime.timedelta(days=7))
    counts = scan_due_and_overdue.apply().get()
    assert counts["dwcp"] == 2 + 2 + 1 + 1  # due: 2 IDN + 1 PHL staff; overdue milestones
    due = Notification.objects.filter(event="progress.due")
    assert {n.recipient_id for n in due} == {
        world.field_idn.pk,
        world.field_idn_2.pk,
        world.field_phl.pk,
    }
    assert due.get(recipient=world.field_phl).params["count"] == 1
    assert _told("milestone.overdue") == {world.field_idn.pk, world.field_idn_2.pk}
    assert _told("milestone.due") == {world.field_phl.pk}
    # Again the same day: nothing new.
    assert scan_due_and_overdue.apply().get()["dwcp"] == 0
    # Once reported, a CPO is no longer counted overdue.
    report = factories.ProgressReportFactory(cpo=world.idn_cpo, period=world.period)
    services.progress_report_submit(user=world.field_idn, report=report, version=report.version)
    set_calendar(world.period, opens=-60, due=-1, locks=30)
    scan_due_and_overdue.apply()
    assert _told("progress.overdue") == {world.field_phl.pk}


def test_the_bell_counts_unread_and_the_page_marks_read(world: World, client: Any) -> None:
    report = _submitted(world)
    services.progress_report_return(
        user=world.rpo_asia, report=report, version=report.version, comment="Fix."
    )
    client.force_login(world.field_idn_2)
    home = client.get("/").content.decode()
    assert 'id="bell"' in home
    assert '<span class="count">1</span>' in home
    page = client.get("/notifications/").content.decode()
    assert "returned the progress report" in page
    notification = Notification.objects.get(recipient=world.field_idn_2)
    response = client.get(f"/notifications/{notification.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/dwcp/cpos/{world.idn_cpo.pk}/"
    assert '<span class="count">' not in client.get("/").content.decode()
    # Somebody else's notification is a 404.
    other = Notification.objects.get(recipient=world.field_idn)
    assert client.get(f"/notifications/{other.pk}/").status_code == 404
    assert client.post("/notifications/read/", {"id": other.pk}).status_code == 404
    assert client.post("/notifications/read/", {"id": "x"}).status_code == 400
    client.force_login(world.field_idn)
    client.post("/notifications/read/")
    assert (
        not Notification.objects.filter(read_at__isnull=True)
        .exclude(recipient=world.rpo_asia)
        .exists()
    )


def test_the_account_page_sets_the_language_and_the_digest(world: World, client: Any) -> None:
    client.force_login(world.field_idn)
    response = client.post(
        "/account/preferences/", {"language": "es", "email_mode": EmailMode.DIGEST}
    )
    assert response.status_code == 302
    world.field_idn.refresh_from_db()
    assert (world.field_idn.language, world.field_idn.email_mode) == ("es", "digest")
    bad = client.post("/account/preferences/", {"language": "xx", "email_mode": "loud"})
    assert bad.status_code == 400


def test_the_notifications_page_reads_a_constant_number_of_queries(
    world: World, client: Any, count_queries: Any
) -> None:
    client.force_login(world.rpo_asia)
    _submitted(world)
    few = count_queries(lambda: client.get("/notifications/"))
    for period in ("2012-H1", "2012-H2", "2013-H1"):
        report = factories.ProgressReportFactory(cpo=world.idn_cpo, period=factories.period(period))
        services.progress_report_submit(user=world.field_idn, report=report, version=report.version)
    assert count_queries(lambda: client.get("/notifications/")) == few

"""CPO imports as background jobs: checked at upload, queued, run once whatever the deliveries,
nothing saved when a run fails or is refused, run again by their uploader, seen only by them
and the administrators."""

from __future__ import annotations

import datetime
import time

import pytest
from django.db import connection, connections
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dwcp.models import CountryProgrammeOutcome, CpoImport, ImportStatus
from dwcp.spreadsheets import jobs
from dwcp.tasks import import_cpos
from rbm.errors import ApplicationError
from rbm.services import STALLED_AFTER
from tests.dwcp.test_spreadsheets import (
    ADMIN,
    FIELD_ELSEWHERE,
    FIELD_HERE,
    IMPORT,
    exported,
    make_world,
    save,
    set_cell,
    snapshot,
    workbook,
)


@pytest.fixture
def world(user_for):
    return make_world(user_for)


def _edited_file(client, world, title: str = "Child labour reduced in fishing") -> bytes:
    book = workbook(exported(client, world[FIELD_HERE], office=world["idn_office"].pk))
    set_cell(book["CPOs"], "IDN101", "title", title)
    return save(book)


def _queue(client, content: bytes):
    """Upload without running the job: the response and the queued import."""
    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        response = client.post(IMPORT, {"file": _file(content)})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert len(callbacks) == 1  # the task is sent once the upload has committed
    job = CpoImport.objects.get()
    assert response["Location"] == reverse("dwcp:cpo-import-detail", args=[job.pk])
    return job


def _file(content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("idn.xlsx", content)


def _title(code: str) -> str:
    return CountryProgrammeOutcome.objects.get(code=code).title


def test_an_upload_is_checked_queued_then_imported_by_the_job(client, world) -> None:
    user = world[FIELD_HERE]
    content = _edited_file(client, world)
    job = _queue(client, content)
    assert (job.status, job.rows, job.uploaded_by, job.filename) == (
        ImportStatus.QUEUED,
        3,
        user,
        "idn.xlsx",
    )
    assert _title("IDN101") == "Outcome number 1"  # nothing written before the job runs
    page = client.get(reverse("dwcp:cpo-import-detail", args=[job.pk]))
    assert page.status_code == 200
    assert "Queued" in page.content.decode()
    assert import_cpos.delay(job.pk).get() == ImportStatus.IMPORTED
    job.refresh_from_db()
    assert (job.status, job.attempts) == (ImportStatus.IMPORTED, 1)
    assert job.outcome["updated"] == ["IDN101"]
    assert job.started_at is not None
    assert job.finished_at is not None
    assert _title("IDN101") == "Child labour reduced in fishing"
    # The history names the person who uploaded the file, not the worker
    record = CountryProgrammeOutcome.history.filter(code="IDN101").latest("history_date")
    assert record.history_user == user
    page = client.get(reverse("dwcp:cpo-import-detail", args=[job.pk])).content.decode()
    assert "0 created, 1 updated, 2 unchanged." in page
    status = client.get(reverse("dwcp:cpo-import-status", args=[job.pk])).json()
    assert status == {
        "status": "imported",
        "status_label": "Imported",
        "ended": True,
        "progress": 100,
        "stalled": False,
    }


def test_a_wrong_file_is_answered_at_once_and_nothing_is_queued(client, world) -> None:
    book = workbook(exported(client, world[FIELD_HERE], office=world["idn_office"].pk))
    set_cell(book["CPOs"], "IDN101", "P&B outcome", "99")
    with TestCase.captureOnCommitCallbacks(execute=True) as callbacks:
        response = client.post(IMPORT, {"file": _file(save(book))})
    assert response.status_code == 400
    assert "No outcome has the code 99." in response.content.decode()
    assert callbacks == []
    assert not CpoImport.objects.exists()


def test_a_cpo_saved_between_upload_and_run_refuses_the_import_and_saves_nothing(
    client, world
) -> None:
    job = _queue(client, _edited_file(client, world))
    cpo = CountryProgrammeOutcome.objects.get(code="IDN102")
    cpo.title = "Changed on the page meanwhile"
    cpo.version += 1
    cpo.save()
    before = snapshot()
    import_cpos.delay(job.pk).get()
    job.refresh_from_db()
    assert job.status == ImportStatus.REFUSED
    assert snapshot() == before  # IDN101's new title was not kept either
    errors = job.outcome["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [(3, "version")]
    page = client.get(reverse("dwcp:cpo-import-detail", args=[job.pk]))
    assert page.status_code == 200
    assert page.context["refused"].errors[0].row == 3
    assert "Correct the file and upload it again." in page.content.decode()


def test_the_job_locks_its_own_row_and_not_the_uploaders(client, world) -> None:
    """The uploader's own requests (a login, a page's save naming them in the history) must
    not wait for the import."""
    job = _queue(client, _edited_file(client, world))
    with CaptureQueriesContext(connection) as queries:
        jobs.import_run(job.pk)
    locks = [q["sql"] for q in queries if "FOR UPDATE" in q["sql"] and "dwcp_cpoimport" in q["sql"]]
    assert len(locks) == 2  # marking it running, then the import
    assert all('FOR UPDATE OF "dwcp_cpoimport"' in sql for sql in locks)
    assert all('"rbm_user"' not in sql.split("FOR UPDATE", 1)[1] for sql in locks)


def test_a_task_delivered_twice_imports_once(client, world) -> None:
    job = _queue(client, _edited_file(client, world))
    jobs.import_run(job.pk)
    version = CountryProgrammeOutcome.objects.get(code="IDN101").version
    history = CountryProgrammeOutcome.history.count()
    again = jobs.import_run(job.pk)
    assert again is not None
    assert (again.status, again.attempts) == (ImportStatus.IMPORTED, 1)
    assert CountryProgrammeOutcome.objects.get(code="IDN101").version == version
    assert CountryProgrammeOutcome.history.count() == history


def test_a_job_that_breaks_saves_nothing_and_runs_again_to_the_same_end(
    client, world, monkeypatch
) -> None:
    job = _queue(client, _edited_file(client, world))
    before = snapshot()
    real = jobs.cpo_import

    def broken(**kwargs):
        real(**kwargs)  # everything written, then the job dies before it commits
        raise RuntimeError("the database went away")

    monkeypatch.setattr(jobs, "cpo_import", broken)
    assert import_cpos.delay(job.pk).get() is None
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert job.error == "RuntimeError: the database went away"
    assert snapshot() == before
    page = client.get(reverse("dwcp:cpo-import-detail", args=[job.pk])).content.decode()
    assert "The import broke off:" in page
    monkeypatch.setattr(jobs, "cpo_import", real)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("dwcp:cpo-import-retry", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.attempts, job.error) == (ImportStatus.IMPORTED, 2, "")
    assert _title("IDN101") == "Child labour reduced in fishing"


def test_who_may_run_an_import_again_and_when(client, world) -> None:
    user = world[FIELD_HERE]
    job = _queue(client, _edited_file(client, world))
    # Queued a moment ago: a worker will take it
    with pytest.raises(ApplicationError, match="still going"):
        jobs.import_retry(user=user, job=job)
    # Queued for longer than a worker takes: no worker took it
    old = timezone.now() - STALLED_AFTER - datetime.timedelta(seconds=1)
    CpoImport.objects.filter(pk=job.pk).update(updated_at=old)
    job.refresh_from_db()
    assert jobs.is_stalled(job)
    status = client.get(reverse("dwcp:cpo-import-status", args=[job.pk])).json()
    assert (status["stalled"], status["progress"]) == (True, 0)
    jobs.import_retry(user=user, job=job)
    # Marked running a minute ago, and no worker holds it: its worker died
    CpoImport.objects.filter(pk=job.pk).update(
        status=ImportStatus.RUNNING, started_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    job.refresh_from_db()
    assert jobs.is_stalled(job)
    # Ended imports are not run again
    jobs.import_run(job.pk)
    job.refresh_from_db()
    with pytest.raises(ApplicationError, match="upload it again"):
        jobs.import_retry(user=user, job=job)
    response = client.post(reverse("dwcp:cpo-import-retry", args=[job.pk]), follow=True)
    assert "upload it again" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_running_import_held_by_a_worker_is_not_stalled(world) -> None:
    job = CpoImport.objects.create(
        uploaded_by=world[FIELD_HERE],
        filename="idn.xlsx",
        content=b"",
        status=ImportStatus.RUNNING,
        started_at=timezone.now() - datetime.timedelta(hours=1),
    )
    worker = connections.create_connection("default")
    try:
        worker.set_autocommit(False)
        with worker.cursor() as cursor:
            cursor.execute("SELECT id FROM dwcp_cpoimport WHERE id = %s FOR UPDATE", [job.pk])
        assert not jobs.is_stalled(job)  # however long it takes
        with pytest.raises(ApplicationError, match="running now"):
            jobs.import_retry(user=world[FIELD_HERE], job=job)
        worker.rollback()  # the worker dies: its transaction ends
        assert jobs.is_stalled(job)
    finally:
        worker.close()


@pytest.mark.parametrize(
    ("who", "expected"), [(FIELD_HERE, 200), (ADMIN, 200), (FIELD_ELSEWHERE, 404)]
)
def test_only_the_uploader_and_administrators_see_an_import(client, world, who, expected) -> None:
    job = _queue(client, _edited_file(client, world))
    client.force_login(world[who])
    for name in ("cpo-import-detail", "cpo-import-status"):
        assert client.get(reverse(f"dwcp:{name}", args=[job.pk])).status_code == expected
    retried = client.post(reverse("dwcp:cpo-import-retry", args=[job.pk]))
    assert retried.status_code == (302 if expected == 200 else 404)  # as for a missing one
    listed = client.get(IMPORT).context["imports"]
    assert [j.pk for j in listed] == ([job.pk] if expected == 200 else [])
    client.logout()
    anonymous = client.get(reverse("dwcp:cpo-import-detail", args=[job.pk]))
    assert anonymous.status_code == 404


def test_an_unknown_import_is_a_404(client, world) -> None:
    client.force_login(world[FIELD_HERE])
    assert client.get(reverse("dwcp:cpo-import-detail", args=[999999])).status_code == 404
    assert client.get(reverse("dwcp:cpo-import-status", args=[999999])).status_code == 404


def test_the_upload_page_lists_imports_in_a_constant_number_of_queries(
    client, world, count_queries
) -> None:
    user = world[FIELD_HERE]
    client.force_login(user)
    CpoImport.objects.create(uploaded_by=user, filename="a.xlsx", content=b"x")
    few = count_queries(lambda: client.get(IMPORT))
    for n in range(12):
        CpoImport.objects.create(uploaded_by=user, filename=f"{n}.xlsx", content=b"x")
    many = count_queries(lambda: client.get(IMPORT))
    assert many == few
    page = client.get(IMPORT)
    assert len(page.context["imports"]) == 10
    assert "Recent imports" in page.content.decode()


# A broker that refuses -----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_broker_that_refuses_leaves_the_import_not_queued_and_says_so(client, world) -> None:
    from tests.worker import celery_on_redis

    client.force_login(world[FIELD_HERE])
    content = _edited_file(client, world)
    with celery_on_redis("redis://127.0.0.1:1/0"):
        started = time.monotonic()
        response = client.post(IMPORT, {"file": _file(content)}, follow=True)
        elapsed = time.monotonic() - started
        # The upload is answered in seconds, not a 500, and the page says what happened
        assert elapsed < 8
        assert response.status_code == 200
        job = CpoImport.objects.get()
        assert job.status == ImportStatus.NOT_QUEUED
        page = response.content.decode()
        assert "the job queue did not answer" in page
        assert 'id="import-retry"' in page
        assert 'id="import-retry" hidden' not in page
        # The API's retry while the broker is still down keeps it not queued, with no duplicate
        response = client.post(f"/api/v1/cpo-imports/{job.pk}/retry/")
        assert response.status_code == 202
        assert response.json()["status"] == "not_queued"
    # Once the broker is back (in-process here) the button imports it, once
    response = client.post(reverse("dwcp:cpo-import-retry", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.IMPORTED
    assert CpoImport.objects.count() == 1
    assert CountryProgrammeOutcome.objects.get(code="IDN101").title == (
        "Child labour reduced in fishing"
    )

"""A CPO import run by a real Celery worker on Redis, and a worker killed halfway."""

from __future__ import annotations

import datetime
import time

import pytest

from dwcp.models import CountryProgrammeOutcome, CpoImport, ImportStatus
from dwcp.spreadsheets import jobs
from rbm.models import User
from tests.dwcp.test_spreadsheets import EXPORT, save, workbook
from tests.worker import REDIS_URL, Worker, celery_on_redis, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

# The worker and this process share the cache, where the job writes its progress.
CACHE_URL = REDIS_URL.rsplit("/", 1)[0] + "/13"
REVISED = " (revised)"


@pytest.fixture
def shared_cache(settings, monkeypatch) -> None:
    monkeypatch.setenv("CACHE_URL", CACHE_URL)
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }


def _status(job: CpoImport) -> str:
    return CpoImport.objects.values_list("status", flat=True).get(pk=job.pk)


def _progress(job: CpoImport) -> int:
    return jobs.import_progress(CpoImport.objects.get(pk=job.pk)) or 0


def _revised() -> int:
    return CountryProgrammeOutcome.objects.filter(title__endswith=REVISED).count()


def test_an_import_whose_worker_dies_halfway_saves_nothing_and_runs_again(
    demo, client, shared_cache, monkeypatch
) -> None:
    admin = User.objects.get(username="admin")
    client.force_login(admin)
    book = workbook(client.get(EXPORT).content)
    sheet = book["CPOs"]
    title = [cell.value for cell in sheet[1]].index("title") + 1
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row=row, column=title).value += REVISED
    content = save(book)
    total = CountryProgrammeOutcome.objects.count()
    assert sheet.max_row - 1 == total == 947
    with celery_on_redis() as queue:
        worker = Worker(queue, concurrency=1).start()
        try:
            job = jobs.import_request(user=admin, content=content, filename="all.xlsx")
            # Once the job has written a tenth of the rows (inside its transaction) ...
            wait_for(lambda: _progress(job) >= 10, timeout=300, interval=0.05)
            worker.kill()
        finally:
            worker.stop()
        # ... nothing it wrote is kept, and the import is not ended
        job.refresh_from_db()
        assert (job.status, job.attempts) == (ImportStatus.RUNNING, 1)
        assert _revised() == 0
        # PostgreSQL ends the dead worker's transaction: nobody holds the import any more
        wait_for(lambda: jobs.held_by_a_worker(job) is False, timeout=60)
        monkeypatch.setattr(jobs, "LOST_WORKER_AFTER", datetime.timedelta(0))
        assert jobs.is_stalled(job)
        # Its uploader runs it again on a new worker, which ends as a first run would
        with Worker(queue, concurrency=1):
            jobs.import_retry(user=admin, job=job)
            wait_for(lambda: _status(job) not in (ImportStatus.QUEUED, ImportStatus.RUNNING), 300)
    job.refresh_from_db()
    assert job.status == ImportStatus.IMPORTED, (job.error, job.outcome.get("message"))
    assert job.attempts == 2
    assert len(job.outcome["updated"]) == total
    assert _revised() == total


def test_an_import_whose_worker_dies_is_queued_again_by_itself_and_imports_once(
    demo, client, shared_cache
) -> None:
    admin = User.objects.get(username="admin")
    client.force_login(admin)
    book = workbook(client.get(EXPORT).content)
    sheet = book["CPOs"]
    title = [cell.value for cell in sheet[1]].index("title") + 1
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row=row, column=title).value += REVISED
    content = save(book)
    total = CountryProgrammeOutcome.objects.count()
    with celery_on_redis() as queue:
        worker = Worker(queue, concurrency=1).start()
        try:
            job = jobs.import_request(user=admin, content=content, filename="all.xlsx")
            # Given a worker killed while it imports (a tenth of the rows written) ...
            wait_for(lambda: _progress(job) >= 10, timeout=300, interval=0.05)
            worker.kill()
        finally:
            worker.stop()
        killed_at = time.monotonic()
        assert _status(job) == ImportStatus.RUNNING
        # ... when a new worker (with the periodic check) starts and nobody touches the import
        with Worker(queue, concurrency=1, beat=True):
            wait_for(
                lambda: _status(job) not in (ImportStatus.QUEUED, ImportStatus.RUNNING),
                timeout=300,
                interval=0.5,
            )
        recovered_in = time.monotonic() - killed_at
    # Then it was taken up again by itself and imported every row once
    job.refresh_from_db()
    assert job.status == ImportStatus.IMPORTED, (job.error, job.outcome.get("message"))
    assert job.attempts == 2
    assert len(job.outcome["updated"]) == total
    assert _revised() == total
    assert CountryProgrammeOutcome.objects.count() == total
    assert recovered_in < 180

"""The report compiled by a real Celery worker on Redis, and a worker killed halfway."""

from __future__ import annotations

import pytest

from rbm.models import Biennium
from rbm.permissions import StateRefused
from rbm.services import system_user
from reporting.models import ReportPart, ReportRun, RunStatus
from reporting.services import report_run_request, report_run_retry
from tests.worker import Worker, celery_on_redis, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _status(run: ReportRun) -> str:
    return ReportRun.objects.values_list("status", flat=True).get(pk=run.pk)


def _in_process_hash(biennium: Biennium) -> str:
    """The same report compiled in this process (tasks run eagerly)."""
    run = report_run_request(user=system_user(), biennium=biennium)
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED, run.error
    return run.snapshot.content_hash


def test_a_worker_compiles_the_demo_biennium_to_the_in_process_hash(demo) -> None:
    biennium = Biennium.objects.get(start_year=2012)
    with celery_on_redis() as queue, Worker(queue, concurrency=2):
        run = report_run_request(user=system_user(), biennium=biennium)
        wait_for(lambda: _status(run) in (RunStatus.SUCCEEDED, RunStatus.FAILED), timeout=180)
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert run.progress == 100
    assert run.parts_total == 3  # the figures, the programmes, the outcomes' texts
    assert not ReportPart.objects.filter(run=run).exists()
    assert run.snapshot.content_hash == _in_process_hash(biennium)


def test_a_run_whose_worker_dies_halfway_reruns_to_the_same_hash(demo) -> None:
    biennium = Biennium.objects.get(start_year=2012)
    with celery_on_redis() as queue:
        worker = Worker(queue, concurrency=1).start()
        try:
            run = report_run_request(user=system_user(), biennium=biennium)
            # When a part is written and the worker dies before the join...
            wait_for(lambda: ReportPart.objects.filter(run=run).exists(), interval=0.02)
            worker.kill()
        finally:
            worker.stop()
        # ...the run is not shown as succeeded and has no snapshot
        run.refresh_from_db()
        assert run.status == RunStatus.RUNNING
        assert run.snapshot_id is None
        assert ReportPart.objects.filter(run=run).exists()
        # Then running it again on a new worker ends with the hash of a clean run
        with Worker(queue, concurrency=1):
            retried = True
            try:
                report_run_retry(user=system_user(), run=run, force=True)
            except StateRefused:
                retried = False
                # The parts the dead worker had not taken were still queued: the new worker
                # ran them and the join before the retry came. Same end, no retry needed.
                assert _status(run) == RunStatus.SUCCEEDED
            wait_for(lambda: _status(run) in (RunStatus.SUCCEEDED, RunStatus.FAILED), timeout=180)
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED, run.error
    # the retry, and the periodic check's own restart if it saw the dead worker first
    assert run.attempts >= (2 if retried else 1)
    assert run.snapshot.content_hash == _in_process_hash(biennium)

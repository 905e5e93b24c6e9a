"""Runs recover by themselves: a worker killed mid-compile (a real worker on real Redis), and
a broker that refuses the run when it is requested."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from rbm.models import Biennium, Role
from rbm.services import system_user
from reporting.models import ReportPart, ReportRun, RunStatus
from reporting.services import report_run_request
from tests import factories
from tests.worker import Worker, celery_on_redis, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

CLOSED_PORT = "redis://127.0.0.1:1/0"


def _run(pk: int) -> ReportRun:
    return ReportRun.objects.select_related("snapshot").get(pk=pk)


@pytest.mark.worker
def test_a_worker_killed_mid_compile_is_replaced_and_the_run_ends_by_itself(demo) -> None:
    biennium = Biennium.objects.get(start_year=2012)
    with celery_on_redis() as queue:
        worker = Worker(queue, concurrency=1).start()
        try:
            run = report_run_request(user=system_user(), biennium=biennium)
            # Given a worker killed while it compiles the run (a part written, not joined)
            wait_for(lambda: ReportPart.objects.filter(run=run).exists(), interval=0.02)
            worker.kill()
        finally:
            worker.stop()
        killed_at = time.monotonic()
        assert _run(run.pk).status == RunStatus.RUNNING
        assert worker.name in _run(run.pk).steps.values()
        # When another worker (with the periodic check) starts, and nobody touches the run
        with Worker(queue, concurrency=1, beat=True):
            wait_for(
                lambda: _run(run.pk).status in (RunStatus.SUCCEEDED, RunStatus.FAILED),
                timeout=120,
                interval=0.5,
            )
        recovered_in = time.monotonic() - killed_at
    # Then it finished by itself, within two minutes, with the hash of a clean run
    run = _run(run.pk)
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert run.attempts == 2
    assert recovered_in < 120
    assert not ReportPart.objects.filter(run=run).exists()
    clean = report_run_request(user=system_user(), biennium=biennium)
    assert _run(clean.pk).snapshot.content_hash == run.snapshot.content_hash


@pytest.fixture
def biennium():
    factories.framework_2012_13()
    return factories.biennium("2012-13")


def test_a_broker_that_refuses_leaves_the_run_not_queued_and_says_so(
    client, user_for, biennium
) -> None:
    client.force_login(user_for(Role.GB_SECRETARIAT))
    data = {"biennium": biennium.pk, "scope": "whole", "language": "en"}
    with celery_on_redis(CLOSED_PORT):
        started = time.monotonic()
        response = client.post(reverse("reporting:request"), data, follow=True)
        elapsed = time.monotonic() - started
    # The answer comes in seconds, is not a 500, and tells the user what happened
    assert elapsed < 8
    assert response.status_code == 200
    run = ReportRun.objects.get()
    assert run.status == RunStatus.NOT_QUEUED
    page = response.content.decode()
    assert "the job queue did not answer" in page
    assert 'id="retry-form"' in page
    assert 'id="retry-form" hidden' not in page
    # Once the broker is back, the button queues it (in-process here) and it compiles
    response = client.post(reverse("reporting:run-retry", args=[run.pk]))
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert ReportRun.objects.count() == 1


def test_the_api_answers_not_queued_and_its_retry_endpoint_queues_it(
    client, user_for, biennium
) -> None:
    client.force_login(user_for(Role.GB_SECRETARIAT))
    data = {"biennium": "2012-13", "scope": "whole", "language": "en"}
    with celery_on_redis(CLOSED_PORT):
        response = client.post("/api/v1/report-runs/", data, content_type="application/json")
        assert response.status_code == 202, response.content
        assert response.json()["status"] == "not_queued"
        run_id = response.json()["id"]
        # Retrying while the broker is still down keeps it not queued, and does not duplicate it
        response = client.post(f"/api/v1/report-runs/{run_id}/retry/")
        assert response.status_code == 202
        assert response.json()["status"] == "not_queued"
    response = client.post(f"/api/v1/report-runs/{run_id}/retry/")
    assert response.status_code == 202
    assert _run(run_id).status == RunStatus.SUCCEEDED
    assert ReportRun.objects.count() == 1

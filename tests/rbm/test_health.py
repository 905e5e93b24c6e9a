"""``/healthz``: always JSON, for each state of the database, the broker and the workers."""

from __future__ import annotations

import time

import pytest
from django.db import connection
from django.utils import timezone

from rbm.jobs import WORKER_SILENT_AFTER, beat
from rbm.models import WorkerHeartbeat
from tests.worker import Worker, celery_on_redis, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

CLOSED_PORT = "redis://127.0.0.1:1/0"


def test_in_process_mode_is_healthy(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == {"ok": True}
    assert body["broker"] == {"ok": True, "mode": "in-process"}


def test_a_broker_that_is_down_is_a_503_in_json_within_seconds(client) -> None:
    with celery_on_redis(CLOSED_PORT):
        started = time.monotonic()
        response = client.get("/healthz")
        elapsed = time.monotonic() - started
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert body["database"] == {"ok": True}
    assert body["broker"]["ok"] is False
    assert elapsed < 5


def test_no_worker_beating_is_degraded_but_serves(client) -> None:
    # A worker that beat long ago is as good as none.
    beat("old@host", timezone.now() - 2 * WORKER_SILENT_AFTER)
    WorkerHeartbeat.objects.update(seen_at=timezone.now() - 2 * WORKER_SILENT_AFTER)
    with celery_on_redis():
        response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["broker"] == {"ok": True}
    assert body["workers"]["ok"] is False
    assert body["workers"]["last_seen"] is not None


@pytest.mark.worker
def test_a_running_worker_makes_it_healthy(client) -> None:
    with celery_on_redis() as queue, Worker(queue) as worker:
        wait_for(lambda: WorkerHeartbeat.objects.filter(name=worker.name).exists(), timeout=30)
        response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body == {**body, "status": "ok", "broker": {"ok": True}}
    assert body["workers"]["ok"] is True


def test_the_database_down_is_a_503_in_json(client) -> None:
    settings_dict = connection.settings_dict
    port = settings_dict["PORT"]
    connection.close()
    settings_dict["PORT"] = "1"
    try:
        response = client.get("/healthz")
    finally:
        connection.close()
        settings_dict["PORT"] = port
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "down"
    assert body["database"]["ok"] is False
    assert body["database"]["error"] == "OperationalError"
    assert body["workers"] == {"ok": True, "mode": "in-process"}

"""What every background job shares: the workers' heartbeat, queueing after the commit with
a broker that may refuse, and the health of the database, the broker and the workers.

* **Heartbeat.** A worker's main process writes ``WorkerHeartbeat`` every
  ``WORKER_BEAT_EVERY`` seconds from a thread started when the worker is ready
  (``rbm.celery``). A job (a report run, a CPO import) records the worker running it; a job
  whose worker has not beaten for ``WORKER_LOST_AFTER`` lost it, and the periodic check of
  its app (a Celery beat task) queues it again by itself.
* **Queueing.** ``enqueue`` sends the task once the transaction commits. When the broker
  refuses (unreachable), the record is not left "queued" for ever and the request does not
  fail: ``on_refused`` marks it "not queued", which its page shows with a button to queue it
  again. Connecting to the broker gives up after ``BROKER_CONNECT_TIMEOUT`` seconds.
"""

from __future__ import annotations

import datetime
import logging
import threading
from collections.abc import Callable
from typing import Any

from celery import Task
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rbm.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

WORKER_BEAT_EVERY = 5.0
# A worker that has not beaten for this long is dead (six beats missed): its jobs are queued
# again. The periodic checks run every ten seconds (``CELERY_BEAT_SCHEDULE``), so a job is
# taken up again within a minute of its worker's death.
WORKER_LOST_AFTER = datetime.timedelta(seconds=30)
# /healthz says no worker answered when none beat for this long.
WORKER_SILENT_AFTER = datetime.timedelta(seconds=60)

# The exceptions kombu and redis-py raise when the broker cannot be reached.
BROKER_ERRORS: tuple[type[BaseException], ...] = (OSError, ConnectionError)
try:  # pragma: no branch - kombu is always installed with Celery
    from kombu.exceptions import OperationalError

    BROKER_ERRORS = (*BROKER_ERRORS, OperationalError)
except ImportError:  # pragma: no cover
    pass


# The heartbeat ---------------------------------------------------------------------------


def beat(name: str, started_at: datetime.datetime) -> None:
    """Record that the worker ``name`` is alive now."""
    WorkerHeartbeat.objects.update_or_create(
        name=name[:255], defaults={"seen_at": timezone.now(), "started_at": started_at}
    )


def start_heartbeat(name: str) -> threading.Event:
    """Beat for the worker ``name`` from a daemon thread until the returned event is set
    (or the process dies: then the beats stop, which is the point)."""
    stop = threading.Event()
    started_at = timezone.now()

    def run() -> None:
        while not stop.is_set():
            try:
                beat(name, started_at)
            except DatabaseError:
                logger.warning("Worker %s could not record its heartbeat", name, exc_info=True)
                connection.close()
            stop.wait(WORKER_BEAT_EVERY)
        connection.close()

    threading.Thread(target=run, name="rbm-heartbeat", daemon=True).start()
    return stop


def lost_workers(names: set[str], now: datetime.datetime | None = None) -> set[str]:
    """Those of ``names`` that have not beaten for ``WORKER_LOST_AFTER`` (or never did)."""
    names = {name for name in names if name}
    if not names:
        return set()
    since = (now or timezone.now()) - WORKER_LOST_AFTER
    alive = set(
        WorkerHeartbeat.objects.filter(name__in=names, seen_at__gte=since).values_list(
            "name", flat=True
        )
    )
    return names - alive


def worker_name(task: Task[Any, Any]) -> str:
    """The name of the worker running ``task`` (its heartbeat's), empty when run in-process."""
    return str(getattr(task.request, "hostname", "") or "")[:255]


# Queueing --------------------------------------------------------------------------------

NOT_QUEUED_MESSAGE = _(
    "It is saved, but the job queue did not answer, so nothing will run it yet. Try again "
    "with the button on this page in a moment; if it keeps failing, tell an administrator."
)


def eager() -> bool:
    return bool(settings.CELERY_TASK_ALWAYS_EAGER)


def enqueue_job(task: Task[Any, Any], job: Model, *, queued: str, not_queued: str) -> None:
    """Send ``task(job.pk)`` once the transaction commits; if the broker refuses it, the job
    (a model with ``status`` and ``updated_at``) is marked ``not_queued`` in the database and
    on ``job``, which the caller shows, instead of failing the request."""

    def refused() -> None:
        type(job)._default_manager.filter(pk=job.pk, status=queued).update(
            status=not_queued, updated_at=timezone.now()
        )
        job.status = not_queued  # type: ignore[attr-defined]

    enqueue(task, job.pk, on_refused=refused)


def enqueue(task: Task[Any, Any], *args: Any, on_refused: Callable[[], None]) -> None:
    """Send ``task(*args)`` once the transaction commits; if the broker refuses it, log it and
    call ``on_refused`` (which records it on the job) instead of failing the request."""

    def send() -> None:
        if eager():
            task.delay(*args)
            return
        try:
            # The job's state is in the database: no result to wait for, so sending does not
            # touch the result backend (which would retry for long when Redis is down).
            task.apply_async(
                args=args,
                ignore_result=True,
                retry_policy=settings.CELERY_TASK_PUBLISH_RETRY_POLICY,
            )
        except BROKER_ERRORS:
            logger.exception("The broker refused %s%r", task.name, args)
            on_refused()

    transaction.on_commit(send)


# Health ----------------------------------------------------------------------------------


def database_health() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        connection.close()
        return {"ok": False, "error": type(error).__name__}
    return {"ok": True}


def broker_health() -> dict[str, Any]:
    if eager():
        return {"ok": True, "mode": "in-process"}
    from rbm.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=settings.BROKER_CONNECT_TIMEOUT)
    except BROKER_ERRORS as error:
        return {"ok": False, "error": type(error).__name__}
    return {"ok": True}


def worker_health(database_ok: bool, now: datetime.datetime | None = None) -> dict[str, Any]:
    """Whether a worker beat within ``WORKER_SILENT_AFTER``, and when the last one did."""
    if eager():
        return {"ok": True, "mode": "in-process"}
    if not database_ok:
        return {"ok": False, "last_seen": None}
    now = now or timezone.now()
    last = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
    return {
        "ok": last is not None and now - last <= WORKER_SILENT_AFTER,
        "last_seen": last.isoformat() if last else None,
    }


def health() -> tuple[dict[str, Any], int]:
    """What ``/healthz`` answers: 503 when the database or the broker is down; a silent worker
    is reported (jobs wait) without taking the web servers out of the load balancer."""
    database = database_health()
    broker = broker_health()
    workers = worker_health(database["ok"])
    down = not (database["ok"] and broker["ok"])
    if down:
        status = "down"
    elif not workers["ok"]:
        status = "degraded"
    else:
        status = "ok"
    body = {"status": status, "database": database, "broker": broker, "workers": workers}
    return body, 503 if down else 200

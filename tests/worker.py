"""A real Celery worker on Redis for the tests that cover background jobs.

``celery_on_redis`` points this process's Celery app at Redis (a queue of its own, so runs of
the suite in parallel do not steal each other's tasks); ``Worker`` starts ``celery worker``
in a subprocess on the test database and can kill it like a crash would.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from kombu import pools

from rbm.celery import app

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        f"/{db['NAME']}"
    )


@contextmanager
def celery_on_redis(url: str = REDIS_URL) -> Iterator[str]:
    """Send this process's tasks to Redis instead of running them in-process (``url``: a
    closed port plays a broker that is down)."""
    queue = f"rbm-test-{uuid.uuid4().hex[:8]}"
    saved = {
        key: app.conf.get(key)
        for key in ("task_always_eager", "broker_url", "result_backend", "task_default_queue")
    }
    app.conf.update(
        task_always_eager=False,
        broker_url=url,
        result_backend=url,
        task_default_queue=queue,
    )
    settings.CELERY_TASK_ALWAYS_EAGER = False
    _reset_connections()
    try:
        yield queue
    finally:
        app.conf.update(saved)
        settings.CELERY_TASK_ALWAYS_EAGER = True
        _reset_connections()


def _reset_connections() -> None:
    """Drop the app's cached broker pool, producers and result backend (made for the old
    settings), so that the next task uses the current ones."""
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None
    app._backend_cache = None
    app._local = threading.local()


class Worker:
    """``celery -A rbm worker`` on this process's database and the given queue (by default
    the test settings and the tests' Redis; the benchmarks pass their own)."""

    def __init__(
        self,
        queue: str,
        concurrency: int = 1,
        *,
        settings_module: str = "rbm.test_settings",
        redis_url: str = REDIS_URL,
        beat: bool = False,
    ) -> None:
        self.queue = queue
        self.beat = beat
        self.concurrency = concurrency
        self.settings_module = settings_module
        self.redis_url = redis_url
        self.process: subprocess.Popen[bytes] | None = None
        self.log = ROOT / "test-artifacts" / f"worker-{queue}-{uuid.uuid4().hex[:4]}.log"
        # The name the worker beats under (``rbm.jobs``) and records on the jobs it runs.
        self.name = f"{queue}-{uuid.uuid4().hex[:4]}@{socket.gethostname()}"

    def start(self) -> Worker:
        self.log.parent.mkdir(exist_ok=True)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": self.settings_module,
            "DATABASE_URL": _database_url(),
            "CELERY_BROKER_URL": self.redis_url,
            "CELERY_RESULT_BACKEND": self.redis_url,
            "CELERY_TASK_DEFAULT_QUEUE": self.queue,
        }
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "rbm",
                "worker",
                "-Q",
                self.queue,
                "-c",
                str(self.concurrency),
                "-P",
                "prefork",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                self.name,
                "--loglevel=INFO",
                # With beat: the periodic checks of the settings run in this worker too.
                *(["-B", "--schedule", str(self.log.with_suffix(".beat"))] if self.beat else []),
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"The worker exited: {self.log.read_text()[-2000:]}")
            if b"ready." in self.log.read_bytes():
                return self
            time.sleep(0.2)
        raise RuntimeError(f"The worker did not start: {self.log.read_text()[-2000:]}")

    def kill(self) -> None:
        """SIGKILL the worker and its children, as a machine failure would."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()

    def __enter__(self) -> Worker:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()


def wait_for(predicate: Any, timeout: float = 120, interval: float = 0.1) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(f"Timed out after {timeout} s waiting for {predicate}")

"""The Celery application, configured from Django settings (``CELERY_*``).

A worker's main process beats (``rbm.jobs.start_heartbeat``) from the moment it is ready:
jobs record the worker running them, and a job whose worker stopped beating is queued again.
"""

import os
from typing import Any

from celery import Celery
from celery.signals import worker_ready, worker_shutdown

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rbm.settings")

app = Celery("rbm")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

_heartbeat: dict[str, Any] = {}


@worker_ready.connect
def _start_heartbeat(sender: Any = None, **kwargs: Any) -> None:
    from rbm.jobs import start_heartbeat

    _heartbeat["stop"] = start_heartbeat(sender.hostname)


@worker_shutdown.connect
def _stop_heartbeat(**kwargs: Any) -> None:
    stop = _heartbeat.pop("stop", None)
    if stop is not None:
        stop.set()

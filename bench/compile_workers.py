"""Compile the report of one biennium on N real Celery workers (on Redis) and print the wall
time from request to snapshot as JSON.

    DATABASE_URL=... python bench/compile_workers.py 2012-13 2
"""

from __future__ import annotations

import json
import os
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
QUEUE = f"rbm-bench-{uuid.uuid4().hex[:8]}"
BROKER = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
os.environ.update(
    DJANGO_SETTINGS_MODULE="rbm.settings",
    DEBUG="true",
    CELERY_BROKER_URL=BROKER,
    CELERY_RESULT_BACKEND=BROKER,
    CELERY_TASK_DEFAULT_QUEUE=QUEUE,
    CONN_MAX_AGE="60",
)

import django  # noqa: E402

django.setup()

from rbm.models import Biennium  # noqa: E402
from rbm.services import system_user  # noqa: E402
from reporting.models import ReportRun, RunStatus  # noqa: E402
from reporting.services import report_run_request  # noqa: E402
from tests.worker import Worker  # noqa: E402


def main(code: str, processes: int) -> None:
    with Worker(QUEUE, processes, settings_module="rbm.settings", redis_url=BROKER):
        start, _end = Biennium.parse_code(code)
        biennium = Biennium.objects.get(start_year=start)
        started = time.monotonic()
        run = report_run_request(user=system_user(), biennium=biennium)
        while True:
            run = ReportRun.objects.select_related("snapshot").get(pk=run.pk)
            if run.status in (RunStatus.SUCCEEDED, RunStatus.FAILED):
                break
            time.sleep(0.05)
        seconds = time.monotonic() - started
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert run.snapshot is not None
    print(
        json.dumps(
            {"workers": processes, "seconds": round(seconds, 3), "hash": run.snapshot.content_hash}
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))

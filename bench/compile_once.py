"""Compile the report of one biennium once, in this process, and print what it cost as JSON.

    DATABASE_URL=... python bench/compile_once.py 2012-13

Run in a fresh process by ``bench/run.py`` so that the peak memory is the compilation's.
Without a broker the tasks run here, one part after the other (one worker).
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rbm.settings")
os.environ.setdefault("DEBUG", "true")
os.environ.pop("CELERY_BROKER_URL", None)

import django

django.setup()

from rbm.models import Biennium  # noqa: E402
from rbm.services import system_user  # noqa: E402
from reporting.models import ReportPart, ReportRun  # noqa: E402
from reporting.services import report_run_request  # noqa: E402
from reporting.tasks import counted_queries  # noqa: E402


def main(code: str) -> None:
    start, _end = Biennium.parse_code(code)
    biennium = Biennium.objects.get(start_year=start)
    parts: dict[str, int] = {}
    original = ReportPart.objects.update_or_create

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        parts[kwargs["key"]] = kwargs["defaults"]["queries"]
        return original(*args, **kwargs)

    ReportPart.objects.update_or_create = spy  # type: ignore[method-assign]
    started = time.monotonic()
    with counted_queries() as queries:
        run = report_run_request(user=system_user(), biennium=biennium)
    seconds = time.monotonic() - started
    run = ReportRun.objects.select_related("snapshot").get(pk=run.pk)
    assert run.snapshot is not None, run.error
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "seconds": round(seconds, 3),
                "peak_rss_mb": round(peak_kb / 1024, 1),
                "queries": queries[0],
                "queries_per_part": sorted(set(parts.values())),
                "parts": len(parts),
                "hash": run.snapshot.content_hash,
                "content_bytes": len(json.dumps(run.snapshot.content)),
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "2012-13")

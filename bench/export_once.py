"""Write one export of a report snapshot, in this process, and print what it cost as JSON.

    DATABASE_URL=... python bench/export_once.py <snapshot id> <format>

Run in a fresh process by ``bench/exports.py`` so that the peak memory is the export's.
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

import django

django.setup()

from reporting.exports import export_snapshot  # noqa: E402
from reporting.models import ReportSnapshot  # noqa: E402


def main(snapshot_id: int, fmt: str) -> None:
    snapshot = ReportSnapshot.objects.get(pk=snapshot_id)
    started = time.monotonic()
    export = export_snapshot(snapshot, fmt)
    seconds = time.monotonic() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "format": fmt,
                "seconds": round(seconds, 2),
                "peak_rss_mb": round(peak_kb / 1024, 1),
                "bytes": len(export.content),
            }
        )
    )


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])

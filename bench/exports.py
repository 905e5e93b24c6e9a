"""What each export of a compiled report costs at a scale: time and peak memory, one fresh
process per format (``bench/export_once.py``), on the scale's database that ``bench/run.py``
(or ``bench.generate_scale_data``) made.

    .venv/bin/python bench/exports.py --scale 10 [--formats xlsx,docx,pdf]

Compiles the 2012-13 report once (``bench/compile_once.py``) unless the database holds a
snapshot of it already. Prints one JSON line per format and the machine's load average.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import BIENNIUM, PYTHON, ROOT, env_for


def _snapshot_id(scale: int) -> int | None:
    code = (
        "from reporting.models import ReportSnapshot;"
        f"s=ReportSnapshot.objects.filter(biennium__start_year={BIENNIUM[:4]}, scope='whole',"
        " language='en').order_by('-pk').first();print(s.pk if s else '')"
    )
    out = (
        subprocess.run(
            [PYTHON, "manage.py", "shell", "-c", code],
            cwd=ROOT,
            env=env_for(scale),
            capture_output=True,
            text=True,
            check=True,
        )
        .stdout.strip()
        .splitlines()
    )
    last = out[-1] if out else ""
    return int(last) if last.isdigit() else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--formats", default="xlsx,docx,pdf")
    options = parser.parse_args()
    snapshot = _snapshot_id(options.scale)
    if snapshot is None:
        subprocess.run(
            [PYTHON, "bench/compile_once.py", BIENNIUM],
            cwd=ROOT,
            env=env_for(options.scale),
            check=True,
        )
        snapshot = _snapshot_id(options.scale)
    assert snapshot is not None
    for fmt in options.formats.split(","):
        out = (
            subprocess.run(
                [PYTHON, "bench/export_once.py", str(snapshot), fmt],
                cwd=ROOT,
                env=env_for(options.scale),
                capture_output=True,
                text=True,
                check=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        print(json.dumps({"scale": options.scale, **json.loads(out)}), flush=True)
    print(json.dumps({"load_average": [round(x, 2) for x in os.getloadavg()]}))


if __name__ == "__main__":
    main()

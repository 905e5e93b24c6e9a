"""The development cooperation benchmark: the funding gap of a region and the project list,
under load from wrk against gunicorn on 127.0.0.1, beside the server's trivial JSON view.

    .venv/bin/python bench/cooperation.py [--scale 10] [--regenerate]

It uses (or makes) the scale's database as ``bench/run.py`` does (``BENCH_DB_PREFIX``,
``python -m bench.generate_scale_data``: ``scale`` projects per DWCP) and prints one JSON
line with the figures. The machine is shared and noisy: compare the ratios to /ping.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import Gunicorn, run_wrk  # noqa: E402
from bench.run import (  # noqa: E402
    BENCH_PORT,
    BIENNIUM,
    LOAD_PROCESSES,
    env_for,
    last_line,
    prepare,
    say,
)


def measure(scale: int, seconds: int) -> list[dict[str, object]]:
    token = last_line(scale, "bench/make_token.py")
    results = []
    with Gunicorn(env_for(scale, CONN_MAX_AGE="60"), port=BENCH_PORT, workers=LOAD_PROCESSES):
        base = f"http://127.0.0.1:{BENCH_PORT}"
        for path, auth in (
            ("/ping", False),
            (f"/api/v1/funding/regions/?region=africa&biennium={BIENNIUM}", True),
            ("/api/v1/projects/?page_size=50", True),
            ("/api/v1/projects/?page_size=50&page=20", True),
        ):
            header = token if auth else None
            run_wrk(base + path, token=header, seconds=3, connections=LOAD_PROCESSES)
            result = run_wrk(base + path, token=header, seconds=seconds, connections=LOAD_PROCESSES)
            say(
                f"scale {scale}: {path}: {result.rps:.0f} req/s, p50 {result.p50_ms:.1f} ms, "
                f"p95 {result.p95_ms:.1f} ms ({result.non_2xx} non-2xx, {result.errors} errors)"
            )
            results.append(asdict(result))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench/cooperation.py")
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--regenerate", action="store_true")
    options = parser.parse_args()
    prepare(options.scale, options.seed, options.regenerate)
    results = measure(options.scale, options.seconds)
    print(json.dumps({"scale": options.scale, "load_average": os.getloadavg(), "results": results}))


if __name__ == "__main__":
    main()

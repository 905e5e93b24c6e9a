"""Run every benchmark on PostgreSQL, print the figures and write BENCHMARKS.md.

    .venv/bin/python bench/run.py [--scales 1,10,100] [--seed 1] [--regenerate]

For each scale it uses (or makes) a database ``rbm_bench_<scale>`` with
``python -m bench.generate_scale_data``; then it measures, in one run:
- the implementation report of 2012-13 at each scale: wall time, peak memory and queries
  (one worker: the tasks run in the measuring process), beside the SQL floor computing the
  same figures (``bench/floor.py``), and their ratio;
- at the largest scale, the report on 1 and on 2 real Celery workers;
- at the largest scale, the demand-and-target table and the CPO list endpoint under load
  from wrk against gunicorn on 127.0.0.1, beside the server's trivial JSON view;
- a chart (PNG) of time against scale for the report and its floor.
Machines are shared and noisy: compare the ratios measured in one run, not absolute times
across runs.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.floor import measure as measure_floor  # noqa: E402
from bench.load import Gunicorn, LoadResult, run_wrk  # noqa: E402

PYTHON = str(ROOT / ".venv" / "bin" / "python")
ADMIN_DSN = os.environ.get(
    "BENCH_ADMIN_DSN", "postgresql://postgres:postgres@127.0.0.1:5432/postgres"
)
BIENNIUM = "2012-13"
CPOS_PER_SCALE = 6000  # six bienniums of about 1,000 CPOs
LOAD_PROCESSES = os.cpu_count() or 2  # gunicorn workers, and wrk's connections


# Several checkouts on one machine keep their scale data apart (BENCH_DB_PREFIX=rbm_bench_x).
DB_PREFIX = os.environ.get("BENCH_DB_PREFIX", "rbm_bench")
BENCH_PORT = int(os.environ.get("BENCH_PORT", "8100"))


def database_name(scale: int) -> str:
    return f"{DB_PREFIX}_{scale}"


def dsn(scale: int) -> str:
    return ADMIN_DSN.rsplit("/", 1)[0] + f"/{database_name(scale)}"


def database_url(scale: int) -> str:
    return dsn(scale).replace("postgresql://", "postgres://", 1)


def env_for(scale: int, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(DATABASE_URL=database_url(scale), DEBUG="true", SECRET_KEY="bench", **extra)  # noqa: S106
    # wrk sends thousands of requests a second from one address and one token: no API limits.
    env.update(API_THROTTLE_ANON="", API_THROTTLE_USER="", API_THROTTLE_BAD_KEY="")
    return env


def say(text: str) -> None:
    print(text, flush=True)


def last_line(scale: int, *arguments: str) -> str:
    """The last line a Python script (or ``manage.py`` command) of the project prints, run
    in a fresh process on the scale's database."""
    output = subprocess.run(
        [PYTHON, *arguments],
        cwd=ROOT,
        env=env_for(scale),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return output.strip().splitlines()[-1]


def _cpo_count(scale: int) -> int | None:
    try:
        connection = psycopg2.connect(dsn(scale))
    except psycopg2.OperationalError:
        return None
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM dwcp_countryprogrammeoutcome")
            row = cursor.fetchone()
            return int(row[0]) if row else 0
    except psycopg2.Error:
        return None
    finally:
        connection.close()


def prepare(scale: int, seed: int, regenerate: bool) -> dict[str, Any]:
    """The scale's database, made with bench.generate_scale_data unless it is there already."""
    if not regenerate and _cpo_count(scale) == CPOS_PER_SCALE * scale:
        say(f"scale {scale}: reusing {database_name(scale)} (migrated to this commit)")
        subprocess.run(
            [PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env_for(scale), check=True
        )
        return {"generated": False}
    admin = psycopg2.connect(ADMIN_DSN)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{database_name(scale)}"')
        cursor.execute(f'CREATE DATABASE "{database_name(scale)}"')
    admin.close()
    subprocess.run(
        [PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env_for(scale), check=True
    )
    summary = last_line(
        scale, "-m", "bench.generate_scale_data", "--scale", str(scale), "--seed", str(seed)
    )
    say(summary)
    return {"generated": True, "summary": summary}


def report(scale: int) -> dict[str, Any]:
    """The report compiled twice in fresh processes (the second is kept), and the floor."""
    runs = []
    for _ in range(2):
        runs.append(json.loads(last_line(scale, "bench/compile_once.py", BIENNIUM)))
    assert runs[0]["hash"] == runs[1]["hash"], "the same data gave two hashes"
    floor = measure_floor(dsn(scale), int(BIENNIUM[:4]))
    result = {**runs[1], "floor_seconds": round(floor["total"], 3), "floor": floor}
    result["ratio"] = round(result["seconds"] / floor["total"], 2)
    say(
        f"scale {scale}: report {result['seconds']:.2f} s, {result['peak_rss_mb']:.0f} MB, "
        f"{result['queries']} queries; SQL floor {floor['total']:.3f} s; "
        f"ratio {result['ratio']:.1f}"
    )
    return result


def workers(scale: int) -> list[dict[str, Any]]:
    results = []
    for processes in (1, 2):
        results.append(
            json.loads(last_line(scale, "bench/compile_workers.py", BIENNIUM, str(processes)))
        )
        say(f"scale {scale}: report on {processes} worker(s): {results[-1]['seconds']:.2f} s")
    return results


def load(scale: int) -> list[LoadResult]:
    token = last_line(scale, "bench/make_token.py")
    results = []
    # One gunicorn worker per core, and as many connections as workers: each worker always
    # has a request, none waits in the listen queue (latency at full throughput).
    processes = LOAD_PROCESSES
    with Gunicorn(env_for(scale, CONN_MAX_AGE="60"), port=BENCH_PORT, workers=processes):
        base = "http://127.0.0.1:8100"
        for path, auth in (
            ("/ping", False),
            # Not a goal: the smallest authenticated API list (six bienniums), to show what a
            # token and one query cost beside /ping.
            ("/api/v1/bienniums/", True),
            (f"/api/v1/demand-target-table/?biennium={BIENNIUM}", True),
            (f"/api/v1/cpos/?biennium={BIENNIUM}&page_size=50", True),
        ):
            header = token if auth else None
            run_wrk(base + path, token=header, seconds=3, connections=processes)  # warm up
            result = run_wrk(base + path, token=header, seconds=15, connections=processes)
            results.append(result)
            say(
                f"scale {scale}: {path}: {result.rps:.0f} req/s, p50 {result.p50_ms:.1f} ms, "
                f"p95 {result.p95_ms:.1f} ms ({result.non_2xx} non-2xx, {result.errors} errors)"
            )
    return results


def chart(reports: dict[int, dict[str, Any]], path: Path) -> None:
    """Time against scale for the report and its floor, as an SVG rendered to PNG."""
    from math import log10

    scales = sorted(reports)
    width, height, left, bottom, top, right = 800, 420, 70, 60, 30, 230
    top_value = max(max(r["seconds"], r["floor_seconds"]) for r in reports.values()) * 1.15
    low, high = log10(scales[0]), log10(scales[-1]) or 1

    def x(scale: int) -> float:
        span = (high - low) or 1
        return left + (log10(scale) - low) / span * (width - left - right)

    def y(value: float) -> float:
        return height - bottom - value / top_value * (height - bottom - top)

    lines = []
    for key, colour, label in (
        ("seconds", "#1f3c88", "Report (one worker)"),
        ("floor_seconds", "#1d7a46", "SQL floor"),
    ):
        points = " ".join(f"{x(s):.1f},{y(reports[s][key]):.1f}" for s in scales)
        lines.append(
            f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="3"/>'
        )
        for s in scales:
            value = reports[s][key]
            lines.append(
                f'<circle cx="{x(s):.1f}" cy="{y(value):.1f}" r="4" fill="{colour}"/>'
                f'<text x="{x(s) + 6:.1f}" y="{y(value) - 6:.1f}" font-size="12" '
                f'fill="{colour}">{value:.2f} s</text>'
            )
        index = 0 if key == "seconds" else 1
        lines.append(
            f'<rect x="{width - right + 70}" y="{top + 150 + 24 * index}" width="14" height="14" '
            f'fill="{colour}"/><text x="{width - right + 90}" y="{top + 162 + 24 * index}" '
            f'font-size="12">{label}</text>'
        )
    ticks = "".join(
        f'<text x="{x(s):.1f}" y="{height - bottom + 20}" font-size="12" '
        f'text-anchor="middle">{s}</text>'
        for s in scales
    )
    svg = f"""<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"
      font-family="Liberation Sans, DejaVu Sans, sans-serif">
      <rect width="100%" height="100%" fill="white"/>
      <text x="{left}" y="20" font-size="15" font-weight="bold">Report of one biennium: time
        against scale</text>
      <line x1="{left}" y1="{height - bottom}" x2="{width - right}" y2="{height - bottom}"
        stroke="#888"/>
      <line x1="{left}" y1="{top}" x2="{left}" y2="{height - bottom}" stroke="#888"/>
      <text x="{(left + width - right) / 2}" y="{height - 15}" font-size="12"
        text-anchor="middle">scale (x the ILO's size; log axis)</text>
      <text x="15" y="{(top + height - bottom) / 2}" font-size="12"
        transform="rotate(-90 15 {(top + height - bottom) / 2})" text-anchor="middle">
        seconds</text>
      {ticks}{"".join(lines)}
    </svg>"""
    from playwright.sync_api import sync_playwright

    from tests.browser.chromium import launch

    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": width, "height": height})
        page.set_content(svg)
        page.screenshot(path=str(path))
        browser.close()


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kib / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    postgres = "unknown"
    try:
        connection = psycopg2.connect(ADMIN_DSN)
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            row = cursor.fetchone()
            postgres = str(row[0]) if row else "unknown"
        connection.close()
    except psycopg2.Error:
        pass
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit,
        "cpu": f"{cpu}, {os.cpu_count()} cores",
        "memory": memory,
        "system": f"{platform.system()} {platform.release()}, Python {platform.python_version()}",
        "postgres": postgres,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="1,10,100")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--skip-workers", action="store_true")
    options = parser.parse_args()
    scales = [int(s) for s in options.scales.split(",")]
    results: dict[str, Any] = {"machine": machine(), "scales": {}, "seed": options.seed}
    say(f"Benchmarks on {results['machine']['cpu']}, {results['machine']['memory']}")
    for scale in scales:
        results["scales"][scale] = {"data": prepare(scale, options.seed, options.regenerate)}
        results["scales"][scale]["report"] = report(scale)
    largest = max(scales)
    if not options.skip_workers:
        results["workers"] = workers(largest)
    if not options.skip_load:
        results["load"] = [result.__dict__ for result in load(largest)]
        results["load_setup"] = {"workers": LOAD_PROCESSES, "connections": LOAD_PROCESSES}
    results["largest"] = largest
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=1, default=str))
    chart(
        {s: results["scales"][s]["report"] for s in scales}, ROOT / "bench" / "report-vs-scale.png"
    )
    from bench.write import write_markdown

    write_markdown(results, ROOT / "BENCHMARKS.md")
    say("Wrote BENCHMARKS.md, bench/results.json and bench/report-vs-scale.png")


if __name__ == "__main__":
    main()

"""The public portal and the dashboards under load: wrk against gunicorn on the scale
data, each page with its cache (the portal's ETag stamp and kept body) and without it (a
dummy cache: every request reads the stamp and renders the page).

    BENCH_DB_PREFIX=rbm_bench_x python -m bench.portal --scale 10

Prints one JSON line per page and writes ``bench/portal-results.json``. Made to be read
beside ``bench/run.py``'s figures: the same gunicorn, wrk and scale data.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from bench.load import REPORT_LUA, Gunicorn, ensure_wrk
from bench.run import BENCH_PORT, LOAD_PROCESSES, ROOT, env_for, last_line, prepare


def wrk(url: str, *, cookie: str | None, seconds: int) -> dict[str, Any]:
    binary = ensure_wrk()
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(REPORT_LUA)
    command = [binary, "-t", "1", "-c", str(LOAD_PROCESSES), "-d", f"{seconds}s"]
    command += ["-s", script.name, "--timeout", "10s"]
    if cookie:
        command += ["-H", f"Cookie: sessionid={cookie}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    Path(script.name).unlink()
    line = next(line for line in output.splitlines() if line.startswith("JSON"))
    return dict(json.loads(line[4:]))


def paths(scale: int) -> tuple[list[str], list[str]]:
    """Public pages and dashboards of the scale data (ids read from its database)."""
    code = (
        "from dwcp import selectors as d; from strategic_plans import selectors as f; "
        "from rbm import selectors as r; b = f.framework_bienniums().get(start_year=2012); "
        "p = d.public_programmes().first(); o = f.framework_outcomes(b).first(); "
        "print(p.pk, o.pk, r.regions()[0].pk, p.country_id)"
    )
    programme, outcome, region, country = last_line(scale, "manage.py", "shell", "-c", code).split()
    public = [
        "/public/",
        "/public/programmes/",
        f"/public/programmes/{programme}/",
        f"/public/outcomes/{outcome}/?biennium=2012-13",
        "/public/reports/",
        "/public/data/",
        "/public/sitemap.xml",
    ]
    boards = [
        "/reports/dashboards/?biennium=2012-13",
        f"/reports/dashboards/region/{region}/?biennium=2012-13",
        f"/reports/dashboards/outcome/{outcome}/?biennium=2012-13",
        f"/reports/dashboards/country/{country}/?biennium=2012-13",
        f"/reports/dashboards/programme/{programme}/?biennium=2012-13",
        "/reports/dashboards/map/?biennium=2012-13",
    ]
    return public, boards


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--only", default="", help="measure only the paths with this prefix")
    options = parser.parse_args()
    prepare(options.scale, 1, False)
    public, boards = paths(options.scale)
    session = last_line(options.scale, "bench/make_session.py")
    base = f"http://127.0.0.1:{BENCH_PORT}"
    results = []
    # cached: the portal's pages and the dashboards' figures kept; "pages": every page
    # rendered (the portal's data stamp still read at most every 30 s, the dashboards
    # counted every time); "none": no cache at all, the stamp read on every request.
    for cached in ("cached", "pages", "none"):
        extra = {"CONN_MAX_AGE": "60"}
        if cached == "pages":
            extra["PORTAL_KEEP_PAGES"] = "false"
            extra["DASHBOARD_CACHE_SECONDS"] = "0"
        if cached == "none":
            extra["CACHE_URL"] = "dummycache://"
        with Gunicorn(env_for(options.scale, **extra), port=BENCH_PORT, workers=LOAD_PROCESSES):
            for path in [p for p in (*public, *boards) if p.startswith(options.only)]:
                cookie = session if path.startswith("/reports/") else None
                wrk(base + path, cookie=cookie, seconds=2)  # warm up
                figures = wrk(base + path, cookie=cookie, seconds=options.seconds)
                row = {"scale": options.scale, "cached": cached, "path": path, **figures}
                results.append(row)
                print(json.dumps(row), flush=True)
    load = os.getloadavg()
    out = {"results": results, "loadavg": load, "cpus": os.cpu_count()}
    name = "portal-results.json" if not options.only else "portal-results-partial.json"
    (ROOT / "bench" / name).write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()

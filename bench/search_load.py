"""The search under load: wrk against gunicorn on the scale data, each request a different
query from a fixed list (English, French and Spanish words, with and without filters), as
the benchmark administrator (who also sees lessons not yet validated: the most rows), with
``/ping`` measured in the same run as the floor of a request.

    python bench/search_load.py --scale 10 [--seconds 20] [--regenerate]

It makes (or reuses) the scale's database as ``bench/run.py`` does, and prints and writes the
figures to ``bench/search-results.json``. The goal: p95 under 100 ms at scale 100.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load import REPORT_LUA, Gunicorn, ensure_wrk
from bench.run import (
    BENCH_PORT,
    LOAD_PROCESSES,
    env_for,
    last_line,
    machine,
    prepare,
    say,
)

RESULTS = Path(__file__).resolve().parent / "search-results.json"
QUERIES = [
    "q=inspectors trained",
    "q=tripartite committees",
    "q=baseline&language=en",
    "q=pooled funding&kind=lesson",
    "q=young women employment",
    "q=inspecteur formé&language=fr",
    "q=financement commun",
    "q=protection sociale&kind=good_practice",
    "q=inspectores formados&language=es",
    "q=salario mínimo",
    "q=trabajo infantil escuela",
    "q=programme priorities&year=2014",
    "q=guides national language&region=3",
    "q=UNDAF",
    "q=minimum wage statistics&outcome=20",
    "q=children school&country=50",
]


def _lua(paths: list[str]) -> str:
    quoted = ", ".join(json.dumps(path) for path in paths)
    return (
        f"paths = {{{quoted}}}\n"
        "counter = 0\n"
        "request = function()\n"
        "  counter = counter + 1\n"
        "  return wrk.format(nil, paths[(counter % #paths) + 1])\n"
        "end\n" + REPORT_LUA
    )


def _wrk(base: str, paths: list[str], *, token: str, seconds: int, connections: int) -> Any:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_lua(paths))
    command = [
        ensure_wrk(),
        "-t",
        "1",
        "-c",
        str(connections),
        "-d",
        f"{seconds}s",
        "-s",
        script.name,
        "--timeout",
        "10s",
        "-H",
        f"Authorization: Token {token}",
        base + paths[0],
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    Path(script.name).unlink()
    line = next(line for line in output.splitlines() if line.startswith("JSON"))
    return json.loads(line[4:])


def _path(query: str) -> str:
    key_values = [part.split("=", 1) for part in query.split("&")]
    return "/api/v1/search/?" + "&".join(f"{k}={quote(v)}" for k, v in key_values)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python bench/search_load.py")
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--regenerate", action="store_true")
    options = parser.parse_args()
    scale = options.scale
    prepared = prepare(scale, options.seed, options.regenerate)
    token = last_line(scale, "bench/make_token.py")
    base = f"http://127.0.0.1:{BENCH_PORT}"
    paths = [_path(query) for query in QUERIES]
    results: dict[str, Any] = {
        "scale": scale,
        "machine": machine(),
        "prepared": prepared,
        "gunicorn_workers": LOAD_PROCESSES,
        "connections": LOAD_PROCESSES,
        "queries": QUERIES,
    }
    results["load_average_before"] = os.getloadavg()
    with Gunicorn(env_for(scale, CONN_MAX_AGE="60"), port=BENCH_PORT, workers=LOAD_PROCESSES):
        for name, run_paths in (("ping", ["/ping"]), ("search", paths)):
            _wrk(base, run_paths, token=token, seconds=3, connections=LOAD_PROCESSES)  # warm
            figures = _wrk(
                base, run_paths, token=token, seconds=options.seconds, connections=LOAD_PROCESSES
            )
            results[name] = figures
            say(
                f"scale {scale}: {name}: {figures['rps']:.0f} req/s, p50 {figures['p50_ms']:.1f}"
                f" ms, p95 {figures['p95_ms']:.1f} ms, p99 {figures['p99_ms']:.1f} ms "
                f"({figures['non_2xx']} non-2xx, {figures['errors']} errors)"
            )
    results["load_average_after"] = os.getloadavg()
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    say(f"written to {RESULTS}")


if __name__ == "__main__":
    main()

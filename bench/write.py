"""Write BENCHMARKS.md from a run's results (bench/run.py) and the record of optimizations
(bench/history.md, kept by hand)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

# Endpoints measured for context, with no goal of their own.
REFERENCE_PATHS = {"api/v1/bienniums"}


def _mark(ok: bool) -> str:
    return "met" if ok else "**missed**"


def write_markdown(results: dict[str, Any], path: Path) -> None:
    machine = results["machine"]
    scales = results["scales"]
    largest = results["largest"]
    lines = [
        "# Benchmarks",
        "",
        "Written by `bench/run.py` (`make bench`). Machines here are shared and noisy: read the",
        "ratios measured within one run, not absolute times across runs.",
        "",
        f"- Date: {machine['date']}; commit `{machine['commit']}`",
        f"- Machine: {machine['cpu']}, {machine['memory']}; {machine['system']}; "
        f"PostgreSQL {machine['postgres']}",
        f"- Data: `python -m bench.generate_scale_data --seed {results['seed']}`; scale 1 is the "
        "ILO's size (187 member States, 130 DWCPs, 19 outcomes and 50 indicators per framework, "
        "about 1,000 CPOs in each of six bienniums, four progress reports per CPO)",
        "",
        "## The implementation report of one biennium (2012-13)",
        "",
        "One worker: the compilation's tasks run one after the other in the measuring process. "
        "The SQL floor is the fewest plain SQL queries computing the same figures "
        "(`bench/floor.py`).",
        "",
        "| scale | CPOs (all bienniums) | report | peak memory | queries | queries per part "
        "| SQL floor | report / floor | snapshot size |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for scale in sorted(scales, key=int):
        report = scales[scale]["report"]
        lines.append(
            f"| {scale} | {6000 * int(scale):,} | {report['seconds']:.2f} s | "
            f"{report['peak_rss_mb']:.0f} MB | {report['queries']} | "
            f"{', '.join(str(q) for q in report['queries_per_part'])} | "
            f"{report['floor_seconds']:.3f} s | {report['ratio']:.1f} | "
            f"{report['content_bytes'] / 1024:.0f} KiB |"
        )
    lines += ["", "![Time against scale](bench/report-vs-scale.png)", ""]
    data = [
        (scale, scales[scale]["data"])
        for scale in sorted(scales, key=int)
        if scales[scale]["data"].get("generated")
    ]
    if data:
        lines += ["Scale data loaded in this run:", ""]
        lines += [f"- scale {scale}: {info['summary']}" for scale, info in data]
        lines.append("")
    goals = []
    big = scales[largest]["report"]
    queries = {scales[s]["report"]["queries"] for s in scales}
    workers = results.get("workers")
    if workers:
        one, two = workers[0]["seconds"], workers[1]["seconds"]
        lines += [
            f"## The report on real Celery workers (scale {largest})",
            "",
            "| workers | wall time, request to snapshot |",
            "| --- | --- |",
            f"| 1 | {one:.2f} s |",
            f"| 2 | {two:.2f} s |",
            "",
            f"Speed-up with 2 workers: {one / two:.2f}x.",
            "",
        ]
    load = results.get("load")
    if load:
        floor = load[0]
        setup = results.get("load_setup", {"workers": "?", "connections": "?"})
        lines += [
            f"## Under load (scale {largest})",
            "",
            f"wrk (1 thread, {setup['connections']} connections, 15 s after a 3 s warm-up) "
            f"from a second process against gunicorn ({setup['workers']} sync workers, one per "
            "core, `gunicorn.conf.py`) on 127.0.0.1, on the same machine as PostgreSQL, with "
            "a token. `/ping` is the server's trivial JSON view: the floor of a request. "
            "`/api/v1/bienniums/` (six rows) shows what a token and a query add to it; it has "
            "no goal.",
            "",
            "| endpoint | requests/s | p50 | p95 | p99 | share of /ping's requests/s | errors |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        for result in load:
            lines.append(
                f"| `{result['path']}` | {result['rps']:.0f} | {result['p50_ms']:.1f} ms | "
                f"{result['p95_ms']:.1f} ms | {result['p99_ms']:.1f} ms | "
                f"{result['rps'] / floor['rps']:.2f} | {result['errors'] + result['non_2xx']} |"
            )
        lines.append("")
    lines += ["## Goals", "", "| goal | measured | |", "| --- | --- | --- |"]
    goals.append(
        (
            f"report at scale {largest} within 2x the SQL floor",
            f"{big['ratio']:.1f}x",
            big["ratio"] <= 2,
        )
    )
    goals.append(
        (f"report at scale {largest} under 10 s", f"{big['seconds']:.2f} s", big["seconds"] < 10)
    )
    if workers:
        goals.append(
            (
                f"report at scale {largest} under 10 s on 2 workers",
                f"{workers[1]['seconds']:.2f} s",
                workers[1]["seconds"] < 10,
            )
        )
    goals.append(
        (
            f"peak memory under 500 MB at scale {largest}",
            f"{big['peak_rss_mb']:.0f} MB",
            big["peak_rss_mb"] < 500,
        )
    )
    goals.append(
        (
            "query count does not grow with scale",
            ", ".join(str(scales[s]["report"]["queries"]) for s in sorted(scales, key=int)),
            len(queries) == 1,
        )
    )
    if workers:
        goals.append(
            (
                "2 workers compile the report faster than 1",
                f"{workers[0]['seconds'] / workers[1]['seconds']:.2f}x",
                workers[1]["seconds"] < workers[0]["seconds"],
            )
        )
    if load:
        floor = load[0]
        for result in load[1:]:
            if result["path"].split("?")[0].strip("/") in REFERENCE_PATHS:
                continue
            goals.append(
                (
                    f"`{result['path'].split('?')[0]}` p95 under 50 ms",
                    f"{result['p95_ms']:.1f} ms",
                    result["p95_ms"] < 50,
                )
            )
            goals.append(
                (
                    f"`{result['path'].split('?')[0]}` at least half of /ping's requests/s",
                    f"{result['rps'] / floor['rps']:.2f}",
                    result["rps"] >= floor["rps"] / 2,
                )
            )
    lines += [f"| {goal} | {measured} | {_mark(ok)} |" for goal, measured, ok in goals]
    history = path.parent / "bench" / "history.md"
    if history.exists():
        lines += ["", history.read_text(encoding="utf-8").strip()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

"""Load deterministic scale data for the benchmarks (PostgreSQL).

    DATABASE_URL=... python -m bench.generate_scale_data --scale N [--seed S] [--replace]

Scale 1 is the ILO's size (about 1,000 CPOs in each of six bienniums); scale N multiplies the
CPOs, their resources and progress reports. Deterministic for a seed. The data and the code
that makes it live here, outside the apps: nothing at run time needs them.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rbm.settings")

import django

django.setup()

from bench.scale import Counts, ScaleDataError, generate  # noqa: E402


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench.generate_scale_data",
        description="Load deterministic scale data for the benchmarks (PostgreSQL).",
    )
    parser.add_argument("--scale", type=int, default=1, help="1 is the ILO's size")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--replace",
        action="store_true",
        help="Empty the programme, framework and workplan tables first.",
    )
    return parser


def run(*, scale: int, seed: int, replace: bool = False, out: TextIO = sys.stdout) -> Counts:
    """Generate the data and print what was loaded; ScaleDataError when it cannot be."""
    started = time.monotonic()
    counts = generate(
        scale=scale, seed=seed, replace=replace, log=lambda line: print(line, file=out)
    )
    elapsed = time.monotonic() - started
    for name, rows in counts.rows.items():
        print(f"  {name:45} {rows:>12,} rows {counts.seconds[name]:8.1f} s", file=out)
    total = sum(counts.rows.values())
    print(
        f"Scale {scale} (seed {seed}): {total:,} rows in {elapsed:.1f} s "
        f"({total / max(elapsed, 0.001):,.0f} rows/s).",
        file=out,
    )
    return counts


def main(argv: Sequence[str] | None = None) -> int:
    options = parser().parse_args(argv)
    try:
        run(scale=options.scale, seed=options.seed, replace=options.replace)
    except ScaleDataError as error:
        print(f"generate_scale_data: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

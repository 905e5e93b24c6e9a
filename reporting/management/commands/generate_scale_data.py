"""``python manage.py generate_scale_data --scale N --seed S [--replace]``: benchmark data.

Scale 1 is the ILO's size (about 1,000 CPOs in each of six bienniums); scale N multiplies the
CPOs, their resources and progress reports. Deterministic for a seed; PostgreSQL only.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reporting.scale import ScaleDataError, generate


class Command(BaseCommand):
    help = "Load deterministic scale data for the benchmarks (PostgreSQL)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", type=int, default=1, help="1 is the ILO's size")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Empty the programme, framework and workplan tables first.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        try:
            counts = generate(
                scale=options["scale"],
                seed=options["seed"],
                replace=options["replace"],
                log=self.stdout.write,
            )
        except ScaleDataError as error:
            raise CommandError(str(error)) from error
        elapsed = time.monotonic() - started
        for name, rows in counts.rows.items():
            self.stdout.write(f"  {name:45} {rows:>12,} rows {counts.seconds[name]:8.1f} s")
        total = sum(counts.rows.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Scale {options['scale']} (seed {options['seed']}): {total:,} rows in "
                f"{elapsed:.1f} s ({total / max(elapsed, 0.001):,.0f} rows/s)."
            )
        )

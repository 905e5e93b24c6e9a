"""``python manage.py workplan_table --biennium 2012-13 [--compare-with FILE.csv]``.

Prints the demand-and-target table computed from the CPOs as CSV (``outcome,region,demand,
target``). With ``--compare-with``, prints one line per published figure that differs
(outcome, region, measure, published, computed) and exits 1 if any does.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from rbm.models import Biennium
from rbm.services import system_user
from rbm.text import csv_cell
from workplans.exports import table_csv
from workplans.selectors import compare_with_published, demand_target_table
from workplans.services import PublishedFiguresInvalid, published_table_record


class Command(BaseCommand):
    help = "Print the demand-and-target table as CSV, or compare it with published figures."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--biennium", required=True, help='e.g. "2012-13"')
        parser.add_argument("--compare-with", type=Path, help="a CSV file of published figures")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            start, _end = Biennium.parse_code(options["biennium"])
        except ValidationError as error:
            raise CommandError(error.messages[0]) from error
        biennium = Biennium.objects.filter(start_year=start).first()
        if biennium is None:
            raise CommandError(f"There is no biennium {options['biennium']} in the database.")
        table = demand_target_table(biennium)
        path: Path | None = options["compare_with"]
        if path is None:
            self.stdout.write(table_csv(table), ending="")
            return
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from error
        with transaction.atomic():
            # Parse and store the figures the usual way, then forget them.
            try:
                published = published_table_record(
                    user=system_user(),
                    biennium=biennium,
                    name=f"compare {path.name}",
                    text=text,
                    replace=True,
                )
            except PublishedFiguresInvalid as error:
                for problem in error.errors:
                    self.stderr.write(f"{path}:{problem.row}: {problem.column}: {problem.message}")
                raise CommandError(error.message) from error
            differences = compare_with_published(table, published)
            transaction.set_rollback(True)
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(["outcome", "region", "measure", "published", "computed"])
        for difference in differences:
            row = [
                difference.outcome,
                difference.region,
                difference.measure,
                difference.published,
                difference.computed,
            ]
            writer.writerow([csv_cell(value) for value in row])
        if differences:
            self.stderr.write(f"{len(differences)} published figures differ from the records.")
            sys.exit(1)
        self.stderr.write("Every published figure matches the records.")

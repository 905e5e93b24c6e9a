"""``python manage.py compile_report --biennium 2012-13 --format xlsx --output FILE``.

Runs the same compilation as the pages (on the workers when a broker is configured, in this
process otherwise), waits for it, and writes one export of the snapshot.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from rbm.errors import ApplicationError
from rbm.models import Biennium, Region
from rbm.services import system_user
from reporting.exports import FORMATS, export_snapshot
from reporting.models import Language, ReportRun, RunStatus, Scope
from reporting.services import report_run_request
from strategic_plans import selectors as framework


class Command(BaseCommand):
    help = "Compile the implementation report of a biennium and write one export of it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--biennium", required=True, help='e.g. "2012-13"')
        parser.add_argument("--format", required=True, choices=list(FORMATS))
        parser.add_argument("--output", required=True, type=Path)
        parser.add_argument("--region", help="a region code, e.g. africa")
        parser.add_argument("--objective", type=int, help="a strategic objective number")
        parser.add_argument("--language", default="en", choices=Language.values)
        parser.add_argument(
            "--timeout", type=int, default=1800, help="seconds to wait for the workers"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            start, _end = Biennium.parse_code(options["biennium"])
        except ValidationError as error:
            raise CommandError(error.messages[0]) from error
        biennium = Biennium.objects.filter(start_year=start).first()
        if biennium is None:
            raise CommandError(f"There is no biennium {options['biennium']}.")
        region = None
        objective = None
        scope = Scope.WHOLE
        if options["region"] and options["objective"]:
            raise CommandError("Give a region or an objective, not both.")
        if options["region"]:
            region = Region.objects.filter(code=options["region"]).first()
            if region is None:
                codes = ", ".join(Region.objects.values_list("code", flat=True))
                raise CommandError(f"Unknown region {options['region']}; use one of {codes}.")
            scope = Scope.REGION
        if options["objective"]:
            objective = framework.objective_of(biennium, options["objective"])
            if objective is None:
                raise CommandError(f"No strategic objective {options['objective']} in {biennium}.")
            scope = Scope.OBJECTIVE
        try:
            run = report_run_request(
                user=system_user(),
                biennium=biennium,
                scope=scope,
                region=region,
                objective=objective,
                language=options["language"],
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        where = "in this process" if settings.CELERY_TASK_ALWAYS_EAGER else "on the workers"
        self.stderr.write(f"Run {run.pk}: compiling {run} {where}...")
        deadline = time.monotonic() + options["timeout"]
        while True:
            run = ReportRun.objects.select_related("snapshot").get(pk=run.pk)
            if run.status in (RunStatus.SUCCEEDED, RunStatus.FAILED):
                break
            if time.monotonic() > deadline:
                raise CommandError(f"Run {run.pk} did not finish in {options['timeout']} s.")
            time.sleep(0.5)
        if run.status == RunStatus.FAILED or run.snapshot is None:
            raise CommandError(f"Run {run.pk} failed: {run.error}")
        try:
            data = export_snapshot(run.snapshot, options["format"]).content
        except ApplicationError as error:
            raise CommandError(error.message) from error
        output: Path = options["output"]
        try:
            output.write_bytes(data)
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror}") from error
        self.stderr.write(
            f"Snapshot {run.snapshot.short_hash} ({run.duration_seconds or 0:.1f} s): "
            f"wrote {len(data):,} bytes of {options['format']} to {output}"
        )

"""``python manage.py load_demo``: load the demo data set (idempotent)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from rbm.demo import DemoContext, steps


class Command(BaseCommand):
    help = (
        "Load the demo data: reference data, the SPF 2002-05 and 2010-15 frameworks from the "
        "seed documents, offices and one user per role. Running it again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="Give the demo users new passwords and print them.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        context = DemoContext(reset_passwords=options["reset_passwords"])
        started = time.monotonic()
        with transaction.atomic():
            for step in steps():
                step_started = time.monotonic()
                step.run(context)
                self.stdout.write(f"  {step.name}: done in {time.monotonic() - step_started:.1f} s")
        for line in context.log:
            self.stdout.write(f"  {line}")
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready in {time.monotonic() - started:.1f} s.")
        )
        if context.passwords:
            self.stdout.write("")
            self.stdout.write("Demo users (username / password):")
            for username, password in context.passwords.items():
                self.stdout.write(f"  {username:28} {password}")
            self.stdout.write(
                "These passwords are shown once; `load_demo --reset-passwords` makes new ones."
            )
        else:
            self.stdout.write(
                "The demo users already exist and keep their passwords; "
                "run `load_demo --reset-passwords` to get new ones."
            )

"""``python manage.py load_reference_data``: regions, member States, funding sources."""

from typing import Any

from django.core.management.base import BaseCommand

from rbm.services import reference_data_load, system_user


class Command(BaseCommand):
    help = "Create or refresh regions, ILO member States and funding sources (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = reference_data_load(user=system_user())
        self.stdout.write(
            self.style.SUCCESS(
                "{regions} regions, {countries} member States, {funding_sources} funding "
                "sources.".format(**counts)
            )
        )

"""``python manage.py refresh_un_country_names --csv FILE``: refresh the member States' UN
names (English, French, Spanish) and M49 sub-regions in ``rbm/data/un_member_states.json``
from a newer copy of the M49 table, then run ``load_reference_data`` to store them.

FILE is a country-codes table with the columns ``ISO3166-1-Alpha-3``, ``M49``,
``official_name_en``, ``official_name_fr``, ``official_name_es``, ``Sub-region Name`` and
``Intermediate Region Name`` (the datasets/country-codes data package's
``data/country-codes.csv``, which collects the UN Statistics Division's M49 pages). Only the
listed member States are refreshed (membership is the ILO's, edited by hand); the table's
recorded corrections are applied again. Prints what changed."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rbm import reference

COLUMNS = {
    "en": "official_name_en",
    "fr": "official_name_fr",
    "es": "official_name_es",
    "m49": "M49",
}


class Command(BaseCommand):
    help = "Refresh the member States' UN names and M49 sub-regions from an M49 table (CSV)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--csv", required=True, help="The country-codes CSV file.")
        parser.add_argument("--source-version", default="", help="The source's version, to record.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["csv"])
        if not path.is_file():
            raise CommandError(f"No file {path}.")
        with path.open(encoding="utf-8", newline="") as handle:
            rows = {r.get("ISO3166-1-Alpha-3", ""): r for r in csv.DictReader(handle)}
        table = json.loads(reference.DATA_FILE.read_text(encoding="utf-8"))
        corrections = table["source"].get("corrections", {})
        changes = []
        for alpha3, state in table["states"].items():
            row = rows.get(alpha3)
            if row is None:
                raise CommandError(f"{alpha3} is a member State but is not in {path}.")
            fresh = {key: row.get(column, "").strip() for key, column in COLUMNS.items()}
            fresh["m49_subregion"] = (
                row.get("Intermediate Region Name") or row.get("Sub-region Name") or ""
            ).strip()
            fresh.update(corrections.get(alpha3, {}))
            missing = [key for key, value in fresh.items() if not value]
            if missing:
                raise CommandError(f"{alpha3}: no {', '.join(missing)} in {path}.")
            reference.ilo_region_for(alpha3, fresh["m49_subregion"])  # a known sub-region
            for key, value in fresh.items():
                if state.get(key) != value:
                    changes.append(f"{alpha3} {key}: {state.get(key)!r} -> {value!r}")
                    state[key] = value
        if options["source_version"]:
            table["source"]["version"] = options["source_version"]
        reference.DATA_FILE.write_text(
            json.dumps(table, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        for change in changes:
            self.stdout.write(change)
        self.stdout.write(self.style.SUCCESS(f"{len(changes)} changes."))

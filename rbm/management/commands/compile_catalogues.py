"""``python manage.py compile_catalogues``: compile the gettext catalogues (.po -> .mo).

Django's ``compilemessages`` needs GNU gettext on the machine; this uses polib, so the setup
command works on a fresh machine with Python alone.
"""

from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Compile every locale/*/LC_MESSAGES/*.po into its .mo file."

    def handle(self, *args: Any, **options: Any) -> None:
        count = 0
        for locale_path in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_path).glob("*/LC_MESSAGES/*.po")):
                try:
                    catalogue = polib.pofile(str(po_path))
                except OSError as error:
                    raise CommandError(f"{po_path}: {error}") from error
                catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
                count += 1
                self.stdout.write(
                    f"  {po_path.relative_to(settings.BASE_DIR)}: "
                    f"{catalogue.percent_translated()}% translated"
                )
        if not count:
            raise CommandError("No catalogue found under LOCALE_PATHS.")
        self.stdout.write(self.style.SUCCESS(f"{count} catalogues compiled."))

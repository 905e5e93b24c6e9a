"""Results achieved, with country examples: the words every document uses for them.

Each outcome's section lists (content version 2 and later) the CPOs whose validated progress
report claims a result: country, CPO code, title, indicator and the validated narrative,
sorted by country code then CPO code. The DOCX and PDF (through ``layout``) and the workbook
write them with these labels, so the three say the same in every language.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from reporting.exports.common import JSON


def heading() -> str:
    return _("Results achieved, with country examples")


def has_examples(outcome: JSON) -> bool:
    """Whether the section carries examples at all (content version 1 does not)."""
    return "examples" in outcome


def none_text() -> str:
    return _("No validated result counts against this outcome yet.")


def label(example: JSON) -> str:
    """The bold lead-in of an example: ``Kenya, KEN126 (16.1): Title.``"""
    return _("%(country)s, %(cpo)s (indicator %(indicator)s): %(title)s.") % {
        "country": example["country_name"],
        "cpo": example["cpo"],
        "indicator": example["indicator"],
        "title": example["title"].strip().rstrip("."),
    }


def narrative_lines(example: JSON) -> list[str]:
    """The narrative's paragraphs; a plain note when the validated report says nothing."""
    lines = [line.strip() for line in str(example["narrative"]).splitlines() if line.strip()]
    return lines or [_("The validated progress report gives no narrative.")]

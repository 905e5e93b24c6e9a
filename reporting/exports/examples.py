"""Results achieved, with country examples: the words every document uses for them.

Each outcome's section lists (content version 2 and later) the CPOs whose validated progress
report claims a result: country, CPO code, title, indicator and the validated narrative,
sorted by country code then CPO code. The DOCX, the PDF and the web version (through
``layout``) tell the narratives of at most ``FEATURED`` of them per outcome, spread over the
regions, and list the rest by country (so that a document's length does not grow with the
number of results); the workbook keeps every example with its narrative. All write them with
these labels, so they say the same in every language.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from reporting.exports.common import JSON

FEATURED = 5  # examples told with their narrative, per outcome


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


def featured(found: list[JSON], limit: int = FEATURED) -> tuple[list[JSON], list[JSON]]:
    """(the examples told with their narrative, the others), each in the content's order.

    The first example of each region in turn, then the second of each, ... up to ``limit``:
    a spread over the regions rather than the first countries of the alphabet."""
    by_region: dict[str, list[int]] = {}
    for index, example in enumerate(found):
        by_region.setdefault(str(example["region"]), []).append(index)
    chosen: set[int] = set()
    rank = 0
    while len(chosen) < min(limit, len(found)):
        for indexes in by_region.values():
            if rank < len(indexes) and len(chosen) < limit:
                chosen.add(indexes[rank])
        rank += 1
    told = [example for index, example in enumerate(found) if index in chosen]
    others = [example for index, example in enumerate(found) if index not in chosen]
    return told, others


def others_label() -> str:
    return _("Other results, by country:")


def others_text(others: list[JSON]) -> str:
    """``Albania (ALB101, ALB102); Armenia (ARM102)``: the other examples by country."""
    countries: dict[str, list[str]] = {}
    for example in sorted(others, key=lambda e: (str(e["country_name"]), str(e["cpo"]))):
        countries.setdefault(str(example["country_name"]), []).append(str(example["cpo"]))
    return "; ".join(f"{name} ({', '.join(codes)})" for name, codes in countries.items()) + "."

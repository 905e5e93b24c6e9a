"""What a snapshot is missing before it goes to the Governing Body: its gaps.

Read from the snapshot's content only, so a snapshot's gaps never change:

- an outcome without a strategy: none of its strategy elements is written;
- an indicator without results: no validated result counts against it;
- an indicator without a narrative: where the outcome's section carries its country
  examples (``examples``, each naming its ``indicator``; content version 2 and later), the
  indicator has results but none of its examples' validated progress narratives says
  anything.

Each gap has a key made of codes (``strategy:16``, ``results:16.1``, ``narrative:16.1``),
the same in every language: marking a snapshot final with gaps open needs a confirmation
that names every one of them by its key (``reporting.services.snapshot_mark_final``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Gap:
    key: str  # "strategy:16", "results:16.1", "narrative:16.1"
    kind: str  # "strategy", "results", "narrative"
    outcome: str
    indicator: str | None
    text: str  # what is missing, in the active language

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _written(items: Any, field: str) -> bool:
    return any(str(item.get(field) or "").strip() for item in items or [])


def snapshot_gaps(content: dict[str, Any]) -> list[Gap]:
    """The gaps of a report's content, in the report's order."""
    gaps: list[Gap] = []
    for objective in content.get("objectives", []):
        for outcome in objective["outcomes"]:
            code = outcome["code"]
            if not _written(outcome.get("strategy"), "text"):
                gaps.append(
                    Gap(
                        f"strategy:{code}",
                        "strategy",
                        code,
                        None,
                        _("Outcome %(outcome)s: no strategy element is written.")
                        % {"outcome": code},
                    )
                )
            examples = outcome.get("examples")
            for indicator in outcome["indicators"]:
                number = indicator["code"]
                if not indicator.get("results"):
                    gaps.append(
                        Gap(
                            f"results:{number}",
                            "results",
                            code,
                            number,
                            _("Indicator %(indicator)s: no validated result.")
                            % {"indicator": number},
                        )
                    )
                elif examples is not None and not _written(
                    [e for e in examples if e.get("indicator") == number], "narrative"
                ):
                    gaps.append(
                        Gap(
                            f"narrative:{number}",
                            "narrative",
                            code,
                            number,
                            _("Indicator %(indicator)s: no progress narrative.")
                            % {"indicator": number},
                        )
                    )
    return gaps

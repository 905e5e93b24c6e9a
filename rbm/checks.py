"""Conditions an upper app sets on a lower app's step.

A service of a lower app names its checkpoint ("dwcp.evaluate": a programme moving to
"Evaluated") and calls ``run(checkpoint, obj)`` inside its transaction; an upper app that
holds the knowledge registers a condition for it from its ``AppConfig.ready`` (evaluations:
"a programme is evaluated only with a completed evaluation of it"). A condition raises
``ApplicationError`` or ``ValidationError`` with a message for the user; with no condition
registered, the step goes ahead. This keeps the app order one-way (ARCHITECTURE.md).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Condition = Callable[[Any], None]

_CONDITIONS: dict[str, dict[str, Condition]] = {}


def register(checkpoint: str, key: str, condition: Condition) -> None:
    """Add ``condition`` (by ``key``: registering it again replaces it) to ``checkpoint``."""
    _CONDITIONS.setdefault(checkpoint, {})[key] = condition


def run(checkpoint: str, obj: Any) -> None:
    """Ask every condition of ``checkpoint`` about ``obj``; the first refusal is raised."""
    for _key, condition in sorted(_CONDITIONS.get(checkpoint, {}).items()):
        condition(obj)


def registered(checkpoint: str) -> list[str]:
    return sorted(_CONDITIONS.get(checkpoint, {}))

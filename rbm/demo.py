"""The demo data set, built by steps that each app registers (``load_demo`` runs them).

Each step is idempotent: it finds what exists and creates only what is missing, so running
``load_demo`` twice leaves the same rows. Steps run in ``order``; an app's step may rely on the
steps of the apps below it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class DemoContext:
    """What steps share: passwords of the users created in this run, and a log."""

    reset_passwords: bool = False
    passwords: dict[str, str] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DemoStep:
    name: str
    order: int
    run: Callable[[DemoContext], None]


_STEPS: dict[str, DemoStep] = {}


def register_step(name: str, order: int, run: Callable[[DemoContext], None]) -> None:
    _STEPS[name] = DemoStep(name, order, run)


def steps() -> list[DemoStep]:
    return sorted(_STEPS.values(), key=lambda step: step.order)

"""The demo data set, built by steps that each app registers (``load_demo`` runs them).

Each step is idempotent: it finds what exists and creates only what is missing, so running
``load_demo`` twice leaves the same rows. Steps run in ``order``; an app's step may rely on the
steps of the apps below it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rbm.models import User


@dataclass
class DemoContext:
    """What steps share: passwords of the users created in this run, a log, and the account
    the demo's writes are made as (``actor``)."""

    reset_passwords: bool = False
    passwords: dict[str, str] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)
    acting_as: User | None = None

    @property
    def actor(self) -> User:
        """Who the steps write as: ``acting_as``, or the system account (an administrator
        that cannot sign in, ``rbm.services.system_user``). Every write goes through a
        service that checks the permission table, the demo's too."""
        if self.acting_as is None:
            from rbm.services import system_user

            self.acting_as = system_user()
        return self.acting_as


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

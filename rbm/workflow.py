"""One way to move a record from one state to the next.

Every workflow of the product (DWCP phases, progress-report and workplan review, projects,
evaluations, report runs) is a ``TextChoices`` status field whose steps are rows of the
permission table: the action names the roles, their scope and the states each may take it
from (``rbm.permissions``). A service takes a step with ``transition``:

1. the role and scope are checked on the record as the caller read it (403);
2. the row is locked (``SELECT ... FOR UPDATE OF`` its own table) and, for a record people
   edit (a ``VersionedModel``), the version the editor read is compared with the stored one
   (409); a record nobody edits field by field (a report run) has no version to compare;
3. the permission table is asked again with the locked row's state (400, the action's own
   refusal: "Only a submitted report can be validated; this one is draft.");
4. ``check`` (if given) validates the locked row before it moves (400);
5. the state and any other ``changes`` are saved with the version bumped, in the caller's
   transaction.

Templates ask ``can(user, action, record)`` to show or hide the step's button: the same row
answers them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.db import models, transaction

from rbm.models import User, VersionedModel
from rbm.permissions import require
from rbm.services import check_version, save_versioned

V = TypeVar("V", bound=models.Model)


def lock(record: V, *, related: tuple[str, ...] = ()) -> V:
    """The record's row, locked until the transaction ends (not its related rows)."""
    queryset = type(record)._default_manager.select_for_update(of=("self",))
    if related:
        queryset = queryset.select_related(*related)
    return queryset.get(pk=record.pk)


def _label(record: models.Model, field: str, value: str) -> str:
    model_field = record._meta.get_field(field)
    choices = dict(getattr(model_field, "flatchoices", ()))
    return str(choices.get(value, value))


def locked_for(
    record: V,
    *,
    user: User,
    action: str,
    version: int | None,
    target: str | None = None,
    related: tuple[str, ...] = (),
) -> V:
    """Steps 1-3 of a transition, for an edit that keeps the state: the record's row locked,
    after the role and scope (403), the version (409) and the state (400) allow ``action``."""
    require(user, action, record, states=False)
    locked = lock(record, related=related)
    if isinstance(locked, VersionedModel):
        check_version(locked, version)
    require(user, action, locked, target=target)
    return locked


@transaction.atomic
def transition(
    record: V,
    *,
    user: User,
    action: str,
    target: str,
    version: int | None,
    field: str = "status",
    changes: Mapping[str, Any] | None = None,
    check: Callable[[V], None] | None = None,
    related: tuple[str, ...] = (),
) -> V:
    """Move ``record`` to ``target`` through the permission table's ``action``.

    ``related``: relations the action's scope predicate reads, loaded with the locked row.
    Returns the locked, saved row.
    """
    locked = locked_for(
        record,
        user=user,
        action=action,
        version=version,
        target=_label(record, field, target),
        related=related,
    )
    if check is not None:
        check(locked)
    setattr(locked, field, target)
    changes = dict(changes or {})
    for name, value in changes.items():
        setattr(locked, name, value)
    if isinstance(locked, VersionedModel):
        save_versioned(locked, update_fields=[field, *changes])
    else:
        stamped = ["updated_at"] if hasattr(locked, "updated_at") else []
        locked.save(update_fields=[field, *changes, *stamped])
    return locked

"""What the database says when two writes race, turned into answers for the user.

* A **unique violation** (two people create the same code, token name, table name or
  mid-term review at once: both passed the unique check, the second insert waits for the
  first and fails) is a ``ConflictError`` (409) naming what exists now: services wrap their
  insert in ``unique_conflict(instance)``, and the API's exception handler maps any that
  escapes with ``conflict_for`` too, so pages and the API answer alike.
* A **deadlock** or **serialization failure** is retried by ``retry_on_deadlock`` when the
  whole operation is one transaction that is safe to run again (it ran nothing); if it keeps
  failing it is a 409 asking the user to try again, never a 500.
"""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, ParamSpec, TypeVar

from django.apps import apps
from django.db import DatabaseError, IntegrityError, connection, models, transaction
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from rbm.errors import ConflictError

UNIQUE_VIOLATION = "23505"
# deadlock_detected, serialization_failure: the transaction was rolled back, nothing of it
# was written, and running it again may succeed.
RETRYABLE = frozenset({"40P01", "40001"})
RETRY_ATTEMPTS = 3

P = ParamSpec("P")
R = TypeVar("R")


def _pgcode(error: BaseException) -> str | None:
    cause = error.__cause__ or error
    return getattr(cause, "pgcode", None) or getattr(cause, "sqlstate", None)


def _constraint_name(error: BaseException) -> str:
    diag = getattr(error.__cause__ or error, "diag", None)
    return str(getattr(diag, "constraint_name", "") or "")


def _unique_of(name: str) -> tuple[type[models.Model], list[str], str | None] | None:
    """The model, fields and own message of the unique constraint (or unique field) the
    database calls ``name``."""
    for model in apps.get_models():
        table = model._meta.db_table
        for constraint in model._meta.constraints:
            if isinstance(constraint, models.UniqueConstraint) and constraint.name == name:
                message = constraint.violation_error_message
                own = message != constraint.default_violation_error_message
                return model, list(constraint.fields), str(message) if own else None
        for field in model._meta.local_fields:
            column = field.column
            if field.unique and (
                name == f"{table}_{column}_key"
                or (name.startswith(f"{table}_{column}_") and name.endswith("_uniq"))
            ):
                return model, [field.name], None
    return None


def conflict_for(
    error: BaseException, instance: models.Model | None = None
) -> ConflictError | None:
    """The ``ConflictError`` for a unique violation (None for any other error): the
    constraint's own message, or "<model> with this <fields> already exists.", with the
    existing record's id and version when ``instance`` says which values collided."""
    if _pgcode(error) != UNIQUE_VIOLATION:
        return None
    found = _unique_of(_constraint_name(error))
    if found is None:
        return ConflictError(_("Someone else has just saved the same record. Reload the page."))
    model, fields, message = found
    if message is None:
        names = [str(getattr(model._meta.get_field(name), "verbose_name", name)) for name in fields]
        message = _("%(model)s with this %(fields)s already exists.") % {
            "model": str(model._meta.verbose_name).capitalize(),
            "fields": get_text_list(names, _("and")),
        }
    extra: dict[str, Any] = {"fields": fields}
    if isinstance(instance, model):
        lookup = {f"{name}__exact": getattr(instance, name) for name in fields}
        current = model._default_manager.filter(**lookup).values().first()
        if current is not None:
            extra["existing_id"] = current["id"]
            if "version" in current:
                extra["current_version"] = current["version"]
    return ConflictError(
        _("%(message)s Someone else saved it just before you; reload to see it.")
        % {"message": message},
        extra=extra,
    )


@contextmanager
def unique_conflict(instance: models.Model | None = None) -> Iterator[None]:
    """Run the block (an insert) in a savepoint; a unique violation becomes a
    ``ConflictError`` naming what exists (``conflict_for``)."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as error:
        conflict = conflict_for(error, instance)
        if conflict is None:
            raise
        raise conflict from error


def is_retryable(error: BaseException) -> bool:
    return isinstance(error, DatabaseError) and _pgcode(error) in RETRYABLE


def retry_on_deadlock(func: Callable[P, R]) -> Callable[P, R]:
    """Run ``func`` (a whole transaction: not inside another one) again when the database
    rolled it back for a deadlock or a serialization failure, up to ``RETRY_ATTEMPTS``
    times; then answer a 409."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        for attempt in range(1, RETRY_ATTEMPTS + 1):
            try:
                return func(*args, **kwargs)
            except DatabaseError as error:
                if not is_retryable(error) or connection.in_atomic_block:
                    raise
                if attempt == RETRY_ATTEMPTS:
                    raise busy_conflict() from error
                time.sleep(random.uniform(0.01, 0.05) * attempt)  # noqa: S311 - jitter
        raise AssertionError("unreachable")  # pragma: no cover

    return wrapper


def busy_conflict() -> ConflictError:
    return ConflictError(
        _("Someone else was saving the same records at the same moment. Try again.")
    )

"""Audit history: who changed what, when, with the old and the new values.

Every domain model keeps a django-simple-history table. ``history_entries`` reads the history
of a set of objects, one query per model whatever the number of objects or changes, and
pairs each record with the one before it to show what changed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.models import HistoricalRecords

ACTIONS = {
    "+": gettext_lazy("created"),
    "~": gettext_lazy("changed"),
    "-": gettext_lazy("deleted"),
}
SKIPPED_FIELDS = {"created_at", "updated_at", "version"}
# A text never written and a text emptied read the same: no change between them.
EMPTY = (None, "")


def _mirrors_original(field: models.Field[Any, Any]) -> bool:
    """A translated field's column in the default language (``title_en``): the field itself
    (``title``) holds the same text, and shows as the change; other languages' columns
    show as ``title [fr]``."""
    translated = getattr(field, "translated_field", None)
    return translated is not None and getattr(field, "language", None) == settings.LANGUAGE_CODE


@contextmanager
def acting_as(user: Any) -> Iterator[None]:
    """Record ``user`` as the author of the history written inside the block.

    A request's user is recorded by simple-history's middleware; a Celery task has no request,
    so a job that works for someone (an import) names them with this.
    """
    context = HistoricalRecords.context
    saved = getattr(context, "request", None)
    context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        if saved is None:
            del context.request
        else:
            context.request = saved


@dataclass
class FieldChange:
    field: str
    old: str
    new: str
    # For a foreign key: the related model and the ids, whose labels are filled in afterwards.
    related: type[models.Model] | None = None
    old_id: Any = None
    new_id: Any = None


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    action: str
    object_type: str
    object_label: str
    changes: list[FieldChange] = field(default_factory=list)
    reason: str = ""


def _display(model: type[models.Model], name: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    try:
        model_field = model._meta.get_field(name)
    except Exception:
        return str(value)
    choices = getattr(model_field, "flatchoices", None)
    if choices:
        return str(dict(choices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return formats.localize(timezone.localtime(value))
    return str(value)


def _field_label(model: type[models.Model], name: str) -> str:
    try:
        return str(getattr(model._meta.get_field(name), "verbose_name", name))
    except Exception:
        return name


def history_entries(
    targets: Iterable[tuple[type[models.Model], Sequence[int]]], *, limit: int = 50
) -> list[HistoryEntry]:
    """The latest ``limit`` changes to the given objects, newest first.

    ``targets`` pairs a model having ``history = HistoricalRecords()`` with object ids.
    Foreign keys show as ids of the related row's label only when it is cheap; the history
    stores ids, so a changed FK shows as "#old -> #new" with the related model's name.
    """
    entries: list[HistoryEntry] = []
    for model, ids in targets:
        if not ids:
            continue
        history_model = model.history.model  # type: ignore[attr-defined]
        m2m_names = [f.name for f in getattr(model, "_history_m2m_fields", None) or []]
        records = list(
            history_model.objects.filter(id__in=list(ids))
            .select_related("history_user", *_label_paths(history_model))
            .prefetch_related(*m2m_names)
            .order_by("id", "history_date", "history_id")
        )
        tracked = [
            f.attname
            for f in history_model._meta.fields
            if not f.name.startswith("history_")
            and f.attname not in SKIPPED_FIELDS
            and not _mirrors_original(f)
        ]
        previous_by_object: dict[int, Any] = {}
        for record in records:
            previous = previous_by_object.get(record.id)
            changes: list[FieldChange] = []
            if previous is not None and record.history_type == "~":
                for attname in tracked:
                    old, new = getattr(previous, attname), getattr(record, attname)
                    if old != new and not (old in EMPTY and new in EMPTY):
                        name = attname[:-3] if attname.endswith("_id") else attname
                        changes.append(
                            FieldChange(
                                field=_field_label(model, name),
                                old=_display(model, name, old),
                                new=_display(model, name, new),
                                related=_related_model(model, name),
                                old_id=old,
                                new_id=new,
                            )
                        )
                m2m = _m2m_changes(model, previous, record)
                changes.extend(m2m)
                if not changes:
                    previous_by_object[record.id] = record
                    continue
            previous_by_object[record.id] = record
            user = record.history_user
            entries.append(
                HistoryEntry(
                    when=record.history_date,
                    who=str(user) if user else _("system"),
                    action=str(ACTIONS.get(record.history_type, record.history_type)),
                    object_type=str(model._meta.verbose_name),
                    object_label=_record_label(model, record),
                    changes=changes,
                    reason=record.history_change_reason or "",
                )
            )
    entries.sort(key=lambda e: e.when, reverse=True)
    entries = entries[:limit]
    _label_foreign_keys(entries)
    return entries


def _related_model(model: type[models.Model], name: str) -> type[models.Model] | None:
    try:
        field = model._meta.get_field(name)
    except Exception:
        return None
    related = field.related_model if field.many_to_one else None
    return related if isinstance(related, type) else None


def _label_foreign_keys(entries: list[HistoryEntry]) -> None:
    """Show a changed foreign key by the related row's name: one query per related model."""
    wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
    for entry in entries:
        for change in entry.changes:
            if change.related is not None:
                wanted[change.related].update(
                    value for value in (change.old_id, change.new_id) if value is not None
                )
    labels = {
        related: {pk: str(obj) for pk, obj in related._default_manager.in_bulk(ids).items()}
        for related, ids in wanted.items()
    }
    for entry in entries:
        for change in entry.changes:
            if change.related is not None:
                found = labels.get(change.related, {})
                if change.old_id is not None:
                    change.old = found.get(change.old_id, f"#{change.old_id}")
                if change.new_id is not None:
                    change.new = found.get(change.new_id, f"#{change.new_id}")


def _label_paths(history_model: type[models.Model]) -> list[str]:
    """Foreign keys (two levels deep) that the models' ``__str__`` may read."""
    paths = []
    for fk in history_model._meta.fields:
        if not fk.many_to_one or fk.name.startswith("history_"):
            continue
        paths.append(fk.name)
        related = fk.related_model
        assert related is not None
        assert not isinstance(related, str)
        paths.extend(
            f"{fk.name}__{inner.name}" for inner in related._meta.fields if inner.many_to_one
        )
    return paths


def _record_label(model: type[models.Model], record: Any) -> str:
    """The object's label as of this record, from the record's own (select-related) fields."""
    try:
        return model.__str__(record)
    except AttributeError:
        return str(record.instance)


def _m2m_changes(model: type[models.Model], previous: Any, record: Any) -> list[FieldChange]:
    """Compare the related ids that simple-history kept with each record (prefetched)."""
    fields = getattr(model, "_history_m2m_fields", None) or []
    changes = []
    for m2m_field in fields:
        target = m2m_field.m2m_reverse_field_name()
        old = {getattr(r, f"{target}_id") for r in getattr(previous, m2m_field.name).all()}
        new = {getattr(r, f"{target}_id") for r in getattr(record, m2m_field.name).all()}
        if old != new:
            changes.append(
                FieldChange(
                    field=str(m2m_field.verbose_name),
                    old=_("%(count)s selected") % {"count": len(old)},
                    new=_("%(count)s selected: %(added)s added, %(removed)s removed")
                    % {"count": len(new), "added": len(new - old), "removed": len(old - new)},
                )
            )
    return changes


def ids_by_model(objects: Iterable[models.Model]) -> list[tuple[type[models.Model], list[int]]]:
    grouped: dict[type[models.Model], list[int]] = defaultdict(list)
    for obj in objects:
        grouped[type(obj)].append(obj.pk)
    return list(grouped.items())

"""Rows into PostgreSQL with COPY, a chunk at a time, and the counts of what was loaded."""

from __future__ import annotations

import datetime
import io
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models

CHUNK = 50_000


class ScaleDataError(Exception):
    pass


@dataclass
class Counts:
    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def add(self, name: str, rows: int, seconds: float) -> None:
        self.rows[name] = self.rows.get(name, 0) + rows
        self.seconds[name] = self.seconds.get(name, 0.0) + seconds


def _columns(model: type[models.Model]) -> list[str]:
    return [f.column for f in model._meta.concrete_fields if f.column]


def _text(value: Any) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return str(value).replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")


def copy_rows(model: type[models.Model], rows: Iterable[dict[str, Any]], counts: Counts) -> int:
    """COPY ``rows`` (dicts by column name) into the model's table, a chunk at a time."""
    columns = _columns(model)
    table = model._meta.db_table
    quoted = ", ".join(f'"{column}"' for column in columns)
    sql = f'COPY "{table}" ({quoted}) FROM STDIN'
    started = time.monotonic()
    total = 0
    buffer = io.StringIO()
    pending = 0
    with connection.cursor() as cursor:
        for row in rows:
            buffer.write("\t".join(_text(row.get(c)) for c in columns))
            buffer.write("\n")
            pending += 1
            if pending == CHUNK:
                buffer.seek(0)
                cursor.cursor.copy_expert(sql, buffer)
                total += pending
                buffer, pending = io.StringIO(), 0
        if pending:
            buffer.seek(0)
            cursor.cursor.copy_expert(sql, buffer)
            total += pending
    counts.add(table, total, time.monotonic() - started)
    return total


def reset_sequences(models_: Sequence[type[models.Model]]) -> None:
    with connection.cursor() as cursor:
        for model in models_:
            table = model._meta.db_table
            for sequence in connection.introspection.get_sequences(cursor, table):
                cursor.execute(
                    f'SELECT setval(%s, COALESCE((SELECT MAX("{sequence["column"]}") '
                    f'FROM "{table}"), 0) + 1, false)',
                    [sequence["name"]],
                )


def next_id(model: type[models.Model]) -> int:
    last = model._default_manager.aggregate(last=models.Max("pk"))["last"]
    return (last or 0) + 1

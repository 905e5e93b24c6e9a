"""What a user may type, and how typed text is written into the files we produce.

One home for three rules:

- **Control characters.** Text holds no C0 control character (U+0000 to U+001F): a
  single-line field none at all, a multi-line field (a model ``TextField``) only tab, line
  feed and carriage return (browsers send a textarea's lines as CR LF). Every door reaches
  the rule through ``rbm.services.validate`` (which every service calls), the CPO import
  through ``control_character_error`` on each text cell.
- **Files stay readable whatever is stored.** Older records and immutable snapshots may
  hold such characters; XLSX, DOCX and XML cannot, so every writer passes stored text
  through ``printable`` (``printable_tree`` for a snapshot's JSON).
- **Text is never a formula.** A workbook cell written from text is a text cell
  (``text_cell``, and ``workbook_bytes`` makes sure before saving); a CSV cell that a
  spreadsheet would run as a formula gets a leading quote (``csv_cell``).
"""

from __future__ import annotations

import io
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

# C0 controls; the multi-line form keeps tab, line feed and carriage return.
SINGLE_LINE_FORBIDDEN = re.compile("[\x00-\x1f]")
MULTI_LINE_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
# What XML 1.0 (and so XLSX and DOCX) cannot hold, as the files' writers refuse it.
NOT_IN_XML = MULTI_LINE_FORBIDDEN
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def control_character_error(text: str, *, multiline: bool) -> str | None:
    """Why ``text`` is refused, or ``None``: the first control character it holds."""
    pattern = MULTI_LINE_FORBIDDEN if multiline else SINGLE_LINE_FORBIDDEN
    found = pattern.search(text)
    if found is None:
        return None
    character = found.group()
    if character in "\t\n\r":
        return _("Write this text on one line, without tabs or line breaks.")
    return _(
        "The text holds an invisible control character (U+%(code)04X) at position "
        "%(position)s; remove it."
    ) % {"code": ord(character), "position": found.start() + 1}


def is_multiline(field: models.Field[Any, Any]) -> bool:
    return isinstance(field, models.TextField)


def text_field_errors(instance: models.Model) -> dict[str, list[ValidationError]]:
    """The control-character errors of ``instance``'s text fields, by field name."""
    errors: dict[str, list[ValidationError]] = {}
    for field in instance._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField):
            continue
        value = getattr(instance, field.attname)
        if not isinstance(value, str):
            continue
        message = control_character_error(value, multiline=is_multiline(field))
        if message is not None:
            errors[field.name] = [ValidationError(message, code="control_character")]
    return errors


def printable(text: str) -> str:
    """``text`` without the characters XML, XLSX and DOCX cannot hold."""
    return NOT_IN_XML.sub("", text)


def printable_tree(data: Any) -> Any:
    """A JSON value (a snapshot's content) with ``printable`` text everywhere."""
    if isinstance(data, str):
        return printable(data)
    if isinstance(data, dict):
        return {printable_tree(key): printable_tree(value) for key, value in data.items()}
    if isinstance(data, list):
        return [printable_tree(item) for item in data]
    return data


def printable_value(value: Any) -> Any:
    """``value``, and if it is text, ``printable``."""
    return printable(value) if isinstance(value, str) else value


# Spreadsheets ---------------------------------------------------------------------------------


def text_cell(cell: Any, value: Any) -> Any:
    """Write ``value`` in an openpyxl ``cell``: text printable, and a text cell even when it
    starts with "=" (openpyxl would make it a formula). The cell, for chaining."""
    if isinstance(value, str):
        cell.value = printable(value)
        cell.data_type = "s"
    else:
        cell.value = value
    return cell


def no_formulas(workbook: Any) -> None:
    """Every cell of ``workbook`` that openpyxl took for a formula becomes the text it is:
    the product writes no formulas, so any "formula" came from text."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"


def workbook_bytes(workbook: Any) -> bytes:
    """``workbook`` saved as XLSX bytes, without formulas (``no_formulas``)."""
    no_formulas(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_cell(value: Any) -> Any:
    """A CSV cell: printable text, quoted with a leading "'" when a spreadsheet would run it
    as a formula (CSV injection); other values as they are."""
    if not isinstance(value, str):
        return value
    value = printable(value)
    return f"'{value}" if value.startswith(FORMULA_START) else value


def csv_cell_in(value: object) -> object:
    """The text a ``csv_cell`` was written from (the quote taken off again)."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value

"""What a user may type, and how typed text is written into the files we produce.

One home for three rules:

- **Control characters.** Text holds no C0 control character (U+0000 to U+001F): a
  single-line field none at all, a multi-line field (a model ``TextField``) only tab, line
  feed and carriage return (browsers send a textarea's lines as CR LF). The rule is a
  validator of every text field of the project's models (``install_text_validators``, at
  start-up), so ``full_clean`` holds it for every door: services (``rbm.services.validate``),
  model forms and the admin; serializers take it with the field's length
  (``rbm.api.fields.model_text_field``), the CPO import asks it for each text cell
  (``control_character_error``).
- **Files stay readable whatever is stored.** Older records and immutable snapshots may
  hold such characters; XLSX, DOCX and XML cannot, so every writer passes stored text
  through ``printable`` (``printable_tree`` for a snapshot's JSON).
- **Text is never a formula.** A workbook cell written from text is a text cell
  (``text_cell``, and ``workbook_bytes`` makes sure before saving); a CSV cell that a
  spreadsheet would run as a formula gets a leading quote (``csv_cell``).
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.deconstruct import deconstructible
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


@deconstructible
class ControlCharacterValidator:
    """Refuses text holding a control character (tab and line breaks kept if ``multiline``)."""

    def __init__(self, *, multiline: bool) -> None:
        self.multiline = multiline

    def __call__(self, value: Any) -> None:
        if not isinstance(value, str):
            return
        message = control_character_error(value, multiline=self.multiline)
        if message is not None:
            raise ValidationError(message, code="control_character")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ControlCharacterValidator) and other.multiline == self.multiline

    def __hash__(self) -> int:
        return hash((type(self), self.multiline))


SINGLE_LINE = ControlCharacterValidator(multiline=False)
MULTI_LINE = ControlCharacterValidator(multiline=True)


def text_validator(field: models.Field[Any, Any]) -> ControlCharacterValidator:
    return MULTI_LINE if is_multiline(field) else SINGLE_LINE


def install_text_validators() -> None:
    """Give every text field of the project's models the control-character rule, so that
    ``full_clean`` (services' ``validate``, model forms, the admin) refuses them.

    Installed in the fields' validators at start-up rather than written on each field: the
    rule is one rule for all text, and it is not part of the database schema (migrations do
    not carry it).
    """
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label not in settings.PROJECT_APPS:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField) and not field.choices:
                validator = text_validator(field)
                if validator not in field.validators:
                    field.validators.append(validator)


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


def csv_refusal(error: csv.Error, line: int) -> str:
    """What to tell the uploader of a CSV file the ``csv`` module could not read at ``line``
    (a cell longer than its limit, a stray quote or line break)."""
    if "field larger than field limit" in str(error):
        return _(
            "Line %(line)s has a cell longer than %(limit)s characters: this is not a file "
            "exported from here. Shorten the cell or check the file."
        ) % {"line": line, "limit": f"{csv.field_size_limit():,}"}
    return _("Line %(line)s cannot be read as CSV (%(reason)s).") % {
        "line": line,
        "reason": str(error),
    }

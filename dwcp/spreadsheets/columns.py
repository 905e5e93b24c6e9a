"""The file's format: its sheets and columns, and how a cell is read and written."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dwcp.models import (
    CountryProgrammeOutcome,
    CountryProgrammePriority,
    Milestone,
    ResultStatus,
)
from dwcp.services import normal_cpo_code
from dwcp.spreadsheets.errors import CellError
from dwcp.spreadsheets.errors import ImportRefused as ImportRefused
from dwcp.spreadsheets.errors import RowError as RowError
from dwcp.spreadsheets.errors import SpreadsheetRefused as SpreadsheetRefused
from rbm.fields import max_length, model_field
from rbm.models import Biennium, FundingSource
from rbm.text import control_character_error

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 20_000
CPO_SHEET = "CPOs"
MILESTONE_SHEET = "Milestones"
README_SHEET = "Read me"
CENT = Decimal("0.01")
MAX_MONEY = Decimal(10) ** 13  # the models hold 15 digits, 2 of them cents
YES = "yes"
NO = "no"
YES_WORDS = {"yes", "y", "true", "1", "x", "oui", "si", "sí"}
NO_WORDS = {"no", "n", "false", "0", "non", ""}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"

Text = str | Promise


# Reading one cell ---------------------------------------------------------------------------


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def _required(value: object, max_length: int | None, *, multiline: bool = False) -> str:
    text = cell_text(value)
    if not text:
        raise CellError(_("This cell is required."))
    return _optional(text, max_length, multiline=multiline)


def _optional(value: object, max_length: int | None = None, *, multiline: bool = True) -> str:
    """A text cell: at most ``max_length`` characters, no control character (tab and line
    breaks only in a ``multiline`` cell: rbm.text, the rule every door asks)."""
    text = cell_text(value)
    if max_length is not None and len(text) > max_length:
        raise CellError(
            _("At most %(limit)s characters; this cell has %(length)s.")
            % {"limit": max_length, "length": len(text)}
        )
    refused = control_character_error(text, multiline=multiline)
    if refused is not None:
        raise CellError(refused)
    return text


def _cpo_code(value: object) -> str:
    """The code as the services store it, checked by the model field's own validators."""
    code = normal_cpo_code(cell_text(value))
    if not code:
        raise CellError(_("Give the CPO's code, e.g. IDN126."))
    try:
        model_field(CountryProgrammeOutcome, "code").run_validators(code)
    except ValidationError as error:
        raise CellError(
            _("“%(value)s” is not a CPO code: %(rule)s")
            % {"value": code, "rule": " ".join(error.messages)}
        ) from None
    return code


def _biennium(value: object) -> str:
    text = cell_text(value)
    if not text:
        raise CellError(_("Give the biennium, e.g. 2012-13."))
    try:
        start, end = Biennium.parse_code(text)
    except ValidationError as error:
        raise CellError(error.messages[0]) from error
    return f"{start}-{end % 100:02d}"


def _country(value: object) -> str:
    code = cell_text(value).upper()
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise CellError(
            _("Give the country's three-letter ISO code, e.g. IDN; “%(value)s” is not one.")
            % {"value": code}
        )
    return code


def _whole(value: object, *, minimum: int = 1) -> int:
    if isinstance(value, bool):
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": value})
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        text = cell_text(value)
        if not re.fullmatch(r"\d+", text):
            raise CellError(_("“%(value)s” is not a whole number.") % {"value": text})
        number = int(text)
    if number < minimum:
        raise CellError(_("Give a whole number from %(minimum)s.") % {"minimum": minimum})
    return number


def _optional_whole(value: object) -> int | None:
    return None if cell_text(value) == "" else _whole(value)


def _code(value: object) -> str:
    return cell_text(value).lower()


def _yes_no(value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = cell_text(value).casefold()
    if text in YES_WORDS:
        return True
    if text in NO_WORDS:
        return False
    raise CellError(_("Write yes or no, not “%(value)s”.") % {"value": cell_text(value)})


def _result_status(value: object) -> str:
    text = cell_text(value)
    if not text:
        return str(ResultStatus.PLANNED)
    key = re.sub(r"[\s-]+", "_", text.casefold())
    for status in ResultStatus:
        if key in (status.value, re.sub(r"\s+", "_", str(status.label).casefold())):
            return str(status.value)
    raise CellError(
        _("“%(value)s” is not a result status; use one of: %(allowed)s.")
        % {"value": text, "allowed": ", ".join(ResultStatus.values)}
    )


def read_money(value: object) -> Decimal | None:
    """USD as a Decimal with cents; ``None`` for an empty cell."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise CellError(_("“%(value)s” is not an amount.") % {"value": value})
    try:
        if isinstance(value, int | Decimal):
            amount = Decimal(value)
        elif isinstance(value, float):
            amount = Decimal(repr(value))
            rounded = amount.quantize(CENT, rounding=ROUND_HALF_UP)
            # Excel's binary fractions (0.30000000000000004) are cents; 12.345 is not.
            if abs(amount - rounded) < Decimal("0.000001"):
                amount = rounded
        else:
            text = re.sub(r"[\s\u00a0\u202f_]", "", str(value))
            if re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d*)?", text):
                text = text.replace(",", "")
            amount = Decimal(text)
    except (InvalidOperation, ValueError):
        raise CellError(
            _("“%(value)s” is not an amount: write a number such as 25000 or 25000.50.")
            % {"value": cell_text(value)}
        ) from None
    if not amount.is_finite():
        raise CellError(_("“%(value)s” is not an amount.") % {"value": cell_text(value)})
    if amount < 0:
        raise CellError(_("Money cannot be negative (%(value)s).") % {"value": amount})
    if amount != amount.quantize(CENT, rounding=ROUND_HALF_UP):
        raise CellError(_("Give at most two decimals (cents): %(value)s.") % {"value": amount})
    if amount >= MAX_MONEY:
        raise CellError(_("%(value)s is too large an amount.") % {"value": amount})
    return amount.quantize(CENT)


def _date(value: object) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value)
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CellError(
            _("“%(value)s” is not a date: write it as 2013-06-30 or use a date cell.")
            % {"value": text}
        ) from None


# The columns ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A column of a sheet: its heading, how a cell is read and written, what the Read me says."""

    key: str
    header: str
    width: int
    parse: Callable[[object], Any]
    value: Callable[[Any], Any]
    help: Text
    allowed: Text = ""
    kind: str = "text"  # text, whole, yes_no, choice, money, date


def _yes_no_value(flag: bool) -> str:
    return YES if flag else NO


CPO_COLUMNS: tuple[Column, ...] = (
    Column(
        "code",
        "code",
        10,
        _cpo_code,
        lambda cpo: cpo.code,
        gettext_lazy(
            "The CPO's code. With the biennium it identifies the CPO: a row whose code and "
            "biennium exist updates that CPO, any other row creates one."
        ),
        gettext_lazy("the country's three-letter code and three or four digits, e.g. IDN126"),
    ),
    Column(
        "biennium",
        "biennium",
        10,
        _biennium,
        lambda cpo: cpo.biennium.code,
        gettext_lazy("The biennium the CPO is planned for."),
        gettext_lazy("e.g. 2012-13"),
    ),
    Column(
        "country",
        "country",
        9,
        _country,
        lambda cpo: cpo.programme.country.alpha3,
        gettext_lazy("The programme's country. Your office must cover it."),
        gettext_lazy("ISO 3166-1 alpha-3 code, e.g. IDN"),
    ),
    Column(
        "programme",
        "programme",
        11,
        _optional_whole,
        lambda cpo: cpo.programme_id,
        gettext_lazy(
            "The number (id) of the Decent Work Country Programme. On a new row it may stay "
            "empty when one programme of the country covers the biennium."
        ),
        gettext_lazy("a whole number, or empty"),
        "whole",
    ),
    Column(
        "priority",
        "priority",
        9,
        _whole,
        lambda cpo: cpo.priority.number,
        gettext_lazy(
            "The number of the country programme priority. A number the programme does not "
            "have yet creates the priority, with the title of the next column; a programme has "
            "at most three."
        ),
        "1, 2, 3",
        "whole",
    ),
    Column(
        "priority_title",
        "priority title",
        32,
        lambda value: _optional(
            value, max_length(CountryProgrammePriority, "title"), multiline=False
        ),
        lambda cpo: cpo.priority.title,
        gettext_lazy(
            "The priority's title: used only to create a new priority. Rename an existing "
            "priority on the programme's page."
        ),
        gettext_lazy("text, up to 250 characters"),
    ),
    Column(
        "outcome",
        "P&B outcome",
        11,
        _code,
        lambda cpo: cpo.outcome.code,
        gettext_lazy(
            "The code of the P&B outcome the CPO ties into, in the framework of its biennium."
        ),
        gettext_lazy("e.g. 16 or 1a"),
    ),
    Column(
        "indicator",
        "indicator",
        10,
        _code,
        lambda cpo: cpo.indicator.code if cpo.indicator_id else "",
        gettext_lazy("The code of an indicator of that outcome, or empty."),
        gettext_lazy("e.g. 16.1, or empty"),
    ),
    Column(
        "title",
        "title",
        45,
        lambda value: _required(value, max_length(CountryProgrammeOutcome, "title")),
        lambda cpo: cpo.title,
        gettext_lazy("The result, as a measurable statement."),
        gettext_lazy("required text, up to 300 characters"),
    ),
    Column(
        "description",
        "description",
        45,
        _optional,
        lambda cpo: cpo.description,
        gettext_lazy("What the CPO is about."),
        gettext_lazy("text, may be empty"),
    ),
    Column(
        "gender_statement",
        "how it affects women and men",
        45,
        lambda value: _required(value, None, multiline=True),
        lambda cpo: cpo.gender_statement,
        gettext_lazy("How the outcome will affect women and men."),
        gettext_lazy("required text"),
    ),
    Column(
        "prioritized",
        "prioritized",
        12,
        _yes_no,
        lambda cpo: _yes_no_value(cpo.prioritized),
        gettext_lazy("Constituents asked for it (demand)."),
        "yes, no",
        "yes_no",
    ),
    Column(
        "targeted",
        "targeted",
        11,
        _yes_no,
        lambda cpo: _yes_no_value(cpo.targeted),
        gettext_lazy("The Office commits to it as a target this biennium."),
        "yes, no",
        "yes_no",
    ),
    Column(
        "result_status",
        "result status",
        16,
        _result_status,
        lambda cpo: cpo.result_status,
        gettext_lazy("Where the result stands. Empty means planned."),
        ", ".join(ResultStatus.values),
        "choice",
    ),
)
VERSION_COLUMN = Column(
    "version",
    "version",
    9,
    _optional_whole,
    lambda cpo: cpo.version,
    gettext_lazy(
        "The version of the CPO when it was exported. Leave it as it is: if someone saved the "
        "CPO since, the import refuses to overwrite their change. Empty on new rows."
    ),
    gettext_lazy("a whole number, or empty"),
    "whole",
)
MILESTONE_COLUMNS: tuple[Column, ...] = (
    Column(
        "code",
        "CPO code",
        10,
        _cpo_code,
        lambda pair: pair[0].code,
        gettext_lazy("The code of the CPO, as in the CPOs sheet."),
        gettext_lazy("e.g. IDN126"),
    ),
    Column(
        "biennium",
        "biennium",
        10,
        _biennium,
        lambda pair: pair[0].biennium.code,
        gettext_lazy("The CPO's biennium, as in the CPOs sheet."),
        gettext_lazy("e.g. 2012-13"),
    ),
    Column(
        "due_on",
        "date",
        12,
        _date,
        lambda pair: pair[1].due_on,
        gettext_lazy("When the milestone is due."),
        gettext_lazy("a date, e.g. 2013-06-30"),
        "date",
    ),
    Column(
        "text",
        "text",
        60,
        lambda value: _required(value, max_length(Milestone, "text")),
        lambda pair: pair[1].text,
        gettext_lazy("The milestone."),
        gettext_lazy("required text, up to 500 characters"),
    ),
    Column(
        "reached",
        "reached",
        10,
        _yes_no,
        lambda pair: _yes_no_value(pair[1].reached),
        gettext_lazy("Whether it is reached."),
        "yes, no",
        "yes_no",
    ),
)
# Which column a model field's error belongs to.
FIELD_COLUMNS = {column.key: column.header for column in CPO_COLUMNS}


@dataclass(frozen=True)
class MoneyColumn:
    header: str
    source: FundingSource
    spent: bool


def money_columns(sources: Iterable[FundingSource]) -> list[MoneyColumn]:
    """Planned and spent for each funding source, in the sources' order."""
    return [
        MoneyColumn(f"{source.code} {'spent' if spent else 'planned'}", source, spent)
        for source in sources
        for spent in (False, True)
    ]


def normal_header(header: object) -> str:
    return " ".join(cell_text(header).split()).casefold()

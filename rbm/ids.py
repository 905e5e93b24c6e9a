"""Ids typed in addresses and forms: one parser for every door.

An id is ASCII digits, from 1 to the largest ``bigint``. ``str.isdigit()`` also takes "²",
and ``int()`` takes "٣" and " 7 ": neither is an id a user or a client meant, and the first
made a 500 where it reached ``int()``. Anything else is ``None``, which the caller answers
with a 400 naming the parameter (or a 404 for an address).
"""

from __future__ import annotations

import re
from typing import Any

MAX_ID = 2**63 - 1
ASCII_DIGITS = re.compile(r"[0-9]{1,19}")
# A whole number as a form reads it before checking its range (not so long that int() refuses).
NUMBER = re.compile(r"[0-9]{1,30}")


def parse_id(value: Any) -> int | None:
    """``value`` as an id (an int, or a text of ASCII digits), or ``None`` if it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and ASCII_DIGITS.fullmatch(value):
        number = int(value)
    else:
        return None
    return number if 0 < number <= MAX_ID else None

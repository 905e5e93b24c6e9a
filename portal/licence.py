"""The licence of what the portal publishes: its pages, the open data files and the
reports, as the Office's publications are licensed."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Licence:
    name: str
    url: str
    terms: StrOrPromise


LICENCE = Licence(
    name="Creative Commons Attribution 4.0 International (CC BY 4.0)",
    url="https://creativecommons.org/licenses/by/4.0/",
    terms=_(
        "You may copy, redistribute and adapt these data for any purpose, provided you "
        "credit the source and say whether you changed them."
    ),
)

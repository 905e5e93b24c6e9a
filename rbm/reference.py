"""Reference data: the ILO's member States and its regions.

The member States, their UN short names in English, French and Spanish (UN M49, as the UN
Statistics Division publishes them: "Viet Nam", "Republic of Korea", "Türkiye") and their M49
sub-regions are a vendored table, ``rbm/data/un_member_states.json``, with its source and a
refresh command (``manage.py refresh_un_country_names``, ADR 0004). What is the ILO's own is
small and written here or in that table:

* membership: the ILO's 187 member States (the UN Member States except seven that have not
  joined the ILO, plus the Cook Islands, which joined the ILO without being a UN Member State);
* regions: the ILO groups countries in five regions. They follow the M49 sub-regions, except
  that Western Asia is split between the Arab States and Europe and Central Asia.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import get_language

UN_MEMBERS_NOT_IN_ILO = frozenset({"AND", "BTN", "FSM", "LIE", "MCO", "NRU", "PRK"})
ILO_MEMBERS_NOT_IN_UN = frozenset({"COK"})
ARAB_STATES = frozenset(
    {"ARE", "BHR", "IRQ", "JOR", "KWT", "LBN", "OMN", "QAT", "SAU", "SYR", "YEM"}
)

# (code, English name); the order is the one the ILO's tables use.
REGIONS: tuple[tuple[str, str], ...] = (
    ("africa", "Africa"),
    ("americas", "Americas"),
    ("arab-states", "Arab States"),
    ("asia-pacific", "Asia and the Pacific"),
    ("europe-central-asia", "Europe and Central Asia"),
)

M49_TO_REGION = {
    "Northern Africa": "africa",
    "Eastern Africa": "africa",
    "Middle Africa": "africa",
    "Southern Africa": "africa",
    "Western Africa": "africa",
    "Caribbean": "americas",
    "Central America": "americas",
    "South America": "americas",
    "Northern America": "americas",
    "Eastern Asia": "asia-pacific",
    "South-eastern Asia": "asia-pacific",
    "Southern Asia": "asia-pacific",
    "Australia and New Zealand": "asia-pacific",
    "Melanesia": "asia-pacific",
    "Micronesia": "asia-pacific",
    "Polynesia": "asia-pacific",
    "Central Asia": "europe-central-asia",
    "Eastern Europe": "europe-central-asia",
    "Northern Europe": "europe-central-asia",
    "Southern Europe": "europe-central-asia",
    "Western Europe": "europe-central-asia",
}

FUNDING_SOURCES: tuple[tuple[str, str], ...] = (
    ("RB", "Regular budget"),
    ("RBTC", "Regular Budget Technical Cooperation"),
    ("XBTC", "Extra-budgetary technical cooperation"),
    ("RBSA", "Regular Budget Supplementary Account"),
)


@dataclass(frozen=True)
class MemberState:
    alpha3: str
    alpha2: str
    name: str
    region_code: str


def ilo_region_for(alpha3: str, m49_subregion: str) -> str:
    if m49_subregion == "Western Asia":
        return "arab-states" if alpha3 in ARAB_STATES else "europe-central-asia"
    return M49_TO_REGION[m49_subregion]


DATA_FILE = Path(__file__).resolve().parent / "data" / "un_member_states.json"


@cache
def un_table() -> dict[str, Any]:
    """The vendored table: ``{"states": {alpha3: {alpha2, m49, m49_subregion, en, fr, es}}}``."""
    table: dict[str, Any] = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return table


@cache
def ilo_member_states() -> tuple[MemberState, ...]:
    """The ILO's member States, sorted by alpha-3 code, named as the UN names them."""
    states = [
        MemberState(
            alpha3=alpha3,
            alpha2=row["alpha2"],
            name=row["en"],
            region_code=ilo_region_for(alpha3, row["m49_subregion"]),
        )
        for alpha3, row in un_table()["states"].items()
    ]
    return tuple(sorted(states, key=lambda s: s.alpha3))


def country_name(alpha3: str, english_name: str) -> str:
    """The country's UN short name in the active language (the stored English name for a
    code the table does not hold)."""
    language = (get_language() or "en").split("-")[0]
    row = un_table()["states"].get(alpha3)
    if row is None:
        return english_name
    return str(row.get(language) or row["en"])

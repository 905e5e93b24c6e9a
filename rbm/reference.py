"""Reference data from maintained packages: the ILO's member States and its regions.

Countries come from ``country_converter`` (ISO 3166-1 codes, UN membership and UN M49
sub-regions) and their localised names from ``pycountry``'s ISO 3166 catalogues. What is the
ILO's own, and so written here, is small and documented:

* membership: the ILO's 187 member States are the UN Member States except seven that have not
  joined the ILO, plus the Cook Islands, which joined the ILO without being a UN Member State;
* regions: the ILO groups countries in five regions. They follow the M49 sub-regions, except
  that Western Asia is split between the Arab States and Europe and Central Asia.
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from functools import cache

import pycountry
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


@cache
def ilo_member_states() -> tuple[MemberState, ...]:
    """The ILO's member States, sorted by alpha-3 code."""
    import country_converter

    data = country_converter.CountryConverter().data
    un_members = data["UNmember"].notna()
    states = []
    for row, un_member in zip(data.itertuples(index=False), un_members, strict=True):
        alpha3 = str(row.ISO3)
        member = (un_member and alpha3 not in UN_MEMBERS_NOT_IN_ILO) or (
            alpha3 in ILO_MEMBERS_NOT_IN_UN
        )
        if not member:
            continue
        iso = pycountry.countries.get(alpha_3=alpha3)
        assert iso is not None, f"{alpha3} is not in ISO 3166-1"
        name = getattr(iso, "common_name", None) or iso.name
        states.append(
            MemberState(
                alpha3=alpha3,
                alpha2=iso.alpha_2,
                name=name,
                region_code=ilo_region_for(alpha3, str(row.UNregion)),
            )
        )
    return tuple(sorted(states, key=lambda s: s.alpha3))


@cache
def _iso3166_catalogue(language: str) -> gettext.NullTranslations:
    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


def country_name(alpha3: str, english_name: str) -> str:
    """The country's name in the active language (English when there is no translation)."""
    language = (get_language() or "en").split("-")[0]
    if language == "en":
        return english_name
    return _iso3166_catalogue(language).gettext(english_name)

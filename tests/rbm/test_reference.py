"""Reference data: the ILO's 187 member States in five regions, from maintained packages."""

from collections import Counter

import pytest
from django.utils import translation

from rbm.models import Country, FundingSource, Region
from rbm.reference import ilo_member_states
from rbm.services import reference_data_load, system_user

pytestmark = pytest.mark.django_db


def test_every_ilo_member_state_is_loaded_with_its_region() -> None:
    # Given the reference data loaded (session fixture)
    # Then the 187 member States are there, each in one of the five regions
    assert Country.objects.count() == 187
    counts = Counter(Country.objects.values_list("region__code", flat=True))
    assert counts == {
        "africa": 54,
        "americas": 35,
        "arab-states": 11,
        "asia-pacific": 36,
        "europe-central-asia": 51,
    }


@pytest.mark.parametrize(
    ("alpha3", "region_code"),
    [
        ("EGY", "africa"),  # North Africa belongs to the Africa region
        ("SDN", "africa"),
        ("JOR", "arab-states"),
        ("SAU", "arab-states"),
        ("IRN", "asia-pacific"),  # Western Asia's non-Arab States go elsewhere
        ("TUR", "europe-central-asia"),
        ("ISR", "europe-central-asia"),
        ("KAZ", "europe-central-asia"),
        ("COK", "asia-pacific"),  # an ILO member that is not a UN Member State
        ("BRA", "americas"),
        ("IDN", "asia-pacific"),
    ],
)
def test_countries_sit_in_the_ilo_region(alpha3: str, region_code: str) -> None:
    assert Country.objects.get(alpha3=alpha3).region.code == region_code


@pytest.mark.parametrize("alpha3", ["PRK", "AND", "LIE", "MCO", "BTN", "NRU", "FSM", "PSE"])
def test_states_outside_the_ilo_are_not_member_states(alpha3: str) -> None:
    assert not Country.objects.filter(alpha3=alpha3).exists()


def test_loading_twice_changes_nothing() -> None:
    before = list(Country.objects.order_by("alpha3").values_list("alpha3", "name", "region_id"))
    reference_data_load(user=system_user())
    after = list(Country.objects.order_by("alpha3").values_list("alpha3", "name", "region_id"))
    assert before == after
    assert Region.objects.count() == 5
    assert list(FundingSource.objects.values_list("code", flat=True)) == [
        "RB",
        "RBTC",
        "XBTC",
        "RBSA",
    ]


def test_codes_are_iso_alpha3_and_unique() -> None:
    states = ilo_member_states()
    codes = [s.alpha3 for s in states]
    assert len(codes) == len(set(codes)) == 187
    assert all(len(code) == 3 and code.isupper() for code in codes)


def test_country_and_region_names_follow_the_language() -> None:
    indonesia = Country.objects.get(alpha3="IDN")
    africa = Region.objects.get(code="africa")
    with translation.override("fr"):
        assert str(indonesia) == "Indonésie"
        assert str(africa) == "Afrique"
    with translation.override("es"):
        assert str(africa) == "África"
    assert str(indonesia) == "Indonesia"


@pytest.mark.parametrize(
    ("alpha3", "english", "french", "spanish"),
    [
        ("VNM", "Viet Nam", "Viet Nam", "Viet Nam"),
        ("KOR", "Republic of Korea", "République de Corée", "República de Corea"),
        (
            "LAO",
            "Lao People's Democratic Republic",
            "République démocratique populaire lao",
            "República Democrática Popular Lao",
        ),
        (
            "COD",
            "Democratic Republic of the Congo",
            "République démocratique du Congo",
            "República Democrática del Congo",
        ),
        ("TUR", "Türkiye", "Türkiye", "Türkiye"),
        ("CIV", "Côte d’Ivoire", "Côte d’Ivoire", "Côte d’Ivoire"),
    ],
)
def test_countries_bear_the_un_short_names_in_three_languages(
    alpha3: str, english: str, french: str, spanish: str
) -> None:
    country = Country.objects.get(alpha3=alpha3)
    assert country.name == english
    for language, expected in (("en", english), ("fr", french), ("es", spanish)):
        with translation.override(language):
            assert country.label == expected


def test_every_member_state_has_its_three_names_and_the_ilo_membership() -> None:
    from rbm.reference import ILO_MEMBERS_NOT_IN_UN, UN_MEMBERS_NOT_IN_ILO, un_table

    states = un_table()["states"]
    assert all(row["en"] and row["fr"] and row["es"] for row in states.values())
    assert not UN_MEMBERS_NOT_IN_ILO & set(states)
    assert set(states) >= ILO_MEMBERS_NOT_IN_UN


def test_the_refresh_command_rewrites_names_from_a_newer_table(tmp_path, monkeypatch) -> None:
    import csv
    import json

    from django.core.management import call_command

    from rbm import reference

    copy = tmp_path / "un_member_states.json"
    copy.write_text(reference.DATA_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(reference, "DATA_FILE", copy)
    states = json.loads(copy.read_text(encoding="utf-8"))["states"]
    table = tmp_path / "country-codes.csv"
    columns = ["ISO3166-1-Alpha-3", "M49", "official_name_en", "official_name_fr"]
    columns += ["official_name_es", "Sub-region Name", "Intermediate Region Name"]
    with table.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for alpha3, row in states.items():
            english = "Turkey (renamed)" if alpha3 == "TUR" else row["en"]
            writer.writerow(
                [alpha3, row["m49"], english, row["fr"], row["es"], row["m49_subregion"], ""]
            )
    call_command("refresh_un_country_names", "--csv", str(table))
    refreshed = json.loads(copy.read_text(encoding="utf-8"))["states"]
    assert refreshed["TUR"]["en"] == "Turkey (renamed)"
    assert refreshed["CIV"]["en"] == "Côte d’Ivoire"  # the recorded correction holds
    assert refreshed["VNM"] == states["VNM"]

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

"""Invariants of the core models, held by the database where it can and by validation."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from rbm.models import Biennium, Office, OfficeKind, Role, User
from rbm.services import biennium_get_or_create, system_user, user_create
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("code", "start", "end"),
    [("2012-13", 2012, 2013), ("2098-99", 2098, 2099), ("2000-01", 2000, 2001)],
)
def test_biennium_codes_parse(code: str, start: int, end: int) -> None:
    assert Biennium.parse_code(code) == (start, end)


@pytest.mark.parametrize("code", ["2012-14", "2013-14", "2012", "12-13", "2012/13", "abcd-ef", ""])
def test_malformed_biennium_codes_are_refused_with_a_message(code: str) -> None:
    with pytest.raises(ValidationError) as error:
        Biennium.parse_code(code)
    assert "biennium" in error.value.messages[0]


def test_biennium_has_its_code_and_is_created_once() -> None:
    first = biennium_get_or_create(user=system_user(), code="2016-17")
    again = biennium_get_or_create(user=system_user(), code="2016-17")
    assert first.pk == again.pk
    assert str(first) == "2016-17"


def test_database_refuses_a_biennium_longer_than_two_years() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Biennium.objects.create(start_year=2020, end_year=2022)


def test_biennium_starting_in_an_odd_year_is_refused() -> None:
    with pytest.raises(ValidationError) as error:
        Biennium(start_year=2013, end_year=2014).full_clean()
    assert "even year" in str(error.value)


def test_field_office_needs_a_region_in_the_database() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Office.objects.create(code="x", name="X", kind=OfficeKind.COUNTRY_OFFICE, region=None)
    # Headquarters has none
    Office.objects.create(code="hq", name="HQ", kind=OfficeKind.HEADQUARTERS, region=None)


def test_field_office_staff_must_belong_to_an_office() -> None:
    with pytest.raises(ValidationError) as error:
        user_create(
            user=system_user(), username="nobody", role=Role.FIELD_OFFICE_STAFF, office=None
        )
    assert "office" in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="raw", role=Role.FIELD_OFFICE_STAFF)


def test_regional_officer_must_have_a_region() -> None:
    with pytest.raises(ValidationError):
        user_create(user=system_user(), username="rpo", role=Role.REGIONAL_PROGRAMME_OFFICER)
    user, password = user_create(
        user=system_user(),
        username="rpo",
        role=Role.REGIONAL_PROGRAMME_OFFICER,
        region=factories.region("africa"),
    )
    assert user.check_password(password)
    assert len(password) >= 12


def test_administrators_reach_the_admin() -> None:
    admin, _password = user_create(user=system_user(), username="boss", role=Role.ADMINISTRATOR)
    assert admin.is_staff
    assert admin.is_superuser
    assert admin.is_administrator

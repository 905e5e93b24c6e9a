"""Text holds no control character, through every door (issue 14, finding 1).

ESC, BS and the other C0 characters are refused with a 400 naming the field through the
page, the API and the spreadsheet import, and on the admin's form; tab and line breaks are
kept where text may run over several lines. The CPO export of text stored before the rule
(written here straight to the table) still downloads, as a workbook and a CSV, without
control characters and without formulas.
"""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.test import TestCase
from django.urls import reverse
from rest_framework.test import APIClient

from dwcp import spreadsheets
from dwcp.models import CountryProgrammeOutcome, DecentWorkCountryProgramme
from dwcp.spreadsheets import ImportRefused
from rbm.models import Role
from rbm.text import control_character_error
from strategic_plans.models import Indicator, Outcome
from tests import factories
from workplans.exports import table_csv, table_xlsx
from workplans.selectors import demand_target_table

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://x","y")'


@pytest.fixture
def world(user_for):
    _plan, (outcome16, _outcome18) = factories.framework_2012_13()
    office = factories.OfficeFactory(countries=[factories.country("IDN")])
    programme = factories.DwcpFactory(country=factories.country("IDN"), office=office)
    priority = factories.PriorityFactory(programme=programme, number=1, title="Rights at work")
    return {
        "programme": programme,
        "priority": priority,
        "outcome": outcome16,
        "indicator": outcome16.indicators.get(),
        "field": user_for(Role.FIELD_OFFICE_STAFF, office=office),
        "office": office,
    }


# The doors: each creates a CPO with ``title`` and ``description`` and answers (whether it
# was created, the errors by field).


def through_the_page(client, world, title, description):
    client.force_login(world["field"])
    response = client.post(
        reverse("dwcp:cpo-create", args=[world["programme"].pk]),
        {
            "code": "IDN126",
            "priority": world["priority"].pk,
            "biennium": factories.biennium("2012-13").pk,
            "outcome": world["outcome"].pk,
            "indicator": world["indicator"].pk,
            "title": title,
            "description": description,
            "gender_statement": "Girls and boys are counted separately.",
            "result_status": "planned",
            "milestone-TOTAL_FORMS": "0",
            "milestone-INITIAL_FORMS": "0",
        },
    )
    if response.status_code == 302:
        return True, {}
    assert response.status_code == 400
    return False, {k: list(v) for k, v in response.context["form"].errors.items()}


def through_the_api(client, world, title, description):
    api = APIClient()
    api.force_authenticate(world["field"])
    response = api.post(
        "/api/v1/cpos/",
        {
            "programme": world["programme"].pk,
            "priority": world["priority"].pk,
            "biennium": "2012-13",
            "outcome": world["outcome"].pk,
            "indicator": world["indicator"].pk,
            "code": "IDN126",
            "title": title,
            "description": description,
            "gender_statement": "Girls and boys are counted separately.",
        },
        format="json",
    )
    if response.status_code == 201:
        return True, {}
    assert response.status_code == 400, response.content
    return False, response.json()["error"]["fields"]


def through_the_import(client, world, title, description):
    # A CSV file: a workbook cannot hold these characters, a text file can
    client.force_login(world["field"])
    exported = client.get(
        reverse("dwcp:cpo-export"), {"office": world["office"].pk, "format": "csv"}
    )
    header = next(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    row = dict.fromkeys(header, "")
    row.update(
        {
            "code": "IDN126",
            "biennium": "2012-13",
            "country": "IDN",
            "priority": "1",
            "title": title,
            "description": description,
            "P&B outcome": "16",
            "indicator": "16.1",
            "how it affects women and men": "Girls and boys are counted separately.",
        }
    )
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header)
    writer.writeheader()
    writer.writerow(row)
    content = io.BytesIO(out.getvalue().encode())
    try:
        with TestCase.captureOnCommitCallbacks(execute=True):
            spreadsheets.cpo_import(
                user=world["field"], content=content.getvalue(), filename="cpos.csv"
            )
    except ImportRefused as refused:
        errors: dict[str, list[str]] = {}
        for error in refused.errors:
            errors.setdefault(error.column, []).append(error.message)
        return False, errors
    return True, {}


DOORS = [through_the_page, through_the_api, through_the_import]


@pytest.mark.parametrize("door", DOORS, ids=lambda door: door.__name__)
@pytest.mark.parametrize(
    ("title", "description", "field"),
    [
        ("Reinforce \x08 monitoring", "", "title"),
        ("Decent work \x1b[31m for youth", "", "title"),
        ("Two\tcolumns", "", "title"),
        ("Fisheries", "First line\nsecond \x07 line", "description"),
    ],
)
def test_a_control_character_is_refused_by_every_door_naming_the_field(
    client, world, door, title, description, field
) -> None:
    # When field staff type a control character, through this door
    created, errors = door(client, world, title, description)
    # Then nothing is created and the field says why
    assert not created
    assert field in errors, errors
    assert any("control character" in m or "one line" in m for m in errors[field]), errors
    assert not CountryProgrammeOutcome.objects.exists()


@pytest.mark.parametrize("door", DOORS, ids=lambda door: door.__name__)
def test_tabs_and_line_breaks_stay_in_multi_line_text(client, world, door) -> None:
    description = "First line\r\nsecond line\n\tindented"
    created, errors = door(client, world, "Fisheries", description)
    assert (created, errors) == (True, {})
    stored = CountryProgrammeOutcome.objects.get().description
    assert "second line\n\tindented" in stored


def test_the_admin_form_refuses_a_control_character(client, user_for) -> None:
    indicator = factories.IndicatorFactory(text="Old wording", unit="member States")
    client.force_login(user_for(Role.ADMINISTRATOR))
    url = reverse("admin:strategic_plans_indicator_change", args=[indicator.pk])
    data = {
        "outcome": indicator.outcome_id,
        "code": indicator.code,
        "unit": "member States",
        "position": 0,
    }
    refused = client.post(url, {**data, "text": "New \x1b wording"})
    assert refused.status_code == 200
    assert "text" in refused.context["adminform"].form.errors
    indicator.refresh_from_db()
    assert indicator.text == "Old wording"
    kept = client.post(url, {**data, "text": "New wording\r\non two lines"})
    assert kept.status_code == 302
    indicator.refresh_from_db()
    assert indicator.text.splitlines() == ["New wording", "on two lines"]
    assert Indicator.objects.get(pk=indicator.pk).text.startswith("New wording")


def test_the_message_names_the_character_and_its_position() -> None:
    message = control_character_error("ab\x1bc", multiline=True)
    assert message is not None
    assert "U+001B" in message
    assert "position 3" in message
    assert control_character_error("a\tb\r\nc", multiline=True) is None
    assert control_character_error("a\tb", multiline=False) is not None


# Exports of text stored before the rule -----------------------------------------------------


def test_the_cpo_export_of_stored_control_characters_and_formulas_opens(client, world) -> None:
    cpo = factories.CpoFactory(
        programme=world["programme"], priority=world["priority"], outcome=world["outcome"]
    )
    # Old data, written past the services as it was before the rule
    CountryProgrammeOutcome.objects.filter(pk=cpo.pk).update(
        title=FORMULA, description="Reinforce \x08 monitoring \x1b[0m"
    )
    DecentWorkCountryProgramme.objects.filter(pk=world["programme"].pk).update(
        title="Programme \x1b one"
    )
    for params in (
        {"office": world["office"].pk},
        {"programme": world["programme"].pk},
        {"office": world["office"].pk, "format": "csv"},
    ):
        client.force_login(world["field"])
        response = client.get(reverse("dwcp:cpo-export"), params)
        assert response.status_code == 200, response.content[:300]
        if params.get("format") == "csv":
            rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
            assert rows[0]["title"] == "'" + FORMULA
            assert rows[0]["description"] == "Reinforce  monitoring [0m"
            continue
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
        assert not [c.coordinate for c in cells if c.data_type == "f"]
        values = [c.value for c in cells if isinstance(c.value, str)]
        assert FORMULA in values
        assert "Reinforce  monitoring [0m" in values
        assert not [v for v in values if "\x1b" in v or "\x08" in v]


def test_the_demand_and_target_exports_hold_no_formula(world) -> None:
    Outcome.objects.filter(pk=world["outcome"].pk).update(title=FORMULA + " \x08")
    table = demand_target_table(factories.biennium("2012-13"))
    book = openpyxl.load_workbook(io.BytesIO(table_xlsx(table)))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert any(isinstance(c.value, str) and FORMULA in c.value for c in cells)
    assert table_csv(table).startswith("outcome,region")

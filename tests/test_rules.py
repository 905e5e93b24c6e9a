"""Each rule has one home and every door gives its answer: the same input gets the same
answer through the page, the API and the spreadsheet import.

- a CPO code (the model's CPO_CODE): the country's three letters and three or four digits,
  typed in any case (the services store it in capitals);
- a CPO code starts with its country's code (CountryProgrammeOutcome.code_prefix_error);
- a report's scope names the region or the objective it needs, and nothing else
  (ReportRun.clean);
- a progress report changes only as a draft or returned (the permission table's rows).
"""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.test import TestCase
from django.urls import reverse
from rest_framework.test import APIClient

from dwcp import spreadsheets
from dwcp.models import CountryProgrammeOutcome, ReviewState
from dwcp.spreadsheets import ImportRefused
from rbm.models import Role
from rbm.services import system_user
from reporting.models import ReportRun
from tests import factories

pytestmark = pytest.mark.django_db


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


# The three doors: each creates a CPO with ``code`` and answers (created code, errors on
# the code field).


def through_the_page(client, world, code):
    client.force_login(world["field"])
    response = client.post(
        reverse("dwcp:cpo-create", args=[world["programme"].pk]),
        {
            "code": code,
            "priority": world["priority"].pk,
            "biennium": factories.biennium("2012-13").pk,
            "outcome": world["outcome"].pk,
            "indicator": world["indicator"].pk,
            "title": "Child labour in fisheries is reduced",
            "gender_statement": "Girls and boys are counted separately.",
            "result_status": "planned",
            "milestone-TOTAL_FORMS": "0",
            "milestone-INITIAL_FORMS": "0",
        },
    )
    if response.status_code == 302:
        return CountryProgrammeOutcome.objects.get().code, ""
    assert response.status_code == 400
    return None, response.context["form"].errors.get("code", [""])[0]


def through_the_api(client, world, code):
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
            "code": code,
            "title": "Child labour in fisheries is reduced",
            "gender_statement": "Girls and boys are counted separately.",
        },
        format="json",
    )
    if response.status_code == 201:
        return response.json()["code"], ""
    assert response.status_code == 400, response.content
    return None, response.json()["error"]["fields"]["code"][0]


def through_the_import(client, world, code):
    client.force_login(world["field"])
    exported = client.get(reverse("dwcp:cpo-export"), {"office": world["office"].pk})
    book = openpyxl.load_workbook(io.BytesIO(exported.content))
    sheet = book["CPOs"]
    columns = {cell.value: cell.column for cell in sheet[1]}
    row = sheet.max_row + 1
    for header, value in {
        "code": code,
        "biennium": "2012-13",
        "country": "IDN",
        "priority": 1,
        "title": "Child labour in fisheries is reduced",
        "P&B outcome": "16",
        "indicator": "16.1",
        "how it affects women and men": "Girls and boys are counted separately.",
    }.items():
        sheet.cell(row=row, column=columns[header], value=value)
    content = io.BytesIO()
    book.save(content)
    try:
        with TestCase.captureOnCommitCallbacks(execute=True):
            spreadsheets.cpo_import(
                user=world["field"], content=content.getvalue(), filename="cpos.xlsx"
            )
    except ImportRefused as refused:
        return None, next(e.message for e in refused.errors if e.column == "code")
    return CountryProgrammeOutcome.objects.get().code, ""


DOORS = [through_the_page, through_the_api, through_the_import]


@pytest.mark.parametrize("door", DOORS, ids=lambda door: door.__name__)
@pytest.mark.parametrize(
    ("typed", "stored"),
    [("IDN1234", "IDN1234"), ("IDN126", "IDN126"), (" idn1235 ", "IDN1235")],
)
def test_a_three_or_four_digit_code_in_any_case_is_taken_by_every_door(
    client, world, door, typed, stored
) -> None:
    # When field staff create a CPO with the code typed so, through this door
    code, error = door(client, world, typed)
    # Then it is stored in capitals, four digits as well as three
    assert (code, error) == (stored, "")


@pytest.mark.parametrize("door", DOORS, ids=lambda door: door.__name__)
@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("IDN12", "three or four digits"),
        ("IDN12345", ""),
        ("PHL1234", "The code of an outcome in Indonesia starts with IDN."),
    ],
)
def test_a_wrong_code_gets_the_same_refusal_through_every_door(
    client, world, door, typed, message
) -> None:
    # When the code breaks the format or names another country, through this door
    code, error = door(client, world, typed)
    # Then nothing is created and the code field says why
    assert code is None
    assert error
    assert message in error
    assert not CountryProgrammeOutcome.objects.exists()


# The report's scope ---------------------------------------------------------------------------


@pytest.fixture
def report_world(user_for):
    _plan, _outcomes = factories.framework_2012_13()
    return {"secretariat": user_for(Role.GB_SECRETARIAT), "biennium": factories.biennium("2012-13")}


@pytest.mark.parametrize(
    ("scope", "field", "message"),
    [
        ("region", "region", "Choose the region of a regional report."),
        ("objective", "objective", "Choose the strategic objective."),
    ],
)
def test_a_scope_without_its_region_or_objective_gets_one_answer_on_page_and_api(
    client, report_world, scope, field, message
) -> None:
    secretariat = report_world["secretariat"]
    # Through the page
    client.force_login(secretariat)
    page = client.post(
        reverse("reporting:request"),
        {"biennium": report_world["biennium"].pk, "scope": scope, "language": "en"},
    )
    assert page.status_code == 400
    assert page.context["form"].errors[field] == [message]
    # Through the API
    api = APIClient()
    api.force_authenticate(secretariat)
    response = api.post("/api/v1/report-runs/", {"biennium": "2012-13", "scope": scope})
    assert response.status_code == 400
    assert response.json()["error"]["fields"][field] == [message]
    assert not ReportRun.objects.exists()


def test_a_region_for_a_whole_report_is_refused_by_the_model_the_api_asks(report_world) -> None:
    api = APIClient()
    api.force_authenticate(report_world["secretariat"])
    response = api.post(
        "/api/v1/report-runs/", {"biennium": "2012-13", "scope": "whole", "region": "africa"}
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["region"] == [
        "Give a region only for a regional report (scope region)."
    ]


# A progress report's states ------------------------------------------------------------------


def test_a_submitted_report_cannot_be_edited_through_page_or_api(client, world) -> None:
    cpo = factories.CpoFactory(programme=world["programme"], priority=world["priority"])
    report = factories.ProgressReportFactory(cpo=cpo)
    type(report).objects.filter(pk=report.pk).update(review_state=ReviewState.SUBMITTED)
    report.refresh_from_db()
    # Through the page: the form is shown again with the permission table's refusal
    client.force_login(world["field"])
    page = client.post(
        reverse("dwcp:progress-edit", args=[report.pk]),
        {"status": "on_track", "narrative": "Changed.", "version": report.version},
    )
    assert page.status_code == 400
    assert "A submitted report cannot be edited." in page.content.decode()
    # Through the API: the same message
    api = APIClient()
    api.force_authenticate(world["field"])
    response = api.patch(
        f"/api/v1/progress-reports/{report.pk}/",
        {"narrative": "Changed.", "version": report.version},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "A submitted report cannot be edited."
    report.refresh_from_db()
    assert report.narrative != "Changed."


def test_the_system_account_acts_for_commands_and_cannot_sign_in(client) -> None:
    system = system_user()
    assert system.role == Role.ADMINISTRATOR
    assert not system.has_usable_password()
    assert not system.is_staff
    assert system_user() == system

"""CPOs in spreadsheets: the export matches the database, the import takes it back all or
nothing, lists every wrong row, and changes nothing when nothing changed."""

from __future__ import annotations

import csv
import datetime
import io
import time
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from dwcp import spreadsheets
from dwcp.models import CountryProgrammeOutcome, CountryProgrammePriority, CpoResource, Milestone
from dwcp.services import ResourceData, cpo_update, priority_limit_error
from rbm.models import Role
from rbm.permissions import PUBLIC
from tests import factories

pytestmark = pytest.mark.django_db

EXPORT = reverse("dwcp:cpo-export")
IMPORT = reverse("dwcp:cpo-import")
FIELD_HERE = "field staff of the covering office"
FIELD_ELSEWHERE = "field staff of another office"
RPO_HERE = "regional officer of the region"
COORD, PO, GB, ADMIN = (
    Role.OUTCOME_COORDINATOR,
    Role.PROGRAMME_OFFICER,
    Role.GB_SECRETARIAT,
    Role.ADMINISTRATOR,
)
WHO = [PUBLIC, FIELD_HERE, FIELD_ELSEWHERE, RPO_HERE, COORD, PO, GB, ADMIN]


# The world: Indonesia's office and programme with three CPOs, Kenya's office -----------------


@pytest.fixture
def world(user_for):
    return make_world(user_for)


def make_world(user_for):
    _plan, (outcome16, outcome18) = factories.framework_2012_13()
    idn_office = factories.OfficeFactory(
        name="ILO Office for Indonesia",
        countries=[factories.country("IDN"), factories.country("TLS")],
    )
    ken_office = factories.OfficeFactory(
        name="ILO Office for Kenya",
        countries=[factories.country("KEN")],
        region=factories.region("africa"),
    )
    programme = factories.DwcpFactory(country=factories.country("IDN"), office=idn_office)
    priority = factories.PriorityFactory(programme=programme, number=1, title="Rights at work")
    cpos = []
    for number, (outcome, status) in enumerate(
        [(outcome16, "in_progress"), (outcome18, "planned"), (outcome16, "achieved")], start=1
    ):
        cpo = factories.CpoFactory(
            programme=programme,
            priority=priority,
            outcome=outcome,
            code=f"IDN10{number}",
            title=f"Outcome number {number}",
            description="Line one\nline two",
            result_status=status,
            prioritized=number != 2,
        )
        factories.CpoResourceFactory(cpo=cpo, funding_source=factories.funding_source("RB"))
        factories.CpoResourceFactory(
            cpo=cpo, funding_source=factories.funding_source("XBTC"), planned=1000, spent=0
        )
        factories.MilestoneFactory(cpo=cpo, due_on=datetime.date(2012, 6, 30), reached=True)
        factories.MilestoneFactory(cpo=cpo, due_on=datetime.date(2013, 6, 30))
        cpos.append(cpo)
    cpos[1].indicator = None
    cpos[1].save()
    kenya = factories.DwcpFactory(country=factories.country("KEN"), office=ken_office)
    kenya_cpo = factories.CpoFactory(programme=kenya, outcome=outcome16, code="KEN101")
    return {
        "programme": programme,
        "priority": priority,
        "cpos": cpos,
        "outcomes": {"16": outcome16, "18": outcome18},
        "kenya": kenya,
        "kenya_cpo": kenya_cpo,
        "idn_office": idn_office,
        "ken_office": ken_office,
        FIELD_HERE: user_for(Role.FIELD_OFFICE_STAFF, office=idn_office),
        FIELD_ELSEWHERE: user_for(Role.FIELD_OFFICE_STAFF, office=ken_office),
        RPO_HERE: user_for(
            Role.REGIONAL_PROGRAMME_OFFICER, region=factories.region("asia-pacific")
        ),
        COORD: user_for(COORD),
        PO: user_for(PO),
        GB: user_for(GB),
        ADMIN: user_for(ADMIN),
        PUBLIC: AnonymousUser(),
    }


# Helpers ---------------------------------------------------------------------------------------


def export(client, **params):
    return client.get(EXPORT, params)


def workbook(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content))


def save(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def headers(sheet) -> dict[str, int]:
    return {cell.value: cell.column for cell in sheet[1]}


def records(sheet) -> list[dict]:
    names = [cell.value for cell in sheet[1]]
    return [
        dict(zip(names, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)
    ]


def row_number(sheet, code: str) -> int:
    column = headers(sheet)["code"]
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row=row, column=column).value == code:
            return row
    raise AssertionError(code)


def set_cell(sheet, code: str, header: str, value) -> int:
    """Set the cell of the CPO's row under ``header``; returns the row number."""
    row = row_number(sheet, code)
    sheet.cell(row=row, column=headers(sheet)[header]).value = value
    return row


def append_row(sheet, **values) -> int:
    columns = headers(sheet)
    row = sheet.max_row + 1
    for header, value in values.items():
        sheet.cell(row=row, column=columns[header], value=value)
    return row


def upload(client, content: bytes, name: str = "cpos.xlsx"):
    """Upload a file; if it passed its checks, run its queued import (as the worker would,
    once the request has committed) and open the import's page."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(IMPORT, {"file": SimpleUploadedFile(name, content)})
    if response.status_code == 302:
        return client.get(response["Location"])
    return response


def exported(client, user, **params) -> bytes:
    client.force_login(user)
    response = export(client, **params)
    assert response.status_code == 200
    return response.content


def snapshot():
    """Versions of every CPO and the number of history records: what an import may change."""
    return (
        dict(CountryProgrammeOutcome.objects.values_list("code", "version")),
        CountryProgrammeOutcome.history.count(),
        CpoResource.history.count(),
        Milestone.history.count(),
        CountryProgrammePriority.objects.count(),
    )


def assert_imported(response, summary: str) -> None:
    refused = response.context.get("refused") if response.context else None
    assert response.status_code == 200, refused and refused.errors
    assert summary in response.content.decode()


def errors_of(response) -> set[tuple[str, int, str]]:
    return {(e.sheet, e.row, e.column) for e in response.context["refused"].errors}


def message_at(response, row: int, column: str) -> str:
    return " ".join(
        e.message for e in response.context["refused"].errors if (e.row, e.column) == (row, column)
    )


# Export ----------------------------------------------------------------------------------------


def test_the_workbook_holds_every_field_of_every_cpo(client, world) -> None:
    content = exported(client, world[ADMIN], office=world["idn_office"].pk)
    book = workbook(content)
    assert book.sheetnames == ["CPOs", "Milestones", "Read me"]
    sheet = book["CPOs"]
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.column_dimensions["I"].width > 30  # the title is wide enough to read
    rows = {r["code"]: r for r in records(sheet)}
    assert set(rows) == {"IDN101", "IDN102", "IDN103"}  # not Kenya's: another office
    for cpo in CountryProgrammeOutcome.objects.filter(programme=world["programme"]):
        row = rows[cpo.code]
        assert row["biennium"] == "2012-13"
        assert row["country"] == "IDN"
        assert row["programme"] == cpo.programme_id
        assert row["priority"] == 1
        assert row["priority title"] == "Rights at work"
        assert row["P&B outcome"] == cpo.outcome.code
        assert row["indicator"] == (cpo.indicator.code if cpo.indicator else None)
        assert row["title"] == cpo.title
        assert row["description"] == cpo.description
        assert row["how it affects women and men"] == cpo.gender_statement
        assert row["prioritized"] == ("yes" if cpo.prioritized else "no")
        assert row["targeted"] == ("yes" if cpo.targeted else "no")
        assert row["result status"] == cpo.result_status
        assert row["RB planned"] == 50000
        assert row["RB spent"] == 20000
        assert row["XBTC planned"] == 1000
        assert row["XBTC spent"] == 0
        assert row["RBTC planned"] is None
        assert row["RBSA spent"] is None
        assert row["version"] == cpo.version
    money = sheet.cell(row=2, column=headers(sheet)["RB planned"])
    assert isinstance(money.value, int | float)
    assert money.number_format == "#,##0.00"
    milestones = records(book["Milestones"])
    assert len(milestones) == 6
    assert milestones[0]["CPO code"] == "IDN101"
    assert milestones[0]["date"].date() == datetime.date(2012, 6, 30)  # a date cell, not text
    assert [m["reached"] for m in milestones[:2]] == ["yes", "no"]
    readme = " ".join(str(c) for row in book["Read me"].iter_rows(values_only=True) for c in row)
    assert "milestones cannot travel in CSV" in readme
    assert "in_progress" in readme
    assert "RBSA planned, RBSA spent" in readme


def test_the_csv_export_parses_back(client, world) -> None:
    content = exported(client, world[FIELD_HERE], programme=world["programme"].pk, format="csv")
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM makes Excel read UTF-8
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert [r["code"] for r in rows] == ["IDN101", "IDN102", "IDN103"]
    first = rows[0]
    cpo = world["cpos"][0]
    assert first["P&B outcome"] == "16"
    assert first["indicator"] == "16.1"
    assert first["description"] == "Line one\nline two"
    assert first["RB planned"] == "50000.00"
    assert first["XBTC spent"] == "0.00"
    assert first["RBSA planned"] == ""
    assert first["version"] == str(cpo.version)
    assert rows[1]["indicator"] == ""
    assert rows[1]["prioritized"] == "no"


def test_the_export_filters_by_region_and_biennium(client, world) -> None:
    factories.biennium("2014-15")
    client.force_login(world[ADMIN])
    africa = records(workbook(export(client, region="africa").content)["CPOs"])
    assert [r["code"] for r in africa] == ["KEN101"]
    assert records(workbook(export(client, biennium="2014-15").content)["CPOs"]) == []
    both = records(workbook(export(client, biennium="2012-13").content)["CPOs"])
    assert len(both) == 4


def test_texts_are_never_formulas(client, world) -> None:
    cpo = world["cpos"][0]
    CountryProgrammeOutcome.objects.filter(pk=cpo.pk).update(title='=HYPERLINK("x")')
    client.force_login(world[ADMIN])
    sheet = workbook(export(client, office=world["idn_office"].pk).content)["CPOs"]
    cell = sheet.cell(row=row_number(sheet, cpo.code), column=headers(sheet)["title"])
    assert cell.data_type == "s"
    rows = list(csv.reader(io.StringIO(export(client, office=world["idn_office"].pk, format="csv")
                                      .content.decode("utf-8-sig"))))  # fmt: skip
    assert '\'=HYPERLINK("x")' in rows[1]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"office": "999999"}, "No office 999999"),
        ({"office": "nowhere"}, "No office nowhere"),
        ({"region": "mars"}, "No region mars"),
        ({"programme": "999999"}, "No programme 999999"),
        ({"biennium": "2013-14"}, "starts in an even year"),
        ({"biennium": "12-13"}, "write it as 2012-13"),
        ({"biennium": "2030-31"}, "No biennium 2030-31"),
        ({"format": "pdf"}, "Choose the format xlsx or csv"),
    ],
)
def test_bad_export_parameters_are_a_400_with_a_message(client, world, params, message) -> None:
    response = export(client, **params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_programme_the_user_may_not_read_is_no_parameter_for_them(client, world) -> None:
    client.force_login(world[FIELD_ELSEWHERE])
    response = export(client, programme=world["programme"].pk)
    assert response.status_code == 400


@pytest.mark.parametrize("who", WHO)
def test_everyone_exports_what_they_may_read(client, world, who) -> None:
    world["kenya"].published = True
    world["kenya"].save()
    if who != PUBLIC:
        client.force_login(world[who])
    response = export(client)
    assert response.status_code == 200
    codes = {r["code"] for r in records(workbook(response.content)["CPOs"])}
    sees_indonesia = who in {FIELD_HERE, RPO_HERE, COORD, PO, GB, ADMIN}
    assert codes == {"KEN101"} | ({"IDN101", "IDN102", "IDN103"} if sees_indonesia else set())


def test_a_region_export_does_not_query_per_cpo(client, world, count_queries) -> None:
    client.force_login(world[RPO_HERE])

    def run():
        response = export(client, region="asia-pacific")
        assert response.status_code == 200
        return response

    small = count_queries(run)
    for alpha3 in ("PHL", "VNM", "THA"):
        programme = factories.DwcpFactory(country=factories.country(alpha3))
        for _n in range(4):
            cpo = factories.CpoFactory(programme=programme)
            factories.CpoResourceFactory(cpo=cpo)
            factories.MilestoneFactory(cpo=cpo)
    large = count_queries(run)
    assert len(records(workbook(run().content)["CPOs"])) == 15
    assert large == small


# Import: pages and permissions ---------------------------------------------------------------


@pytest.mark.parametrize("who", WHO)
def test_only_field_staff_and_administrators_reach_the_import(client, world, who) -> None:
    content = exported(client, world[ADMIN], office=world["idn_office"].pk)
    client.logout()
    if who != PUBLIC:
        client.force_login(world[who])
    allowed = who in {FIELD_HERE, FIELD_ELSEWHERE, ADMIN}
    assert client.get(IMPORT).status_code == (200 if allowed else 403)
    before = snapshot()
    response = upload(client, content)
    # Field staff of another office reach the page, but Indonesia's rows are not theirs.
    expected = {FIELD_HERE: 200, ADMIN: 200, FIELD_ELSEWHERE: 400}.get(who, 403)
    assert response.status_code == expected
    assert snapshot() == before


def test_the_import_page_explains_the_format_and_links_to_a_template(client, world) -> None:
    client.force_login(world[FIELD_HERE])
    page = client.get(IMPORT).content.decode()
    assert f"{EXPORT}?office={world['idn_office'].pk}" in page
    assert "how it affects women and men" in page
    assert "milestones cannot travel in CSV" in page
    template = workbook(client.get(EXPORT, {"template": "1"}).content)
    assert records(template["CPOs"]) == []
    assert "code" in headers(template["CPOs"])


# Import: a correct file ------------------------------------------------------------------------


def test_an_unchanged_export_imports_as_all_unchanged(client, world) -> None:
    content = exported(client, world[FIELD_HERE], office=world["idn_office"].pk)
    before = snapshot()
    response = upload(client, content)
    assert response.status_code == 200
    assert "0 created, 0 updated, 3 unchanged." in response.content.decode()
    assert snapshot() == before


def test_an_edited_export_updates_exactly_the_edited_rows(client, world) -> None:
    user = world[FIELD_HERE]
    book = workbook(exported(client, user, office=world["idn_office"].pk))
    sheet = book["CPOs"]
    set_cell(sheet, "IDN101", "title", "Child labour reduced in the fishing sector")
    set_cell(sheet, "IDN102", "RB planned", 75000.5)
    set_cell(sheet, "IDN102", "RBSA planned", 12000)
    milestones = book["Milestones"]
    milestones.cell(row=7, column=headers(milestones)["reached"], value="yes")  # IDN103, 2013
    versions, cpo_history, *_rest = snapshot()
    response = upload(client, save(book))
    assert_imported(response, "0 created, 3 updated, 0 unchanged.")
    first, second, third = (
        CountryProgrammeOutcome.objects.get(code=code) for code in ("IDN101", "IDN102", "IDN103")
    )
    assert first.title == "Child labour reduced in the fishing sector"
    assert {r.funding_source.code: (r.planned, r.spent) for r in second.resources.all()} == {
        "RB": (Decimal("75000.50"), Decimal("20000.00")),
        "XBTC": (Decimal("1000.00"), Decimal("0.00")),
        "RBSA": (Decimal("12000.00"), Decimal("0.00")),
    }
    assert [m.reached for m in third.milestones.order_by("due_on")] == [True, True]
    after, after_history, *_rest = snapshot()
    assert {code for code in after if after[code] != versions[code]} == {
        "IDN101",
        "IDN102",
        "IDN103",
    }
    assert after["KEN101"] == versions["KEN101"]
    assert after_history == cpo_history + 3


def test_only_the_edited_row_of_many_changes(client, world) -> None:
    book = workbook(exported(client, world[ADMIN], office=world["idn_office"].pk))
    set_cell(book["CPOs"], "IDN102", "result status", "Achieved")  # the label works too
    before, *_ = snapshot()
    response = upload(client, save(book))
    assert "0 created, 1 updated, 2 unchanged." in response.content.decode()
    after, *_ = snapshot()
    assert {c for c in after if after[c] != before[c]} == {"IDN102"}
    assert CountryProgrammeOutcome.objects.get(code="IDN102").result_status == "achieved"


def test_new_rows_create_cpos_and_a_new_priority(client, world) -> None:
    user = world[FIELD_HERE]
    book = workbook(exported(client, user, office=world["idn_office"].pk))
    sheet = book["CPOs"]
    new_row = append_row(
        sheet,
        code="idn120",
        biennium="2012-13",
        country="IDN",
        priority=2,
        **{
            "priority title": "Youth employment",
            "P&B outcome": 18,
            "indicator": 18.1,
            "title": "Young women and men find decent jobs",
            "how it affects women and men": "Half of the trainees are young women.",
            "prioritized": "yes",
            "targeted": "no",
            "RB planned": 30000,
        },
    )
    book["Milestones"].append(
        ["IDN120", "2012-13", datetime.date(2013, 3, 31), "Survey done", "no"]
    )
    response = upload(client, save(book))
    assert response.status_code == 200, response.context["refused"].errors
    assert "1 created, 0 updated, 3 unchanged." in response.content.decode()
    assert new_row == 5
    cpo = CountryProgrammeOutcome.objects.get(code="IDN120")
    assert cpo.programme == world["programme"]  # the one programme covering 2012-13
    assert (cpo.priority.number, cpo.priority.title) == (2, "Youth employment")
    assert (cpo.outcome.code, cpo.indicator.code) == ("18", "18.1")
    assert (cpo.prioritized, cpo.targeted, cpo.result_status) == (True, False, "planned")
    assert [(r.funding_source.code, r.planned, r.spent) for r in cpo.resources.all()] == [
        ("RB", Decimal("30000.00"), Decimal("0.00"))
    ]
    assert [(m.due_on, m.text) for m in cpo.milestones.all()] == [
        (datetime.date(2013, 3, 31), "Survey done")
    ]
    assert cpo.history.first().history_user == user


def test_importing_the_same_file_twice_changes_nothing_the_second_time(client, world) -> None:
    book = workbook(exported(client, world[FIELD_HERE], office=world["idn_office"].pk))
    set_cell(book["CPOs"], "IDN101", "description", "A new description")
    append_row(
        book["CPOs"],
        code="IDN130",
        biennium="2012-13",
        country="IDN",
        programme=world["programme"].pk,
        priority=1,
        title="Another outcome",
        **{"P&B outcome": "16", "how it affects women and men": "Both equally."},
    )
    content = save(book)
    assert upload(client, content).status_code == 200
    before = snapshot()
    response = upload(client, content)
    assert response.status_code == 200
    assert "0 created, 0 updated, 4 unchanged." in response.content.decode()
    assert snapshot() == before


def test_a_csv_file_imports_and_keeps_the_milestones(client, world) -> None:
    content = exported(client, world[FIELD_HERE], office=world["idn_office"].pk, format="csv")
    text = content.decode("utf-8-sig").replace("Outcome number 2", "Outcome number two")
    response = upload(client, text.encode("utf-8-sig"), "cpos.csv")
    assert "0 created, 1 updated, 2 unchanged." in response.content.decode()
    cpo = CountryProgrammeOutcome.objects.get(code="IDN102")
    assert cpo.title == "Outcome number two"
    assert cpo.milestones.count() == 2


def test_a_semicolon_csv_from_a_french_excel_imports(client, world) -> None:
    content = exported(client, world[FIELD_HERE], office=world["idn_office"].pk, format="csv")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    response = upload(client, buffer.getvalue().encode("cp1252"), "cpos.csv")
    assert response.status_code == 200
    assert "0 created, 0 updated, 3 unchanged." in response.content.decode()


def test_a_title_starting_with_a_formula_sign_round_trips_through_csv(client, world) -> None:
    cpo = world["cpos"][0]
    CountryProgrammeOutcome.objects.filter(pk=cpo.pk).update(title="-5% informality")
    content = exported(client, world[FIELD_HERE], office=world["idn_office"].pk, format="csv")
    before = snapshot()
    response = upload(client, content, "cpos.csv")
    assert "0 created, 0 updated, 3 unchanged." in response.content.decode()
    assert snapshot() == before


def test_a_stale_row_that_asks_for_what_is_stored_is_no_conflict(client, world) -> None:
    user = world[FIELD_HERE]
    book = workbook(exported(client, user, office=world["idn_office"].pk))
    cpo = world["cpos"][0]
    cpo_update(user=user, cpo=cpo, version=cpo.version, title="Changed by a colleague")
    set_cell(book["CPOs"], "IDN101", "title", "Changed by a colleague")  # same change, old version
    response = upload(client, save(book))
    assert response.status_code == 200
    assert "0 created, 0 updated, 3 unchanged." in response.content.decode()


def test_a_priority_title_that_differs_is_a_note_not_a_change(client, world) -> None:
    book = workbook(exported(client, world[FIELD_HERE], office=world["idn_office"].pk))
    row = set_cell(book["CPOs"], "IDN101", "priority title", "Renamed in Excel")
    response = upload(client, save(book))
    assert response.status_code == 200
    notes = response.context["result"].warnings
    assert [(n.row, n.column) for n in notes] == [(row, "priority title")]
    assert "Rights at work" in notes[0].message
    assert (
        world["priority"].title
        == CountryProgrammePriority.objects.get(pk=world["priority"].pk).title
    )


# Import: wrong rows ------------------------------------------------------------------------------


def test_a_file_with_many_bad_rows_saves_nothing_and_lists_every_one(client, world) -> None:
    user = world[FIELD_HERE]
    old_plan = factories.StrategicPlanFactory(start_year=2002, end_year=2005)
    factories.OutcomeFactory(objective__plan=old_plan, code="1a")
    book = workbook(exported(client, user, office=world["idn_office"].pk))
    sheet = book["CPOs"]
    # A colleague saves IDN103 after the export.
    cpo = world["cpos"][2]
    cpo_update(user=user, cpo=cpo, version=cpo.version, title="Saved by a colleague")
    sheet.cell(row=1, column=sheet.max_column + 1, value="GOLD planned")
    bad = {}
    bad[set_cell(sheet, "IDN101", "P&B outcome", "77")] = (
        "P&B outcome",
        "No outcome has the code 77",
    )
    set_cell(sheet, "IDN102", "P&B outcome", "16")
    bad[set_cell(sheet, "IDN102", "indicator", "18.1")] = (
        "indicator",
        "not an indicator of outcome 16",
    )
    bad[set_cell(sheet, "IDN103", "title", "My version")] = ("version", "Someone else saved")

    def new(code, **cells):
        values = {
            "code": code,
            "biennium": "2012-13",
            "country": "IDN",
            "priority": 1,
            "title": "New outcome",
            "P&B outcome": "16",
            "how it affects women and men": "Women and men alike.",
        }
        values.update(cells)
        return append_row(sheet, **values)

    bad[new("IDN140", **{"P&B outcome": "1a"})] = ("P&B outcome", "not to the framework of 2012-13")
    bad[new("IDN141", **{"how it affects women and men": "  "})] = (
        "how it affects women and men",
        "required",
    )
    bad[new("IDN142", priority="two")] = ("priority", "is not a whole number")
    bad[new("IDN143", **{"RB planned": -100})] = ("RB planned", "cannot be negative")
    bad[new("IDN144", **{"RB spent": "a lot"})] = ("RB spent", "is not an amount")
    bad[new("ID-145")] = ("code", "is not a CPO code")
    bad[new("KEN150", country="KEN")] = ("country", "does not cover Kenya")
    bad[new("IDN146", biennium="2013-14")] = ("biennium", "starts in an even year")
    bad[new("IDN147", prioritized="maybe")] = ("prioritized", "Write yes or no")
    bad[new("IDN148", **{"result status": "finished"})] = ("result status", "not a result status")
    bad[new("TLS149")] = ("code", "starts with IDN")
    bad[new("IDN101")] = ("code", "Row 2 already has this code")
    before = snapshot()

    response = upload(client, save(book))

    assert response.status_code == 400
    assert snapshot() == before  # nothing saved, not even the good rows
    found = errors_of(response)
    assert ("CPOs", 1, "GOLD planned") in found
    for row, (column, message) in bad.items():
        assert ("CPOs", row, column) in found, (row, column, found)
        assert message in message_at(response, row, column), (
            row,
            message_at(response, row, column),
        )
    page = response.content.decode()
    assert "Nothing was saved" in page
    assert "No funding source has the code GOLD" in page
    assert len(response.context["refused"].errors) >= len(bad) + 1


def test_a_fourth_priority_is_refused_with_the_services_message(client, world) -> None:
    programme = world["programme"]
    factories.PriorityFactory(programme=programme, number=2)
    factories.PriorityFactory(programme=programme, number=3)
    book = workbook(exported(client, world[FIELD_HERE], office=world["idn_office"].pk))
    row = set_cell(book["CPOs"], "IDN101", "priority", 4)
    set_cell(book["CPOs"], "IDN101", "priority title", "A fourth priority")
    before = snapshot()
    response = upload(client, save(book))
    assert response.status_code == 400
    assert message_at(response, row, "priority") == priority_limit_error().messages[0]
    assert snapshot() == before


def test_a_new_priority_needs_the_next_free_number_and_a_title(client, world) -> None:
    book = workbook(exported(client, world[FIELD_HERE], office=world["idn_office"].pk))
    gap = set_cell(book["CPOs"], "IDN101", "priority", 3)
    set_cell(book["CPOs"], "IDN101", "priority title", "Skipping two")
    response = upload(client, save(book))
    assert "a new priority would be number 2" in message_at(response, gap, "priority")
    book = workbook(exported(client, world[FIELD_HERE], office=world["idn_office"].pk))
    untitled = set_cell(book["CPOs"], "IDN101", "priority", 2)
    set_cell(book["CPOs"], "IDN101", "priority title", None)
    response = upload(client, save(book))
    assert "give its title" in message_at(response, untitled, "priority")


def test_a_row_for_a_country_another_office_covers_is_refused(client, world) -> None:
    world["kenya"].published = True
    world["kenya"].save()
    content = exported(client, world[FIELD_HERE])  # Kenya's published CPO is readable
    before = snapshot()
    response = upload(client, content)
    assert response.status_code == 400
    row = row_number(workbook(content)["CPOs"], "KEN101")
    assert "does not cover Kenya" in message_at(response, row, "country")
    assert errors_of(response) == {("CPOs", row, "country")}
    assert snapshot() == before


def test_a_stale_version_is_refused(client, world) -> None:
    user = world[FIELD_HERE]
    book = workbook(exported(client, user, office=world["idn_office"].pk))
    cpo = world["cpos"][0]
    cpo_update(
        user=user,
        cpo=cpo,
        version=cpo.version,
        resources=[ResourceData(factories.funding_source("RB"), Decimal(1), Decimal(0))],
    )
    row = set_cell(book["CPOs"], "IDN101", "title", "Overwrites a colleague")
    before = snapshot()
    response = upload(client, save(book))
    assert response.status_code == 400
    assert "Someone else saved this record" in message_at(response, row, "version")
    assert snapshot() == before
    assert CountryProgrammeOutcome.objects.get(pk=cpo.pk).resources.get().planned == 1


def test_an_indicator_of_another_outcome_and_a_programme_elsewhere_are_refused(client, world):
    book = workbook(exported(client, world[ADMIN], office=world["idn_office"].pk))
    row = set_cell(book["CPOs"], "IDN101", "indicator", "18.1")
    moved = set_cell(book["CPOs"], "IDN102", "programme", world["kenya"].pk)
    response = upload(client, save(book))
    assert response.status_code == 400
    assert "Indicator 18.1 is not an indicator of outcome 16" in message_at(
        response, row, "indicator"
    )
    assert "cannot move it to another programme" in message_at(response, moved, "programme")


def test_milestones_of_a_cpo_missing_from_the_cpos_sheet_are_refused(client, world) -> None:
    book = workbook(exported(client, world[FIELD_HERE], office=world["idn_office"].pk))
    book["Milestones"].append(["IDN199", "2012-13", datetime.date(2013, 1, 1), "Orphan", "no"])
    book["Milestones"].append(["IDN101", "2012-13", "next spring", "Undated", "no"])
    response = upload(client, save(book))
    assert response.status_code == 400
    assert errors_of(response) == {("Milestones", 8, "CPO code"), ("Milestones", 9, "date")}


# Import: files that cannot be used ---------------------------------------------------------------


def test_a_file_over_5_mb_is_refused_with_413(client, world) -> None:
    client.force_login(world[FIELD_HERE])
    response = upload(client, b"code,title\n" + b"x" * (5 * 1024 * 1024), "big.csv")
    assert response.status_code == 413
    assert "the limit is 5 MB" in response.content.decode()


def test_a_file_over_20000_rows_is_refused(client, world) -> None:
    client.force_login(world[FIELD_HERE])
    content = exported(client, world[FIELD_HERE], office=world["idn_office"].pk, format="csv")
    header, first, *_rest = csv.reader(io.StringIO(content.decode("utf-8-sig")))
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *[first] * 20_001])
    # The request reads no further than its bound; the worker counts the rows and refuses it.
    response = upload(client, buffer.getvalue().encode(), "many.csv")
    assert response.status_code == 200
    assert response.context["job"].status == "refused"
    assert "more than 20,000 rows" in response.content.decode()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"%PDF-1.4 binary\x00\x01", "report.pdf", "Upload the workbook (.xlsx) or a CSV file"),
        (b"\xd0\xcf\x11\xe0old excel", "cpos.xls", "save the file as .xlsx"),
        (b"PK\x03\x04broken zip", "cpos.xlsx", "could not be read as an Excel workbook"),
        (b"\x00\x01\x02", "cpos.csv", "binary data"),
    ],
)
def test_a_file_that_is_not_a_spreadsheet_is_a_400(client, world, content, name, message):
    client.force_login(world[FIELD_HERE])
    response = upload(client, content, name)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_workbook_without_the_cpos_sheet_is_a_400(client, world) -> None:
    book = workbook(exported(client, world[FIELD_HERE], office=world["idn_office"].pk))
    book["CPOs"].title = "Outcomes"
    response = upload(client, save(book))
    assert response.status_code == 400
    assert "no sheet named “CPOs”" in response.content.decode()


def test_missing_columns_are_a_400_naming_them(client, world) -> None:
    book = workbook(exported(client, world[FIELD_HERE], office=world["idn_office"].pk))
    sheet = book["CPOs"]
    sheet.delete_cols(headers(sheet)["title"])
    sheet.delete_cols(headers(sheet)["RBSA spent"])
    response = upload(client, save(book))
    assert response.status_code == 400
    assert "lacks the columns “title”, “RBSA spent”" in response.content.decode()


def test_an_empty_upload_is_a_400(client, world) -> None:
    client.force_login(world[FIELD_HERE])
    response = client.post(IMPORT, {})
    assert response.status_code == 400
    assert response.context["form"].errors["file"]


def test_checking_an_unchanged_file_does_not_query_per_row(client, world, count_queries) -> None:
    user = world[FIELD_HERE]
    small_file = exported(client, user, office=world["idn_office"].pk)
    small = count_queries(lambda: upload(client, small_file))
    for _n in range(12):
        cpo = factories.CpoFactory(programme=world["programme"], priority=world["priority"])
        factories.CpoResourceFactory(cpo=cpo)
        factories.MilestoneFactory(cpo=cpo)
    large_file = exported(client, user, office=world["idn_office"].pk)
    response = None

    def run():
        nonlocal response
        response = upload(client, large_file)

    large = count_queries(run)
    assert_imported(response, "0 created, 0 updated, 15 unchanged.")
    assert large == small


# The reusable steps ------------------------------------------------------------------------------


def test_parsing_gives_typed_rows_and_errors_without_touching_the_database(client, world):
    book = workbook(exported(client, world[ADMIN], office=world["idn_office"].pk))
    set_cell(book["CPOs"], "IDN102", "XBTC spent", "12,500.50")
    set_cell(book["CPOs"], "IDN103", "version", "v2")
    parsed = spreadsheets.parse_spreadsheet(content=save(book), filename="x.xlsx")
    first, second, third = parsed.cpo_rows
    assert (first.code, first.priority, first.outcome, first.prioritized) == (
        "IDN101",
        1,
        "16",
        True,
    )
    assert second.resources["XBTC"] == (Decimal("1000.00"), Decimal("12500.50"))
    assert third.failed == {"version"}
    assert parsed.errors == [
        spreadsheets.RowError("CPOs", 4, "version", "“v2” is not a whole number.")
    ]
    assert len(parsed.milestone_rows) == 6


# The demo's 947 CPOs ---------------------------------------------------------------------------


def test_the_demo_exports_and_imports_back_unchanged(client, demo) -> None:
    from rbm.models import User

    client.force_login(User.objects.get(username="admin"))
    started = time.perf_counter()
    response = export(client)
    exported_in = time.perf_counter() - started
    assert len(records(workbook(response.content)["CPOs"])) == 947
    before = snapshot()
    started = time.perf_counter()
    result = upload(client, response.content)
    imported_in = time.perf_counter() - started
    assert result.status_code == 200
    assert "0 created, 0 updated, 947 unchanged." in result.content.decode()
    assert snapshot() == before
    print(f"demo: export {exported_in:.2f} s, import {imported_in:.2f} s")


@pytest.mark.parametrize(
    ("cell", "amount"),
    [
        (None, None),
        ("", None),
        (25000, Decimal("25000.00")),
        (0.1 + 0.2, Decimal("0.30")),  # Excel's binary fractions are cents
        ("1 250.00", Decimal("1250.00")),
        ("12,500.50", Decimal("12500.50")),
        ("1e3", Decimal("1000.00")),
    ],
)
def test_money_cells_read_as_cents(cell, amount) -> None:
    from dwcp.spreadsheets.columns import read_money

    assert read_money(cell) == amount


@pytest.mark.parametrize("cell", [12.345, "12.345", -1, "-0.01", "ten", True, "nan", 10**13])
def test_money_cells_that_are_no_amount_are_refused(cell) -> None:
    from dwcp.spreadsheets.columns import CellError, read_money

    with pytest.raises(CellError):
        read_money(cell)

"""The project workbook: export and import, all or nothing, every bad row listed."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from cooperation import spreadsheets
from cooperation.models import Project
from rbm.models import User

pytestmark = pytest.mark.django_db


def _workbook(projects: list[list[Any]], links: list[list[Any]] = ()) -> bytes:  # type: ignore[assignment]
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = spreadsheets.PROJECT_SHEET
    sheet.append(spreadsheets.PROJECT_COLUMNS)
    for row in projects:
        sheet.append(row)
    other = workbook.create_sheet(spreadsheets.LINK_SHEET)
    other.append(spreadsheets.LINK_COLUMNS)
    for row in links:
        other.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _row(office: Any, code: str = "IDN/12/70/NOR", **changes: Any) -> list[Any]:
    values = {
        "code": code,
        "title": "Youth employment",
        "summary": "",
        "funding_kind": "XBTC",
        "geography": "countries",
        "countries": "IDN",
        "region": "",
        "office": office.code,
        "technical_unit": "",
        "start_date": "2012-01-01",
        "end_date": "2013-12-31",
        "status": "proposal",
        "donors": "NOR=1000",
        "budget": "2012=600; 2013=400",
        "disbursed": "",
        "expenditure": "2012=100",
    }
    values.update(changes)
    return [values[c] for c in spreadsheets.PROJECT_COLUMNS]


def test_a_good_workbook_is_imported_with_its_links(
    field_user: User, office: Any, cpo: Any, donor: Any
) -> None:
    content = _workbook(
        [_row(office), _row(office, "IDN/12/71/NOR")],
        [
            ["IDN/12/70/NOR", cpo.code, "2012-13", "40"],
            ["IDN/12/71/NOR", cpo.code, "2012-13", "60"],
        ],
    )
    assert spreadsheets.import_workbook(user=field_user, content=content) == {
        "created": 2,
        "updated": 0,
    }
    project = Project.objects.get(code="IDN/12/70/NOR")
    assert project.status == "proposal"
    assert project.years_set.get(year=2012).expenditure == 100
    assert project.cpo_links.get().share == 40


def test_every_bad_row_is_listed_and_nothing_is_kept(
    field_user: User, office: Any, cpo: Any, donor: Any
) -> None:
    content = _workbook(
        [
            _row(office),  # fine alone
            _row(office, "IDN/12/72/NOR", countries="XXX"),
            _row(office, "IDN/12/73/NOR", start_date="someday", donors="ZZZ=5"),
            _row(office, "IDN/12/74/NOR"),
        ],
        [
            ["IDN/12/74/NOR", cpo.code, "2012-13", "70"],
            ["IDN/12/74/NOR", "IDN999", "2012-13", "10"],
            ["IDN/12/99/NOR", cpo.code, "2012-13", "10"],
        ],
    )
    with pytest.raises(spreadsheets.ImportRefused) as refused:
        spreadsheets.import_workbook(user=field_user, content=content)
    where = {(p.sheet, p.row, p.column) for p in refused.value.problems}
    assert ("Projects", 3, "countries") in where
    assert ("Projects", 4, "start_date") in where
    assert ("Projects", 4, "donors") in where
    assert ("CPO links", 3, "cpo") in where
    assert ("CPO links", 4, "project") in where
    assert not Project.objects.exists()


def test_shares_over_100_are_refused_in_the_workbook_too(
    field_user: User, office: Any, cpo: Any, donor: Any
) -> None:
    from tests import factories

    other = factories.CpoFactory(programme=cpo.programme, priority=cpo.priority)
    content = _workbook(
        [_row(office)],
        [
            ["IDN/12/70/NOR", cpo.code, "2012-13", "70"],
            ["IDN/12/70/NOR", other.code, "2012-13", "30.5"],
        ],
    )
    with pytest.raises(spreadsheets.ImportRefused) as refused:
        spreadsheets.import_workbook(user=field_user, content=content)
    assert any("100" in p.message for p in refused.value.problems)
    assert not Project.objects.exists()


def test_export_then_import_updates_the_same_projects(
    field_user: User, make_project: Callable[..., Project], cpo: Any
) -> None:
    make_project(links=[(cpo, "25")], status="funded")
    content = spreadsheets.export_workbook(field_user)
    sheet = load_workbook(io.BytesIO(content))[spreadsheets.PROJECT_SHEET]
    assert sheet.cell(row=2, column=12).value == "funded"
    assert spreadsheets.import_workbook(user=field_user, content=content) == {
        "created": 0,
        "updated": 1,
    }


def test_the_import_page(field_user: User, office: Any, donor: Any) -> None:
    client = Client()
    client.force_login(field_user)
    url = reverse("cooperation:project-import")
    assert client.get(url).status_code == 200
    bad = _workbook([_row(office, countries="XXX")])
    response = client.post(url, {"file": SimpleUploadedFile("p.xlsx", bad)})
    assert response.status_code == 400
    assert "XXX" in response.content.decode()
    response = client.post(url, {"file": SimpleUploadedFile("p.xlsx", b"not a workbook")})
    assert response.status_code == 400
    response = client.post(url, {"file": SimpleUploadedFile("p.xlsx", _workbook([_row(office)]))})
    assert response.status_code == 302
    export = client.get(reverse("cooperation:project-export"))
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_formulas_are_written_as_text(
    field_user: User, make_project: Callable[..., Project]
) -> None:
    make_project(title='=HYPERLINK("http://x")')
    content = spreadsheets.export_workbook(field_user)
    cell = load_workbook(io.BytesIO(content))[spreadsheets.PROJECT_SHEET].cell(row=2, column=2)
    assert cell.data_type == "s"


def test_the_import_endpoint(field_user: User, office: Any, donor: Any) -> None:
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(field_user)
    url = "/api/v1/projects/import/"
    bad = _workbook([_row(office, countries="XXX")])
    refused = client.post(url, {"file": SimpleUploadedFile("p.xlsx", bad)}, format="multipart")
    assert refused.status_code == 400
    assert refused.json()["error"]["problems"][0]["column"] == "countries"
    assert client.post(url, {}, format="multipart").status_code == 400
    good = _workbook([_row(office)])
    done = client.post(url, {"file": SimpleUploadedFile("p.xlsx", good)}, format="multipart")
    assert done.json() == {"created": 1, "updated": 0}

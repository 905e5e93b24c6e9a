"""What users typed cannot break an export or run in a spreadsheet (issue 14, findings 1 and 2).

Text stored before control characters were refused (written here straight to the tables,
as old data would be) is compiled into a snapshot, and every format still downloads, through
the page and the API, and opens; a text starting with "=" is a text cell, never a formula.
"""

from __future__ import annotations

import csv
import io

import docx
import openpyxl
import pytest
from django.urls import reverse
from lxml import etree
from pypdf import PdfReader
from rest_framework.test import APIClient

from dwcp.models import DecentWorkCountryProgramme
from rbm.models import Role
from reporting.exports import FORMATS, export_snapshot
from strategic_plans.models import OutcomeStrategy
from workplans.models import CorrectiveAction, MidTermReview

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://x","y")'


@pytest.fixture
def poisoned(demo, compile_report):
    """The demo's report compiled after old text with ESC, BS and formulas was stored."""
    assert MidTermReview.objects.exists()
    assert CorrectiveAction.objects.exists()
    DecentWorkCountryProgramme.objects.update(title=FORMULA)
    OutcomeStrategy.objects.update(text=FORMULA + " \x08 strategy")
    MidTermReview.objects.update(summary=FORMULA + " \x1b[31m red")
    CorrectiveAction.objects.update(text="Reinforce \x08 monitoring")
    snapshot = compile_report().snapshot
    stored = "\n".join(texts(snapshot.content))
    assert "\x08" in stored
    assert "\x1b" in stored
    assert FORMULA in stored
    return snapshot


def texts(data):
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from texts(value)
    elif isinstance(data, list):
        for value in data:
            yield from texts(value)


def opened(fmt: str, content: bytes) -> str:
    """The file opened with the library a reader would use; its text."""
    if fmt == "xlsx":
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
        assert not [c.coordinate for c in cells if c.data_type == "f"], "no cell is a formula"
        return "\n".join(str(c.value) for c in cells if c.value is not None)
    if fmt == "docx":
        document = docx.Document(io.BytesIO(content))
        paragraphs = [p.text for p in document.paragraphs]
        cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
        return "\n".join(paragraphs + cells)
    if fmt == "pdf":
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        assert rows[0][0] == "biennium"
        return "\n".join(",".join(row) for row in rows)
    assert fmt == "iati"
    return " ".join(etree.fromstring(content).itertext())


def test_a_snapshot_holding_control_characters_downloads_in_every_format(
    client, user_for, poisoned
):
    secretariat = user_for(Role.GB_SECRETARIAT)
    client.force_login(secretariat)
    api = APIClient()
    api.force_authenticate(secretariat)
    for fmt in FORMATS:
        page = client.get(reverse("reporting:download", args=[poisoned.pk, fmt]))
        answer = api.get(f"/api/v1/report-snapshots/{poisoned.pk}/download/{fmt}/")
        for response in (page, answer):
            assert response.status_code == 200, (fmt, response.getvalue()[:300])
            text = opened(fmt, response.getvalue())
            assert "\x08" not in text
            assert "\x1b" not in text
            if fmt in ("xlsx", "docx"):
                # The text is kept, without the control characters
                assert "Reinforce  monitoring" in text
                assert " [31m red" in text


@pytest.fixture
def formulas(demo, compile_report):
    """The demo's report compiled after titles and texts that start with "=" were saved."""
    DecentWorkCountryProgramme.objects.update(title=FORMULA)
    OutcomeStrategy.objects.update(text=FORMULA)
    MidTermReview.objects.update(summary=FORMULA)
    return compile_report().snapshot


def test_user_text_starting_with_equals_is_a_text_cell_in_the_report_workbook(formulas):
    workbook = openpyxl.load_workbook(io.BytesIO(export_snapshot(formulas, "xlsx").content))
    texts = [
        cell
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value.startswith("=HYPERLINK")
    ]
    sheets = {cell.parent.title for cell in texts}
    # The programme title, the strategy text and the review's summary are all there, as text
    assert {"Programmes", "Strategy", "Mid-term reviews"} <= sheets
    assert all(cell.data_type == "s" for cell in texts)

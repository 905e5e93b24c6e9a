"""The report's money and tables as a Governing Body document prints them: amounts in whole
USD thousands (never cents) in the DOCX, the PDF and the workbook's display; DOCX tables whose
header rows repeat, whose header cells are wide enough for their longest word and whose figures
are right-aligned; an unwritten strategy element said plainly."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from typing import Any

import docx
import openpyxl
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from reporting.completeness import snapshot_gaps
from reporting.exports import export_snapshot
from reporting.models import ReportSnapshot
from strategic_plans.models import OutcomeStrategy
from tests.reporting.test_exports import db_money, docx_outcome_tables, pdf_text, thousands

pytestmark = pytest.mark.django_db

CENTS = re.compile(r"\d[.,]\d\d(?!\d)")  # 1,234.56 or 1.234,56
FIGURE = re.compile(r"^[–\d][\d,.\s\xa0\u202f]*%?$")
TWIPS_PER_MM = 1440 / 25.4
MARGINS_TWIPS = 2 * 108  # Table Grid's left and right cell margins


@pytest.fixture
def snapshot(demo, compile_report) -> ReportSnapshot:
    return compile_report().snapshot


def money_rows(data: bytes, outcome: str) -> list[list[str]]:
    """The resources table under an outcome's heading (its second table)."""
    return docx_outcome_tables(data)[outcome][1]


def test_docx_money_is_in_whole_thousands_of_usd(snapshot):
    data = export_snapshot(snapshot, "docx").content
    document = docx.Document(io.BytesIO(data))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 3"]
    assert "Resources by funding source (USD thousands)" in headings
    assert "Resources by funding source (USD)" not in headings

    resources = money_rows(data, "Outcome 16 – Child labour")
    assert resources[0] == ["Funding source", "P&B budget", "Planned", "Spent"]
    money = db_money("16")
    names = {
        "Regular budget": "RB",
        "Regular Budget Technical Cooperation": "RBTC",
        "Extra-budgetary technical cooperation": "XBTC",
        "Regular Budget Supplementary Account": "RBSA",
    }
    for row in resources[1:-1]:
        line = money[names[row[0]]]
        assert row[1:] == [
            thousands(line["budget"]),
            thousands(line["planned"]),
            thousands(line["spent"]),
        ]
    assert resources[-1][2] == thousands(sum(m["planned"] for m in money.values()))
    assert sum(m["planned"] for m in money.values()) >= 1000  # a figure that thousands change

    summary = next(t for t in document.tables if t.rows[0].cells[0].text == "Funding source")
    assert [c.text for c in summary.rows[0].cells][1:] == [
        "Planned (USD thousands)",
        "Spent (USD thousands)",
    ]
    for table in document.tables:
        for row in table.rows[len(_header_rows(table)) :]:
            for cell in row.cells:
                if FIGURE.match(cell.text.strip() or "x"):
                    assert not CENTS.search(cell.text), cell.text


def test_pdf_money_is_in_whole_thousands_of_usd(snapshot):
    text = pdf_text(export_snapshot(snapshot, "pdf").content)

    start = text.rindex("Outcome 16 – Child labour")  # the heading, after the TOC line
    section = text[start : text.index("Strategy", start)]
    assert "Resources by funding source (USD thousands)" in section
    money = db_money("16")
    planned = sum(m["planned"] for m in money.values())
    spent = sum(m["spent"] for m in money.values())
    assert (
        f"Total {thousands(money_total(money, 'budget'))} {thousands(planned)} {thousands(spent)}"
        in section
    )
    resources = section[section.index("(USD thousands)") :]
    assert not CENTS.search(resources), resources
    assert f"{planned:,.2f}" not in text


def money_total(money: dict[str, dict[str, Decimal]], measure: str) -> Decimal:
    return sum((line[measure] for line in money.values()), Decimal(0))


def test_xlsx_money_stays_in_usd_shown_in_thousands(snapshot):
    workbook = openpyxl.load_workbook(io.BytesIO(export_snapshot(snapshot, "xlsx").content))

    resources = workbook["Resources"]
    headers = [c.value for c in resources[1]]
    assert headers[2:5] == [
        "P&B budget (USD thousands)",
        "Planned (USD thousands)",
        "Spent (USD thousands)",
    ]
    money = db_money("16")
    rows = [r for r in resources.iter_rows(min_row=2) if str(r[0].value).startswith("16.")]
    assert rows
    for row in rows:
        planned = row[3]
        assert isinstance(planned.value, (int, float))
        assert planned.number_format == "#,##0,"  # no decimals; a thousand per unit shown
    planned = {r[1].value: Decimal(str(r[3].value)) for r in rows}
    assert planned["Regular budget"] == money["RB"]["planned"]  # the value itself unchanged
    summary = workbook.worksheets[0]
    money_cells = [
        c for row in summary.iter_rows() for c in row if isinstance(c.value, (int, float))
    ]
    formats = {c.number_format for c in money_cells}
    assert "#,##0.00" not in formats


def _header_rows(table: Any) -> list[Any]:
    """The rows marked to repeat at the top of every page (w:tblHeader)."""
    rows = []
    for row in table.rows:
        properties = row._tr.trPr
        if properties is not None and properties.find(qn("w:tblHeader")) is not None:
            rows.append(row)
    return rows


def test_docx_tables_repeat_headers_never_break_a_word_and_align_figures(demo, compile_report):
    for language in ("en", "fr", "es"):
        snapshot = compile_report(language=language).snapshot
        check_tables(export_snapshot(snapshot, "docx").content)


def check_tables(data: bytes) -> None:
    document = docx.Document(io.BytesIO(data))
    assert len(document.tables) > 10
    for table in document.tables:
        header = _header_rows(table)
        assert header, [c.text for c in table.rows[0].cells]
        # the first rows, repeated on each page
        assert [r._tr for r in header] == [r._tr for r in table.rows[: len(header)]]
        for row in header:
            seen: set[int] = set()
            for cell in row.cells:
                if id(cell._tc) in seen:
                    continue
                seen.add(id(cell._tc))
                width = int(cell._tc.tcPr.find(qn("w:tcW")).get(qn("w:w")))
                for word in cell.text.split():
                    printed = stringWidth(word, "Helvetica-Bold", 9) * 20  # points to twips
                    assert printed + MARGINS_TWIPS <= width, (word, printed, width)
        for row in table.rows[len(header) :]:
            for cell in row.cells:
                text = cell.text.strip()
                if FIGURE.match(text) and re.search(r"\d", text):
                    assert cell.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT, text
                    width = int(cell._tc.tcPr.find(qn("w:tcW")).get(qn("w:w")))
                    printed = stringWidth(text, "Helvetica-Bold", 9) * 20
                    assert printed + MARGINS_TWIPS <= width, (text, width)


def test_french_and_spanish_money_use_their_own_labels_and_separators(demo, compile_report):
    money = db_money("16")
    planned = sum(m["planned"] for m in money.values())
    assert planned >= 1_000_000  # thousands of thousands: a separator shows
    expected = {
        "fr": ("Ressources par source de financement (milliers d’USD)", "Prévu"),
        "es": ("Recursos por fuente de financiación (miles de USD)", "Previsto"),
    }
    for language, (heading, column) in expected.items():
        snapshot = compile_report(language=language).snapshot
        data = export_snapshot(snapshot, "docx").content
        document = docx.Document(io.BytesIO(data))
        assert heading in [p.text for p in document.paragraphs if p.style.name == "Heading 3"]
        tables = docx_outcome_tables(data)
        resources = next(v for k, v in tables.items() if " 16 – " in k)[1]
        assert column in resources[0]
        total = resources[-1][resources[0].index(column)]
        assert total == thousands(planned).replace(",", "\xa0"), total
        workbook = openpyxl.load_workbook(io.BytesIO(export_snapshot(snapshot, "xlsx").content))
        unit = {"fr": "milliers d’USD)", "es": "miles de USD)"}[language]
        headers = [str(c.value) for sheet in workbook.worksheets for row in sheet for c in row]
        assert sum(h.endswith(unit) for h in headers) >= 5, language


def test_an_unwritten_strategy_element_says_so_by_its_name(demo, compile_report):
    empty = OutcomeStrategy.objects.filter(outcome__code="16").select_related("element").first()
    assert empty is not None
    OutcomeStrategy.objects.filter(pk=empty.pk).update(text="")
    OutcomeStrategy.objects.filter(outcome__code="17").delete()
    snapshot = compile_report().snapshot

    text = pdf_text(export_snapshot(snapshot, "pdf").content)
    document = docx.Document(io.BytesIO(export_snapshot(snapshot, "docx").content))
    paragraphs = [p.text for p in document.paragraphs]
    assert f"{empty.element.label}. Not written." in paragraphs
    assert f"{empty.element.label}. Not written." in text
    unwritten = (
        "Strategy. Not written: no element of this outcome's strategy has been written for the "
        "biennium. The completeness check lists it as a gap."
    )
    assert unwritten in paragraphs
    assert "No strategy written yet." not in paragraphs
    assert "strategy:17" in {gap.key for gap in snapshot_gaps(snapshot.content)}


def test_pdf_breaks_no_table_header_word(demo, compile_report):
    """WeasyPrint sets each table's columns to their content: a header wraps between words,
    never inside one (checked on the drawn PDF's lines, in every language)."""
    from django.utils import translation

    from reporting.exports.layout import Table, report_document
    from tests.reporting.test_office import broken_words, lines_of

    for language in ("en", "fr", "es"):
        snapshot = compile_report(language=language).snapshot
        with translation.override(language):
            tables = [b for b in report_document(snapshot).blocks if isinstance(b, Table)]
        words = {
            word
            for table in tables
            for row in table.header
            for cell in row
            for word in cell.text.split()
            if len(word) >= 3 and word.strip("()").isalpha()
        }
        assert len(words) > 10
        lines = lines_of(PdfReader(io.BytesIO(export_snapshot(snapshot, "pdf").content)))
        assert broken_words(lines, words) == [], language

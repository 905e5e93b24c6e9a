"""The report's DOCX and XLSX opened by a real office suite: LibreOffice headless converts the
demo's 2012-13 report (in French) to PDF without error, and the pages it draws keep every
table header word on one line (a real renderer's check of the fitted column widths).

LibreOffice is installed by the project's own set-up (``scripts/services``), which this test
runs when ``soffice`` is missing. Set ``OFFICE_PAGES_DIR`` to keep PNGs of the DOCX's pages 1
and 4 there (the README's screenshots: ``OFFICE_PAGES_DIR=docs/screenshots``).
"""

from __future__ import annotations

import io
import itertools
import os
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from django.utils import translation
from pypdf import PdfReader

from reporting.exports import export_snapshot
from reporting.exports.layout import Table, report_document
from reporting.models import ReportSnapshot

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
CONVERT_TIMEOUT_S = 240


def soffice() -> str:
    """The path of LibreOffice's ``soffice``, installed by ``scripts/services`` if missing."""
    found = shutil.which("soffice")
    if found is None:
        subprocess.run(["bash", str(ROOT / "scripts" / "services")], check=True, timeout=1200)
        found = shutil.which("soffice")
    assert found, "scripts/services did not install LibreOffice (soffice)"
    return found


def convert_to_pdf(files: list[Path], out: Path) -> dict[str, Path]:
    """Each file converted by LibreOffice headless with a profile of its own, by suffix."""
    profile = out / "profile"
    completed = subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        timeout=CONVERT_TIMEOUT_S,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    converted = {}
    for source in files:
        pdf = out / f"{source.stem}.pdf"
        assert pdf.is_file(), (source.name, completed.stdout, completed.stderr)
        converted[source.suffix] = pdf
    return converted


def lines_of(reader: PdfReader) -> list[str]:
    """The PDF's text lines, page by page, with their spaces made single."""
    return [
        " ".join(line.split())
        for page in reader.pages
        for line in page.extract_text().splitlines()
        if line.strip()
    ]


def broken_words(lines: list[str], words: set[str]) -> list[tuple[str, str, str]]:
    """(word, line, next line) where a line ends with the start of ``word`` and the next line
    begins with its rest: the word was broken across two lines."""
    found = []
    for line, following in itertools.pairwise(lines):
        if not line or not following:
            continue
        last, first = line.split()[-1], following.split()[0]
        for word in words:
            for cut in range(1, len(word)):
                head, tail = word[:cut], word[cut:]
                if not (last.endswith(head) and first.startswith(tail)):
                    continue
                before, after = last[: len(last) - cut][-1:], first[len(tail) :][:1]
                if not before.isalpha() and not after.isalpha():
                    found.append((word, line, following))
    return found


def test_broken_words_finds_a_word_split_across_two_lines():
    lines = ["Source de Résul", "tats Taux", "Résultats entiers"]
    assert broken_words(lines, {"Résultats"}) == [("Résultats", "Source de Résul", "tats Taux")]
    assert broken_words(["Résultats", "Taux"], {"Résultats", "Taux"}) == []


def header_words(snapshot: ReportSnapshot) -> set[str]:
    """Every word of the report's table headers (words of three letters or more)."""
    with translation.override(snapshot.language):
        tables = [b for b in report_document(snapshot).blocks if isinstance(b, Table)]
    return {
        word
        for table in tables
        for row in table.header
        for cell in row
        for word in cell.text.split()
        if len(word) >= 3 and word.strip("()").isalpha()
    }


@pytest.fixture
def french_report(demo, compile_report) -> ReportSnapshot:
    return compile_report(language="fr").snapshot


def test_libreoffice_opens_the_french_docx_and_xlsx_and_breaks_no_header_word(
    french_report, tmp_path
):
    # Given the demo's report in French, written as DOCX and XLSX
    files = []
    for fmt in ("docx", "xlsx"):
        path = tmp_path / f"rapport-{fmt}.{fmt}"
        path.write_bytes(export_snapshot(french_report, fmt).content)
        files.append(path)

    # When LibreOffice converts both to PDF
    pdfs = convert_to_pdf(files, tmp_path)

    # Then the document has its cover, its outcomes and its annex over many pages
    document = PdfReader(pdfs[".docx"])
    lines = lines_of(document)
    text = " ".join(lines)
    assert len(document.pages) >= 15
    assert "Rapport sur l'exécution du programme 2012-13" in text
    assert "Résultat 16 – " in text
    assert "Annexe" in text
    # and no header word of any table is broken across two lines
    words = header_words(french_report)
    assert {"Résultats", "Indicateur", "Taux"} <= words
    assert broken_words(lines, words) == []

    # And the workbook prints every sheet, each with its header row
    workbook = openpyxl.load_workbook(io.BytesIO(files[1].read_bytes()))
    sheets = PdfReader(pdfs[".xlsx"])
    assert len(sheets.pages) >= len(workbook.worksheets)
    sheet_text = " ".join(lines_of(sheets))
    for sheet in workbook.worksheets:
        first = next(str(c.value) for c in sheet[1] if c.value not in (None, ""))
        assert first.split()[0] in sheet_text, (sheet.title, first)

    keep = os.environ.get("OFFICE_PAGES_DIR")
    if keep:
        _keep_pages(pdfs[".docx"], Path(keep))


def _keep_pages(pdf: Path, out: Path) -> None:
    """PNGs of pages 1 and 4 of the DOCX as LibreOffice draws them (poppler's pdftoppm)."""
    out.mkdir(parents=True, exist_ok=True)
    for page in (1, 4):
        stem = out / f"report-docx-page-{page}"
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "70",
                "-f",
                str(page),
                "-l",
                str(page),
                "-singlefile",
                str(pdf),
                str(stem),
            ],
            check=True,
            timeout=60,
        )
        assert stem.with_suffix(".png").stat().st_size > 10_000

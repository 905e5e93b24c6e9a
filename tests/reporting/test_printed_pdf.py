"""The report's PDF, drawn by WeasyPrint from the web version's HTML: tagged (a structure
tree, the document's language and title), an outline entry per objective and outcome, a table
of contents with page numbers, running headers and page numbers, the charts, in every
language."""

from __future__ import annotations

import io
import os
import re
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from reporting.exports import export_snapshot

pytestmark = pytest.mark.django_db


def outline_titles(reader: PdfReader) -> list[tuple[int, str]]:
    """(depth, title) of every outline entry, in order."""
    found: list[tuple[int, str]] = []

    def walk(entries, depth):
        for entry in entries:
            if isinstance(entry, list):
                walk(entry, depth + 1)
            else:
                found.append((depth, entry.title))

    walk(reader.outline, 0)
    return found


def struct_elements(reader: PdfReader, kind: str) -> list[dict]:
    """The structure tree's elements of type ``kind`` (``/Figure``, ``/H2`` ...), in order."""
    found: list[dict] = []

    def walk(node):
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif hasattr(node, "keys"):
            if node.get("/S") == kind:
                found.append(node)
            if "/K" in node:
                walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


@pytest.mark.parametrize(
    ("language", "summary", "outcome"),
    [("en", "Executive summary", "Outcome 16 – "), ("fr", "Résumé analytique", "Résultat 16 – ")],
)
def test_the_pdf_is_tagged_with_an_outline_a_toc_and_page_numbers(
    demo, compile_report, language, summary, outcome
):
    snapshot = compile_report(language=language).snapshot
    started = time.perf_counter()
    data = export_snapshot(snapshot, "pdf").content
    keep = os.environ.get("PDF_KEEP")
    if keep:
        Path(keep).write_bytes(data)
    print(f"PDF {language}: {time.perf_counter() - started:.1f} s, {len(data)} bytes")
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]

    # Tagged: a structure tree, marked content, the document's language and title
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == language
    assert reader.metadata.title == snapshot.content["meta"]["title"]

    # An outline entry per strategic objective and per outcome
    outline = outline_titles(reader)
    outcomes = [o for objective in snapshot.content["objectives"] for o in objective["outcomes"]]
    prefix = outcome.split()[0] + " "
    titled = [title for depth, title in outline if depth == 1 and title.startswith(prefix)]
    assert len(titled) == len(outcomes) == 19
    assert any(title == summary for _depth, title in outline)

    pages = [page.extract_text() for page in reader.pages]
    assert len(pages) >= 20
    # A table of contents whose outcome lines end with the page the outcome starts on
    toc = next(text for text in pages[:3] if outcome in text)
    line = next(line for line in toc.splitlines() if line.startswith(outcome))
    number = int(re.search(r"(\d+)\s*$", line).group(1))
    assert line.split("–", 1)[0].strip() in pages[number - 1]
    # the charts are figures with their alternative text
    figures = struct_elements(reader, "/Figure")
    assert len(figures) == 4
    assert all(str(f["/Alt"]).startswith(("Bar chart. ", "Graphique à barres. ")) for f in figures)
    # Running header (the title) and the page number on a page past the cover
    assert snapshot.content["meta"]["title"] in pages[5]
    assert re.search(r"(^|\n)\s*6\s*($|\n)", pages[5]) or pages[5].rstrip().endswith("6")

"""The report as HTML blocks for the web version (``/reports/snapshots/<id>/read/``): the same
format-free layout the DOCX and the PDF render (``reporting.exports.layout``), with an anchor
per heading, the table of contents made of the headings of levels 1 and 2, and the charts as
inline SVG (matplotlib escapes the text it writes into them).
"""

from __future__ import annotations

import base64
import copy
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from rbm.text import printable_tree
from reporting.exports.charts import chart_svg
from reporting.exports.layout import (
    Chart,
    Contents,
    Heading,
    Landscape,
    Paragraph,
    Table,
    report_document,
)
from reporting.models import ReportSnapshot

# matplotlib's one stylesheet (line joins) would need the page's CSP nonce; its drawing
# does not depend on it, so it is left out.
_SVG_STYLE = re.compile(r"<defs>\s*<style[^>]*>.*?</style>\s*</defs>", re.DOTALL)


@dataclass(frozen=True)
class HtmlBlock:
    kind: str  # heading, paragraph, table, chart, contents, landscape
    block: Any
    anchor: str = ""
    svg: SafeString | None = None

    @property
    def svg_uri(self) -> str:
        """The chart as a ``data:`` URI, for an ``<img>`` whose ``alt`` the PDF's tags keep."""
        encoded = base64.b64encode((self.svg or "").encode()).decode()
        return f"data:image/svg+xml;base64,{encoded}"


@dataclass
class HtmlReport:
    title: str
    blocks: list[HtmlBlock] = field(default_factory=list)
    contents: list[HtmlBlock] = field(default_factory=list)  # headings of levels 1 and 2
    landscape: bool = False  # the blocks after a Landscape one are in a landscape section


def html_report(snapshot: ReportSnapshot) -> HtmlReport:
    """The report of ``snapshot`` as blocks a template renders. Call inside
    ``translation.override(snapshot.language)``."""
    readable = copy.copy(snapshot)
    readable.content = printable_tree(snapshot.content)
    layout = report_document(readable)
    report = HtmlReport(title=layout.title)
    for index, block in enumerate(layout.blocks):
        if isinstance(block, Heading):
            html = HtmlBlock("heading", block, anchor=f"s{index}")
            if block.level <= 2:
                report.contents.append(html)
        elif isinstance(block, Paragraph):
            html = HtmlBlock("paragraph", block)
        elif isinstance(block, Table):
            html = HtmlBlock("table", block, anchor=block.key)
        elif isinstance(block, Chart):
            svg = _SVG_STYLE.sub("", chart_svg(block))
            html = HtmlBlock("chart", block, anchor=block.key, svg=mark_safe(svg))  # noqa: S308
        elif isinstance(block, Contents):
            html = HtmlBlock("contents", block)
        elif isinstance(block, Landscape):
            html = HtmlBlock("landscape", block)
            report.landscape = True
        report.blocks.append(html)
    return report

"""The report as PDF (reportlab platypus), with the same structure as the Word document.

A4 pages with the page number in the footer, an outline (bookmarks) of objectives and
outcomes, tables whose header rows repeat when they break across pages, the annex in
landscape. Text is set in Liberation Sans or DejaVu Sans when the machine has them (every
accent and typographic sign), Helvetica otherwise. The same snapshot gives the same bytes.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch, mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    Image,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Paragraph as PdfParagraph
from reportlab.platypus import Table as PdfTable
from reportlab.platypus.flowables import HRFlowable

from reporting.exports.charts import HEIGHT_IN, WIDTH_IN, chart_png
from reporting.exports.layout import (
    Block,
    Cell,
    Chart,
    Heading,
    Landscape,
    Paragraph,
    Table,
    report_document,
)
from reporting.exports.widths import CellFont, fitted_widths
from reporting.models import ReportSnapshot

FONT_DIRS = [Path("/usr/share/fonts/truetype"), Path("/usr/share/fonts")]
# (family, regular, bold, italic, bold italic), in order of preference.
FONT_FILES = [
    (
        "LiberationSans",
        "liberation/LiberationSans-Regular.ttf",
        "liberation/LiberationSans-Bold.ttf",
        "liberation/LiberationSans-Italic.ttf",
        "liberation/LiberationSans-BoldItalic.ttf",
    ),
    (
        "DejaVuSans",
        "dejavu/DejaVuSans.ttf",
        "dejavu/DejaVuSans-Bold.ttf",
        "dejavu/DejaVuSans-Oblique.ttf",
        "dejavu/DejaVuSans-BoldOblique.ttf",
    ),
]
MARGIN = 20 * mm
CELL_PADDING_MM = 2 * 6 / mm + 1  # reportlab's 6 pt a side, and a millimetre to spare
Alignment = Literal[0, 1, 2]  # TA_LEFT, TA_CENTER, TA_RIGHT
KEEP_TOGETHER_ROWS = 20  # a table this short is not split across pages
HEADER_FILL = colors.HexColor("#D9E2F3")
SHADED_FILL = colors.HexColor("#FFE699")
GRID = colors.HexColor("#8C8C8C")
GREY = colors.HexColor("#555555")


@dataclass(frozen=True)
class Fonts:
    regular: str
    bold: str
    italic: str
    bold_italic: str


@functools.cache
def fonts() -> Fonts:
    """Register the first TrueType family found (once per process); Helvetica if none."""
    for family, *files in FONT_FILES:
        paths = [_find_font(name) for name in files]
        if all(path is not None for path in paths):
            names = [family, f"{family}-Bold", f"{family}-Italic", f"{family}-BoldItalic"]
            for name, path in zip(names, paths, strict=True):
                pdfmetrics.registerFont(TTFont(name, str(path)))
            pdfmetrics.registerFontFamily(
                family, normal=names[0], bold=names[1], italic=names[2], boldItalic=names[3]
            )
            return Fonts(*names)
    return Fonts("Helvetica", "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique")


def _find_font(relative: str) -> Path | None:
    for folder in FONT_DIRS:
        path = folder / relative
        if path.is_file():
            return path
    return None


@functools.cache
def styles() -> dict[str, ParagraphStyle]:
    font = fonts()
    base = ParagraphStyle("body", fontName=font.regular, fontSize=9.5, leading=12.5, spaceAfter=5)
    return {
        "body": base,
        "statement": ParagraphStyle("statement", base, fontName=font.italic),
        "note": ParagraphStyle(
            "note", base, fontName=font.italic, fontSize=8.5, leading=11, textColor=GREY
        ),
        "bullet": ParagraphStyle("bullet", base, leftIndent=12, bulletIndent=3),
        "cover": ParagraphStyle(
            "cover",
            base,
            fontName=font.bold,
            fontSize=14,
            leading=18,
            spaceBefore=30 * mm,
            spaceAfter=10,
            alignment=TA_CENTER,
        ),
        "title": ParagraphStyle(
            "title",
            base,
            fontName=font.bold,
            fontSize=20,
            leading=25,
            spaceBefore=8,
            spaceAfter=14,
            alignment=TA_CENTER,
        ),
        "subtitle": ParagraphStyle("subtitle", base, fontSize=12, leading=16, alignment=TA_CENTER),
        "meta": ParagraphStyle(
            "meta",
            base,
            fontSize=8,
            leading=10,
            textColor=GREY,
            spaceBefore=10,
            spaceAfter=10,
            alignment=TA_CENTER,
        ),
        "heading1": ParagraphStyle(
            "heading1",
            base,
            fontName=font.bold,
            fontSize=14,
            leading=18,
            spaceBefore=14,
            spaceAfter=8,
            keepWithNext=1,
        ),
        "heading2": ParagraphStyle(
            "heading2",
            base,
            fontName=font.bold,
            fontSize=12,
            leading=15,
            spaceBefore=12,
            spaceAfter=6,
            keepWithNext=1,
        ),
        "heading3": ParagraphStyle(
            "heading3",
            base,
            fontName=font.bold,
            fontSize=10,
            leading=13,
            spaceBefore=8,
            spaceAfter=4,
            keepWithNext=1,
        ),
        "cell": ParagraphStyle("cell", base, fontSize=8, leading=10, spaceAfter=0),
    }


class ReportTemplate(BaseDocTemplate):
    """Portrait and landscape A4 pages with a footer; headings become PDF bookmarks."""

    def __init__(self, output: io.BytesIO, footer: str, **kwargs: Any) -> None:
        super().__init__(output, pagesize=A4, **kwargs)
        self.footer = footer
        portrait_size = A4
        landscape_size = landscape(A4)
        self.addPageTemplates(
            [
                PageTemplate(
                    "portrait",
                    [_frame(portrait_size)],
                    onPage=self._footer(portrait_size[0]),
                    pagesize=portrait_size,
                ),
                PageTemplate(
                    "landscape",
                    [_frame(landscape_size)],
                    onPage=self._footer(landscape_size[0]),
                    pagesize=landscape_size,
                ),
            ]
        )

    def _footer(self, page_width: float) -> Callable[[Canvas, BaseDocTemplate], None]:
        """What draws the footer of a page ``page_width`` wide: the report, then the page."""

        def draw(canvas: Canvas, _document: BaseDocTemplate) -> None:
            canvas.saveState()
            canvas.setFont(fonts().regular, 7.5)
            canvas.setFillColor(GREY)
            canvas.drawString(MARGIN, 10 * mm, self.footer)
            page = _("Page %(number)s") % {"number": canvas.getPageNumber()}
            canvas.drawRightString(page_width - MARGIN, 10 * mm, page)
            canvas.restoreState()

        return draw

    def afterFlowable(self, flowable: Flowable) -> None:
        """Bookmark every Heading 1 and 2, so a reader can jump to an outcome."""
        if not isinstance(flowable, PdfParagraph):
            return
        level = {"heading1": 0, "heading2": 1}.get(flowable.style.name)
        if level is None:
            return
        key = f"h{id(flowable)}"
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(flowable.getPlainText(), key, level=level, closed=True)


def _frame(size: tuple[float, float]) -> Frame:
    width, height = size
    return Frame(MARGIN, MARGIN, width - 2 * MARGIN, height - 2 * MARGIN, id="body")


def snapshot_pdf(snapshot: ReportSnapshot) -> bytes:
    """The report of ``snapshot`` as PDF bytes. Call inside ``translation.override``."""
    layout = report_document(snapshot)
    out = io.BytesIO()
    template = ReportTemplate(
        out,
        footer=f"{layout.title} · {snapshot.short_hash}",
        title=layout.title,
        author=_("International Labour Office"),
        subject=str(snapshot.content["meta"]["scope_label"]),
        lang=snapshot.language,
        invariant=1,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
    )
    template.build(_flowables(layout.blocks))
    return out.getvalue()


def _flowables(blocks: list[Block]) -> list[Flowable]:
    style = styles()
    flowables: list[Flowable] = []
    width = A4[0] - 2 * MARGIN
    for block in blocks:
        if isinstance(block, Heading):
            flowables.append(PdfParagraph(_markup(block.text), style[f"heading{block.level}"]))
        elif isinstance(block, Paragraph):
            flowables.extend(_paragraph(block))
        elif isinstance(block, Table):
            table = _table(block, width)
            if len(block.header) + len(block.rows) <= KEEP_TOGETHER_ROWS:
                flowables.append(KeepTogether([*_pop_headings(flowables), table]))
            else:
                flowables.append(table)
        elif isinstance(block, Landscape):
            flowables += [NextPageTemplate("landscape"), PageBreak()]
            width = landscape(A4)[0] - 2 * MARGIN
        elif isinstance(block, Chart):
            flowables.append(_chart(block, width))
        # Contents: the PDF's outline (bookmarks) of objectives and outcomes serves as its
        # table of contents in a reader's side panel.
    return flowables


def _chart(block: Chart, width: float) -> Flowable:
    """A chart as a picture, as wide as the text at most (``charts.WIDTH_IN`` by its height)."""
    chart_width = min(width, WIDTH_IN * inch)
    picture = Image(io.BytesIO(chart_png(block)), chart_width, chart_width * HEIGHT_IN / WIDTH_IN)
    return KeepTogether([picture, Spacer(1, 4 * mm)])


def _pop_headings(flowables: list[Flowable]) -> list[Flowable]:
    """The headings at the end of ``flowables``, taken off it (to keep them with a table)."""
    headings: list[Flowable] = []
    while (
        flowables
        and isinstance(flowables[-1], PdfParagraph)
        and flowables[-1].style.name.startswith("heading")
    ):
        headings.insert(0, flowables.pop())
    return headings


def _markup(text: str) -> str:
    """Plain text as reportlab's paragraph markup: escaped, line breaks kept."""
    return escape(text).replace("\n", "<br/>")


def _paragraph(block: Paragraph) -> list[Flowable]:
    style = styles()[block.style]
    text = _markup(block.text)
    if block.label:
        text = f"<b>{escape(block.label)}</b> {text}"
    bullet = "•" if block.style == "bullet" else None
    flowables: list[Flowable] = [PdfParagraph(text, style, bulletText=bullet)]
    if block.style == "meta":
        flowables.append(HRFlowable(width="100%", thickness=0.5, color=GRID, spaceAfter=12))
    return flowables


def _table(block: Table, width: float) -> PdfTable:
    cell_style = styles()["cell"]
    font = CellFont(fonts().regular, fonts().bold, cell_style.fontSize, CELL_PADDING_MM)
    widths = [column * mm for column in fitted_widths(block, width / mm, font)]
    commands: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, len(block.header) - 1), HEADER_FILL),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    data = []
    for row_index, cells in enumerate([*block.header, *block.rows]):
        row: list[Any] = []
        for cell in cells:
            column = len(row)
            row.append(_cell(cell))
            if cell.span > 1:
                end = column + cell.span - 1
                commands.append(("SPAN", (column, row_index), (end, row_index)))
                row.extend([""] * (cell.span - 1))
            if cell.shaded:
                commands.append(
                    ("BACKGROUND", (column, row_index), (column, row_index), SHADED_FILL)
                )
        data.append(row)
    table = PdfTable(
        data,
        colWidths=widths,
        repeatRows=len(block.header),
        hAlign="CENTER",
        spaceBefore=2,
        spaceAfter=10,
    )
    table.setStyle(TableStyle(commands))
    return table


def _cell(cell: Cell) -> PdfParagraph:
    alignment: Alignment = TA_CENTER if cell.span > 1 else TA_RIGHT if cell.numeric else TA_LEFT
    return PdfParagraph(_markup(cell.text), _cell_style(cell.bold, alignment, cell.indent))


@functools.cache
def _cell_style(bold: bool, alignment: Alignment, indent: int) -> ParagraphStyle:
    base = styles()["cell"]
    return ParagraphStyle(
        f"cell-{bold}-{alignment}-{indent}",
        base,
        fontName=fonts().bold if bold else base.fontName,
        alignment=alignment,
        leftIndent=8 * indent,
    )

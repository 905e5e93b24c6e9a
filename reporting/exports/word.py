"""The report as a Word document (python-docx), laid out as a Governing Body document.

A4 pages, the page number in the footer, tables whose header rows repeat on every page, the
annex in a landscape section.
"""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from docx import Document as new_document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Row
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section
from docx.shared import Mm, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from reporting.exports.charts import chart_png
from reporting.exports.layout import (
    Cell,
    Chart,
    Contents,
    Document,
    Heading,
    Landscape,
    Paragraph,
    Table,
    report_document,
)
from reporting.exports.widths import CellFont, fitted_widths
from reporting.models import ReportSnapshot

TABLE_TEXT = "Table text"
KEEP_TOGETHER_ROWS = 20  # a table this short is not split across pages
HEADER_FILL = "D9E2F3"
SHADED_FILL = "FFE699"
BLACK = RGBColor(0, 0, 0)
PORTRAIT_TEXT_WIDTH_MM = 170
LANDSCAPE_TEXT_WIDTH_MM = 257
# Word's table text: Arial (Helvetica's metrics) at 9 pt, Table Grid's cell margins of 108
# twips a side and half a millimetre; words measured 20% wider, for a reader whose Arial is
# replaced by a wider font (DejaVu Sans, where neither Arial nor Liberation Sans is installed).
WORD_CELLS = CellFont("Helvetica", "Helvetica-Bold", 9, 2 * 1.905 + 0.5, spread=1.2)


def snapshot_docx(snapshot: ReportSnapshot) -> bytes:
    """The report of ``snapshot`` as DOCX bytes. Call inside ``translation.override``."""
    layout = report_document(snapshot)
    document = new_document()
    _set_up(document, layout, snapshot)
    width = PORTRAIT_TEXT_WIDTH_MM
    for block in layout.blocks:
        if isinstance(block, Heading):
            heading = document.add_heading(block.text, level=block.level)
            heading.paragraph_format.keep_with_next = True
        elif isinstance(block, Paragraph):
            _paragraph(document, block)
        elif isinstance(block, Table):
            _table(document, block, width)
        elif isinstance(block, Landscape):
            _landscape(document.add_section(WD_SECTION.NEW_PAGE))
            width = LANDSCAPE_TEXT_WIDTH_MM
        elif isinstance(block, Contents):
            _contents(document, block, [b for b in layout.blocks if isinstance(b, Heading)])
        elif isinstance(block, Chart):
            _chart(document, block, width)
    _update_fields_on_open(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _set_up(document: DocxDocument, layout: Document, snapshot: ReportSnapshot) -> None:
    """A4 margins, black headings, the footer, and the file's properties."""
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(20))
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10)
    table_text = document.styles.add_style(TABLE_TEXT, WD_STYLE_TYPE.PARAGRAPH)
    table_text.base_style = normal
    table_text.font.size = Pt(9)
    table_text.paragraph_format.space_after = Pt(0)
    for level in (1, 2, 3):
        heading = document.styles[f"Heading {level}"]
        heading.font.name = "Arial"
        heading.font.color.rgb = BLACK
        _drop_theme_fonts(heading.element)
    _footer(section, layout.title, snapshot.short_hash)
    properties = document.core_properties
    properties.title = layout.title
    properties.subject = str(snapshot.content["meta"]["scope_label"])
    properties.author = _("International Labour Office")
    properties.language = snapshot.language
    properties.identifier = snapshot.content_hash
    properties.created = snapshot.created_at
    properties.modified = snapshot.created_at
    properties.last_modified_by = ""
    properties.revision = 1


def _drop_theme_fonts(style: BaseOxmlElement) -> None:
    """Let a style's own font win over the theme's (the template's headings use the theme)."""
    fonts = style.find(qn("w:rPr") + "/" + qn("w:rFonts"))
    if fonts is None:
        return
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)


def _footer(section: Section, title: str, short_hash: str) -> None:
    """``title · hash`` then ``Page N`` (a PAGE field Word fills in)."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(f"{title} · {short_hash} · {_('Page')} ")
    run.font.size = Pt(8)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    number = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "16")  # half-points: 8 pt, as the rest of the footer
    properties.append(size)
    number.append(properties)
    text = OxmlElement("w:t")
    text.text = "1"
    number.append(text)
    field.append(number)
    paragraph._p.append(field)


def _field_char(paragraph: DocxParagraph, kind: str, instruction: str = "") -> None:
    """A complex field's mark (``begin``, ``separate``, ``end``), or its instruction."""
    run = OxmlElement("w:r")
    if instruction:
        element = OxmlElement("w:instrText")
        element.set(qn("xml:space"), "preserve")
        element.text = instruction
    else:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
    run.append(element)
    paragraph._p.append(run)


def _contents(document: DocxDocument, block: Contents, headings: list[Heading]) -> None:
    """The table of contents as Word's TOC field over Heading 1 and 2 (page numbers and links,
    filled in when Word opens the file); until then its result lists the headings, so a
    reader that does not update fields still sees them. Then the summary starts a new page."""
    title = document.add_paragraph(block.title, style="TOC Heading")
    title.paragraph_format.keep_with_next = True
    entries = [heading for heading in headings if heading.level <= 2] or [
        Heading(_("Open the document in Word or LibreOffice to see its table of contents."), 1)
    ]
    paragraph = document.add_paragraph()
    _field_char(paragraph, "begin")
    _field_char(paragraph, "", r' TOC \o "1-2" \h \z \u ')
    _field_char(paragraph, "separate")
    for index, heading in enumerate(entries):
        if index:
            paragraph = document.add_paragraph()
        paragraph.add_run(heading.text)
        paragraph.paragraph_format.space_after = Pt(2)
        if heading.level == 2:
            paragraph.paragraph_format.left_indent = Mm(6)
    _field_char(paragraph, "end")
    document.add_page_break()  # type: ignore[no-untyped-call]


def _update_fields_on_open(document: DocxDocument) -> None:
    """Ask Word to update the fields (the TOC's page numbers) when it opens the file."""
    settings = document.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)


def _chart(document: DocxDocument, block: Chart, text_width_mm: float) -> None:
    """A chart as a PNG picture with its alternative text (``descr``, ``title``)."""
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    shape = run.add_picture(io.BytesIO(chart_png(block)), width=Mm(min(160, text_width_mm)))
    properties = shape._inline.docPr
    properties.set("descr", block.alt)
    properties.set("title", block.title)
    properties.set("name", block.key)


def _landscape(section: Section) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)


def _paragraph(document: DocxDocument, block: Paragraph) -> None:
    style = "List Bullet" if block.style == "bullet" else None
    paragraph = document.add_paragraph(style=style)
    if block.label:
        paragraph.add_run(f"{block.label} ").bold = True
    run = paragraph.add_run(block.text)
    if block.style in ("statement", "note"):
        run.italic = True
    if block.style == "meta":
        run.font.size = Pt(8)
    if block.style in ("cover", "title", "subtitle", "meta"):
        _cover_line(paragraph, block.style)


def _cover_line(paragraph: DocxParagraph, style: str) -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    sizes = {"cover": Pt(14), "title": Pt(20), "subtitle": Pt(12), "meta": Pt(8)}
    for run in paragraph.runs:
        run.font.size = sizes[style]
        run.bold = style in ("cover", "title")
    paragraph.paragraph_format.space_after = Pt(18 if style == "title" else 6)


def _table(document: DocxDocument, block: Table, text_width_mm: float) -> None:
    columns = len(block.widths)
    table = document.add_table(rows=len(block.header) + len(block.rows), cols=columns)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = [Mm(width) for width in fitted_widths(block, text_width_mm, WORD_CELLS)]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the grid, which LibreOffice follows
    style_id = document.styles[TABLE_TEXT].style_id
    rows = table.rows
    for index, cells in enumerate(block.header):
        _repeat_as_header(rows[index]._tr)
        _fill_row(rows[index].cells, cells, widths, style_id, header=True)
    for index, cells in enumerate(block.rows, start=len(block.header)):
        _fill_row(rows[index].cells, cells, widths, style_id, header=False)
    if len(rows) <= KEEP_TOGETHER_ROWS:
        for row in rows[:-1]:
            for cell in row.cells:
                cell.paragraphs[0].paragraph_format.keep_with_next = True
    document.add_paragraph()


def _fill_row(
    row: list[_Cell], cells: list[Cell], widths: list[Mm], style_id: str, *, header: bool
) -> None:
    column = 0
    for cell in cells:
        target = row[column]
        if cell.span > 1:
            target = target.merge(row[column + cell.span - 1])
        target.width = Mm(sum(width.mm for width in widths[column : column + cell.span]))
        _write_cell(target, cell, style_id)
        if header:
            _shade(target, HEADER_FILL)
        elif cell.shaded:
            _shade(target, SHADED_FILL)
        column += cell.span


def _write_cell(target: _Cell, cell: Cell, style_id: str) -> None:
    paragraph = target.paragraphs[0]
    paragraph._p.style = style_id  # by id: python-docx's lookup by style is slow
    if cell.span > 1:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif cell.numeric:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if cell.indent:
        paragraph.paragraph_format.left_indent = Mm(4 * cell.indent)
    run = paragraph.add_run(cell.text)
    if cell.bold:
        run.bold = True


def _shade(cell: _Cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _repeat_as_header(row: CT_Row) -> None:
    """Mark a table row as a header row: Word repeats it at the top of every page."""
    properties = row.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    properties.append(flag)

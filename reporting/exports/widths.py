"""Column widths that never break a word: a table's relative widths scaled to the text width,
then every column widened to its header's longest word and its widest figure, the room taken
from the columns that have some to spare. Word and the PDF writer break a word that does not
fit its cell ("Outcome s", "Deman d"); text columns still wrap, between words."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.pdfbase.pdfmetrics import stringWidth

from reporting.exports.layout import Cell, Table

MM_PER_PT = 25.4 / 72
INDENT_MM = 4  # a level of indent in a cell (a region under its indicator)


@dataclass(frozen=True)
class CellFont:
    """How a writer prints table cells: its fonts (names reportlab measures), their size in
    points, the room a cell's margins take in mm (both sides), and how much wider than
    measured a word may print (another font in place of the one named)."""

    regular: str
    bold: str
    size: float
    margins_mm: float
    spread: float = 1.0


def needed_width_mm(cell: Cell, font: CellFont) -> float:
    """The narrowest a cell can be with none of its words broken: its longest word (a header's
    words, or a whole figure, which has no spaces) plus the cell's margins and indent."""
    name = font.bold if cell.bold else font.regular
    longest = max((stringWidth(word, name, font.size) for word in cell.text.split()), default=0)
    return longest * font.spread * MM_PER_PT + font.margins_mm + INDENT_MM * cell.indent


def fitted_widths(block: Table, text_width_mm: float, font: CellFont) -> list[float]:
    """The columns' widths in mm, adding up to ``text_width_mm`` unless even the narrowest
    fitting columns need more."""
    widths = [width * text_width_mm / sum(block.widths) for width in block.widths]
    needed = [0.0] * len(widths)
    rows = [(cells, True) for cells in block.header] + [(cells, False) for cells in block.rows]
    for cells, header in rows:
        column = 0
        for cell in cells:
            if cell.span == 1 and (header or cell.numeric):
                needed[column] = max(needed[column], needed_width_mm(cell, font))
            elif cell.span > 1:  # a header over several columns: its words fit over them all
                share = needed_width_mm(cell, font) / cell.span
                for index in range(column, column + cell.span):
                    needed[index] = max(needed[index], share)
            column += cell.span
    missing = sum(max(need - width, 0.0) for need, width in zip(needed, widths, strict=True))
    spare = [max(width - need, 0.0) for need, width in zip(needed, widths, strict=True)]
    if missing == 0 or sum(spare) == 0:
        return widths
    taken = min(missing, sum(spare)) / sum(spare)
    return [
        max(width, need) if need > width else width - room * taken
        for width, need, room in zip(widths, needed, spare, strict=True)
    ]

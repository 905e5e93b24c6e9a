"""The blocks a report is made of, independent of the file format: headings, paragraphs,
tables and a switch to landscape, which the DOCX and PDF writers render the same way."""

from __future__ import annotations

from dataclasses import dataclass, field

INDENT = "    "


@dataclass(frozen=True)
class Cell:
    text: str
    span: int = 1  # columns this cell covers (header cells)
    bold: bool = False
    numeric: bool = False  # a figure: aligned right
    shaded: bool = False  # a figure to notice: a target above demand
    indent: int = 0  # levels (a region under its indicator)


@dataclass(frozen=True)
class Table:
    header: list[list[Cell]]  # one or more rows, repeated on every page
    rows: list[list[Cell]]
    widths: list[float]  # relative column widths
    key: str = ""  # what the table shows, e.g. "indicators-16" (for tests and readers' tools)


@dataclass(frozen=True)
class Heading:
    text: str
    level: int


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: str = "body"  # body, statement, bullet, note, cover, title, subtitle, meta
    label: str = ""  # a bold lead-in, e.g. "Lessons learned:"


@dataclass(frozen=True)
class Landscape:
    """What follows starts on a new page in landscape."""


@dataclass(frozen=True)
class Contents:
    """The table of contents: headings of levels 1 and 2, with their page numbers."""

    title: str


@dataclass(frozen=True)
class Series:
    label: str
    values: list[float]


@dataclass(frozen=True)
class Chart:
    """A bar chart drawn from the snapshot's content (``reporting.exports.charts``): a group of
    bars per category, a bar per series. ``alt`` describes it in words for readers who do not
    see it (the DOCX's alternative text, the HTML's ``aria-label``)."""

    key: str  # e.g. "chart-objectives"
    title: str
    alt: str
    categories: list[str]
    series: list[Series]
    unit: str  # the values' axis label, e.g. "Member States" or "USD millions"
    percent: bool = False  # values are rates (0.42 is 42%)


Block = Heading | Paragraph | Table | Landscape | Contents | Chart


@dataclass
class Document:
    title: str
    blocks: list[Block] = field(default_factory=list)

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)

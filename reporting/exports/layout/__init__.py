"""The report as a Governing Body document, independent of the file format: a list of
headings, paragraphs and tables that the DOCX and PDF writers render the same way.

A cover block, the table of contents, the executive summary (``summary``: key figures and
charts), a Heading 1 per strategic objective and a Heading 2 per outcome (its indicators with
targets and results by region, its results with country examples, its resources by funding
source, its strategy, its mid-term review, its demand and targets by region), then an annex in
landscape: demand and targets of every outcome by region, in the layout of Table 1.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from reporting.exports import common
from reporting.exports.common import JSON
from reporting.exports.layout.blocks import (
    INDENT,
    Block,
    Cell,
    Chart,
    Contents,
    Document,
    Heading,
    Landscape,
    Paragraph,
    Series,
    Table,
)
from reporting.exports.layout.outcome import outcome_blocks, reallocation_kind, reallocation_line
from reporting.exports.layout.summary import executive_summary
from reporting.models import ReportSnapshot

__all__ = [
    "INDENT",
    "Block",
    "Cell",
    "Chart",
    "Contents",
    "Document",
    "Heading",
    "Landscape",
    "Paragraph",
    "Series",
    "Table",
    "demand_target_annex",
    "reallocation_kind",
    "reallocation_line",
    "report_document",
]


def report_document(snapshot: ReportSnapshot) -> Document:
    """The whole report of a snapshot. Call inside ``translation.override``."""
    content = snapshot.content
    document = Document(title=str(content["meta"]["title"]))
    document.add(*_cover(snapshot))
    document.add(Contents(_("Contents")))
    document.add(*executive_summary(content))
    for objective in content["objectives"]:
        document.add(Heading(common.objective_heading(objective), 1))
        for outcome in objective["outcomes"]:
            document.add(*outcome_blocks(content, outcome))
    document.add(Landscape(), *_annex(content))
    return document


def _cover(snapshot: ReportSnapshot) -> list[Block]:
    meta = snapshot.content["meta"]
    return [
        Paragraph(_("GOVERNING BODY"), "cover"),
        Paragraph(_("Biennium %(biennium)s") % {"biennium": meta["biennium"]}, "subtitle"),
        Paragraph(str(meta["title"]), "title"),
        Paragraph(common.scope_label(snapshot), "subtitle"),
        Paragraph(
            _("Compiled on %(date)s from validated data · snapshot %(hash)s · %(status)s")
            % {
                "date": common.compiled_text(snapshot),
                "hash": snapshot.short_hash,
                "status": common.status_label(snapshot),
            },
            "meta",
        ),
    ]


# Annex ---------------------------------------------------------------------------------------


def _annex(content: JSON) -> list[Block]:
    return [
        Heading(
            _(
                "Annex. Distribution of prioritized demand and proposed targets by region and by "
                "outcome"
            ),
            1,
        ),
        Paragraph(
            _(
                "Demand: the country programme outcomes that constituents prioritized. Target: "
                "those the Office proposes to target. Shaded: the proposed target exceeds the "
                "prioritized demand."
            ),
            "note",
        ),
        demand_target_annex(content),
    ]


def demand_target_annex(content: JSON) -> Table:
    """Table 1: a row per outcome, demand and target in total and per region, a totals row."""
    regions = common.regions(content)
    groups = [(_("Totals"), "total")] + [(region.name, region.code) for region in regions]
    header = [
        [Cell("", bold=True)]
        + [Cell(name, span=2, bold=True, numeric=True) for name, _code in groups],
        [Cell(_("Programme and budget outcome"), bold=True)]
        + [
            Cell(title, bold=True, numeric=True)
            for _group in groups
            for title in (_("Demand"), _("Target"))
        ],
    ]
    rows = []
    for _objective, outcome in common.outcomes(content):
        label = f"{outcome['code']}. {outcome['title']}"
        rows.append([Cell(label), *_demand_cells(outcome["demand_target"], groups, bold=False)])
    rows.append(
        [
            Cell(_("Totals"), bold=True),
            *_demand_cells(content["totals"]["demand_target"], groups, bold=True),
        ]
    )
    return Table(header, rows, [3.6] + [1.2] * (2 * len(groups)), key="annex-demand-target")


def _demand_cells(figures: JSON, groups: list[tuple[str, str]], *, bold: bool) -> list[Cell]:
    cells = []
    for _name, code in groups:
        cell = figures[code]
        cells.append(Cell(common.count_text(cell["demand"]), bold=bold, numeric=True))
        cells.append(
            Cell(
                common.count_text(cell["target"]),
                bold=bold,
                numeric=True,
                shaded=cell["target"] > cell["demand"],
            )
        )
    return cells

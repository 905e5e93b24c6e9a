"""The report's charts drawn with matplotlib from a ``Chart`` block (itself made from the
snapshot's content only): SVG for the web version and the PDF, PNG for the DOCX.

The same chart gives the same bytes: no date in the files' metadata, SVG ids from a fixed
salt. Figures are made with ``Figure`` directly (no pyplot state), so threads may draw at
once.
"""

from __future__ import annotations

import io
from typing import Any

import matplotlib
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from reporting.exports.layout.blocks import Chart

WIDTH_IN = 6.6
HEIGHT_IN = 3.0
PNG_DPI = 150
# Greys and blues that stay apart in black-and-white printing.
COLOURS = ["#1f4e79", "#9dc3e6", "#7f7f7f", "#f4b183"]
RC: dict[Any, Any] = {
    "font.family": "sans-serif",
    "font.sans-serif": ["Liberation Sans", "Arial", "DejaVu Sans"],
}


def _figure(chart: Chart) -> Figure:
    figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), layout="constrained")
    axes = figure.add_subplot()
    count = max(len(chart.series), 1)
    width = 0.8 / count
    positions = list(range(len(chart.categories)))
    for index, series in enumerate(chart.series):
        offsets = [p - 0.4 + width * (index + 0.5) for p in positions]
        axes.bar(
            offsets,
            series.values,
            width,
            label=series.label,
            color=COLOURS[index % len(COLOURS)],
            edgecolor="#333333",
            linewidth=0.4,
        )
    axes.set_xticks(positions, [_wrapped(c) for c in chart.categories], fontsize=7)
    axes.set_ylabel(chart.unit, fontsize=8)
    axes.tick_params(axis="y", labelsize=7)
    axes.yaxis.set_major_locator(MaxNLocator(nbins=6, integer=not chart.percent))
    if chart.percent:
        axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _pos: f"{value * 100:.0f}%"))
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="y", linewidth=0.3, color="#bfbfbf")
    axes.set_axisbelow(True)
    if len(chart.series) > 1:
        axes.legend(fontsize=7, frameon=False, loc="upper right")
    axes.set_title(chart.title, fontsize=9, loc="left")
    return figure


def _wrapped(label: str, width: int = 16) -> str:
    """A category's label on lines of about ``width`` characters, never inside a word."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return "\n".join(lines)


def chart_svg(chart: Chart) -> str:
    """The chart as an SVG document (text, without its XML declaration)."""
    out = io.StringIO()
    with matplotlib.rc_context({**RC, "svg.hashsalt": chart.key, "svg.fonttype": "none"}):
        _figure(chart).savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    svg = out.getvalue()
    return svg[svg.index("<svg") :]


def chart_png(chart: Chart) -> bytes:
    """The chart as a PNG image (for the DOCX)."""
    out = io.BytesIO()
    with matplotlib.rc_context(RC):
        _figure(chart).savefig(out, format="png", dpi=PNG_DPI, metadata={"Software": None})
    return out.getvalue()

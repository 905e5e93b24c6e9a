"""Bar charts drawn on the server as SVG: no script, no library to serve, readable without
colour. Each bar carries its number as text and each series its own pattern (solid,
hatched, dotted), named in a legend; the same numbers are in the table under the chart."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# (fill, pattern id or None): series are told apart by pattern, and colour only helps.
_SERIES = (
    ("#1f3c88", None),
    ("#8a5a00", "hatch"),
    ("#1d7a46", "dots"),
    ("#5b6675", "cross"),
)
_PATTERNS = {
    "hatch": '<pattern id="{id}" width="6" height="6" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
    '<line x1="0" y1="0" x2="0" y2="6" stroke="{fill}" stroke-width="3"/></pattern>',
    "dots": '<pattern id="{id}" width="5" height="5" patternUnits="userSpaceOnUse">'
    '<rect width="5" height="5" fill="#fff"/><circle cx="2.5" cy="2.5" r="1.6" fill="{fill}"/>'
    "</pattern>",
    "cross": '<pattern id="{id}" width="6" height="6" patternUnits="userSpaceOnUse">'
    '<rect width="6" height="6" fill="#fff"/><path d="M0 0L6 6M6 0L0 6" stroke="{fill}" '
    'stroke-width="1.2"/></pattern>',
}
LABEL_WIDTH = 210
BAR = 14
GAP = 10
WIDTH = 720


def _fill(index: int, chart_id: str) -> tuple[str, str]:
    colour, pattern = _SERIES[index % len(_SERIES)]
    if pattern is None:
        return colour, ""
    pattern_id = f"{chart_id}-{pattern}"
    return f"url(#{pattern_id})", _PATTERNS[pattern].format(id=pattern_id, fill=colour)


def _number(value: int | Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f}"


def bar_chart(
    chart_id: str,
    title: str,
    series: Sequence[str],
    rows: Sequence[tuple[str, Sequence[int | Decimal | None]]],
) -> SafeString:
    """Horizontal grouped bars: one group per row (its label on the left), one bar per
    series, each bar's number written after it. ``title`` is the chart's accessible name."""
    values = [v for _label, row in rows for v in row if v is not None]
    top = max([float(v) for v in values] + [1.0])
    span = WIDTH - LABEL_WIDTH - 70
    group = len(series) * BAR + GAP
    legend_height = 24
    height = legend_height + max(len(rows), 1) * group + GAP
    defs = []
    fills = []
    for index in range(len(series)):
        fill, pattern = _fill(index, chart_id)
        fills.append(fill)
        if pattern:
            defs.append(pattern)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title"><title id="{chart_id}-title">{escape(title)}</title>',
        f"<defs>{''.join(defs)}</defs>",
    ]
    x = 0
    for index, name in enumerate(series):
        parts.append(
            f'<rect x="{x}" y="4" width="16" height="12" fill="{fills[index]}" stroke="#1b2430" '
            f'stroke-width="0.6"/><text x="{x + 20}" y="14">{escape(name)}</text>'
        )
        x += 30 + 7 * len(name)
    y = legend_height
    for label, row in rows:
        short = label if len(label) <= 34 else label[:33] + "…"
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + len(series) * BAR / 2 + 4}" '
            f'text-anchor="end">{escape(short)}</text>'
        )
        for index, value in enumerate(row):
            width = 0.0 if value is None else span * float(value) / top
            top_y = y + index * BAR
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{top_y + 1}" width="{width:.1f}" height="{BAR - 2}" '
                f'fill="{fills[index]}" stroke="#1b2430" stroke-width="0.6"/>'
                f'<text x="{LABEL_WIDTH + width + 4:.1f}" y="{top_y + BAR - 3}">'
                f"{escape(series[index])}: {_number(value)}</text>"
            )
        y += group
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped

"""The world map: Natural Earth's country shapes from the vendored npm package `world-atlas`
(TopoJSON, ``reporting/data/world-atlas``), decoded here and drawn as SVG on the server, one
link per member State, so that the map needs nothing from the internet and no script.

The shapes are decoded once per process (TopoJSON: delta-encoded, quantized arcs shared
between neighbours) and projected equirectangularly; each country is a path in a link to its
page, with its name and figure as the link's title. The figure's class (five steps, or a
phase) colours it, and a pattern tells the steps apart without colour.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from rbm.reference import un_table

ATLAS = Path(__file__).resolve().parent.parent / "data" / "world-atlas" / "countries-110m.json"
WIDTH, HEIGHT = 960, 470
# Latitudes shown: Antarctica is left out.
NORTH, SOUTH = 84.0, -58.0
ANTARCTICA = "010"


@functools.cache
def country_paths() -> dict[str, str]:
    """SVG path data by ISO 3166 numeric code ("004"), read once per process."""
    topology = json.loads(ATLAS.read_text(encoding="utf-8"))
    scale_x, scale_y = topology["transform"]["scale"]
    shift_x, shift_y = topology["transform"]["translate"]
    arcs: list[list[tuple[float, float]]] = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append(_project(x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)

    def ring(indexes: Sequence[int]) -> str:
        points: list[tuple[float, float]] = []
        for index in indexes:
            arc = arcs[index] if index >= 0 else arcs[~index][::-1]
            points.extend(arc[1:] if points else arc)
        # A ring that crosses the 180th meridian is drawn in pieces, not across the map.
        parts = []
        previous: tuple[float, float] | None = None
        for x, y in points:
            jump = previous is None or abs(x - previous[0]) > WIDTH / 2
            parts.append(f"{'M' if jump else 'L'}{x:.1f},{y:.1f}")
            previous = (x, y)
        return "".join(parts) + "Z"

    paths: dict[str, str] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = geometry.get("id")
        if not code or code == ANTARCTICA or geometry["type"] not in ("Polygon", "MultiPolygon"):
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        data = "".join(ring(r) for polygon in polygons for r in polygon)
        paths[code] = paths.get(code, "") + data
    return paths


def _project(lon: float, lat: float) -> tuple[float, float]:
    lat = max(min(lat, NORTH), SOUTH)
    return (lon + 180) / 360 * WIDTH, (NORTH - lat) / (NORTH - SOUTH) * HEIGHT


@functools.cache
def numeric_code(alpha3: str) -> str | None:
    """ISO 3166 numeric code ("360") of an alpha-3 code ("IDN"), as world-atlas names shapes."""
    row = un_table()["states"].get(alpha3)
    return str(row["m49"]).zfill(3) if row is not None else None


# Steps of a figure: fill and the pattern drawn over it (none, dots, hatch, cross, solid dark).
STEPS = (
    ("#e8eefb", ""),
    ("#b9cbef", "dots"),
    ("#7f9fe0", "hatch"),
    ("#3f66c4", "cross"),
    ("#16306f", ""),
)
PATTERNS = (
    '<pattern id="map-dots" width="6" height="6" patternUnits="userSpaceOnUse">'
    '<circle cx="3" cy="3" r="1.1" fill="#1b2430"/></pattern>'
    '<pattern id="map-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" stroke="#1b2430" '
    'stroke-width="1"/></pattern>'
    '<pattern id="map-cross" width="6" height="6" patternUnits="userSpaceOnUse">'
    '<path d="M0 0L6 6M6 0L0 6" stroke="#fff" stroke-width="1"/></pattern>'
)


def world_map(
    title: str, countries: Sequence[dict[str, Any]], *, no_data: str = "#d9dee6"
) -> SafeString:
    """The SVG map. Each item of ``countries``: ``alpha3``, ``name``, ``url``, ``step`` (an
    index of ``STEPS``, or None: no figure) and ``text`` (the figure, said in words)."""
    paths = country_paths()
    drawn = []
    shown: set[str] = set()
    for item in countries:
        code = numeric_code(item["alpha3"])
        if code is None or code not in paths:
            continue
        shown.add(code)
        step = item["step"]
        fill, pattern = STEPS[step] if step is not None else (no_data, "")
        label = f"{item['name']}: {item['text']}"
        data = paths[code]
        shape = (
            f'<path class="country" data-country="{escape(item["alpha3"])}" d="{data}" '
            f'fill="{fill}"/>'
        )
        if pattern:
            shape += f'<path d="{data}" fill="url(#map-{pattern})" pointer-events="none"/>'
        drawn.append(
            f'<a href="{escape(item["url"])}" aria-label="{escape(label)}">'
            f"<title>{escape(label)}</title>{shape}</a>"
        )
    rest = "".join(
        f'<path class="country other" d="{data}" fill="#dfe4ea"/>'
        for code, data in paths.items()
        if code not in shown
    )
    return mark_safe(  # noqa: S308 - every text above is escaped
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="group" '
        f'aria-label="{escape(title)}"><defs>{PATTERNS}</defs><g>{rest}</g>'
        f"<g>{''.join(drawn)}</g></svg>"
    )


def step_of(value: float, top: float) -> int | None:
    """The step (0-4) of ``value`` on a scale up to ``top``; None for nothing."""
    if not value:
        return None
    if top <= 0:
        return 0
    return min(int(5 * value / top - 1e-9), 4) if value < top else 4

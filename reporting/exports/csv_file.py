"""The report's figures as CSV: one row per indicator and region, and one with region
``Total`` per indicator, for whoever wants to load them elsewhere.

``biennium,objective,outcome,indicator,region,target,results,rate``: the rate is a decimal
fraction (``0.4286``), empty when there is no target; regions are named as in the snapshot.
UTF-8 with a BOM, so that Excel reads the accents.
"""

from __future__ import annotations

import csv
import io

from rbm.text import csv_cell
from reporting.exports import common
from reporting.models import ReportSnapshot

HEADER = ["biennium", "objective", "outcome", "indicator", "region", "target", "results", "rate"]
TOTAL = "Total"


def snapshot_csv(snapshot: ReportSnapshot) -> bytes:
    """The figures of ``snapshot`` as CSV bytes; the same snapshot gives the same bytes."""
    content = snapshot.content
    biennium = content["meta"]["biennium"]
    regions = common.regions(content)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    rows = []
    for objective, outcome, indicator in common.indicators(content):
        lead = [biennium, objective["number"], outcome["code"], indicator["code"]]
        for region in regions:
            rows.append(
                [
                    *lead,
                    region.name,
                    _number(indicator["target_by_region"][region.code]),
                    indicator["results_by_region"][region.code],
                    indicator["rate_by_region"][region.code] or "",
                ]
            )
        rows.append(
            [
                *lead,
                TOTAL,
                _number(indicator["target"]),
                indicator["results"],
                indicator["rate"] or "",
            ]
        )
    # Text is never a formula in a spreadsheet (rbm.text.csv_cell).
    writer.writerows([csv_cell(value) for value in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")


def _number(value: int | None) -> str:
    return "" if value is None else str(value)

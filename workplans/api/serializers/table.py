"""Serializers of the demand-and-target table."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
from rest_framework import serializers

from rbm.api.fields import BienniumField, region_field
from rbm.api.serializers import RegionSerializer
from rbm.models import Region
from workplans.selectors import Cell, DemandTargetTable


class TableFigureSerializer(serializers.Serializer[Any]):
    demand = serializers.IntegerField(help_text=gettext_lazy("CPOs prioritized by constituents."))
    target = serializers.IntegerField(help_text=gettext_lazy("CPOs the Office targets."))
    flagged = serializers.BooleanField(help_text=gettext_lazy("The target exceeds the demand."))


class TableCellSerializer(TableFigureSerializer):
    region = serializers.CharField(help_text=gettext_lazy("Region code."))


class TableRowSerializer(serializers.Serializer[Any]):
    outcome = serializers.IntegerField()
    outcome_code = serializers.CharField()
    outcome_title = serializers.CharField()
    workplan = serializers.IntegerField(
        allow_null=True, help_text=gettext_lazy("The outcome's workplan for the biennium.")
    )
    cells = TableCellSerializer(many=True)
    total = TableFigureSerializer()


class DemandTargetTableSerializer(serializers.Serializer[Any]):
    biennium = serializers.CharField()
    region = serializers.CharField(
        allow_null=True, help_text=gettext_lazy("The region asked for, or null for all.")
    )
    regions = RegionSerializer(many=True)
    rows = TableRowSerializer(many=True)
    region_totals = TableCellSerializer(many=True)
    grand_total = TableFigureSerializer()


class TableQuerySerializer(serializers.Serializer[Any]):
    biennium = BienniumField()
    region = region_field(required=False, allow_null=True, default=None)


def _figure(cell: Cell) -> dict[str, Any]:
    return {"demand": cell.demand, "target": cell.target, "flagged": cell.flagged}


def table_data(
    table: DemandTargetTable, *, region: Region | None, workplans: dict[int, int]
) -> dict[str, Any]:
    """The table as the API gives it (``workplans``: outcome id -> workplan id)."""
    return {
        "biennium": table.biennium.code,
        "region": region.code if region else None,
        "regions": RegionSerializer(table.regions, many=True).data,
        "rows": [
            {
                "outcome": outcome.pk,
                "outcome_code": outcome.code,
                "outcome_title": outcome.title,
                "workplan": workplans.get(outcome.pk),
                "cells": [{"region": r.code, **_figure(cell)} for r, cell in cells],
                "total": _figure(total),
            }
            for outcome, cells, total in table.rows()
        ],
        "region_totals": [
            {"region": r.code, **_figure(table.region_totals.get(r.pk, Cell()))}
            for r in table.regions
        ],
        "grand_total": _figure(table.grand_total),
    }

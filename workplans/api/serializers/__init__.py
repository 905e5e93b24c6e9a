"""Serializers of outcome-based workplans, mid-term reviews, the demand-and-target table and
published tables.

Output serializers describe what a client reads (with ``version`` on the records it may
edit); input serializers validate what it sends before a ``workplans.services`` service
writes it. Reference data is written and read by code ("RB", "africa", "2012-13").

The package: ``common`` (limits and fields they share), ``workplan`` (workplans, their
resources, strategy and thread), ``midterm``, ``table`` (the demand-and-target table) and
``published`` (published tables and their comparison).
"""

from __future__ import annotations

from workplans.api.serializers.common import (
    AMOUNTS,
    GLOBAL,
    LONG_TEXT,
    MAX_CSV_BYTES,
    MAX_RESOURCE_LINES,
    MONEY,
    TEXT,
    region_or_global,
    username_field,
)
from workplans.api.serializers.midterm import (
    CorrectiveActionSerializer,
    MidTermReviewCreateSerializer,
    MidTermReviewFieldsSerializer,
    MidTermReviewSerializer,
    MidTermReviewUpdateSerializer,
    ReallocationSerializer,
)
from workplans.api.serializers.published import (
    ComparisonSerializer,
    DifferenceSerializer,
    PublishedFigureSerializer,
    PublishedTableDetailSerializer,
    PublishedTableInputSerializer,
    PublishedTableSerializer,
    difference_data,
)
from workplans.api.serializers.table import (
    DemandTargetTableSerializer,
    TableCellSerializer,
    TableFigureSerializer,
    TableQuerySerializer,
    TableRowSerializer,
    table_data,
)
from workplans.api.serializers.workplan import (
    CommentSerializer,
    ResourceLineSerializer,
    StrategyTextSerializer,
    WorkplanEventSerializer,
    WorkplanOpenResultSerializer,
    WorkplanOpenSerializer,
    WorkplanResourceSerializer,
    WorkplanResourcesSerializer,
    WorkplanSerializer,
)

__all__ = [
    "AMOUNTS",
    "GLOBAL",
    "LONG_TEXT",
    "MAX_CSV_BYTES",
    "MAX_RESOURCE_LINES",
    "MONEY",
    "TEXT",
    "CommentSerializer",
    "ComparisonSerializer",
    "CorrectiveActionSerializer",
    "DemandTargetTableSerializer",
    "DifferenceSerializer",
    "MidTermReviewCreateSerializer",
    "MidTermReviewFieldsSerializer",
    "MidTermReviewSerializer",
    "MidTermReviewUpdateSerializer",
    "PublishedFigureSerializer",
    "PublishedTableDetailSerializer",
    "PublishedTableInputSerializer",
    "PublishedTableSerializer",
    "ReallocationSerializer",
    "ResourceLineSerializer",
    "StrategyTextSerializer",
    "TableCellSerializer",
    "TableFigureSerializer",
    "TableQuerySerializer",
    "TableRowSerializer",
    "WorkplanEventSerializer",
    "WorkplanOpenResultSerializer",
    "WorkplanOpenSerializer",
    "WorkplanResourceSerializer",
    "WorkplanResourcesSerializer",
    "WorkplanSerializer",
    "difference_data",
    "region_or_global",
    "table_data",
    "username_field",
]

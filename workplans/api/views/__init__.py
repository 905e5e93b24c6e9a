"""API of outcome-based workplans, mid-term reviews, the demand-and-target table and published
tables.

Every signed-in user reads workplans (``workplan.view``) and the table (``workplan.table``);
visitors are asked to authenticate (401). Writes and workflow steps call
``workplans.services``, which check the permission table on the workplan (the coordinators of
its outcome, programme officers, administrators: 403 for others) and the ``version`` the
client read (409 when it is stale).

The package: ``workplan`` (workplans, their review, strategy, resources and thread),
``midterm``, ``table`` (the demand-and-target table, JSON or CSV) and ``published``.
"""

from __future__ import annotations

from workplans.api.views.midterm import (
    MIDTERM_TAG,
    MidTermReviewViewSet,
)
from workplans.api.views.published import (
    PublishedTableViewSet,
)
from workplans.api.views.table import (
    CsvRenderer,
    DemandTargetTableView,
    JsonErrorsSchema,
)
from workplans.api.views.workplan import (
    ELEMENT_PATTERN,
    TAG,
    WorkplanViewSet,
)

__all__ = [
    "ELEMENT_PATTERN",
    "MIDTERM_TAG",
    "TAG",
    "CsvRenderer",
    "DemandTargetTableView",
    "JsonErrorsSchema",
    "MidTermReviewViewSet",
    "PublishedTableViewSet",
    "WorkplanViewSet",
]

"""API of country programmes, priorities, CPOs, reporting periods and progress reports.

Reads are filtered by what the user may read (``dwcp.selectors.visible_*``): a record outside
that is a 404, whatever id is sent. Writes and workflow steps call ``dwcp.services``, which
check the permission table on the record (403 for a record the user may read but not change)
and the ``version`` the client read (409 when it is stale).

The package: ``common`` (the base viewset), ``programmes`` (programmes and priorities),
``cpos``, ``progress`` (reporting periods and progress reports) and ``imports``.
"""

from __future__ import annotations

from dwcp.api.views.common import (
    READ,
    DwcpApiViewSet,
)
from dwcp.api.views.cpos import (
    CPO_TAG,
    CpoViewSet,
)
from dwcp.api.views.imports import (
    IMPORT_TAG,
    CpoImportViewSet,
)
from dwcp.api.views.programmes import (
    DWCP_TAG,
    DwcpViewSet,
    PriorityViewSet,
)
from dwcp.api.views.progress import (
    PROGRESS_TAG,
    ProgressReportViewSet,
    ReportingPeriodViewSet,
)

__all__ = [
    "CPO_TAG",
    "DWCP_TAG",
    "IMPORT_TAG",
    "PROGRESS_TAG",
    "READ",
    "CpoImportViewSet",
    "CpoViewSet",
    "DwcpApiViewSet",
    "DwcpViewSet",
    "PriorityViewSet",
    "ProgressReportViewSet",
    "ReportingPeriodViewSet",
]

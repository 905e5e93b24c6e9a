"""Serializers of country programmes, priorities, CPOs, reporting periods and progress reports.

Output serializers describe what a client reads (with ``version`` on every record it may
edit); input serializers validate what it sends before a ``dwcp.services`` service writes it.
Related records sent by id are looked up among those the user may read, so an id the user
may not read is "does not exist", like any unknown id.

The package: ``common`` (the version field and the step serializers every app's API uses),
``programmes`` (programmes and priorities), ``cpos``, ``progress`` (reporting periods and
progress reports) and ``imports`` (CPO spreadsheet imports).
"""

from __future__ import annotations

from dwcp.api.serializers.common import (
    COUNT,
    MONEY,
    VERSION_HELP,
    YEAR,
    ReturnSerializer,
    VersionSerializer,
    version_field,
)
from dwcp.api.serializers.cpos import (
    CPO_OWN_FIELDS,
    CPO_ROW,
    CpoBulkItemSerializer,
    CpoBulkResultSerializer,
    CpoCreateSerializer,
    CpoFieldsSerializer,
    CpoResourceInputSerializer,
    CpoResourceSerializer,
    CpoSerializer,
    CpoUpdateSerializer,
    MilestoneInputSerializer,
    Milestones,
    MilestoneSerializer,
    Resources,
    cpo_page_representation,
    cpo_representation,
    cpo_rows,
    read_cpo_rows,
)
from dwcp.api.serializers.imports import (
    CpoImportSerializer,
    CpoImportUploadSerializer,
)
from dwcp.api.serializers.programmes import (
    DwcpCreateSerializer,
    DwcpFieldsSerializer,
    DwcpSerializer,
    DwcpUpdateSerializer,
    MovePhaseSerializer,
    PartyInputSerializer,
    PartySerializer,
    PriorityCreateSerializer,
    PrioritySerializer,
    PriorityUpdateSerializer,
    SignedDocumentSerializer,
)
from dwcp.api.serializers.progress import (
    ProgressReportCreateSerializer,
    ProgressReportFieldsSerializer,
    ProgressReportSerializer,
    ProgressReportUpdateSerializer,
    ReportingPeriodSerializer,
)

__all__ = [
    "COUNT",
    "CPO_OWN_FIELDS",
    "CPO_ROW",
    "MONEY",
    "VERSION_HELP",
    "YEAR",
    "CpoBulkItemSerializer",
    "CpoBulkResultSerializer",
    "CpoCreateSerializer",
    "CpoFieldsSerializer",
    "CpoImportSerializer",
    "CpoImportUploadSerializer",
    "CpoResourceInputSerializer",
    "CpoResourceSerializer",
    "CpoSerializer",
    "CpoUpdateSerializer",
    "DwcpCreateSerializer",
    "DwcpFieldsSerializer",
    "DwcpSerializer",
    "DwcpUpdateSerializer",
    "MilestoneInputSerializer",
    "MilestoneSerializer",
    "Milestones",
    "MovePhaseSerializer",
    "PartyInputSerializer",
    "PartySerializer",
    "PriorityCreateSerializer",
    "PrioritySerializer",
    "PriorityUpdateSerializer",
    "ProgressReportCreateSerializer",
    "ProgressReportFieldsSerializer",
    "ProgressReportSerializer",
    "ProgressReportUpdateSerializer",
    "ReportingPeriodSerializer",
    "Resources",
    "ReturnSerializer",
    "SignedDocumentSerializer",
    "VersionSerializer",
    "cpo_page_representation",
    "cpo_representation",
    "cpo_rows",
    "read_cpo_rows",
    "version_field",
]

"""Decent Work Country Programmes: the programme, its priorities (at most three), country
programme outcomes (CPOs) with milestones and resources, and progress reports reviewed by
the region.

The package: ``programmes`` (the programme, its phases, parties and priorities), ``cpos``
(CPOs, milestones, resources), ``progress`` (reporting periods, progress reports and their
review), ``imports`` (uploaded CPO spreadsheets) and ``uploads`` (the files people attach).
"""

from __future__ import annotations

from dwcp.models.cpos import (
    CPO_CODE,
    CPO_CODE_PATTERN,
    CountryProgrammeOutcome,
    CpoResource,
    Milestone,
    ResultStatus,
)
from dwcp.models.imports import (
    IMPORT_ENDED,
    CpoImport,
    ImportStatus,
)
from dwcp.models.programmes import (
    MAX_PRIORITIES,
    PHASE_ORDER,
    CountryProgrammePriority,
    DecentWorkCountryProgramme,
    PartyKind,
    Phase,
    TripartiteParty,
)
from dwcp.models.progress import (
    ProgressReport,
    ProgressReview,
    ProgressStatus,
    ReportingExtension,
    ReportingPeriod,
    ReportingReminder,
    ReviewAction,
    ReviewState,
)
from dwcp.models.uploads import (
    DOCUMENT_EXTENSIONS,
    EVIDENCE_EXTENSIONS,
    MAX_UPLOAD_BYTES,
    validate_upload_size,
)

__all__ = [
    "CPO_CODE",
    "CPO_CODE_PATTERN",
    "DOCUMENT_EXTENSIONS",
    "EVIDENCE_EXTENSIONS",
    "IMPORT_ENDED",
    "MAX_PRIORITIES",
    "MAX_UPLOAD_BYTES",
    "PHASE_ORDER",
    "CountryProgrammeOutcome",
    "CountryProgrammePriority",
    "CpoImport",
    "CpoResource",
    "DecentWorkCountryProgramme",
    "ImportStatus",
    "Milestone",
    "PartyKind",
    "Phase",
    "ProgressReport",
    "ProgressReview",
    "ProgressStatus",
    "ReportingExtension",
    "ReportingPeriod",
    "ReportingReminder",
    "ResultStatus",
    "ReviewAction",
    "ReviewState",
    "TripartiteParty",
    "validate_upload_size",
]

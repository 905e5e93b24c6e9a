"""The evaluations workbook: evaluations with their follow-up rate, recommendations with the
management response and follow-up actions, and lessons; what the reader may read, every
typed text written as a text cell (``rbm.text``: no formulas)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from evaluations import selectors
from evaluations.models import FollowUpAction, Recommendation
from rbm.text import text_cell, workbook_bytes


def _sheet(workbook: Workbook, title: str, header: list[str], rows: list[list[Any]]) -> None:
    sheet = workbook.create_sheet(title)
    bold = Font(bold=True)
    for column, heading in enumerate(header, start=1):
        sheet.cell(row=1, column=column, value=heading).font = bold
    for row_number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=column)
            if isinstance(value, str):
                text_cell(cell, value)
            else:
                cell.value = value
    sheet.freeze_panes = "A2"


def evaluations_workbook(user: Any) -> bytes:
    """Everything the user may read, in three sheets, in a fixed number of queries."""
    evaluations = list(selectors.evaluation_list(user))
    staff = selectors.is_staff(user)
    workbook = Workbook()
    for sheet in list(workbook.worksheets):
        workbook.remove(sheet)
    _sheet(
        workbook,
        _("Evaluations"),
        [
            _("Id"),
            _("Title"),
            _("Subject"),
            _("Type"),
            _("Timing"),
            _("Status"),
            _("Region"),
            _("Start date"),
            _("End date"),
            _("Recommendations"),
            _("Follow-up rate"),
        ],
        [
            [
                e.pk,
                e.title,
                e.get_subject_kind_display(),
                e.get_kind_display(),
                e.get_timing_display(),
                e.get_status_display(),
                e.region.label if e.region else _("Headquarters"),
                e.start_date,
                e.end_date,
                e.recommendation_count,
                selectors.follow_up_rate(e) if staff else None,
            ]
            for e in evaluations
        ],
    )
    if staff:
        recommendations = Recommendation.objects.select_related(
            "evaluation", "addressee_office"
        ).order_by("evaluation_id", "number")
        _sheet(
            workbook,
            _("Recommendations"),
            [
                _("Evaluation"),
                _("Number"),
                _("Recommendation"),
                _("Addressed to"),
                _("Priority"),
                _("Management response"),
                _("Reasons"),
            ],
            [
                [
                    r.evaluation.title,
                    r.number,
                    r.text,
                    f"{r.get_addressee_kind_display()} {r.addressee_office or ''}".strip(),
                    r.get_priority_display(),
                    r.get_response_display(),
                    r.response_reasons,
                ]
                for r in recommendations
            ],
        )
        actions = FollowUpAction.objects.select_related(
            "recommendation__evaluation", "owner"
        ).order_by("recommendation__evaluation_id", "recommendation__number", "due_date")
        _sheet(
            workbook,
            _("Follow-up actions"),
            [
                _("Evaluation"),
                _("Recommendation"),
                _("Action"),
                _("Owner"),
                _("Due date"),
                _("Status"),
            ],
            [
                [
                    a.recommendation.evaluation.title,
                    a.recommendation.number,
                    a.description,
                    str(a.owner),
                    a.due_date,
                    a.get_status_display(),
                ]
                for a in actions
            ],
        )
    lessons = selectors.visible_lessons(user).select_related("evaluation").order_by("-year", "pk")
    _sheet(
        workbook,
        _("Lessons"),
        [
            _("Id"),
            _("Kind"),
            _("Title"),
            _("Lesson"),
            _("What to change"),
            _("Language"),
            _("Year"),
            _("Status"),
            _("Evaluation"),
        ],
        [
            [
                lesson.pk,
                lesson.get_kind_display(),
                lesson.title,
                lesson.text,
                lesson.what_to_change,
                lesson.language,
                lesson.year,
                lesson.get_status_display(),
                lesson.evaluation.title if lesson.evaluation else "",
            ]
            for lesson in lessons
        ],
    )
    return workbook_bytes(workbook)

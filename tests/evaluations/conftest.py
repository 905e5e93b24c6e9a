"""Fixtures of the evaluations tests: a programme of Indonesia (Asia and the Pacific), the
outcomes 16 and 18, an evaluation manager of the region and helpers that record evaluations,
recommendations and lessons through the services."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from dwcp.models import DecentWorkCountryProgramme
from evaluations import services
from evaluations.models import (
    Evaluation,
    EvaluationType,
    Lesson,
    LessonKind,
    LessonSource,
    SubjectKind,
    Timing,
)
from rbm.models import Region, Role, User
from strategic_plans.models import Outcome
from tests import factories


@dataclass
class World:
    regions: dict[str, Region]
    programme: DecentWorkCountryProgramme
    outcome: Outcome
    other_outcome: Outcome
    manager: User
    admin: User
    field: User
    user_for: Callable[..., User]

    def evaluation(self, **fields: Any) -> Evaluation:
        values: dict[str, Any] = {
            "title": "Independent evaluation of the DWCP of Indonesia",
            "subject_kind": SubjectKind.PROGRAMME,
            "programme": self.programme,
            "kind": EvaluationType.INDEPENDENT,
            "timing": Timing.FINAL,
            "evaluators": "A. Evaluator, B. Evaluator",
            "start_date": datetime.date(2015, 3, 1),
            "end_date": datetime.date(2015, 9, 30),
            "summary_en": "The programme strengthened labour inspection in three provinces.",
        }
        values.update(fields)
        return services.evaluation_create(user=self.manager, **values)

    def completed(self, **fields: Any) -> Evaluation:
        evaluation = self.evaluation(**fields)
        evaluation = services.evaluation_start(
            user=self.manager, evaluation=evaluation, version=evaluation.version
        )
        return services.evaluation_complete(
            user=self.manager, evaluation=evaluation, version=evaluation.version
        )

    def lesson(self, *, validated: bool = False, **fields: Any) -> Lesson:
        author = fields.pop("user", self.field)
        validator = fields.pop("validator", self.manager)
        values: dict[str, Any] = {
            "kind": LessonKind.LESSON,
            "title": "Train inspectors where they work",
            "text": "Inspectors trained on site applied the new checklists more often.",
            "what_to_change": "Plan on-site training in the next biennium's CPOs.",
            "language": "en",
            "source": LessonSource.OTHER,
            "source_note": "Progress report 2013-H2",
            "year": 2014,
            "outcomes": [self.outcome],
            "countries": [self.programme.country],
        }
        values.update(fields)
        lesson = services.lesson_create(user=author, **values)
        if validated:
            lesson = services.lesson_validate(user=validator, lesson=lesson, version=lesson.version)
        return lesson


@pytest.fixture
def world(user_for: Callable[..., User], reference: dict[str, Region]) -> World:
    return make_world(user_for, reference)


def make_world(user_for: Callable[..., User], reference: dict[str, Region]) -> World:
    _plan, outcomes = factories.framework_2012_13()
    programme = factories.DwcpFactory(published=True)
    factories.PriorityFactory(programme=programme)
    return World(
        regions=reference,
        programme=programme,
        outcome=outcomes[0],
        other_outcome=outcomes[1],
        manager=user_for(Role.EVALUATION_MANAGER, region=reference["asia-pacific"]),
        admin=user_for(Role.ADMINISTRATOR),
        field=user_for(Role.FIELD_OFFICE_STAFF, office=programme.office),
        user_for=user_for,
    )

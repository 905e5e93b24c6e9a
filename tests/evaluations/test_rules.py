"""The rules of evaluations: the programme's "Evaluated" step, the evaluation's states, the
management response, the follow-up rate, the validation of lessons, public and internal."""

from __future__ import annotations

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from dwcp.models import Phase
from dwcp.services import programme_move_phase
from evaluations import selectors, services
from evaluations.models import (
    EvaluationStatus,
    EvaluationType,
    FollowUpStatus,
    LessonStatus,
    Response,
)
from rbm.errors import ApplicationError, ConflictError
from rbm.models import Role
from rbm.permissions import PUBLIC, StateRefused, can
from tests.evaluations.conftest import World

pytestmark = pytest.mark.django_db


def _completed_programme(world: World) -> None:
    programme = world.programme
    programme.phase = Phase.COMPLETED
    programme.save(update_fields=["phase"])


def test_a_programme_is_evaluated_only_with_a_completed_evaluation(world: World) -> None:
    # Given a completed programme and an evaluation of it still in progress
    _completed_programme(world)
    evaluation = world.evaluation()
    services.evaluation_start(user=world.manager, evaluation=evaluation, version=1)
    rpo = world.user_for(Role.REGIONAL_PROGRAMME_OFFICER, region=world.regions["asia-pacific"])
    programme = world.programme
    # When the regional officer moves it to "Evaluated", then it is refused with the reason
    with pytest.raises(ApplicationError, match="completed"):
        programme_move_phase(
            user=rpo, programme=programme, phase=Phase.EVALUATED, version=programme.version
        )
    programme.refresh_from_db()
    assert programme.phase == Phase.COMPLETED
    # Once the evaluation is completed, the step goes through
    evaluation.refresh_from_db()
    services.evaluation_complete(
        user=world.manager, evaluation=evaluation, version=evaluation.version
    )
    moved = programme_move_phase(
        user=rpo, programme=programme, phase=Phase.EVALUATED, version=programme.version
    )
    assert moved.phase == Phase.EVALUATED


def test_an_evaluation_moves_through_its_states_in_order(world: World) -> None:
    evaluation = world.evaluation(end_date=None, summary_en="")
    assert evaluation.status == EvaluationStatus.PLANNED
    assert evaluation.region == world.regions["asia-pacific"]
    assert evaluation.country == world.programme.country
    # Completing a planned evaluation skips a state: refused by the table (400)
    with pytest.raises(StateRefused):
        services.evaluation_complete(user=world.manager, evaluation=evaluation, version=1)
    evaluation = services.evaluation_start(user=world.manager, evaluation=evaluation, version=1)
    # Completing without summary and end date: both named
    with pytest.raises(ValidationError) as refused:
        services.evaluation_complete(user=world.manager, evaluation=evaluation, version=2)
    assert set(refused.value.message_dict) == {"summary_en", "end_date"}
    evaluation = services.evaluation_update(
        user=world.manager,
        evaluation=evaluation,
        version=2,
        end_date=datetime.date(2015, 10, 1),
        summary_fr="Le programme a renforcé l'inspection du travail.",
    )
    evaluation = services.evaluation_complete(
        user=world.manager, evaluation=evaluation, version=evaluation.version
    )
    assert evaluation.status == EvaluationStatus.COMPLETED
    # A stale version is a 409
    with pytest.raises(ConflictError):
        services.evaluation_close(user=world.manager, evaluation=evaluation, version=1)


def test_the_response_is_complete_only_when_every_recommendation_has_one(world: World) -> None:
    evaluation = world.evaluation()
    first = services.recommendation_add(
        user=world.manager,
        evaluation=evaluation,
        text="Extend labour inspection to the informal economy.",
        addressee_kind="office",
        addressee_office=world.programme.office,
        priority="high",
    )
    second = services.recommendation_add(
        user=world.manager,
        evaluation=evaluation,
        text="Involve workers' organizations in the steering committee.",
        addressee_kind="constituents",
    )
    assert (first.number, second.number) == (1, 2)
    # The office cannot respond before the evaluation is completed (400)
    with pytest.raises(StateRefused):
        services.recommendation_respond(
            user=world.field, recommendation=first, response="accepted", version=1
        )
    evaluation.refresh_from_db()
    evaluation = services.evaluation_start(
        user=world.manager, evaluation=evaluation, version=evaluation.version
    )
    evaluation = services.evaluation_complete(
        user=world.manager, evaluation=evaluation, version=evaluation.version
    )
    first.refresh_from_db()
    first = services.recommendation_respond(
        user=world.field, recommendation=first, response=Response.ACCEPTED, version=1
    )
    assert first.responded_by == world.field
    # Staff of another office may not respond (403)
    stranger = world.user_for(Role.FIELD_OFFICE_STAFF)
    second.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.recommendation_respond(
            user=stranger, recommendation=second, response="accepted", version=1
        )
    # A rejection needs its reasons
    with pytest.raises(ValidationError) as refused:
        services.recommendation_respond(
            user=world.manager, recommendation=second, response=Response.REJECTED, version=1
        )
    assert "response_reasons" in refused.value.message_dict
    with pytest.raises(ApplicationError, match="1 recommendation"):
        services.evaluation_close(
            user=world.manager, evaluation=evaluation, version=evaluation.version
        )
    services.recommendation_respond(
        user=world.manager,
        recommendation=second,
        response=Response.PARTIALLY_ACCEPTED,
        reasons="The committee is tripartite already; workers will chair it in turn.",
        version=1,
    )
    closed = services.evaluation_close(
        user=world.manager, evaluation=evaluation, version=evaluation.version
    )
    assert closed.status == EvaluationStatus.RESPONSE_COMPLETE
    # After that the response is frozen
    first.refresh_from_db()
    with pytest.raises(StateRefused):
        services.recommendation_respond(
            user=world.manager, recommendation=first, response="rejected", reasons="x", version=2
        )


def test_follow_up_rate_counts_accepted_recommendations_whose_actions_are_done(
    world: World,
) -> None:
    evaluation = world.completed()
    owner = world.field
    recommendations = [
        services.recommendation_add(
            user=world.admin, evaluation=evaluation, text=f"R{n}", addressee_kind="constituents"
        )
        for n in range(4)
    ]
    responses = [Response.ACCEPTED, Response.ACCEPTED, Response.PARTIALLY_ACCEPTED, "rejected"]
    for recommendation, response in zip(recommendations, responses, strict=True):
        services.recommendation_respond(
            user=world.manager,
            recommendation=recommendation,
            response=response,
            reasons="Reasons given.",
            version=1,
        )
        recommendation.refresh_from_db()
    # A rejected recommendation gets no follow-up action
    with pytest.raises(ApplicationError):
        services.follow_up_add(
            user=world.manager,
            recommendation=recommendations[3],
            description="x",
            owner=owner,
            due_date=datetime.date(2016, 1, 1),
        )
    actions = [
        services.follow_up_add(
            user=world.manager,
            recommendation=recommendation,
            description="Do it",
            owner=owner,
            due_date=datetime.date(2016, 1, 1),
        )
        for recommendation in recommendations[:2]
    ]
    rate = lambda: selectors.follow_up_rate(  # noqa: E731
        selectors.evaluation_list(world.manager).get(pk=evaluation.pk)
    )
    assert rate() == 0
    # The owner completes one action: one of three accepted recommendations is done
    services.follow_up_update(
        user=owner, action=actions[0], status=FollowUpStatus.COMPLETED, version=1
    )
    assert rate() == pytest.approx(1 / 3)
    # The same figure from the prefetched detail
    assert selectors.follow_up_rate(selectors.evaluation_detail(evaluation.pk)) == rate()
    # Someone else's action is not theirs to update
    other = world.user_for(Role.FIELD_OFFICE_STAFF)
    with pytest.raises(PermissionDenied):
        services.follow_up_update(
            user=other, action=actions[1], status=FollowUpStatus.COMPLETED, version=1
        )


def test_overdue_follow_ups_are_the_owners_open_actions_past_due(world: World) -> None:
    evaluation = world.completed()
    recommendation = services.recommendation_add(
        user=world.manager, evaluation=evaluation, text="R", addressee_kind="constituents"
    )
    recommendation = services.recommendation_respond(
        user=world.manager, recommendation=recommendation, response="accepted", version=1
    )
    late = services.follow_up_add(
        user=world.manager,
        recommendation=recommendation,
        description="Late",
        owner=world.field,
        due_date=datetime.date(2016, 1, 1),
    )
    services.follow_up_add(
        user=world.manager,
        recommendation=recommendation,
        description="Not yet due",
        owner=world.field,
        due_date=datetime.date(2030, 1, 1),
    )
    assert list(selectors.overdue_follow_ups(world.field)) == [late]
    assert list(selectors.overdue_follow_ups(world.manager)) == []


def test_a_lesson_counts_once_an_evaluation_manager_of_its_region_validates_it(
    world: World,
) -> None:
    lesson = world.lesson()
    assert lesson.status == LessonStatus.PROPOSED
    assert selectors.planning_lessons(country_id=world.programme.country_id, outcome_id=None) == []
    # Field staff cannot validate; a manager of another region cannot either
    with pytest.raises(PermissionDenied):
        services.lesson_validate(user=world.field, lesson=lesson, version=1)
    africa = world.user_for(Role.EVALUATION_MANAGER, region=world.regions["africa"])
    with pytest.raises(PermissionDenied):
        services.lesson_validate(user=africa, lesson=lesson, version=1)
    validated = services.lesson_validate(user=world.manager, lesson=lesson, version=1)
    assert validated.status == LessonStatus.VALIDATED
    assert validated.validated_by == world.manager
    assert selectors.planning_lessons(country_id=world.programme.country_id, outcome_id=None) == [
        validated
    ]
    # Once validated, it cannot be validated again (400)
    with pytest.raises(StateRefused):
        services.lesson_validate(user=world.manager, lesson=validated, version=2)


def test_evaluation_managers_manage_their_own_region_only(world: World) -> None:
    evaluation = world.evaluation()
    africa = world.user_for(Role.EVALUATION_MANAGER, region=world.regions["africa"])
    with pytest.raises(PermissionDenied):
        services.evaluation_start(user=africa, evaluation=evaluation, version=1)
    with pytest.raises(ValidationError):
        services.evaluation_create(
            user=africa,
            title="Not theirs",
            subject_kind="programme",
            programme=world.programme,
            kind="independent",
            timing="final",
            start_date=datetime.date(2015, 1, 1),
        )
    hq = world.user_for(Role.EVALUATION_MANAGER)
    thematic = services.evaluation_create(
        user=hq,
        title="Thematic evaluation of labour inspection",
        subject_kind="theme",
        theme="Labour inspection",
        kind="independent",
        timing="ex_post",
        start_date=datetime.date(2014, 1, 1),
    )
    assert thematic.region is None
    assert can(hq, "evaluation.start", thematic)
    assert not can(world.manager, "evaluation.start", thematic)


def test_the_public_reads_completed_independent_evaluations_of_published_programmes(
    world: World,
) -> None:
    from django.contrib.auth.models import AnonymousUser

    public = AnonymousUser()
    done = world.completed()
    internal = world.completed(kind=EvaluationType.INTERNAL, title="Internal review")
    planned = world.evaluation(title="Planned one")
    assert can(public, "evaluation.view", done)
    assert not can(public, "evaluation.view", internal)
    assert not can(public, "evaluation.view", planned)
    assert set(selectors.visible_evaluations(public)) == {done}
    assert set(selectors.visible_evaluations(world.field)) == {done, internal, planned}
    # A validated lesson of a public evaluation is public; one not validated, or of an
    # internal evaluation, is not
    shown = world.lesson(validated=True, source="evaluation", evaluation=done)
    world.lesson(source="evaluation", evaluation=done, title="Proposed")
    world.lesson(validated=True, source="evaluation", evaluation=internal, title="Internal")
    assert list(selectors.visible_lessons(public)) == [shown]
    assert can(public, "lesson.view", shown)
    # Unpublishing the programme hides them again
    world.programme.published = False
    world.programme.save(update_fields=["published"])
    assert list(selectors.visible_evaluations(public)) == []
    assert PUBLIC == "public"


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "accepted"),
    [
        ("report.pdf", b"%PDF-1.7\n...", True),
        ("report.docx", _docx(), True),
        ("report.pdf", b"MZ\x90\x00 not a pdf", False),
        ("report.docx", b"plain text", False),
        ("report.exe", b"%PDF-1.7", False),
    ],
)
def test_the_report_file_is_a_pdf_or_docx_by_its_content(
    world: World, name: str, content: bytes, accepted: bool, settings: object, tmp_path: object
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    evaluation = world.evaluation()
    upload = SimpleUploadedFile(name, content)
    if accepted:
        saved = services.evaluation_attach_report(
            user=world.manager, evaluation=evaluation, upload=upload, version=1
        )
        assert saved.report_file.name.endswith(name.rsplit(".", 1)[1])
    else:
        with pytest.raises(ValidationError) as refused:
            services.evaluation_attach_report(
                user=world.manager, evaluation=evaluation, upload=upload, version=1
            )
        assert "report_file" in refused.value.message_dict


def test_a_project_evaluation_lies_in_the_project_s_region_and_country(
    world: World, reference: dict[str, object]
) -> None:
    from cooperation.models import Donor
    from cooperation.services import ContributionData, YearData, project_create
    from rbm.services import system_user

    donor = Donor.objects.create(name="Norway", kind="government")
    project = project_create(
        user=system_user(),
        code="IDN/12/01/NOR",
        title="Decent jobs for young women and men",
        office=world.programme.office,
        start_date=datetime.date(2012, 1, 1),
        end_date=datetime.date(2013, 12, 31),
        countries=[world.programme.country],
        contributions=[ContributionData(donor, Decimal(100000))],
        years=[YearData(2012, Decimal(100000))],
        links=[],
        status="proposal",
    )
    evaluation = world.evaluation(
        title="Final evaluation of the project",
        subject_kind="project",
        project=project,
        programme=None,
    )
    assert evaluation.project == project
    assert evaluation.country == world.programme.country
    assert evaluation.region_id == project.region_id
    with pytest.raises(ValidationError):
        world.evaluation(subject_kind="project", project=None, programme=None)

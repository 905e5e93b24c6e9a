"""The pages of evaluations and lessons: the search, an evaluation with its recommendations,
responses and follow-up, a lesson and its validation, and the forms that record them. Thin:
each page asks the permission table, reads through the selectors and writes through the
services; a refusal re-renders the form with the service's message and its status."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from evaluations import search, selectors, services
from evaluations.forms import (
    EvaluationForm,
    FollowUpForm,
    FollowUpStatusForm,
    LessonForm,
    RecommendationForm,
    ReportForm,
    ResponseForm,
    SearchForm,
)
from evaluations.models import (
    EVALUATION_STEPS,
    Evaluation,
    FollowUpAction,
    Lesson,
    Recommendation,
)
from rbm import audit
from rbm import selectors as reference
from rbm.errors import ApplicationError
from rbm.files import file_response
from rbm.ids import parse_id
from rbm.models import Biennium, Country
from rbm.pages import FORM_METHODS, add_service_errors, refuse, signed_in_user
from rbm.permissions import can
from strategic_plans import selectors as framework

PAGE_SIZE = 20
T = TypeVar("T")
STEP_ACTIONS = {
    "start": ("evaluation.start", services.evaluation_start),
    "complete": ("evaluation.complete", services.evaluation_complete),
    "close": ("evaluation.close", services.evaluation_close),
}


def _save(form: django_forms.BaseForm, save: Callable[[], T]) -> T | int:
    try:
        with transaction.atomic():
            return save()
    except ValidationError as error:
        add_service_errors(form, error)
        return 400
    except ApplicationError as error:
        form.add_error(None, error.message)
        return error.status_code


def _version(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _evaluation_or_404(request: HttpRequest, pk: int) -> Evaluation:
    try:
        evaluation = selectors.evaluation_detail(pk)
    except Evaluation.DoesNotExist:
        raise Http404 from None
    if not can(request.user, "evaluation.view", evaluation):
        raise Http404
    return evaluation


def _lesson_or_404(request: HttpRequest, pk: int) -> Lesson:
    try:
        lesson = selectors.lesson_detail(pk)
    except Lesson.DoesNotExist:
        raise Http404 from None
    if not can(request.user, "lesson.view", lesson):
        raise Http404
    return lesson


# The search -----------------------------------------------------------------------------------


def _search_choices() -> dict[str, list[tuple[Any, str]]]:
    return {
        "outcome": [(o.pk, f"{o.code} – {o.title}"[:90]) for o in framework.outcomes()],
        "country": [(c.pk, c.label) for c in Country.objects.all()],
        "region": [(r.pk, r.label) for r in reference.regions()],
    }


def _segments(snippet: str) -> list[tuple[str, bool]]:
    """A headline's text as (text, highlighted) pieces; the template escapes each."""
    pieces: list[tuple[str, bool]] = []
    for part in snippet.split("\x02"):
        marked, _sep, rest = part.partition("\x03")
        if _sep:
            pieces.append((marked, True))
            if rest:
                pieces.append((rest, False))
        elif part:
            pieces.append((part, False))
    return pieces


@require_safe
def search_page(request: HttpRequest) -> HttpResponse:
    """One search over lessons, good practices, evaluations and recommendations."""
    form = SearchForm(request.GET or None, choices=_search_choices())
    data: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    status = 200 if not form.is_bound or form.is_valid() else 400
    text = data.get("q") or ""
    filters = search.SearchFilters(
        outcome_id=data.get("outcome"),
        country_id=data.get("country"),
        region_id=data.get("region"),
        kind=data.get("kind") or "",
        year=data.get("year"),
        languages=(data["language"],) if data.get("language") else ("en", "fr", "es"),
    )
    results = search.matches(
        text,
        filters,
        public=not selectors.is_staff(request.user),
        staff_sees_unvalidated=selectors.sees_unvalidated(request.user),
    )
    with search.one_process():
        page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
        rows = search.with_snippets(search.documents(page.object_list), text)
    for row in rows:
        row.segments = _segments(row.snippet)  # type: ignore[attr-defined]
    return render(
        request,
        "evaluations/search.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "text": text,
            "postgres": search.postgres(),
            "may_create": can(request.user, "evaluation.create"),
            "may_add_lesson": can(request.user, "lesson.create"),
            "follow_ups": list(selectors.my_follow_ups(request.user)[:20])
            if selectors.is_staff(request.user)
            else [],
            "to_validate": list(selectors.lessons_to_validate(request.user)[:20])
            if selectors.sees_unvalidated(request.user)
            else [],
        },
        status=status,
    )


@require_safe
def evaluations_export(request: HttpRequest) -> HttpResponse:
    """The workbook of what the reader may read (the public: public records only)."""
    from evaluations.exports import evaluations_workbook

    response = HttpResponse(
        evaluations_workbook(request.user),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="evaluations.xlsx"'
    return response


@require_safe
def evaluation_list(request: HttpRequest) -> HttpResponse:
    evaluations = selectors.evaluation_list(request.user)
    page = Paginator(evaluations, PAGE_SIZE).get_page(request.GET.get("page"))
    for evaluation in page.object_list:
        evaluation.rate = selectors.follow_up_rate(evaluation)
    return render(
        request,
        "evaluations/evaluation_list.html",
        {"page": page, "may_create": can(request.user, "evaluation.create")},
    )


# An evaluation --------------------------------------------------------------------------------


def _detail(
    request: HttpRequest,
    evaluation: Evaluation,
    *,
    status: int = 200,
    recommendation_form: RecommendationForm | None = None,
    bound: dict[tuple[str, int], django_forms.Form] | None = None,
) -> HttpResponse:
    user = request.user
    bound = bound or {}
    recommendations: list[dict[str, Any]] = []
    for recommendation in evaluation.recommendations.all():
        recommendation.evaluation = evaluation
        actions = []
        for action in recommendation.actions.all():
            actions.append(
                {
                    "action": action,
                    "may_update": can(user, "follow_up.update", action),
                    "form": bound.get(("status", action.pk))
                    or FollowUpStatusForm(
                        initial={"status": action.status, "version": action.version},
                        prefix=f"a{action.pk}",
                    ),
                }
            )
        recommendations.append(
            {
                "recommendation": recommendation,
                "actions": actions,
                "may_respond": can(user, "recommendation.respond", recommendation),
                "may_follow_up": can(user, "follow_up.add", recommendation)
                and recommendation.response in ("accepted", "partially_accepted"),
                "response_form": bound.get(("response", recommendation.pk))
                or ResponseForm(
                    initial={
                        "version": recommendation.version,
                        "response": recommendation.response,
                        "reasons": recommendation.response_reasons,
                    },
                    prefix=f"r{recommendation.pk}",
                ),
                "follow_up_form": bound.get(("follow_up", recommendation.pk))
                or FollowUpForm(prefix=f"f{recommendation.pk}"),
            }
        )
    steps = [
        (name, action)
        for name, (action, _service) in STEP_ACTIONS.items()
        if can(user, action, evaluation)
    ]
    may_manage = can(user, "evaluation.manage", evaluation)
    context = {
        "evaluation": evaluation,
        "rate": selectors.follow_up_rate(evaluation),
        "recommendations": recommendations,
        "lessons": selectors.evaluation_lessons(user, evaluation),
        "steps": steps,
        "next_state": EVALUATION_STEPS.get(evaluation.status),  # type: ignore[call-overload]
        "may_manage": may_manage,
        "recommendation_form": recommendation_form or RecommendationForm(),
        "report_form": ReportForm(initial={"version": evaluation.version}),
        "history": audit.history_entries(
            [
                (Evaluation, [evaluation.pk]),
                (Recommendation, [r["recommendation"].pk for r in recommendations]),
            ]
        )
        if can(user, "history.view")
        else [],
        "staff": selectors.is_staff(user),
    }
    return render(request, "evaluations/evaluation_detail.html", context, status=status)


@require_safe
def evaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _evaluation_or_404(request, pk))


@require_safe
def evaluation_report(request: HttpRequest, pk: int) -> FileResponse:
    """The report file, for who may read the evaluation (the public: a public one)."""
    return file_response(_evaluation_or_404(request, pk).report_file)


@require_http_methods(FORM_METHODS)
def evaluation_create(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "evaluation.create"):
        return refuse(request)
    user = signed_in_user(request)
    form = EvaluationForm(request.POST or None, initial={"region": user.region_id})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            fields = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            saved = _save(form, lambda: services.evaluation_create(user=user, **fields))
            if isinstance(saved, Evaluation):
                return redirect("evaluations:evaluation-detail", saved.pk)
            status = saved
        else:
            status = 400
    return render(request, "evaluations/evaluation_form.html", {"form": form}, status=status)


@require_http_methods(FORM_METHODS)
def evaluation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation_or_404(request, pk)
    if not can(request.user, "evaluation.manage", evaluation, states=False):
        return refuse(request)
    user = signed_in_user(request)
    form = EvaluationForm(
        request.POST or None, instance=evaluation, initial={"version": evaluation.version}
    )
    status = 200
    if request.method == "POST":
        original = selectors.evaluation_detail(pk)
        if form.is_valid():
            fields = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            version = form.cleaned_data.get("version")
            saved = _save(
                form,
                lambda: services.evaluation_update(
                    user=user, evaluation=original, version=version, **fields
                ),
            )
            if isinstance(saved, Evaluation):
                return redirect("evaluations:evaluation-detail", saved.pk)
            status = saved
        else:
            status = 400
    return render(
        request,
        "evaluations/evaluation_form.html",
        {"form": form, "evaluation": evaluation},
        status=status,
    )


@require_POST
def evaluation_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    evaluation = _evaluation_or_404(request, pk)
    if step not in STEP_ACTIONS:
        raise Http404
    action, service = STEP_ACTIONS[step]
    if not can(request.user, action, evaluation, states=False):
        return refuse(request)
    user = signed_in_user(request)
    try:
        with transaction.atomic():
            service(user=user, evaluation=evaluation, version=_version(request.POST.get("version")))
    except (ValidationError, ApplicationError) as error:
        text = " ".join(error.messages) if isinstance(error, ValidationError) else error.message
        messages.error(request, text)
        status = error.status_code if isinstance(error, ApplicationError) else 400
        return _detail(request, selectors.evaluation_detail(pk), status=status)
    return redirect("evaluations:evaluation-detail", pk)


@require_POST
def evaluation_report_upload(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation_or_404(request, pk)
    if not can(request.user, "evaluation.manage", evaluation, states=False):
        return refuse(request)
    user = signed_in_user(request)
    form = ReportForm(request.POST, request.FILES)
    if form.is_valid():
        saved = _save(
            form,
            lambda: services.evaluation_attach_report(
                user=user,
                evaluation=evaluation,
                upload=form.cleaned_data["report_file"],
                version=form.cleaned_data.get("version"),
            ),
        )
        if isinstance(saved, Evaluation):
            return redirect("evaluations:evaluation-detail", pk)
    for error in form.errors.values():
        messages.error(request, " ".join(str(e) for e in error))
    return _detail(request, selectors.evaluation_detail(pk), status=400)


@require_POST
def recommendation_add(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation_or_404(request, pk)
    if not can(request.user, "evaluation.manage", evaluation, states=False):
        return refuse(request)
    user = signed_in_user(request)
    form = RecommendationForm(request.POST)
    if form.is_valid():
        saved = _save(
            form,
            lambda: services.recommendation_add(
                user=user, evaluation=evaluation, **form.cleaned_data
            ),
        )
        if isinstance(saved, Recommendation):
            return redirect("evaluations:evaluation-detail", pk)
        status = saved
    else:
        status = 400
    return _detail(
        request, selectors.evaluation_detail(pk), status=status, recommendation_form=form
    )


def _recommendation_or_404(request: HttpRequest, pk: int) -> Recommendation:
    recommendation = (
        Recommendation.objects.select_related("evaluation__programme").filter(pk=pk).first()
    )
    if recommendation is None or not can(request.user, "evaluation.view", recommendation):
        raise Http404
    return recommendation


@require_POST
def recommendation_respond(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = _recommendation_or_404(request, pk)
    if not can(request.user, "recommendation.respond", recommendation, states=False):
        return refuse(request)
    user = signed_in_user(request)
    form = ResponseForm(request.POST, prefix=f"r{pk}")
    if form.is_valid():
        saved = _save(
            form,
            lambda: services.recommendation_respond(
                user=user,
                recommendation=recommendation,
                response=form.cleaned_data["response"],
                reasons=form.cleaned_data["reasons"],
                version=form.cleaned_data.get("version"),
            ),
        )
        if isinstance(saved, Recommendation):
            return redirect(f"/evaluations/{recommendation.evaluation_id}/#recommendation-{pk}")
        status = saved
    else:
        status = 400
    return _detail(
        request,
        selectors.evaluation_detail(recommendation.evaluation_id),
        status=status,
        bound={("response", pk): form},
    )


@require_POST
def follow_up_add(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = _recommendation_or_404(request, pk)
    if not can(request.user, "follow_up.add", recommendation, states=False):
        return refuse(request)
    user = signed_in_user(request)
    form = FollowUpForm(request.POST, prefix=f"f{pk}")
    if form.is_valid():
        saved = _save(
            form,
            lambda: services.follow_up_add(
                user=user, recommendation=recommendation, **form.cleaned_data
            ),
        )
        if isinstance(saved, FollowUpAction):
            return redirect("evaluations:evaluation-detail", recommendation.evaluation_id)
        status = saved
    else:
        status = 400
    return _detail(
        request,
        selectors.evaluation_detail(recommendation.evaluation_id),
        status=status,
        bound={("follow_up", pk): form},
    )


@require_POST
def follow_up_status(request: HttpRequest, pk: int) -> HttpResponse:
    action = (
        FollowUpAction.objects.select_related("recommendation__evaluation__programme")
        .filter(pk=pk)
        .first()
    )
    if action is None or not can(request.user, "evaluation.view", action):
        raise Http404
    if not can(request.user, "follow_up.update", action):
        return refuse(request)
    user = signed_in_user(request)
    form = FollowUpStatusForm(request.POST, prefix=f"a{pk}")
    evaluation_id = action.recommendation.evaluation_id
    if form.is_valid():
        saved = _save(
            form,
            lambda: services.follow_up_update(
                user=user,
                action=action,
                status=form.cleaned_data["status"],
                version=form.cleaned_data.get("version"),
            ),
        )
        if isinstance(saved, FollowUpAction):
            next_url = request.POST.get("next", "")
            if next_url == "home":
                return redirect("home")
            return redirect("evaluations:evaluation-detail", evaluation_id)
        status = saved
    else:
        status = 400
    return _detail(
        request,
        selectors.evaluation_detail(evaluation_id),
        status=status,
        bound={("status", pk): form},
    )


# Lessons ----------------------------------------------------------------------------------------


@require_http_methods(FORM_METHODS)
def lesson_create(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "lesson.create"):
        return refuse(request)
    user = signed_in_user(request)
    initial: dict[str, Any] = {}
    evaluation_id = (
        parse_id(request.GET.get("evaluation")) if request.GET.get("evaluation") else None
    )
    if evaluation_id:
        initial.update({"evaluation": evaluation_id, "source": "evaluation"})
    form = LessonForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            themes = form.theme_names()
            data.pop("themes", None)
            tags = {name: list(data.pop(name)) for name in ("outcomes", "countries", "regions")}
            saved = _save(
                form, lambda: services.lesson_create(user=user, themes=themes, **tags, **data)
            )
            if isinstance(saved, Lesson):
                return redirect("evaluations:lesson-detail", saved.pk)
            status = saved
        else:
            status = 400
    return render(request, "evaluations/lesson_form.html", {"form": form}, status=status)


def _lesson_page(request: HttpRequest, lesson: Lesson, *, status: int = 200) -> HttpResponse:
    return render(
        request,
        "evaluations/lesson_detail.html",
        {
            "lesson": lesson,
            "may_validate": can(request.user, "lesson.validate", lesson),
            "history": audit.history_entries([(Lesson, [lesson.pk])])
            if can(request.user, "history.view")
            else [],
        },
        status=status,
    )


@require_safe
def lesson_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _lesson_page(request, _lesson_or_404(request, pk))


@require_POST
def lesson_validate(request: HttpRequest, pk: int) -> HttpResponse:
    lesson = _lesson_or_404(request, pk)
    if not can(request.user, "lesson.validate", lesson, states=False):
        return refuse(request)
    user = signed_in_user(request)
    accept = request.POST.get("decision") != "reject"
    try:
        with transaction.atomic():
            services.lesson_validate(
                user=user,
                lesson=lesson,
                version=_version(request.POST.get("version")),
                accept=accept,
            )
    except ApplicationError as error:
        # A stale page (409) or a lesson no longer proposed (400): the page again, with why.
        messages.error(request, error.message)
        return _lesson_page(request, selectors.lesson_detail(pk), status=error.status_code)
    messages.success(
        request, _("The lesson is validated.") if accept else _("The lesson was not validated.")
    )
    return redirect("evaluations:lesson-detail", pk)


@require_POST
def strategy_lesson(request: HttpRequest, outcome: int, biennium: int) -> HttpResponse:
    """The coordinator links (or unlinks) a lesson the outcome's strategy acts on."""
    chosen = framework.outcomes().filter(pk=outcome).first()
    period = Biennium.objects.filter(pk=biennium).first()
    if chosen is None or period is None:
        raise Http404
    if not can(request.user, "lesson.link", chosen):
        raise PermissionDenied(_("You are not allowed to do this."))
    user = signed_in_user(request)
    lesson_id = parse_id(request.POST.get("lesson"))
    lesson = Lesson.objects.filter(pk=lesson_id).first() if lesson_id else None
    if lesson is None:
        raise Http404
    try:
        with transaction.atomic():
            if request.POST.get("unlink"):
                services.strategy_lesson_unlink(
                    user=user, outcome=chosen, biennium=period, lesson_id=lesson.pk
                )
            else:
                services.strategy_lesson_link(
                    user=user, outcome=chosen, biennium=period, lesson=lesson
                )
    except ApplicationError as error:
        messages.error(request, error.message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    back = request.POST.get("next") or "/"
    if not back.startswith("/") or back.startswith("//"):
        back = "/"
    return redirect(back)

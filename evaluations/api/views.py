"""API of evaluations, recommendations with their response and follow-up, lessons and the
search. Thin: validate the input, call one service, answer the stored record. What a caller
may read is what the pages show (``evaluations.selectors``); every write is a service that
checks the permission table, the state (400) and the version (409)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.http.response import HttpResponseBase
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from evaluations import search, selectors, services
from evaluations.api import serializers as api
from evaluations.forms import SearchForm
from evaluations.models import Evaluation, FollowUpAction, Lesson, Recommendation
from rbm.api.permissions import TablePermission
from rbm.api.viewsets import ApiViewSet
from rbm.files import file_response
from rbm.ids import parse_id
from rbm.models import Country, Region
from rbm.permissions import can, require
from strategic_plans import selectors as framework

TAG = ["evaluations"]
STEPS = {
    "start": services.evaluation_start,
    "complete": services.evaluation_complete,
    "close": services.evaluation_close,
}


def _outcome(pk: int | None) -> Any:
    if pk is None:
        return None
    outcome = framework.outcomes().filter(pk=pk).first()
    if outcome is None:
        raise serializers.ValidationError(
            {"outcome": [_("There is no outcome %(id)s.") % {"id": pk}]}
        )
    return outcome


def _programme(pk: int | None) -> Any:
    if pk is None:
        return None
    programme = selectors.programme_by_id(pk)
    if programme is None:
        raise serializers.ValidationError(
            {"programme": [_("There is no country programme %(id)s.") % {"id": pk}]}
        )
    return programme


def _project(pk: int | None) -> Any:
    if pk is None:
        return None
    project = selectors.project_by_id(pk)
    if project is None:
        raise serializers.ValidationError(
            {"project": [_("There is no project %(id)s.") % {"id": pk}]}
        )
    return project


def _evaluation_fields(data: dict[str, Any]) -> dict[str, Any]:
    fields = dict(data)
    fields.pop("version", None)
    if "outcome" in fields:
        fields["outcome"] = _outcome(fields["outcome"])
    if "programme" in fields:
        fields["programme"] = _programme(fields["programme"])
    if "project" in fields:
        fields["project"] = _project(fields["project"])
    return fields


@extend_schema_view(
    list=extend_schema(tags=TAG, summary=_("Evaluations the caller may read")),
    retrieve=extend_schema(tags=TAG, summary=_("An evaluation with its recommendations")),
    create=extend_schema(
        tags=TAG,
        summary=_("Record an evaluation (evaluation managers)"),
        request=api.EvaluationInputSerializer,
        responses={201: api.EvaluationSerializer},
    ),
    partial_update=extend_schema(
        tags=TAG,
        summary=_("Change an evaluation"),
        request=api.EvaluationUpdateSerializer,
        responses={200: api.EvaluationSerializer},
    ),
)
class EvaluationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    read_action = "evaluation.list"
    serializer_class = api.EvaluationSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "staff": selectors.is_staff(self.request.user)}

    def get_queryset(self) -> QuerySet[Evaluation]:
        return (
            selectors.visible_evaluations(self.request.user)
            .select_related("region", "country", "manager", "programme")
            .prefetch_related(
                Prefetch(
                    "recommendations",
                    queryset=Recommendation.objects.select_related(
                        "addressee_office"
                    ).prefetch_related(
                        Prefetch("actions", queryset=FollowUpAction.objects.select_related("owner"))
                    ),
                )
            )
            .order_by("-start_date", "-pk")
        )

    def create(self, request: Request) -> Response:
        # The role is asked before the body is read: a 403, not a list of missing fields.
        require(self.acting_user(), "evaluation.create")
        data = self.validated(api.EvaluationInputSerializer)
        evaluation = services.evaluation_create(user=self.acting_user(), **_evaluation_fields(data))
        return self.answer(evaluation, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        evaluation = self.get_object()
        data = self.validated(api.EvaluationUpdateSerializer)
        evaluation = services.evaluation_update(
            user=self.acting_user(),
            evaluation=evaluation,
            version=data["version"],
            **_evaluation_fields(data),
        )
        return self.answer(evaluation)

    @extend_schema(
        tags=TAG,
        summary=_("Take a step: start, complete, close (management response complete)"),
        request=api.EvaluationStepSerializer,
        responses={200: api.EvaluationSerializer},
    )
    @action(detail=True, methods=["post"], url_path="steps")
    def steps(self, request: Request, pk: str) -> Response:
        evaluation = self.get_object()
        data = self.validated(api.EvaluationStepSerializer)
        evaluation = STEPS[data["step"]](
            user=self.acting_user(), evaluation=evaluation, version=data["version"]
        )
        return self.answer(evaluation)

    @extend_schema(
        tags=TAG,
        summary=_("Add a recommendation"),
        request=api.RecommendationInputSerializer,
        responses={201: api.RecommendationSerializer},
    )
    @action(detail=True, methods=["post"], url_path="recommendations")
    def recommendations(self, request: Request, pk: str) -> Response:
        evaluation = self.get_object()
        data = self.validated(api.RecommendationInputSerializer)
        recommendation = services.recommendation_add(
            user=self.acting_user(), evaluation=evaluation, **data
        )
        return Response(
            api.RecommendationSerializer(recommendation).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        tags=TAG,
        summary=_("Download the report (who may read the evaluation)"),
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"], url_path="report", url_name="report")
    def report(self, request: Request, pk: str) -> HttpResponseBase:
        evaluation = self.get_object()
        if not can(request.user, "evaluation.view", evaluation):
            raise Http404
        return file_response(evaluation.report_file)


@extend_schema_view(
    list=extend_schema(tags=TAG, summary=_("Recommendations (staff)")),
    retrieve=extend_schema(tags=TAG, summary=_("A recommendation with its follow-up actions")),
)
class RecommendationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    read_action = "follow_up.mine"
    serializer_class = api.RecommendationSerializer

    def get_queryset(self) -> QuerySet[Recommendation]:
        return (
            Recommendation.objects.select_related("addressee_office", "evaluation")
            .prefetch_related(
                Prefetch("actions", queryset=FollowUpAction.objects.select_related("owner"))
            )
            .order_by("evaluation_id", "number")
        )

    @extend_schema(
        tags=TAG,
        summary=_("The management response"),
        request=api.ResponseInputSerializer,
        responses={200: api.RecommendationSerializer},
    )
    @action(detail=True, methods=["post"], url_path="response")
    def respond(self, request: Request, pk: str) -> Response:
        recommendation = self.get_object()
        data = self.validated(api.ResponseInputSerializer)
        services.recommendation_respond(
            user=self.acting_user(),
            recommendation=recommendation,
            response=data["response"],
            reasons=data.get("reasons", ""),
            version=data["version"],
        )
        return self.answer(recommendation)

    @extend_schema(
        tags=TAG,
        summary=_("Add a follow-up action"),
        request=api.FollowUpInputSerializer,
        responses={201: api.FollowUpActionSerializer},
    )
    @action(detail=True, methods=["post"], url_path="follow-ups")
    def follow_ups(self, request: Request, pk: str) -> Response:
        recommendation = self.get_object()
        data = self.validated(api.FollowUpInputSerializer)
        created = services.follow_up_add(
            user=self.acting_user(), recommendation=recommendation, **data
        )
        return Response(api.FollowUpActionSerializer(created).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(tags=TAG, summary=_("The caller's follow-up actions")),
    retrieve=extend_schema(tags=TAG, summary=_("A follow-up action")),
    partial_update=extend_schema(
        tags=TAG,
        summary=_("Move a follow-up action's status (its owner)"),
        request=api.FollowUpStatusSerializer,
        responses={200: api.FollowUpActionSerializer},
    ),
)
class FollowUpViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    read_action = "follow_up.mine"
    serializer_class = api.FollowUpActionSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[FollowUpAction]:
        if getattr(self, "swagger_fake_view", False):  # the schema's generation
            return FollowUpAction.objects.none()
        return selectors.my_follow_ups(self.request.user)

    def partial_update(self, request: Request, pk: str) -> Response:
        follow_up = self.get_object()
        data = self.validated(api.FollowUpStatusSerializer)
        follow_up = services.follow_up_update(
            user=self.acting_user(),
            action=follow_up,
            status=data["status"],
            version=data["version"],
        )
        return self.answer(follow_up)


@extend_schema_view(
    list=extend_schema(tags=TAG, summary=_("Lessons learned and good practices")),
    retrieve=extend_schema(tags=TAG, summary=_("A lesson or good practice")),
    create=extend_schema(
        tags=TAG,
        summary=_("Record a lesson or good practice (proposed until validated)"),
        request=api.LessonInputSerializer,
        responses={201: api.LessonSerializer},
    ),
)
class LessonViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    read_action = "evaluation.list"
    serializer_class = api.LessonSerializer
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[Lesson]:
        return (
            selectors.visible_lessons(self.request.user)
            .prefetch_related("outcomes", "countries", "regions", "themes")
            .order_by("-year", "-pk")
        )

    def create(self, request: Request) -> Response:
        data = self.validated(api.LessonInputSerializer)
        outcomes = [_outcome(pk) for pk in data.pop("outcomes", [])]
        lesson = services.lesson_create(
            user=self.acting_user(),
            outcomes=outcomes,
            countries=data.pop("countries", []),
            regions=data.pop("regions", []),
            themes=data.pop("themes", []),
            **data,
        )
        return self.answer(lesson, status.HTTP_201_CREATED)

    @extend_schema(
        tags=TAG,
        summary=_("Validate a proposed lesson, or turn it down (evaluation managers)"),
        request=api.ValidateSerializer,
        responses={200: api.LessonSerializer},
    )
    @action(detail=True, methods=["post"], url_path="validate")
    def validate(self, request: Request, pk: str) -> Response:
        lesson = self.get_object()
        data = self.validated(api.ValidateSerializer)
        lesson = services.lesson_validate(
            user=self.acting_user(), lesson=lesson, version=data["version"], accept=data["accept"]
        )
        return self.answer(lesson)


PAGE_SIZE = 20
MAX_PAGE_SIZE = 50


def _asked_choices(request: Request) -> dict[str, list[tuple[Any, str]]]:
    """The filters' choices, read only for the ids the request names (one query each): the
    search answers without listing every outcome and country."""
    params = request.query_params
    asked = {name: parse_id(params.get(name)) for name in ("outcome", "country", "region")}
    found: dict[str, list[tuple[Any, str]]] = {"outcome": [], "country": [], "region": []}
    if asked["outcome"]:
        found["outcome"] = [
            (pk, "")
            for pk in framework.outcomes().filter(pk=asked["outcome"]).values_list("pk", flat=True)
        ]
    if asked["country"]:
        found["country"] = [
            (pk, "")
            for pk in Country.objects.filter(pk=asked["country"]).values_list("pk", flat=True)
        ]
    if asked["region"]:
        found["region"] = [
            (pk, "")
            for pk in Region.objects.filter(pk=asked["region"]).values_list("pk", flat=True)
        ]
    return found


class SearchView(APIView):
    permission_classes = [TablePermission]
    read_action = "evaluation.list"

    @extend_schema(
        tags=TAG,
        summary=_("Search lessons, good practices, evaluations and recommendations"),
        parameters=[
            OpenApiParameter("q", str),
            OpenApiParameter("language", str, enum=["en", "fr", "es"]),
            OpenApiParameter("kind", str),
            OpenApiParameter("outcome", int),
            OpenApiParameter("country", int),
            OpenApiParameter("region", int),
            OpenApiParameter("year", int),
            OpenApiParameter("page_size", int, description="Results (20; at most 50)."),
        ],
        responses={
            200: inline_serializer(
                "SearchResults", fields={"results": api.SearchResultSerializer(many=True)}
            )
        },
    )
    def get(self, request: Request) -> Response:
        form = SearchForm(request.query_params, choices=_asked_choices(request))
        if not form.is_valid():
            raise serializers.ValidationError(
                {name: [str(e) for e in errors] for name, errors in form.errors.items()}
            )
        data = form.cleaned_data
        filters = search.SearchFilters(
            outcome_id=data.get("outcome"),
            country_id=data.get("country"),
            region_id=data.get("region"),
            kind=data.get("kind") or "",
            year=data.get("year"),
            languages=(data["language"],) if data.get("language") else ("en", "fr", "es"),
        )
        text = data.get("q") or ""
        results = search.matches(
            text,
            filters,
            public=not selectors.is_staff(request.user),
            staff_sees_unvalidated=selectors.sees_unvalidated(request.user),
        )
        size = min(parse_id(request.query_params.get("page_size")) or PAGE_SIZE, MAX_PAGE_SIZE)
        with search.one_process():
            rows = search.with_snippets(search.documents(results[:size]), text)
        for row in rows:
            row.snippet = row.snippet.replace("\x02", "<<").replace("\x03", ">>")  # type: ignore[attr-defined]
        return Response({"results": api.SearchResultSerializer(rows, many=True).data})

"""API of mid-term reviews with their corrective actions and reallocations."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from rbm.api.viewsets import ApiViewSet
from workplans import services
from workplans.api import filters
from workplans.api.serializers import (
    CorrectiveActionSerializer,
    MidTermReviewCreateSerializer,
    MidTermReviewSerializer,
    MidTermReviewUpdateSerializer,
    ReallocationSerializer,
)
from workplans.models import CorrectiveAction, MidTermReview, Reallocation

MIDTERM_TAG = ["mid-term reviews"]


@extend_schema_view(
    list=extend_schema(tags=MIDTERM_TAG, summary=gettext_lazy("Mid-term reviews of workplans")),
    retrieve=extend_schema(
        tags=MIDTERM_TAG,
        summary=gettext_lazy("A mid-term review, with its corrective actions and reallocations"),
    ),
    create=extend_schema(
        tags=MIDTERM_TAG,
        summary=gettext_lazy("Hold the mid-term review of an approved workplan"),
        request=MidTermReviewCreateSerializer,
        responses={201: MidTermReviewSerializer},
    ),
    partial_update=extend_schema(
        tags=MIDTERM_TAG,
        summary=gettext_lazy("Change a mid-term review"),
        request=MidTermReviewUpdateSerializer,
        responses={200: MidTermReviewSerializer},
    ),
)
class MidTermReviewViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    read_action = "workplan.view"
    serializer_class = MidTermReviewSerializer
    filterset_class = filters.MidTermReviewFilter
    ordering_fields = ["review_date", "updated_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[MidTermReview]:
        return (
            MidTermReview.objects.select_related("workplan__outcome", "workplan__biennium")
            .prefetch_related(
                Prefetch(
                    "corrective_actions",
                    queryset=CorrectiveAction.objects.select_related("region"),
                ),
                Prefetch(
                    "reallocations",
                    queryset=Reallocation.objects.select_related(
                        "from_source", "from_region", "to_source", "to_region", "decided_by"
                    ),
                ),
            )
            .order_by("workplan__biennium__start_year", "workplan__outcome__position", "pk")
        )

    def create(self, request: Request) -> Response:
        data = self.validated(MidTermReviewCreateSerializer)
        review = services.midterm_review_save(user=self.acting_user(), **data)
        return self.answer(review, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        review = self.get_object()
        data = self.validated(MidTermReviewUpdateSerializer)
        review = services.midterm_review_save(
            user=self.acting_user(),
            workplan=review.workplan,
            version=data["version"],
            review_date=data.get("review_date", review.review_date),
            summary=data.get("summary", review.summary),
            lessons_learned=data.get("lessons_learned", review.lessons_learned),
        )
        return self.answer(review)

    @extend_schema(
        tags=MIDTERM_TAG,
        summary=gettext_lazy("Add a corrective action to the review"),
        request=CorrectiveActionSerializer,
        responses={201: CorrectiveActionSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="corrective-actions",
        url_name="corrective-actions",
    )
    def corrective_actions(self, request: Request, pk: str) -> Response:
        review = self.get_object()
        data = self.validated(CorrectiveActionSerializer)
        added = services.corrective_action_add(user=self.acting_user(), review=review, **data)
        return Response(CorrectiveActionSerializer(added).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=MIDTERM_TAG,
        summary=gettext_lazy("Record a reallocation decided at the review"),
        description=gettext_lazy(
            "A transfer takes the amount from the line (from_source, from_region) and adds it "
            "to the line (to_source, to_region): the workplan's total does not change, and a "
            "line cannot give more than it holds. A new allocation adds money to the "
            "destination line only (from_source and from_region are null)."
        ),
        request=ReallocationSerializer,
        responses={201: ReallocationSerializer},
    )
    @action(detail=True, methods=["post"])
    def reallocations(self, request: Request, pk: str) -> Response:
        review = self.get_object()
        data = self.validated(ReallocationSerializer)
        record = services.reallocation_record(user=self.acting_user(), review=review, **data)
        return Response(ReallocationSerializer(record).data, status=status.HTTP_201_CREATED)

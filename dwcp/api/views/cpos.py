"""API of country programme outcomes, one at a time and in bulk."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from dwcp import selectors, services
from dwcp.api import filters
from dwcp.api.bulk import MAX_ITEMS, cpos_bulk_save
from dwcp.api.serializers import (
    CpoBulkItemSerializer,
    CpoBulkResultSerializer,
    CpoCreateSerializer,
    CpoSerializer,
    CpoUpdateSerializer,
    cpo_page_representation,
    cpo_rows,
    read_cpo_rows,
)
from dwcp.api.views.common import DwcpApiViewSet
from dwcp.models import CountryProgrammeOutcome, CpoResource

CPO_TAG = ["country programme outcomes"]


@extend_schema_view(
    list=extend_schema(tags=CPO_TAG, summary=_("Country programme outcomes you may read")),
    retrieve=extend_schema(tags=CPO_TAG, summary=_("A country programme outcome")),
    create=extend_schema(
        tags=CPO_TAG,
        summary=_("Create a CPO with its milestones and resources"),
        request=CpoCreateSerializer,
        responses={201: CpoSerializer},
    ),
    partial_update=extend_schema(
        tags=CPO_TAG,
        summary=_("Change a CPO; `milestones` and `resources`, when given, replace its lists"),
        description=_(
            "Sending what is already stored changes nothing and is not an error, even with an "
            "older version."
        ),
        request=CpoUpdateSerializer,
        responses={200: CpoSerializer},
    ),
)
class CpoViewSet(DwcpApiViewSet):
    serializer_class = CpoSerializer
    filterset_class = filters.CpoFilter
    search_fields = ["code", "title"]
    ordering_fields = ["code", "biennium__start_year", "title", "updated_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[CountryProgrammeOutcome]:
        return (
            selectors.visible_cpos(self.request.user)
            .select_related(
                "programme__country__region", "biennium", "outcome", "indicator", "priority"
            )
            .prefetch_related(
                "milestones",
                Prefetch(
                    "resources", queryset=CpoResource.objects.select_related("funding_source")
                ),
            )
            .order_by(*self.default_ordering())
        )

    def list(self, request: Request) -> Response:
        # The page is read as rows, not model instances (cpo_rows), and written by hand.
        cpos = self.filter_queryset(selectors.visible_cpos(request.user).order_by())
        if cpos.query.order_by:  # ?ordering=
            rows: Sequence[dict[str, Any]] = cpo_rows(cpos)
        elif request.query_params.get("biennium"):
            rows = cpo_rows(cpos.order_by(*self.default_ordering()))
        else:
            rows = selectors.cpos_by_biennium(cpos, read_cpo_rows)
        page = self.paginate_queryset(rows)
        assert page is not None  # the API always paginates
        return self.get_paginated_response(cpo_page_representation(page))

    def default_ordering(self) -> tuple[str, ...]:
        """By biennium and code; within one biennium (the usual request) by code alone, which
        the unique index on (biennium, code) gives without a join and a sort."""
        if self.request.query_params.get("biennium"):
            return ("code", "pk")
        return ("biennium__start_year", "code", "pk")

    def create(self, request: Request) -> Response:
        serializer = CpoCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        cpo = services.cpo_create(user=self.acting_user(), **serializer.to_service_kwargs())
        return self.answer(cpo, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        cpo = self.get_object()
        serializer = CpoUpdateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.to_service_kwargs()
        version = data.pop("version")
        cpo, _changed = services.cpo_update(
            user=self.acting_user(), cpo=cpo, version=version, **data
        )
        return self.answer(cpo)

    @extend_schema(
        tags=CPO_TAG,
        summary=_("Create and update many CPOs at once, all or nothing"),
        description=_(
            "A JSON list of at most %(max)s CPOs: with `id` and `version` an item updates that "
            "CPO (like PATCH: `version` is required), without `id` it creates one (like POST: "
            "the fields POST requires are required). If any item fails, "
            "nothing is saved and the 400 answer lists each failing item's errors under "
            "`error.items` by its index."
        )
        % {"max": MAX_ITEMS},
        request=CpoBulkItemSerializer(many=True, max_length=MAX_ITEMS),
        responses={200: CpoBulkResultSerializer},
    )
    @action(detail=False, methods=["post"])
    def bulk(self, request: Request) -> Response:
        outcome = cpos_bulk_save(
            user=self.acting_user(), items=request.data, context=self.get_serializer_context()
        )
        saved = self.get_queryset().in_bulk(outcome.ids)
        return Response(
            {
                "created": outcome.created,
                "updated": outcome.updated,
                "unchanged": outcome.unchanged,
                "results": self.get_serializer([saved[pk] for pk in outcome.ids], many=True).data,
            }
        )

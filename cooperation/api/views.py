"""The API of development cooperation: donors, projects with their parts, the lifecycle's
steps, the appraisal, and a region's funding gap. Thin: validate -> service -> serialize."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cooperation import selectors, services, spreadsheets
from cooperation.api.serializers import (
    AppraisalSerializer,
    DonorSerializer,
    DonorWriteSerializer,
    ProjectSerializer,
    ProjectUpdateSerializer,
    ProjectWriteSerializer,
    ServicingSerializer,
    StepSerializer,
    WorkbookSerializer,
)
from cooperation.models import CpoLink, Donor, DonorContribution, Project, ProjectYear
from rbm.api.fields import BienniumField, region_field
from rbm.api.permissions import TablePermission
from rbm.api.viewsets import ApiViewSet

TAG = ["development cooperation"]


def _parts(data: dict[str, Any]) -> dict[str, Any]:
    """The write serializer's data as the services take it."""
    parts: dict[str, Any] = {}
    if "contributions" in data:
        parts["contributions"] = [
            services.ContributionData(row["donor"], row["amount"])
            for row in data.pop("contributions")
        ]
    if "years" in data:
        parts["years"] = [
            services.YearData(
                row["year"],
                row["budget"],
                row.get("disbursed", Decimal(0)),
                row.get("expenditure", Decimal(0)),
            )
            for row in data.pop("years")
        ]
    if "cpo_links" in data:
        rows = data.pop("cpo_links")
        cpos = selectors.cpos_in_bulk([row["cpo"] for row in rows])
        missing = [row["cpo"] for row in rows if row["cpo"] not in cpos]
        if missing:
            raise ValidationError(
                {"cpo_links": [_("No CPO has the id %(id)s.") % {"id": pk} for pk in missing]}
            )
        parts["links"] = [services.LinkData(cpos[row["cpo"]], row["share"]) for row in rows]
    return parts


@extend_schema(tags=TAG)
class DonorViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    serializer_class = DonorSerializer
    read_action = "donor.view"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Donor]:
        return selectors.donors()

    @extend_schema(request=DonorWriteSerializer, responses={201: DonorSerializer})
    def create(self, request: Request) -> Response:
        data = self.validated(DonorWriteSerializer)
        data.pop("version", None)
        donor = services.donor_create(user=self.acting_user(), **data)
        return self.answer(donor, status.HTTP_201_CREATED)

    @extend_schema(request=DonorWriteSerializer, responses={200: DonorSerializer})
    def partial_update(self, request: Request, pk: str) -> Response:
        donor = self.get_object()
        data = self.validated(DonorWriteSerializer, partial=True)
        version = data.pop("version", None)
        donor = services.donor_update(user=self.acting_user(), donor=donor, version=version, **data)
        return self.answer(donor)


@extend_schema(tags=TAG)
class ProjectViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    serializer_class = ProjectSerializer
    read_action = "project.list"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Project]:
        return (
            selectors.visible_projects(self.request.user)
            .select_related("region", "office", "technical_unit")
            .prefetch_related(
                "countries",
                Prefetch(
                    "contributions", queryset=DonorContribution.objects.select_related("donor")
                ),
                Prefetch("years_set", queryset=ProjectYear.objects.order_by("year")),
                Prefetch("cpo_links", queryset=CpoLink.objects.select_related("cpo", "biennium")),
            )
            .order_by("code")
        )

    def list(self, request: Request) -> Response:
        # A page is read as ids, then as rows (selectors.project_rows), written as they are:
        # the same shape as ProjectSerializer (a test compares them).
        ids = selectors.visible_projects(request.user).order_by("code").values_list("pk", flat=True)
        page = self.paginate_queryset(ids)
        assert page is not None  # the API always paginates
        return self.get_paginated_response(selectors.project_rows(list(page)))

    @extend_schema(request=ProjectWriteSerializer, responses={201: ProjectSerializer})
    def create(self, request: Request) -> Response:
        data = self.validated(ProjectWriteSerializer)
        data.pop("version", None)
        parts = _parts(data)
        project = services.project_create(user=self.acting_user(), **parts, **data)
        return self.answer(project, status.HTTP_201_CREATED)

    @extend_schema(request=ProjectUpdateSerializer, responses={200: ProjectSerializer})
    def partial_update(self, request: Request, pk: str) -> Response:
        project = self.get_object()
        data = self.validated(ProjectUpdateSerializer)
        version = data.pop("version", None)
        parts = _parts(data)
        project = services.project_update(
            user=self.acting_user(), project=project, version=version, **parts, **data
        )
        return self.answer(project)

    @extend_schema(request=StepSerializer, responses={200: ProjectSerializer})
    @action(detail=True, methods=["post"])
    def step(self, request: Request, pk: str) -> Response:
        project = self.get_object()
        data = self.validated(StepSerializer)
        project = services.project_step(
            user=self.acting_user(), project=project, target=data["target"], version=data["version"]
        )
        return self.answer(project)

    @extend_schema(
        request={"multipart/form-data": WorkbookSerializer},
        responses={200: dict},
        summary="Import projects and their CPO links from a workbook, all or nothing",
    )
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser])
    def import_workbook(self, request: Request) -> Response:
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationError({"file": [_("Send the workbook as the field “file”.")]})
        if upload.size is not None and upload.size > spreadsheets.MAX_BYTES:
            raise spreadsheets.WorkbookRefused(
                _("The file is larger than %(limit)s MB. Import it in parts.")
                % {"limit": spreadsheets.MAX_BYTES // 1024**2},
                status_code=413,
            )
        counts = spreadsheets.import_workbook(
            user=self.acting_user(), content=upload.read(spreadsheets.MAX_BYTES + 1)
        )
        return Response(counts)

    @extend_schema(
        request=ServicingSerializer,
        responses={200: ProjectSerializer},
        summary="An HQ technical unit records that it services a CPO the project serves",
    )
    @action(detail=True, methods=["post"])
    def service(self, request: Request, pk: str) -> Response:
        project = self.get_object()
        data = self.validated(ServicingSerializer)
        link = project.cpo_links.filter(cpo_id=data["cpo"]).first()
        if link is None:
            raise ValidationError({"cpo": [_("The project does not serve this CPO.")]})
        services.cpo_link_set_servicing(
            user=self.acting_user(), link=link, serviced=data["serviced"]
        )
        return self.answer(project)

    @extend_schema(request=AppraisalSerializer, responses={200: ProjectSerializer})
    @action(detail=True, methods=["post"])
    def appraise(self, request: Request, pk: str) -> Response:
        project = self.get_object()
        data = self.validated(AppraisalSerializer)
        services.project_appraise(user=self.acting_user(), project=project, **data)
        return self.answer(project)


class FundingQuerySerializer(serializers.Serializer[Any]):
    region = region_field()
    biennium = BienniumField()


class RegionFundingView(APIView):
    """A region's funding gap in a biennium, by P&B outcome (USD as strings)."""

    permission_classes = [TablePermission]
    read_action = "funding.view"

    @extend_schema(tags=TAG, parameters=[FundingQuerySerializer], responses={200: dict})
    def get(self, request: Request) -> Response:
        query = FundingQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        view = selectors.region_funding(
            query.validated_data["region"], query.validated_data["biennium"]
        )
        return Response(
            {
                "region": view.region.code,
                "biennium": view.biennium.code,
                "outcomes": [
                    {
                        "outcome": line.outcome.code,
                        "cpos": line.funding.cpos,
                        **_money(line.funding),
                    }
                    for line in view.outcomes
                ],
                "total": _money(view.total),
            }
        )


def _money(funding: selectors.Funding) -> dict[str, Any]:
    values = funding.as_dict()
    return {k: (None if v is None else str(v)) for k, v in values.items()}

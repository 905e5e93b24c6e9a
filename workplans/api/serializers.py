"""Serializers of outcome-based workplans, mid-term reviews, the demand-and-target table and
published tables.

Output serializers describe what a client reads (with ``version`` on the records it may
edit); input serializers validate what it sends before a ``workplans.services`` service
writes it. Reference data is written and read by code ("RB", "africa", "2012-13").
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from dwcp.api.serializers import version_field
from rbm.api.fields import BienniumField, CodeField, IdField, funding_source_field, region_field
from rbm.api.serializers import TIMESTAMPS, RegionSerializer
from rbm.models import FundingSource, Region, User
from workplans.models import (
    CorrectiveAction,
    MidTermReview,
    OutcomeWorkplan,
    PublishedFigure,
    PublishedTable,
    Reallocation,
    ReallocationKind,
    WorkplanEvent,
    WorkplanResource,
)
from workplans.selectors import Cell, DemandTargetTable, Difference

MONEY: dict[str, Any] = {"max_digits": 15, "decimal_places": 2}
GLOBAL = "global"
MAX_CSV_BYTES = 2 * 1024 * 1024
MAX_RESOURCE_LINES = 100
TEXT = 5000  # the longest comment or corrective action the pages take
LONG_TEXT = 20000  # the longest strategy text or assessment

AMOUNTS = serializers.DictField(
    child=serializers.DecimalField(max_digits=17, decimal_places=2), read_only=True
)


def region_or_global(help_text: Any) -> CodeField:
    """A region by code, or null for global and headquarters work."""
    return CodeField(Region, required=False, allow_null=True, default=None, help_text=help_text)


def username_field(**kwargs: Any) -> CodeField:
    return CodeField(User, slug_field="username", read_only=True, allow_null=True, **kwargs)


# Workplans ---------------------------------------------------------------------------------


class WorkplanResourceSerializer(serializers.ModelSerializer[WorkplanResource]):
    funding_source = CodeField(FundingSource, read_only=True)
    region = CodeField(
        Region,
        read_only=True,
        allow_null=True,
        help_text=gettext_lazy("Region code; null for global and headquarters work."),
    )

    class Meta:
        model = WorkplanResource
        fields = ("funding_source", "region", "amount")
        read_only_fields = fields


class WorkplanSerializer(serializers.ModelSerializer[OutcomeWorkplan]):
    outcome_code = serializers.CharField(source="outcome.code", read_only=True)
    outcome_title = serializers.CharField(source="outcome.title", read_only=True)
    biennium = BienniumField(read_only=True)
    coordinator = username_field(help_text=gettext_lazy("The coordinator's username."))
    coordinator_name = serializers.SerializerMethodField()
    resources = WorkplanResourceSerializer(many=True, read_only=True)
    resources_by_source = serializers.SerializerMethodField(
        help_text=gettext_lazy("USD by funding source code.")
    )
    resources_by_region = serializers.SerializerMethodField(
        help_text=gettext_lazy("USD by region code; “global” for headquarters work.")
    )
    resources_total = serializers.SerializerMethodField()
    comment_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = OutcomeWorkplan
        fields = (
            "id",
            "outcome",
            "outcome_code",
            "outcome_title",
            "biennium",
            "coordinator",
            "coordinator_name",
            "status",
            "resources",
            "resources_by_source",
            "resources_by_region",
            "resources_total",
            "comment_count",
            "version",
            *TIMESTAMPS,
        )
        read_only_fields = fields

    def get_coordinator_name(self, workplan: OutcomeWorkplan) -> str:
        coordinator = workplan.coordinator
        return coordinator.get_full_name() or coordinator.username if coordinator else ""

    @extend_schema_field(AMOUNTS)
    def get_resources_by_source(self, workplan: OutcomeWorkplan) -> dict[str, str]:
        totals: dict[str, Decimal] = defaultdict(Decimal)
        for line in workplan.resources.all():
            totals[line.funding_source.code] += line.amount
        return {code: f"{amount:.2f}" for code, amount in totals.items()}

    @extend_schema_field(AMOUNTS)
    def get_resources_by_region(self, workplan: OutcomeWorkplan) -> dict[str, str]:
        totals: dict[str, Decimal] = defaultdict(Decimal)
        for line in workplan.resources.all():
            totals[line.region.code if line.region else GLOBAL] += line.amount
        return {code: f"{amount:.2f}" for code, amount in totals.items()}

    @extend_schema_field(serializers.DecimalField(max_digits=17, decimal_places=2))
    def get_resources_total(self, workplan: OutcomeWorkplan) -> str:
        return f"{sum((line.amount for line in workplan.resources.all()), Decimal(0)):.2f}"


class WorkplanOpenSerializer(serializers.Serializer[Any]):
    biennium = BienniumField(
        help_text=gettext_lazy("Open the missing workplans of this biennium, e.g. 2012-13.")
    )


class WorkplanOpenResultSerializer(serializers.Serializer[Any]):
    created = serializers.IntegerField(help_text=gettext_lazy("How many workplans were opened."))
    results = WorkplanSerializer(many=True)


class WorkplanEventSerializer(serializers.ModelSerializer[WorkplanEvent]):
    author = username_field()
    author_name = serializers.SerializerMethodField()

    class Meta:
        model = WorkplanEvent
        fields = ("id", "kind", "author", "author_name", "text", "created_at")
        read_only_fields = fields

    def get_author_name(self, event: WorkplanEvent) -> str:
        return event.author.get_full_name() or event.author.username


class CommentSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(max_length=TEXT)


class StrategyTextSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(max_length=LONG_TEXT)
    previous_text = serializers.CharField(
        max_length=LONG_TEXT,
        allow_blank=True,
        help_text=gettext_lazy(
            "The element's text as you read it (empty when it had none): if someone saved "
            "another since, the answer is 409 with their text in `current_text`."
        ),
    )


class ResourceLineSerializer(serializers.Serializer[Any]):
    funding_source = funding_source_field()
    region = region_or_global(
        gettext_lazy("Region code, e.g. africa; null for global and headquarters work.")
    )
    amount = serializers.DecimalField(**MONEY, min_value=Decimal(0))


class WorkplanResourcesSerializer(serializers.Serializer[Any]):
    version = version_field()
    lines = ResourceLineSerializer(  # type: ignore[call-arg]
        many=True,
        max_length=MAX_RESOURCE_LINES,
        help_text=gettext_lazy(
            "Every line of the workplan: the lines not sent (and those of 0) are removed."
        ),
    )

    def validate_lines(self, lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """One line per funding source and region (errors by index, as DRF gives its own)."""
        seen: set[tuple[int, int | None]] = set()
        errors: dict[str, Any] = {}
        for index, line in enumerate(lines):
            region = line["region"]
            key = (line["funding_source"].pk, region.pk if region else None)
            if key in seen:
                errors[str(index)] = {
                    "region": [_("This funding source and region are already on another line.")]
                }
            seen.add(key)
        if errors:
            raise serializers.ValidationError(errors)
        return lines


# Mid-term reviews --------------------------------------------------------------------------


class CorrectiveActionSerializer(serializers.ModelSerializer[CorrectiveAction]):
    """A corrective action, as sent (region and text) and as read."""

    region = region_or_global(gettext_lazy("Region code; null for every region or global work."))
    text = serializers.CharField(max_length=TEXT)

    class Meta:
        model = CorrectiveAction
        fields = ("id", "region", "text", "created_at")
        read_only_fields = ("id", "created_at")


class ReallocationSerializer(serializers.ModelSerializer[Reallocation]):
    """A reallocation, as sent and as read: a transfer names the line it takes from
    (``from_source``, ``from_region``); a new allocation leaves them null."""

    from_source = funding_source_field(required=False, allow_null=True, default=None)
    from_region = region_or_global(
        gettext_lazy("Region code of the line the money leaves; null for global.")
    )
    to_source = funding_source_field()
    to_region = region_or_global(
        gettext_lazy("Region code of the line the money goes to; null for global.")
    )
    amount = serializers.DecimalField(**MONEY, min_value=Decimal("0.01"))
    reason = serializers.CharField(max_length=TEXT)
    decided_by = username_field()

    class Meta:
        model = Reallocation
        fields = (
            "id",
            "kind",
            "from_source",
            "from_region",
            "to_source",
            "to_region",
            "amount",
            "reason",
            "decided_by",
            "created_at",
        )
        read_only_fields = ("id", "decided_by", "created_at")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        message = _("A transfer says where the money comes from; a new allocation does not.")
        if attrs["kind"] == ReallocationKind.TRANSFER and attrs["from_source"] is None:
            raise serializers.ValidationError({"from_source": [message]})
        if attrs["kind"] == ReallocationKind.NEW_ALLOCATION:
            wrong = [name for name in ("from_source", "from_region") if attrs[name] is not None]
            if wrong:
                raise serializers.ValidationError({name: [message] for name in wrong})
        return attrs


class MidTermReviewSerializer(serializers.ModelSerializer[MidTermReview]):
    outcome = serializers.IntegerField(source="workplan.outcome_id", read_only=True)
    outcome_code = serializers.CharField(source="workplan.outcome.code", read_only=True)
    biennium = BienniumField(source="workplan.biennium", read_only=True)
    corrective_actions = CorrectiveActionSerializer(many=True, read_only=True)
    reallocations = ReallocationSerializer(many=True, read_only=True)

    class Meta:
        model = MidTermReview
        fields = (
            "id",
            "workplan",
            "outcome",
            "outcome_code",
            "biennium",
            "review_date",
            "summary",
            "lessons_learned",
            "corrective_actions",
            "reallocations",
            "version",
            *TIMESTAMPS,
        )
        read_only_fields = fields


class MidTermReviewFieldsSerializer(serializers.Serializer[Any]):
    review_date = serializers.DateField(help_text=gettext_lazy("Within the workplan's biennium."))
    summary = serializers.CharField(
        max_length=LONG_TEXT, required=False, allow_blank=True, default=""
    )
    lessons_learned = serializers.CharField(
        max_length=LONG_TEXT, required=False, allow_blank=True, default=""
    )


class MidTermReviewCreateSerializer(MidTermReviewFieldsSerializer):
    workplan = IdField(
        OutcomeWorkplan.objects.select_related("outcome", "biennium"),
        help_text=gettext_lazy("The approved workplan reviewed."),
    )

    def validate_workplan(self, workplan: OutcomeWorkplan) -> OutcomeWorkplan:
        review = MidTermReview.objects.filter(workplan=workplan).values_list("pk", flat=True)
        if review:
            raise serializers.ValidationError(
                _("This workplan already has a mid-term review (%(id)s): change it with PATCH.")
                % {"id": review[0]}
            )
        return workplan


class MidTermReviewUpdateSerializer(MidTermReviewFieldsSerializer):
    version = version_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "version":
                field.required = False
                field.default = serializers.empty


# The demand-and-target table ---------------------------------------------------------------


class TableFigureSerializer(serializers.Serializer[Any]):
    demand = serializers.IntegerField(help_text=gettext_lazy("CPOs prioritized by constituents."))
    target = serializers.IntegerField(help_text=gettext_lazy("CPOs the Office targets."))
    flagged = serializers.BooleanField(help_text=gettext_lazy("The target exceeds the demand."))


class TableCellSerializer(TableFigureSerializer):
    region = serializers.CharField(help_text=gettext_lazy("Region code."))


class TableRowSerializer(serializers.Serializer[Any]):
    outcome = serializers.IntegerField()
    outcome_code = serializers.CharField()
    outcome_title = serializers.CharField()
    workplan = serializers.IntegerField(
        allow_null=True, help_text=gettext_lazy("The outcome's workplan for the biennium.")
    )
    cells = TableCellSerializer(many=True)
    total = TableFigureSerializer()


class DemandTargetTableSerializer(serializers.Serializer[Any]):
    biennium = serializers.CharField()
    region = serializers.CharField(
        allow_null=True, help_text=gettext_lazy("The region asked for, or null for all.")
    )
    regions = RegionSerializer(many=True)
    rows = TableRowSerializer(many=True)
    region_totals = TableCellSerializer(many=True)
    grand_total = TableFigureSerializer()


class TableQuerySerializer(serializers.Serializer[Any]):
    biennium = BienniumField()
    region = region_field(required=False, allow_null=True, default=None)


def _figure(cell: Cell) -> dict[str, Any]:
    return {"demand": cell.demand, "target": cell.target, "flagged": cell.flagged}


def table_data(
    table: DemandTargetTable, *, region: Region | None, workplans: dict[int, int]
) -> dict[str, Any]:
    """The table as the API gives it (``workplans``: outcome id -> workplan id)."""
    return {
        "biennium": table.biennium.code,
        "region": region.code if region else None,
        "regions": RegionSerializer(table.regions, many=True).data,
        "rows": [
            {
                "outcome": outcome.pk,
                "outcome_code": outcome.code,
                "outcome_title": outcome.title,
                "workplan": workplans.get(outcome.pk),
                "cells": [{"region": r.code, **_figure(cell)} for r, cell in cells],
                "total": _figure(total),
            }
            for outcome, cells, total in table.rows()
        ],
        "region_totals": [
            {"region": r.code, **_figure(table.region_totals.get(r.pk, Cell()))}
            for r in table.regions
        ],
        "grand_total": _figure(table.grand_total),
    }


# Published tables ---------------------------------------------------------------------------


class PublishedFigureSerializer(serializers.ModelSerializer[PublishedFigure]):
    outcome = serializers.CharField(source="outcome_code", read_only=True)
    region = serializers.CharField(source="region_code", read_only=True)

    class Meta:
        model = PublishedFigure
        fields = ("outcome", "region", "demand", "target")
        read_only_fields = fields


class PublishedTableSerializer(serializers.ModelSerializer[PublishedTable]):
    biennium = BienniumField(read_only=True)
    recorded_by = username_field()
    figure_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = PublishedTable
        fields: tuple[str, ...] = (
            "id",
            "biennium",
            "name",
            "source",
            "recorded_by",
            "figure_count",
            *TIMESTAMPS,
        )
        read_only_fields: tuple[str, ...] = fields


class PublishedTableDetailSerializer(PublishedTableSerializer):
    figures = PublishedFigureSerializer(many=True, read_only=True)

    class Meta(PublishedTableSerializer.Meta):
        fields = (*PublishedTableSerializer.Meta.fields, "figures")
        read_only_fields = fields


class PublishedTableInputSerializer(serializers.Serializer[Any]):
    biennium = BienniumField()
    name = serializers.CharField(max_length=200)
    source = serializers.CharField(  # type: ignore[assignment]
        max_length=300, required=False, allow_blank=True, default=""
    )
    csv = serializers.CharField(
        required=False,
        trim_whitespace=False,
        max_length=MAX_CSV_BYTES,
        help_text=gettext_lazy(
            "The figures as CSV text: outcome,region,demand,target, “Total” for the totals."
        ),
    )
    file = serializers.FileField(
        required=False,
        help_text=gettext_lazy("The figures as a CSV file in UTF-8, up to 2 MB (multipart)."),
    )
    replace = serializers.BooleanField(
        required=False,
        default=False,
        help_text=gettext_lazy("Replace the table of this name if it exists."),
    )

    def validate_file(self, upload: Any) -> str:
        if upload.size > MAX_CSV_BYTES:
            raise serializers.ValidationError(
                _("The file is larger than 2 MB: is it the right one?")
            )
        try:
            return str(upload.read().decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise serializers.ValidationError(
                _("The file is not UTF-8 text: save it as “CSV UTF-8” and upload it again.")
            ) from None

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("csv" in attrs) == ("file" in attrs):
            raise serializers.ValidationError(
                _("Send the figures either as CSV text (csv) or as a CSV file (file).")
            )
        attrs["text"] = attrs.pop("csv", None) or attrs.pop("file", "")
        return attrs


class DifferenceSerializer(serializers.Serializer[Any]):
    outcome = serializers.CharField(help_text=gettext_lazy("Outcome code, or Total."))
    region = serializers.CharField(help_text=gettext_lazy("Region as printed, or Total."))
    measure = serializers.ChoiceField(choices=["demand", "target"])
    published = serializers.IntegerField(allow_null=True)
    computed = serializers.IntegerField(help_text=gettext_lazy("What the records give."))
    difference = serializers.IntegerField(help_text=gettext_lazy("Computed less published."))


class ComparisonSerializer(serializers.Serializer[Any]):
    table = serializers.IntegerField()
    name = serializers.CharField()
    biennium = serializers.CharField()
    figure_count = serializers.IntegerField()
    differences = DifferenceSerializer(many=True)


def difference_data(difference: Difference) -> dict[str, Any]:
    return {
        "outcome": difference.outcome,
        "region": difference.region,
        "measure": difference.measure,
        "published": difference.published,
        "computed": difference.computed,
        "difference": difference.computed - (difference.published or 0),
    }

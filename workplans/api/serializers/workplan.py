"""Serializers of workplans: their resources, strategy texts, events and comments."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from dwcp.api.serializers import version_field
from rbm.api.fields import BienniumField, CodeField, funding_source_field
from rbm.api.serializers import TIMESTAMPS
from rbm.models import FundingSource, Region
from workplans.api.serializers.common import (
    AMOUNTS,
    GLOBAL,
    LONG_TEXT,
    MAX_RESOURCE_LINES,
    MONEY,
    TEXT,
    region_or_global,
    username_field,
)
from workplans.models import OutcomeWorkplan, WorkplanEvent, WorkplanResource


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

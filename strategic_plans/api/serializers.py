"""Serializers of the results framework: output (what a client reads) and input (what it sends)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from rbm.api.fields import BienniumField, CodeField, IdField, funding_source_field, region_field
from rbm.api.serializers import TIMESTAMPS
from rbm.models import Region
from strategic_plans import texts
from strategic_plans.models import (
    INDICATOR_CODE,
    OUTCOME_CODE,
    Indicator,
    Outcome,
    OutcomeResource,
    OutcomeStrategy,
    StrategicObjective,
    StrategicPlan,
    StrategyElement,
    Target,
)
from strategic_plans.services import target_warning

YEAR: dict[str, Any] = {"min_value": 1990, "max_value": 2100}
POSITION: dict[str, Any] = {"min_value": 0, "max_value": 32767}
COUNT: dict[str, Any] = {"min_value": 0, "max_value": 2_147_483_647}


class TranslatedTextsMixin(serializers.Serializer[Any]):
    """The language the texts are in (``?lang=`` or ``Accept-Language``) and which of them
    fell back to English because their translation is missing (ADR 0016)."""

    language = serializers.SerializerMethodField(
        help_text=gettext_lazy("The language of the texts: en, fr or es.")
    )
    untranslated = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "The texts shown in English because their translation into this language is missing."
        )
    )

    def get_language(self, record: Any) -> str:
        return texts.active_language()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_untranslated(self, record: Any) -> list[str]:
        return texts.untranslated(record)


TRANSLATED = ("language", "untranslated")


class StrategicPlanSerializer(TranslatedTextsMixin, serializers.ModelSerializer[StrategicPlan]):
    period = serializers.CharField(read_only=True, help_text=gettext_lazy("e.g. 2010-15"))

    class Meta:
        model = StrategicPlan
        fields = (
            "id",
            "title",
            "short_name",
            "start_year",
            "end_year",
            "period",
            "description",
            *TRANSLATED,
            *TIMESTAMPS,
        )
        read_only_fields = fields


class StrategicPlanInputSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=200)
    short_name = serializers.CharField(max_length=40)
    start_year = serializers.IntegerField(**YEAR)
    end_year = serializers.IntegerField(**YEAR)
    description = serializers.CharField(required=False, allow_blank=True, default="")


class StrategicObjectiveSerializer(
    TranslatedTextsMixin, serializers.ModelSerializer[StrategicObjective]
):
    class Meta:
        model = StrategicObjective
        fields = (
            "id",
            "plan",
            "number",
            "title",
            "description",
            "is_cross_cutting",
            *TRANSLATED,
            *TIMESTAMPS,
        )
        read_only_fields = fields


class StrategicObjectiveInputSerializer(serializers.Serializer[Any]):
    plan = IdField(StrategicPlan.objects.all())
    number = serializers.IntegerField(min_value=1, max_value=32767)
    title = serializers.CharField(max_length=300)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    is_cross_cutting = serializers.BooleanField(required=False, default=False)


class OutcomeSerializer(TranslatedTextsMixin, serializers.ModelSerializer[Outcome]):
    plan = serializers.IntegerField(
        source="objective.plan_id", read_only=True, help_text=gettext_lazy("The strategic plan.")
    )

    class Meta:
        model = Outcome
        fields = (
            "id",
            "plan",
            "objective",
            "code",
            "title",
            "statement",
            "position",
            *TRANSLATED,
            *TIMESTAMPS,
        )
        read_only_fields = fields


class OutcomeInputSerializer(serializers.Serializer[Any]):
    objective = IdField(StrategicObjective.objects.select_related("plan"))
    code = serializers.CharField(max_length=8, validators=[OUTCOME_CODE])
    title = serializers.CharField(max_length=300)
    statement = serializers.CharField(required=False, allow_blank=True, default="")
    position = serializers.IntegerField(required=False, default=0, **POSITION)


class IndicatorSerializer(TranslatedTextsMixin, serializers.ModelSerializer[Indicator]):
    outcome_code = serializers.CharField(source="outcome.code", read_only=True)

    class Meta:
        model = Indicator
        fields = (
            "id",
            "outcome",
            "outcome_code",
            "code",
            "text",
            "unit",
            "measurement_criteria",
            "baseline",
            "baseline_value",
            "baseline_year",
            "position",
            *TRANSLATED,
            *TIMESTAMPS,
        )
        read_only_fields = fields


class IndicatorInputSerializer(serializers.Serializer[Any]):
    outcome = IdField(Outcome.objects.all())
    code = serializers.CharField(max_length=12, validators=[INDICATOR_CODE])
    text = serializers.CharField()
    unit = serializers.CharField(max_length=80, required=False, default="member States")
    measurement_criteria = serializers.CharField(required=False, allow_blank=True, default="")
    baseline = serializers.CharField(required=False, allow_blank=True, default="")
    position = serializers.IntegerField(required=False, default=0, **POSITION)


class RegionalValueSerializer(serializers.Serializer[Any]):
    region = region_field()
    value = serializers.IntegerField(**COUNT)


class RegionalValueOutputSerializer(serializers.Serializer[Any]):
    region = CodeField(Region, read_only=True)
    value = serializers.IntegerField(read_only=True)


class TargetSerializer(serializers.ModelSerializer[Target]):
    indicator_code = serializers.CharField(source="indicator.code", read_only=True)
    outcome = serializers.IntegerField(source="indicator.outcome_id", read_only=True)
    biennium = BienniumField(read_only=True)
    by_region = RegionalValueOutputSerializer(many=True, read_only=True)
    regional_sum = serializers.SerializerMethodField()
    warning = serializers.SerializerMethodField()

    class Meta:
        model = Target
        fields = (
            "id",
            "indicator",
            "indicator_code",
            "outcome",
            "biennium",
            "total",
            "note",
            "by_region",
            "regional_sum",
            "warning",
            *TIMESTAMPS,
        )
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_regional_sum(self, target: Target) -> int | None:
        values = [regional.value for regional in target.by_region.all()]
        return sum(values) if values else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_warning(self, target: Target) -> str | None:
        """The regional values do not add up to the total: shown, never "fixed"."""
        warning = target_warning(target)
        return warning.message if warning else None


class TargetInputSerializer(serializers.Serializer[Any]):
    indicator = IdField(Indicator.objects.select_related("outcome__objective__plan"))
    biennium = BienniumField()
    total = serializers.IntegerField(**COUNT)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    by_region = RegionalValueSerializer(many=True, required=False, default=list)

    def validate_by_region(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        regions = [item["region"].pk for item in value]
        if len(regions) != len(set(regions)):
            raise serializers.ValidationError(_("A region appears twice."))
        return value


class OutcomeResourceSerializer(serializers.ModelSerializer[OutcomeResource]):
    biennium = BienniumField(read_only=True)
    funding_source = funding_source_field(read_only=True)

    class Meta:
        model = OutcomeResource
        fields = ("id", "outcome", "biennium", "funding_source", "amount", *TIMESTAMPS)
        read_only_fields = fields


class OutcomeResourceInputSerializer(serializers.Serializer[Any]):
    outcome = IdField(Outcome.objects.select_related("objective__plan"))
    biennium = BienniumField()
    funding_source = funding_source_field()
    amount = serializers.DecimalField(max_digits=15, decimal_places=2, min_value=Decimal(0))


class OutcomeStrategySerializer(serializers.ModelSerializer[OutcomeStrategy]):
    biennium = BienniumField(read_only=True)
    element = CodeField(StrategyElement, read_only=True)
    element_title = serializers.CharField(source="element.label", read_only=True)

    class Meta:
        model = OutcomeStrategy
        fields = ("id", "outcome", "biennium", "element", "element_title", "text", *TIMESTAMPS)
        read_only_fields = fields


class OutcomeStrategyInputSerializer(serializers.Serializer[Any]):
    outcome = IdField(Outcome.objects.all())
    biennium = BienniumField()
    element = CodeField(StrategyElement, help_text=gettext_lazy("Strategy element code."))
    text = serializers.CharField()

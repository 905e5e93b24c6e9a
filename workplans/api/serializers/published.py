"""Serializers of published tables and their comparison with the records."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from rbm.api.fields import BienniumField
from rbm.api.serializers import TIMESTAMPS
from workplans.api.serializers.common import MAX_CSV_BYTES, username_field
from workplans.models import PublishedFigure, PublishedTable
from workplans.selectors import Difference


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

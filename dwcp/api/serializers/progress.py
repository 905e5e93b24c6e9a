"""Serializers of reporting periods and progress reports."""

from __future__ import annotations

from typing import Any

from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from dwcp import selectors
from dwcp.api.serializers.common import COUNT, request_user, version_field
from dwcp.models import (
    EVIDENCE_EXTENSIONS,
    CountryProgrammeOutcome,
    ProgressReport,
    ProgressStatus,
    ReportingPeriod,
    validate_upload_size,
)
from rbm.api.fields import BienniumField, CodeField, IdField, StoredFileLinkField
from rbm.api.serializers import TIMESTAMPS
from rbm.models import Country, User


class ReportingPeriodSerializer(serializers.ModelSerializer[ReportingPeriod]):
    biennium = BienniumField(read_only=True)

    class Meta:
        model = ReportingPeriod
        fields = ("id", "code", "name", "biennium", "starts_on", "ends_on", *TIMESTAMPS)
        read_only_fields = fields


class ProgressReportSerializer(serializers.ModelSerializer[ProgressReport]):
    cpo_code = serializers.CharField(source="cpo.code", read_only=True)
    programme = serializers.IntegerField(source="cpo.programme_id", read_only=True)
    country = CodeField(
        Country, slug_field="alpha3", source="cpo.programme.country", read_only=True
    )
    biennium = BienniumField(source="cpo.biennium", read_only=True)
    period = CodeField(ReportingPeriod, read_only=True)
    evidence_url = serializers.CharField(read_only=True)
    evidence_file = StoredFileLinkField("api:progress-report-evidence")
    submitted_by = CodeField(User, slug_field="username", read_only=True, allow_null=True)
    validated_by = CodeField(User, slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = ProgressReport
        fields = (
            "id",
            "cpo",
            "cpo_code",
            "programme",
            "country",
            "biennium",
            "period",
            "status",
            "narrative",
            "result_claimed",
            "evidence_text",
            "evidence_url",
            "evidence_file",
            "women_reached",
            "men_reached",
            "review_state",
            "submitted_by",
            "submitted_at",
            "validated_by",
            "validated_at",
            "return_comment",
            "version",
            *TIMESTAMPS,
        )
        read_only_fields = fields

    def to_representation(self, instance: ProgressReport) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        request = self.context.get("request")
        if request is None or not request.user.is_authenticated:
            # The public reads what was validated, never who wrote or reviewed it.
            data["submitted_by"] = data["validated_by"] = None
        return data


class ProgressReportFieldsSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=ProgressStatus.choices)
    narrative = serializers.CharField()
    result_claimed = serializers.BooleanField(required=False)
    evidence_text = serializers.CharField(required=False, allow_blank=True)
    evidence_url = serializers.URLField(max_length=200, required=False, allow_blank=True)
    evidence_file = serializers.FileField(
        required=False,
        validators=[FileExtensionValidator(EVIDENCE_EXTENSIONS), validate_upload_size],
        help_text=gettext_lazy("A document, spreadsheet or image, up to 10 MB (multipart only)."),
    )
    women_reached = serializers.IntegerField(required=False, allow_null=True, **COUNT)
    men_reached = serializers.IntegerField(required=False, allow_null=True, **COUNT)


class ProgressReportCreateSerializer(ProgressReportFieldsSerializer):
    cpo = IdField(CountryProgrammeOutcome.objects.none())
    period = CodeField(
        ReportingPeriod, help_text=gettext_lazy("Reporting period code, e.g. 2012-H1.")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cpo"].queryset = selectors.visible_cpos(request_user(self)).select_related(  # type: ignore[attr-defined]
            "programme__country", "biennium"
        )


class ProgressReportUpdateSerializer(ProgressReportFieldsSerializer):
    version = version_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "version":
                field.required = False

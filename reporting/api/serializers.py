"""Serializers of report runs and snapshots: what a client reads, and the run it asks for."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
from rest_framework import serializers

from rbm.api.fields import BienniumField, CodeField, IdField, model_text_field, region_field
from rbm.api.serializers import TIMESTAMPS
from rbm.models import Region, User
from reporting.completeness import snapshot_gaps
from reporting.models import Language, ReportRun, ReportSnapshot, Scope
from reporting.services import is_stalled
from strategic_plans import selectors as framework


class ReportRunSerializer(serializers.ModelSerializer[ReportRun]):
    biennium = BienniumField(read_only=True)
    region = CodeField(Region, read_only=True, allow_null=True)
    requested_by = CodeField(User, slug_field="username", read_only=True, allow_null=True)
    stalled = serializers.SerializerMethodField(
        help_text=gettext_lazy("No sign of life for ten minutes: the run can be retried.")
    )
    duration_seconds = serializers.FloatField(read_only=True, allow_null=True)

    class Meta:
        model = ReportRun
        fields = (
            "id",
            "biennium",
            "scope",
            "region",
            "objective",
            "language",
            "introduction",
            "status",
            "progress",
            "stalled",
            "requested_by",
            "attempts",
            "parts_total",
            "started_at",
            "finished_at",
            "duration_seconds",
            "error",
            "snapshot",
            *TIMESTAMPS,
        )
        read_only_fields = fields

    def get_stalled(self, run: ReportRun) -> bool:
        return is_stalled(run)


class ReportRunRequestSerializer(serializers.Serializer[Any]):
    biennium = BienniumField()
    scope = serializers.ChoiceField(choices=Scope.choices, default=Scope.WHOLE)
    region = region_field(required=False, allow_null=True, default=None)
    objective = IdField(
        framework.objectives(),
        required=False,
        allow_null=True,
        default=None,
        help_text=gettext_lazy("The strategic objective's id, for a report on one objective."),
    )
    language = serializers.ChoiceField(choices=Language.choices, default=Language.ENGLISH)
    introduction = model_text_field(
        ReportRun,
        "introduction",
        required=False,
        allow_blank=True,
        default="",
        help_text=gettext_lazy(
            "The secretariat's introduction to the executive summary, in the report's language."
        ),
    )


class GapSerializer(serializers.Serializer[Any]):
    key = serializers.CharField(help_text=gettext_lazy("e.g. strategy:16, results:16.1"))
    kind = serializers.ChoiceField(choices=["strategy", "results", "narrative"])
    outcome = serializers.CharField()
    indicator = serializers.CharField(allow_null=True)
    text = serializers.CharField()


class SnapshotFinalSerializer(serializers.Serializer[Any]):
    confirm_gaps = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        default=list,
        help_text=gettext_lazy(
            "The keys of every open gap of the snapshot (its gaps), to mark it final with "
            "them; leave it out when it has none."
        ),
    )


class ReportSnapshotSerializer(serializers.ModelSerializer[ReportSnapshot]):
    """A snapshot; its ``content`` only when asked for (``?include=content``)."""

    biennium = BienniumField(read_only=True)
    region = CodeField(Region, read_only=True, allow_null=True)
    finalized_by = CodeField(User, slug_field="username", read_only=True, allow_null=True)
    content = serializers.JSONField(
        required=False,
        help_text=gettext_lazy("The compiled report; only with ?include=content."),
    )
    gaps = serializers.ListField(
        child=GapSerializer(),
        required=False,
        help_text=gettext_lazy(
            "What is missing (outcomes without a strategy, indicators without results or "
            "narrative), each with its key; on one snapshot, and in lists with "
            "?include=content. Marking it final names every key in confirm_gaps."
        ),
    )

    class Meta:
        model = ReportSnapshot
        fields = (
            "id",
            "biennium",
            "scope",
            "region",
            "objective",
            "language",
            "content_hash",
            "final",
            "finalized_at",
            "finalized_by",
            "final_gaps",
            "gaps",
            "content",
            *TIMESTAMPS,
        )
        read_only_fields = tuple(name for name in fields if name != "content")

    def to_representation(self, instance: ReportSnapshot) -> dict[str, Any]:
        if not self.context.get("include_content"):
            self.fields.pop("content", None)
        self.fields.pop("gaps", None)  # computed below, from the content
        data = dict(super().to_representation(instance))
        if "content" not in instance.get_deferred_fields():  # a list without content: none
            data["gaps"] = [gap.as_dict() for gap in snapshot_gaps(instance.content)]
        return data


class SnapshotCompareQuerySerializer(serializers.Serializer[Any]):
    a = IdField(
        ReportSnapshot.objects.select_related("biennium"),
        help_text=gettext_lazy("The earlier snapshot's id."),
    )
    b = IdField(
        ReportSnapshot.objects.select_related("biennium"),
        help_text=gettext_lazy("The later snapshot's id."),
    )


class ChangeSerializer(serializers.Serializer[Any]):
    section = serializers.CharField(
        help_text=gettext_lazy("targets, results, resources or demand and targets")
    )
    key = serializers.CharField(
        help_text=gettext_lazy(
            "The figure's key, made of codes and the same in every language: "
            "indicator/region (16.1/africa), outcome/source/measure (16/RB/planned), "
            "outcome/region/measure (16/africa/demand)"
        )
    )
    item = serializers.CharField(
        help_text=gettext_lazy("Its label in the later snapshot's language, e.g. 16.1 · Africa")
    )
    before = serializers.JSONField(allow_null=True)
    after = serializers.JSONField(allow_null=True)


class SnapshotComparisonSerializer(serializers.Serializer[Any]):
    a = ReportSnapshotSerializer()
    b = ReportSnapshotSerializer()
    changes = ChangeSerializer(many=True)

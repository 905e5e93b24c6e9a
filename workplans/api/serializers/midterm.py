"""Serializers of mid-term reviews, their corrective actions and reallocations."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from dwcp.api.serializers import version_field
from rbm.api.fields import BienniumField, IdField, funding_source_field
from rbm.api.serializers import TIMESTAMPS
from workplans.api.serializers.common import (
    LONG_TEXT,
    MONEY,
    TEXT,
    region_or_global,
    username_field,
)
from workplans.models import (
    CorrectiveAction,
    MidTermReview,
    OutcomeWorkplan,
    Reallocation,
    ReallocationKind,
)


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

"""Serializers of the evaluations API: outputs of the stored records, inputs of each service.
Lengths, choices and the text rule come from the models (``rbm.fields``, ``rbm.text``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from rest_framework import serializers

from evaluations.models import (
    AddresseeKind,
    Evaluation,
    EvaluationType,
    FollowUpAction,
    FollowUpStatus,
    Language,
    Lesson,
    LessonKind,
    LessonSource,
    Priority,
    Recommendation,
    Response,
    SubjectKind,
    Timing,
)
from evaluations.selectors import follow_up_rate
from rbm.api.fields import (
    IdField,
    StoredFileLinkField,
    country_field,
    model_text_field,
    region_field,
)
from rbm.fields import model_field
from rbm.models import Office, User
from rbm.text import text_validator


def long_text(model: type[Model], name: str, **kwargs: Any) -> serializers.CharField:
    """A multi-line text field of the model, refusing what the model refuses."""
    return serializers.CharField(validators=[text_validator(model_field(model, name))], **kwargs)


class FollowUpActionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    owner = serializers.CharField(source="owner.username", read_only=True)

    class Meta:
        model = FollowUpAction
        fields = ["id", "description", "owner", "due_date", "status", "completed_at", "version"]
        read_only_fields = fields


class RecommendationSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    addressee_office = serializers.CharField(
        source="addressee_office.code", read_only=True, allow_null=True, default=None
    )
    actions = FollowUpActionSerializer(many=True, read_only=True)

    class Meta:
        model = Recommendation
        fields = [
            "id",
            "evaluation",
            "number",
            "text",
            "language",
            "addressee_kind",
            "addressee_office",
            "priority",
            "response",
            "response_reasons",
            "responded_at",
            "actions",
            "version",
        ]
        read_only_fields = fields


class EvaluationSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    region = serializers.CharField(source="region.code", read_only=True, default=None)
    country = serializers.CharField(source="country.alpha3", read_only=True, default=None)
    outcome: Any = serializers.PrimaryKeyRelatedField(read_only=True)
    programme: Any = serializers.PrimaryKeyRelatedField(read_only=True)
    project: Any = serializers.PrimaryKeyRelatedField(read_only=True)
    manager = serializers.CharField(source="manager.username", read_only=True)
    report_file = StoredFileLinkField("api:evaluation-report")
    follow_up_rate = serializers.SerializerMethodField()
    recommendations = serializers.SerializerMethodField()

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "title",
            "subject_kind",
            "programme",
            "project",
            "outcome",
            "theme",
            "kind",
            "timing",
            "region",
            "country",
            "manager",
            "evaluators",
            "start_date",
            "end_date",
            "status",
            "summary_en",
            "summary_fr",
            "summary_es",
            "report_file",
            "follow_up_rate",
            "recommendations",
            "version",
        ]
        read_only_fields = fields

    def get_follow_up_rate(self, evaluation: Evaluation) -> float | None:
        if not self.context.get("staff", False):
            return None
        return follow_up_rate(evaluation)

    def get_recommendations(self, evaluation: Evaluation) -> list[dict[str, Any]]:
        if not self.context.get("staff", False):
            return []
        return RecommendationSerializer(evaluation.recommendations.all(), many=True).data  # type: ignore[return-value]


class EvaluationInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    title = model_text_field(Evaluation, "title")
    subject_kind = serializers.ChoiceField(choices=SubjectKind.choices)
    programme = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    project = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    outcome = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    theme = model_text_field(Evaluation, "theme", required=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=EvaluationType.choices)
    timing = serializers.ChoiceField(choices=Timing.choices)
    region = region_field(required=False, allow_null=True)
    evaluators = model_text_field(Evaluation, "evaluators", required=False, allow_blank=True)
    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False, allow_null=True)
    summary_en = long_text(Evaluation, "summary_en", required=False, allow_blank=True)
    summary_fr = long_text(Evaluation, "summary_fr", required=False, allow_blank=True)
    summary_es = long_text(Evaluation, "summary_es", required=False, allow_blank=True)


class EvaluationUpdateSerializer(EvaluationInputSerializer):
    version = serializers.IntegerField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "version":
                field.required = False


class EvaluationStepSerializer(serializers.Serializer):  # type: ignore[type-arg]
    step = serializers.ChoiceField(choices=["start", "complete", "close"])
    version = serializers.IntegerField()


class RecommendationInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    text = long_text(Recommendation, "text")
    addressee_kind = serializers.ChoiceField(choices=AddresseeKind.choices)
    addressee_office = serializers.SlugRelatedField(
        slug_field="code", queryset=Office.objects.all(), required=False, allow_null=True
    )
    priority = serializers.ChoiceField(choices=Priority.choices, default=Priority.MEDIUM)
    language = serializers.ChoiceField(choices=Language.choices, default=Language.ENGLISH)


class ResponseInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    response = serializers.ChoiceField(
        choices=[c for c in Response.choices if c[0] != Response.PENDING]
    )
    reasons = long_text(Recommendation, "response_reasons", required=False, allow_blank=True)
    version = serializers.IntegerField()


class FollowUpInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    description = long_text(FollowUpAction, "description")
    owner = serializers.SlugRelatedField(
        slug_field="username", queryset=User.objects.filter(is_active=True)
    )
    due_date = serializers.DateField()


class FollowUpStatusSerializer(serializers.Serializer):  # type: ignore[type-arg]
    status = serializers.ChoiceField(choices=FollowUpStatus.choices)
    version = serializers.IntegerField()


class LessonSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    outcomes: Any = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    countries: Any = serializers.SlugRelatedField(slug_field="alpha3", many=True, read_only=True)
    regions: Any = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    themes: Any = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)

    class Meta:
        model = Lesson
        fields = [
            "id",
            "kind",
            "title",
            "text",
            "context",
            "what_to_change",
            "language",
            "translation_of",
            "source",
            "evaluation",
            "source_note",
            "year",
            "outcomes",
            "countries",
            "regions",
            "themes",
            "status",
            "validated_at",
            "version",
        ]
        read_only_fields = fields


class LessonInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    kind = serializers.ChoiceField(choices=LessonKind.choices)
    title = model_text_field(Lesson, "title")
    text = long_text(Lesson, "text")
    context = long_text(Lesson, "context", required=False, allow_blank=True)  # type: ignore[assignment]
    what_to_change = long_text(Lesson, "what_to_change", required=False, allow_blank=True)
    language = serializers.ChoiceField(choices=Language.choices, default=Language.ENGLISH)
    source = serializers.ChoiceField(choices=LessonSource.choices)  # type: ignore[assignment]
    evaluation = IdField(queryset=Evaluation.objects.all(), required=False, allow_null=True)
    source_note = model_text_field(Lesson, "source_note", required=False, allow_blank=True)
    year = serializers.IntegerField(min_value=1990, max_value=2100)
    outcomes = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, max_length=50
    )
    countries = serializers.ListField(child=country_field(), required=False, max_length=200)
    regions = serializers.ListField(child=region_field(), required=False, max_length=10)
    themes = serializers.ListField(
        child=serializers.CharField(max_length=80), required=False, max_length=20
    )


class ValidateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    accept = serializers.BooleanField(default=True)
    version = serializers.IntegerField()


class SearchResultSerializer(serializers.Serializer):  # type: ignore[type-arg]
    kind = serializers.CharField()
    id = serializers.IntegerField(source="object_id")
    evaluation = serializers.IntegerField(source="evaluation_id", allow_null=True)
    language = serializers.CharField()
    title = serializers.CharField()
    year = serializers.IntegerField()
    rank = serializers.FloatField()
    snippet = serializers.CharField()

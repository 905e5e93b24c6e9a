"""Evaluations and lessons in the admin: shown, never written there (every write is a
service, which keeps the search index and the workflow right)."""

from django.contrib import admin

from evaluations.models import (
    Evaluation,
    FollowUpAction,
    Lesson,
    Recommendation,
    StrategyLesson,
    Theme,
)
from rbm.admin import ViewOnlyAdmin, ViewOnlyInline


class RecommendationInline(ViewOnlyInline):
    model = Recommendation
    extra = 0
    exclude = ["version"]


@admin.register(Evaluation)
class EvaluationAdmin(ViewOnlyAdmin):
    list_display = ["title", "subject_kind", "kind", "timing", "status", "region", "start_date"]
    list_filter = ["status", "kind", "subject_kind", "region"]
    list_select_related = ["region"]
    search_fields = ["title", "theme", "evaluators"]
    readonly_fields = ["version"]
    inlines = [RecommendationInline]


@admin.register(Recommendation)
class RecommendationAdmin(ViewOnlyAdmin):
    list_display = ["__str__", "addressee_kind", "priority", "response"]
    list_filter = ["response", "priority", "addressee_kind"]
    list_select_related = ["evaluation"]
    readonly_fields = ["version"]


@admin.register(FollowUpAction)
class FollowUpActionAdmin(ViewOnlyAdmin):
    list_display = ["__str__", "owner", "due_date", "status"]
    list_filter = ["status"]
    list_select_related = ["owner"]
    readonly_fields = ["version"]


@admin.register(Lesson)
class LessonAdmin(ViewOnlyAdmin):
    list_display = ["title", "kind", "language", "year", "status"]
    list_filter = ["status", "kind", "language", "source"]
    search_fields = ["title", "text"]
    readonly_fields = ["version"]


@admin.register(Theme)
class ThemeAdmin(ViewOnlyAdmin):
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(StrategyLesson)
class StrategyLessonAdmin(ViewOnlyAdmin):
    list_display = ["__str__", "outcome", "biennium", "linked_by"]
    list_select_related = ["outcome", "biennium", "linked_by"]

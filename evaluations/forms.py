"""The forms of the evaluation pages; fields, lengths and choices come from the models."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from evaluations.models import (
    DocumentKind,
    Evaluation,
    FollowUpAction,
    FollowUpStatus,
    Language,
    Lesson,
    Recommendation,
    Response,
)
from rbm.fields import form_field

DATE = forms.DateInput(attrs={"type": "date"})


class EvaluationForm(forms.ModelForm):  # type: ignore[type-arg]
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Evaluation
        fields = [
            "title",
            "subject_kind",
            "programme",
            "project",
            "outcome",
            "theme",
            "kind",
            "timing",
            "region",
            "evaluators",
            "start_date",
            "end_date",
            "summary_en",
            "summary_fr",
            "summary_es",
        ]
        widgets = {"start_date": DATE, "end_date": DATE}


class ReportForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    report_file = forms.FileField(label=_("Report (PDF or DOCX)"))


class RecommendationForm(forms.Form):
    text = form_field(Recommendation, "text")
    addressee_kind = form_field(Recommendation, "addressee_kind")
    addressee_office = form_field(Recommendation, "addressee_office", required=False)
    priority = form_field(Recommendation, "priority")
    language = form_field(Recommendation, "language")


class ResponseForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    response = forms.ChoiceField(
        label=_("Management response"),
        choices=[(v, label) for v, label in Response.choices if v != Response.PENDING],
    )
    reasons = forms.CharField(
        label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class FollowUpForm(forms.Form):
    description = form_field(
        FollowUpAction, "description", widget=forms.Textarea(attrs={"rows": 2})
    )
    owner = form_field(FollowUpAction, "owner")
    due_date = forms.DateField(label=_("Due date"), widget=DATE)


class FollowUpStatusForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=FollowUpStatus.choices)


class LessonForm(forms.ModelForm):  # type: ignore[type-arg]
    themes = forms.CharField(
        label=_("Themes"), required=False, help_text=_("Separated by commas."), max_length=400
    )

    class Meta:
        model = Lesson
        fields = [
            "kind",
            "title",
            "text",
            "context",
            "what_to_change",
            "language",
            "source",
            "evaluation",
            "source_note",
            "year",
            "outcomes",
            "countries",
            "regions",
        ]

    def theme_names(self) -> list[str]:
        return [name for name in self.cleaned_data.get("themes", "").split(",") if name.strip()]


def _year_choices() -> list[tuple[str, Any]]:
    return [("", _("Any year"))] + [(str(y), str(y)) for y in range(2030, 1999, -1)]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("All languages")), *Language.choices],
    )
    kind = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("Any type")), *DocumentKind.choices]
    )
    outcome = forms.IntegerField(required=False, widget=forms.HiddenInput)
    country = forms.IntegerField(required=False, widget=forms.HiddenInput)
    region = forms.IntegerField(required=False, widget=forms.HiddenInput)
    year = forms.TypedChoiceField(
        label=_("Year"), required=False, coerce=int, empty_value=None, choices=_year_choices
    )

    def __init__(self, *args: Any, choices: dict[str, list[tuple[Any, str]]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        for name, label, empty in (
            ("outcome", _("Outcome"), _("Any outcome")),
            ("country", _("Country"), _("Any country")),
            ("region", _("Region"), _("Any region")),
        ):
            self.fields[name] = forms.TypedChoiceField(
                label=label,
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", empty), *choices[name]],
            )

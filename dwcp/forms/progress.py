"""Forms of progress reports and of the validation queue."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dwcp.forms.fields import ObjectChoiceField, field_help, field_label, url_field
from dwcp.models import ProgressReport, ProgressStatus


class ProgressForm(forms.Form):
    period = ObjectChoiceField(label=field_label(ProgressReport, "period"))
    status = forms.ChoiceField(
        label=field_label(ProgressReport, "status"), choices=ProgressStatus.choices
    )
    narrative = forms.CharField(
        label=field_label(ProgressReport, "narrative"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What was done in the period, with whom, and what changed."),
    )
    result_claimed = forms.BooleanField(
        label=field_label(ProgressReport, "result_claimed"),
        required=False,
        help_text=field_help(ProgressReport, "result_claimed"),
    )
    evidence_text = forms.CharField(
        label=field_label(ProgressReport, "evidence_text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    evidence_url = url_field(ProgressReport, "evidence_url")
    evidence_file = forms.FileField(
        label=field_label(ProgressReport, "evidence_file"),
        required=False,
        help_text=_("PDF, Word, OpenDocument, a spreadsheet or a picture, up to 10 MB."),
    )
    women_reached = forms.IntegerField(
        label=field_label(ProgressReport, "women_reached"), required=False, min_value=0
    )
    men_reached = forms.IntegerField(
        label=field_label(ProgressReport, "men_reached"), required=False, min_value=0
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, periods: Sequence[Any] | None, **kwargs: Any) -> None:
        """``periods=None``: the report exists and its period is not edited."""
        super().__init__(*args, **kwargs)
        if periods is None:
            del self.fields["period"]
        else:
            field = self.fields["period"]
            assert isinstance(field, ObjectChoiceField)
            field.set_objects(periods)


class ReviewForm(forms.Form):
    """The validation queue's POST: one row's button, or the ticked rows with one action."""

    row_action = forms.RegexField(regex=r"^(validate|return):[0-9]+$", required=False)
    bulk_action = forms.ChoiceField(
        choices=[("validate", "validate"), ("return", "return")], required=False
    )
    reports = forms.TypedMultipleChoiceField(coerce=int, required=False)
    comment = forms.CharField(required=False, widget=forms.Textarea)
    # "filtered": the bulk action applies to every report the queue's filters select, as
    # many as the reviewer saw (``expected``): if the set changed meanwhile, nothing is done.
    scope = forms.ChoiceField(
        choices=[("ticked", "ticked"), ("filtered", "filtered")], required=False
    )
    expected = forms.IntegerField(required=False, min_value=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Any id is accepted here; the view reads the reports and the service decides.
        ids = self.data.getlist("reports") if hasattr(self.data, "getlist") else []
        field = self.fields["reports"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(value, value) for value in ids]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not data.get("row_action") and not data.get("bulk_action"):
            raise ValidationError(_("Choose what to do."))
        filtered = data.get("scope") == "filtered"
        if filtered and data.get("expected") is None:
            raise ValidationError(_("Say how many reports you mean to review."))
        if data.get("bulk_action") and not data.get("reports") and not filtered:
            raise ValidationError(_("Tick at least one report."))
        return data


SORTS = {
    "waiting": ("submitted_at", "pk"),
    "cpo": ("cpo__code", "pk"),
    "country": ("cpo__programme__country__name", "submitted_at", "pk"),
    "office": ("cpo__programme__office__name", "submitted_at", "pk"),
    "period": ("period__starts_on", "submitted_at", "pk"),
    "outcome": ("cpo__outcome__code", "submitted_at", "pk"),
    "claimed": ("result_claimed", "submitted_at", "pk"),
}
PAGE_SIZES = (25, 50, 100)


class QueueFilterForm(forms.Form):
    """The validation queue's filters, sort and page size (all in the address)."""

    country = forms.TypedChoiceField(
        label=_("Country"), coerce=int, required=False, empty_value=None
    )
    office = forms.TypedChoiceField(label=_("Office"), coerce=int, required=False, empty_value=None)
    period = forms.TypedChoiceField(label=_("Period"), coerce=int, required=False, empty_value=None)
    outcome = forms.TypedChoiceField(
        label=_("Outcome"), coerce=int, required=False, empty_value=None
    )
    claimed = forms.ChoiceField(
        label=_("Result claimed"),
        choices=[("", "—"), ("yes", _("yes")), ("no", _("no"))],
        required=False,
    )
    waiting = forms.IntegerField(
        label=_("Waiting at least (days)"), min_value=0, max_value=10000, required=False
    )
    sort = forms.ChoiceField(
        choices=[(k, k) for name in SORTS for k in (name, f"-{name}")], required=False
    )
    size = forms.TypedChoiceField(
        label=_("Per page"),
        choices=[(n, n) for n in PAGE_SIZES],
        coerce=int,
        required=False,
        empty_value=None,
    )

    def __init__(
        self, *args: Any, choices: dict[str, list[tuple[int, str]]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, values in choices.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", "—"), *values]

"""Forms of the framework pages: a record's texts in the three languages, an indicator's
target by region, a programme's step. Thin: the services hold the rules (ADR 0016, 0022)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rbm.models import Region
from strategic_plans import texts


class TextsForm(forms.Form):
    """Every translated field of ``record`` in each language (``title_en``, ``title_fr``,
    ...), and the reason a change to an adopted programme needs."""

    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed once the programme and budget is adopted: the change is recorded."),
    )

    def __init__(self, *args: Any, record: models.Model, **kwargs: Any) -> None:
        initial = {
            texts.column(field, language): getattr(record, texts.column(field, language)) or ""
            for field in texts.translated_fields(type(record))
            for language in texts.LANGUAGES
        }
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        names = dict(settings.LANGUAGES)
        reason = self.fields.pop("reason")
        for field in texts.translated_fields(type(record)):
            model_field = record._meta.get_field(field)
            long = isinstance(model_field, models.TextField)
            for language in texts.LANGUAGES:
                english = language == texts.DEFAULT_LANGUAGE
                self.fields[texts.column(field, language)] = forms.CharField(
                    label=f"{str(getattr(model_field, 'verbose_name', field)).capitalize()} "
                    f"({names[language]})",
                    required=english and not getattr(model_field, "blank", True),
                    max_length=getattr(model_field, "max_length", None),
                    widget=forms.Textarea(attrs={"rows": 3}) if long else forms.TextInput(),
                    strip=True,
                )
        self.fields["reason"] = reason

    def text_values(self) -> dict[str, str]:
        return {name: value for name, value in self.cleaned_data.items() if name != "reason"}


class TargetForm(forms.Form):
    """An indicator's target for a biennium: the total, a value per region, the note that
    says why they differ, and the reason for a change once adopted."""

    total = forms.IntegerField(label=_("Total"), min_value=0, max_value=2_147_483_647)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why the regional targets do not add up to the total, if they do not."),
    )
    reason = TextsForm.base_fields["reason"]

    def __init__(self, *args: Any, regions: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.regions = regions
        for region in regions:
            self.fields[f"region_{region.code}"] = forms.IntegerField(
                label=region.label, min_value=0, max_value=2_147_483_647, required=False
            )

    def region_fields(self) -> list[forms.BoundField]:
        return [self[f"region_{region.code}"] for region in self.regions]

    def by_region(self) -> dict[Region, int]:
        return {
            region: self.cleaned_data[f"region_{region.code}"]
            for region in self.regions
            if self.cleaned_data.get(f"region_{region.code}") is not None
        }


class FrameworkImportForm(forms.Form):
    file = forms.FileField(
        label=_("Workbook (.xlsx)"),
        help_text=_("A workbook exported from this page, with its four sheets."),
    )
    reason = TextsForm.base_fields["reason"]

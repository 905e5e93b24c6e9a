"""Forms of country programme outcomes, their milestones and resources, and the CPO list's
filters."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dwcp.forms.fields import (
    ANY,
    DATE_INPUT,
    YES_NO_ANY,
    ObjectChoiceField,
    field_help,
    field_label,
)
from dwcp.models import CountryProgrammeOutcome, Milestone, ResultStatus
from dwcp.services import MilestoneData, ResourceData
from rbm.fields import form_field
from rbm.models import FundingSource

GENDER_REQUIRED = _("Say how the outcome will affect women and men.")


class CpoForm(forms.Form):
    # Length from the model; the services store the code in capitals and the model checks
    # its format, so "idn126" typed here is IDN126, as through the API and the spreadsheet.
    code = form_field(
        CountryProgrammeOutcome,
        "code",
        help_text=_("The country's three-letter code and three or four digits, e.g. IDN126."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
    )
    priority = ObjectChoiceField(label=field_label(CountryProgrammeOutcome, "priority"))
    biennium = ObjectChoiceField(label=field_label(CountryProgrammeOutcome, "biennium"))
    outcome = ObjectChoiceField(
        label=field_label(CountryProgrammeOutcome, "outcome"),
        help_text=_("An outcome of the programme and budget of the chosen biennium."),
    )
    indicator = ObjectChoiceField(
        label=field_label(CountryProgrammeOutcome, "indicator"),
        required=False,
        empty_label=_("No indicator yet"),
        help_text=_("An indicator of the chosen outcome."),
    )
    title = form_field(CountryProgrammeOutcome, "title")
    description = forms.CharField(
        label=field_label(CountryProgrammeOutcome, "description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    gender_statement = forms.CharField(
        label=field_label(CountryProgrammeOutcome, "gender_statement"),
        help_text=field_help(CountryProgrammeOutcome, "gender_statement"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": GENDER_REQUIRED},
    )
    prioritized = forms.BooleanField(
        label=field_label(CountryProgrammeOutcome, "prioritized"),
        required=False,
        help_text=field_help(CountryProgrammeOutcome, "prioritized"),
    )
    targeted = forms.BooleanField(
        label=field_label(CountryProgrammeOutcome, "targeted"),
        required=False,
        help_text=field_help(CountryProgrammeOutcome, "targeted"),
    )
    result_status = forms.ChoiceField(
        label=field_label(CountryProgrammeOutcome, "result_status"), choices=ResultStatus.choices
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        priorities: Sequence[Any],
        bienniums: Sequence[Any],
        outcomes: Sequence[Any],
        indicators: Sequence[Any],
        outcome_bienniums: dict[int, list[int]],
        **kwargs: Any,
    ) -> None:
        """``outcome_bienniums`` maps each offered outcome to the bienniums it may serve."""
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["priority"].set_objects(priorities)
        fields["biennium"].set_objects(bienniums, label=lambda b: b.code)
        fields["outcome"].set_objects(
            outcomes,
            label=lambda o: f"{o.code} – {o.title}",
            group=lambda o: o.objective.plan.short_name,
            attrs=lambda o: {"data-bienniums": " ".join(map(str, outcome_bienniums[o.pk]))},
        )
        fields["indicator"].set_objects(
            indicators,
            label=lambda i: f"{i.code} {i.text[:90]}",
            group=lambda i: _("Outcome %(code)s") % {"code": i.outcome.code},
            attrs=lambda i: {"data-outcome": str(i.outcome_id)},
        )


class MilestoneForm(forms.Form):
    due_on = forms.DateField(label=field_label(Milestone, "due_on"), widget=DATE_INPUT)
    text = form_field(Milestone, "text")
    reached = forms.BooleanField(label=field_label(Milestone, "reached"), required=False)


MilestoneFormSet = forms.formset_factory(MilestoneForm, extra=1, can_delete=True)


def milestone_formset(
    data: Any = None, *, milestones: Sequence[Milestone] = ()
) -> forms.BaseFormSet[MilestoneForm]:
    initial = [{"due_on": m.due_on, "text": m.text, "reached": m.reached} for m in milestones]
    return MilestoneFormSet(data, initial=initial, prefix="milestone")


def milestones_of(formset: forms.BaseFormSet[MilestoneForm]) -> list[MilestoneData]:
    return [
        MilestoneData(
            due_on=form.cleaned_data["due_on"],
            text=form.cleaned_data["text"],
            reached=form.cleaned_data.get("reached", False),
        )
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class ResourcesForm(forms.Form):
    """One line per funding source: planned and spent USD (an empty line means none)."""

    def __init__(self, *args: Any, sources: Sequence[FundingSource], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sources = list(sources)
        for source in self.sources:
            self.fields[f"planned_{source.pk}"] = forms.DecimalField(
                label=_("Planned (USD), %(source)s") % {"source": source.code},
                widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
                min_value=Decimal(0),
                max_digits=15,
                decimal_places=2,
                required=False,
            )
            self.fields[f"spent_{source.pk}"] = forms.DecimalField(
                label=_("Spent (USD), %(source)s") % {"source": source.code},
                widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
                min_value=Decimal(0),
                max_digits=15,
                decimal_places=2,
                required=False,
            )

    @staticmethod
    def initial_for(lines: Iterable[Any]) -> dict[str, Decimal]:
        initial = {}
        for line in lines:
            initial[f"planned_{line.funding_source_id}"] = line.planned
            initial[f"spent_{line.funding_source_id}"] = line.spent
        return initial

    def rows(self) -> list[tuple[FundingSource, forms.BoundField, forms.BoundField]]:
        return [(s, self[f"planned_{s.pk}"], self[f"spent_{s.pk}"]) for s in self.sources]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        for source in self.sources:
            planned = data.get(f"planned_{source.pk}")
            spent = data.get(f"spent_{source.pk}")
            if planned is None and spent:
                self.add_error(
                    f"planned_{source.pk}",
                    _("Give the planned amount for %(source)s too.") % {"source": source.code},
                )
        return data

    def lines(self) -> list[ResourceData]:
        lines = []
        for source in self.sources:
            planned = self.cleaned_data.get(f"planned_{source.pk}")
            if planned is None:
                continue
            spent = self.cleaned_data.get(f"spent_{source.pk}") or Decimal(0)
            lines.append(ResourceData(funding_source=source, planned=planned, spent=spent))
        return lines


class CpoFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    biennium = ObjectChoiceField(label=_("Biennium"), required=False, empty_label=ANY)
    outcome = ObjectChoiceField(label=_("P&B outcome"), required=False, empty_label=ANY)
    result_status = forms.ChoiceField(
        label=_("Result status"), required=False, choices=[("", ANY), *ResultStatus.choices]
    )
    prioritized = forms.ChoiceField(label=_("Prioritized"), required=False, choices=YES_NO_ANY)
    targeted = forms.ChoiceField(label=_("Targeted"), required=False, choices=YES_NO_ANY)
    office = ObjectChoiceField(label=_("Office"), required=False, empty_label=_("All offices"))
    region = ObjectChoiceField(label=_("Region"), required=False, empty_label=ANY)
    country = ObjectChoiceField(label=_("Country"), required=False, empty_label=ANY)
    programme = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        bienniums: Sequence[Any],
        outcomes: Sequence[Any],
        offices: Sequence[Any],
        regions: Sequence[Any],
        countries: Sequence[Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["biennium"].set_objects(bienniums, label=lambda b: b.code, key=lambda b: b.code)
        fields["outcome"].set_objects(
            outcomes,
            label=lambda o: f"{o.code} – {o.title}",
            group=lambda o: o.objective.plan.short_name,
        )
        fields["office"].set_objects(offices)
        fields["region"].set_objects(regions, label=lambda r: r.label, key=lambda r: r.code)
        fields["country"].set_objects(countries, label=lambda c: c.label)

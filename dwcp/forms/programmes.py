"""Forms of programmes, their tripartite parties and priorities."""

from __future__ import annotations

from collections.abc import Sequence
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
    url_field,
    year_field,
)
from dwcp.models import (
    CountryProgrammePriority,
    DecentWorkCountryProgramme,
    PartyKind,
    Phase,
    TripartiteParty,
)


class ProgrammeForm(forms.Form):
    country = ObjectChoiceField(label=field_label(DecentWorkCountryProgramme, "country"))
    office = ObjectChoiceField(
        label=field_label(DecentWorkCountryProgramme, "office"),
        help_text=_("An office that covers the country."),
    )
    title = forms.CharField(label=field_label(DecentWorkCountryProgramme, "title"), max_length=250)
    start_year = year_field(DecentWorkCountryProgramme, "start_year")
    end_year = year_field(DecentWorkCountryProgramme, "end_year")
    undaf_title = forms.CharField(
        label=field_label(DecentWorkCountryProgramme, "undaf_title"), max_length=250, required=False
    )
    undaf_url = url_field(DecentWorkCountryProgramme, "undaf_url")
    national_plan_title = forms.CharField(
        label=field_label(DecentWorkCountryProgramme, "national_plan_title"),
        max_length=250,
        required=False,
    )
    national_plan_url = url_field(DecentWorkCountryProgramme, "national_plan_url")
    signed_document = forms.FileField(
        label=field_label(DecentWorkCountryProgramme, "signed_document"),
        required=False,
        help_text=field_help(DecentWorkCountryProgramme, "signed_document"),
        widget=forms.FileInput(attrs={"accept": ".pdf,.doc,.docx,.odt"}),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, countries: Sequence[Any] | None, offices: Sequence[Any], **kwargs: Any
    ) -> None:
        """``countries=None``: the programme exists and its country is not edited."""
        super().__init__(*args, **kwargs)
        if countries is None:
            del self.fields["country"]
        else:
            field = self.fields["country"]
            assert isinstance(field, ObjectChoiceField)
            field.set_objects(countries, label=lambda c: f"{c.label} ({c.alpha3})")
        field = self.fields["office"]
        assert isinstance(field, ObjectChoiceField)
        field.set_objects(offices)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("start_year"), data.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", _("The programme ends in or after the year it starts."))
        return data


class PartyForm(forms.Form):
    kind = forms.ChoiceField(label=field_label(TripartiteParty, "kind"), choices=PartyKind.choices)
    name = forms.CharField(
        label=field_label(TripartiteParty, "name"), max_length=250, required=False
    )
    agreed_on = forms.DateField(
        label=field_label(TripartiteParty, "agreed_on"), required=False, widget=DATE_INPUT
    )


PartyFormSet = forms.formset_factory(PartyForm, extra=0, can_delete=True)


def party_formset(
    data: Any = None, *, parties: Sequence[TripartiteParty] = ()
) -> forms.BaseFormSet[PartyForm]:
    """One row per party; a new programme starts with one row of each kind."""
    initial = [{"kind": p.kind, "name": p.name, "agreed_on": p.agreed_on} for p in parties]
    if not parties:
        initial = [{"kind": kind} for kind in PartyKind.values]
    return PartyFormSet(data, initial=initial, prefix="party")


def parties_of(formset: forms.BaseFormSet[PartyForm]) -> list[dict[str, Any]]:
    return [
        {
            "kind": form.cleaned_data["kind"],
            "name": form.cleaned_data.get("name", ""),
            "agreed_on": form.cleaned_data.get("agreed_on"),
        }
        for form in formset.forms
        if form.cleaned_data
        and not form.cleaned_data.get("DELETE")
        and form.cleaned_data.get("name", "").strip()
    ]


PHASES_ANY = [("", ANY), *Phase.choices]


class ProgrammeFilterForm(forms.Form):
    scope = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("mine", _("My office's programmes")), ("all", _("All I may read"))],
    )
    country = ObjectChoiceField(label=_("Country"), required=False, empty_label=ANY)
    region = ObjectChoiceField(label=_("Region"), required=False, empty_label=ANY)
    phase = forms.ChoiceField(label=_("Phase"), required=False, choices=PHASES_ANY)
    published = forms.ChoiceField(label=_("Published"), required=False, choices=YES_NO_ANY)

    def __init__(
        self, *args: Any, countries: Sequence[Any], regions: Sequence[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        country = self.fields["country"]
        assert isinstance(country, ObjectChoiceField)
        country.set_objects(countries, label=lambda c: c.label)
        region = self.fields["region"]
        assert isinstance(region, ObjectChoiceField)
        region.set_objects(regions, label=lambda r: r.label, key=lambda r: r.code)


# Priorities -------------------------------------------------------------------------------


class PriorityForm(forms.Form):
    title = forms.CharField(label=field_label(CountryProgrammePriority, "title"), max_length=250)
    description = forms.CharField(
        label=field_label(CountryProgrammePriority, "description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

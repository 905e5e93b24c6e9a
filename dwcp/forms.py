"""Forms of the country programme pages.

Forms parse what people type and offer the choices the page allows; the services in
``dwcp.services`` decide (permissions, the model's invariants, versions). Choice fields take
objects the view has already read, so showing and checking a form costs no extra query.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from dwcp.models import (
    CountryProgrammeOutcome,
    CountryProgrammePriority,
    DecentWorkCountryProgramme,
    Milestone,
    PartyKind,
    Phase,
    ProgressReport,
    ProgressStatus,
    ResultStatus,
    TripartiteParty,
)
from dwcp.services import MilestoneData, ResourceData
from rbm.models import FundingSource

ANY = _("Any")
YES_NO_ANY = [("", ANY), ("yes", _("Yes")), ("no", _("No"))]


def _label(model: type[models.Model], name: str) -> Any:
    return capfirst(model._meta.get_field(name).verbose_name)  # type: ignore[union-attr]


def _help(model: type[models.Model], name: str) -> Any:
    return model._meta.get_field(name).help_text  # type: ignore[union-attr]


def yes_no(value: str | None) -> bool | None:
    """The value of a yes/no/any filter: True, False or None (any)."""
    return {"yes": True, "no": False}.get(value or "")


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names when the form has
    it, otherwise at the top of the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            target = name if name in form.fields and name != NON_FIELD_ERRORS else None
            form.add_error(target, errors)
    else:
        form.add_error(None, error)


class OptionSelect(forms.Select):
    """A select whose options carry data attributes (``option_attrs[value]``), for the small
    script that narrows one list by another."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.option_attrs: dict[str, dict[str, str]] = {}

    def create_option(
        self,
        name: str,
        value: Any,
        label: Any,
        selected: bool,
        index: int,
        subindex: int | None = None,
        attrs: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["attrs"].update(self.option_attrs.get(str(value), {}))
        return option


class ObjectChoiceField(forms.ChoiceField):
    """Choose one of a list of objects the view has read; cleans to the object (or None)."""

    widget = OptionSelect

    def __init__(self, *, empty_label: Any = "---------", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.empty_label = empty_label
        self.objects_by_key: dict[str, Any] = {}
        self.key: Callable[[Any], Any] = lambda obj: obj.pk

    def set_objects(
        self,
        objects: Iterable[Any],
        *,
        label: Callable[[Any], Any] = str,
        group: Callable[[Any], Any] | None = None,
        attrs: Callable[[Any], dict[str, str]] | None = None,
        key: Callable[[Any], Any] = lambda obj: obj.pk,
    ) -> None:
        """Offer ``objects``; ``key`` gives the value sent (the id unless said otherwise)."""
        objects = list(objects)
        self.key = key
        self.objects_by_key = {str(key(obj)): obj for obj in objects}
        choices: list[Any] = [("", self.empty_label)]
        if group is None:
            choices += [(str(key(obj)), label(obj)) for obj in objects]
        else:
            groups: dict[str, list[tuple[str, Any]]] = {}
            for obj in objects:
                groups.setdefault(str(group(obj)), []).append((str(key(obj)), label(obj)))
            choices += list(groups.items())
        self.choices = choices
        if attrs is not None and isinstance(self.widget, OptionSelect):
            self.widget.option_attrs = {str(key(obj)): attrs(obj) for obj in objects}

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, models.Model):
            return self.key(value)
        return value

    def clean(self, value: Any) -> Any:
        key = super().clean(value)
        return self.objects_by_key.get(key) if key else None


def _year_field(model: type[models.Model], name: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=_label(model, name),
        min_value=1990,
        max_value=2100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


def _url_field(model: type[models.Model], name: str) -> forms.URLField:
    return forms.URLField(label=_label(model, name), required=False, assume_scheme="https")


DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


# Programmes -------------------------------------------------------------------------------


class ProgrammeForm(forms.Form):
    country = ObjectChoiceField(label=_label(DecentWorkCountryProgramme, "country"))
    office = ObjectChoiceField(
        label=_label(DecentWorkCountryProgramme, "office"),
        help_text=_("An office that covers the country."),
    )
    title = forms.CharField(label=_label(DecentWorkCountryProgramme, "title"), max_length=250)
    start_year = _year_field(DecentWorkCountryProgramme, "start_year")
    end_year = _year_field(DecentWorkCountryProgramme, "end_year")
    undaf_title = forms.CharField(
        label=_label(DecentWorkCountryProgramme, "undaf_title"), max_length=250, required=False
    )
    undaf_url = _url_field(DecentWorkCountryProgramme, "undaf_url")
    national_plan_title = forms.CharField(
        label=_label(DecentWorkCountryProgramme, "national_plan_title"),
        max_length=250,
        required=False,
    )
    national_plan_url = _url_field(DecentWorkCountryProgramme, "national_plan_url")
    signed_document = forms.FileField(
        label=_label(DecentWorkCountryProgramme, "signed_document"),
        required=False,
        help_text=_help(DecentWorkCountryProgramme, "signed_document"),
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
    kind = forms.ChoiceField(label=_label(TripartiteParty, "kind"), choices=PartyKind.choices)
    name = forms.CharField(label=_label(TripartiteParty, "name"), max_length=250, required=False)
    agreed_on = forms.DateField(
        label=_label(TripartiteParty, "agreed_on"), required=False, widget=DATE_INPUT
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
    title = forms.CharField(label=_label(CountryProgrammePriority, "title"), max_length=250)
    description = forms.CharField(
        label=_label(CountryProgrammePriority, "description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


# Country programme outcomes ---------------------------------------------------------------

GENDER_REQUIRED = _("Say how the outcome will affect women and men.")


class CpoForm(forms.Form):
    code = forms.CharField(
        label=_label(CountryProgrammeOutcome, "code"),
        max_length=6,
        help_text=_("The country's three-letter code and three or four digits, e.g. IDN126."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
    )
    priority = ObjectChoiceField(label=_label(CountryProgrammeOutcome, "priority"))
    biennium = ObjectChoiceField(label=_label(CountryProgrammeOutcome, "biennium"))
    outcome = ObjectChoiceField(
        label=_label(CountryProgrammeOutcome, "outcome"),
        help_text=_("An outcome of the programme and budget of the chosen biennium."),
    )
    indicator = ObjectChoiceField(
        label=_label(CountryProgrammeOutcome, "indicator"),
        required=False,
        empty_label=_("No indicator yet"),
        help_text=_("An indicator of the chosen outcome."),
    )
    title = forms.CharField(label=_label(CountryProgrammeOutcome, "title"), max_length=300)
    description = forms.CharField(
        label=_label(CountryProgrammeOutcome, "description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    gender_statement = forms.CharField(
        label=_label(CountryProgrammeOutcome, "gender_statement"),
        help_text=_help(CountryProgrammeOutcome, "gender_statement"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": GENDER_REQUIRED},
    )
    prioritized = forms.BooleanField(
        label=_label(CountryProgrammeOutcome, "prioritized"),
        required=False,
        help_text=_help(CountryProgrammeOutcome, "prioritized"),
    )
    targeted = forms.BooleanField(
        label=_label(CountryProgrammeOutcome, "targeted"),
        required=False,
        help_text=_help(CountryProgrammeOutcome, "targeted"),
    )
    result_status = forms.ChoiceField(
        label=_label(CountryProgrammeOutcome, "result_status"), choices=ResultStatus.choices
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

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).strip().upper()


class MilestoneForm(forms.Form):
    due_on = forms.DateField(label=_label(Milestone, "due_on"), widget=DATE_INPUT)
    text = forms.CharField(label=_label(Milestone, "text"), max_length=500)
    reached = forms.BooleanField(label=_label(Milestone, "reached"), required=False)


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


# Progress reports -------------------------------------------------------------------------


class ProgressForm(forms.Form):
    period = ObjectChoiceField(label=_label(ProgressReport, "period"))
    status = forms.ChoiceField(
        label=_label(ProgressReport, "status"), choices=ProgressStatus.choices
    )
    narrative = forms.CharField(
        label=_label(ProgressReport, "narrative"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What was done in the period, with whom, and what changed."),
    )
    result_claimed = forms.BooleanField(
        label=_label(ProgressReport, "result_claimed"),
        required=False,
        help_text=_help(ProgressReport, "result_claimed"),
    )
    evidence_text = forms.CharField(
        label=_label(ProgressReport, "evidence_text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    evidence_url = _url_field(ProgressReport, "evidence_url")
    evidence_file = forms.FileField(
        label=_label(ProgressReport, "evidence_file"),
        required=False,
        help_text=_("PDF, Word, OpenDocument, a spreadsheet or a picture, up to 10 MB."),
    )
    women_reached = forms.IntegerField(
        label=_label(ProgressReport, "women_reached"), required=False, min_value=0
    )
    men_reached = forms.IntegerField(
        label=_label(ProgressReport, "men_reached"), required=False, min_value=0
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
        if data.get("bulk_action") and not data.get("reports"):
            raise ValidationError(_("Tick at least one report."))
        return data

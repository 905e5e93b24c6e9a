"""The forms of the project pages. Fields come from the models (``rbm.fields.form_field``);
the rules (shares, years, scope) are the services', whose refusals are put back on the form
(``rbm.pages.add_service_errors``), so that every problem shows at once."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from cooperation import selectors
from cooperation.models import (
    Appraisal,
    CpoLink,
    Donor,
    Project,
    ProjectStatus,
    ProjectYear,
    Verdict,
)
from cooperation.services import ContributionData, LinkData, YearData
from rbm.fields import form_field
from rbm.models import Biennium, Country, Office, OfficeKind, Region

DATE = forms.DateInput(attrs={"type": "date"})
# Labels as the model's fields give them: capitalised, translated when shown.
label = lazy(capfirst, str)


class ProjectForm(forms.Form):
    code = form_field(Project, "code")
    title = form_field(Project, "title")
    summary = form_field(Project, "summary", widget=forms.Textarea(attrs={"rows": 3}))
    funding_kind = form_field(Project, "funding_kind")
    geography = form_field(Project, "geography")
    countries = forms.ModelMultipleChoiceField(
        Country.objects.none(), label=label(_("countries")), required=False
    )
    region = forms.ModelChoiceField(Region.objects.none(), label=label(_("region")), required=False)
    office = forms.ModelChoiceField(Office.objects.none(), label=label(_("responsible office")))
    technical_unit = forms.ModelChoiceField(
        Office.objects.none(), label=label(_("technical unit")), required=False
    )
    start_date = form_field(Project, "start_date", widget=DATE)
    end_date = form_field(Project, "end_date", widget=DATE)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offices = Office.objects.order_by("name")
        fields: dict[str, Any] = self.fields
        fields["countries"].queryset = Country.objects.select_related("region").order_by("name")
        fields["region"].queryset = Region.objects.all()
        fields["office"].queryset = offices
        fields["technical_unit"].queryset = offices.filter(kind=OfficeKind.TECHNICAL_UNIT)


PROJECT_FORM_FIELDS = tuple(
    name for name in ProjectForm.base_fields if name not in ("countries", "version")
)


class YearForm(forms.Form):
    year = form_field(ProjectYear, "year")
    budget = form_field(ProjectYear, "budget")
    disbursed = form_field(ProjectYear, "disbursed", required=False)
    expenditure = form_field(ProjectYear, "expenditure", required=False)


class ContributionForm(forms.Form):
    donor = forms.ModelChoiceField(Donor.objects.order_by("name"), label=label(_("donor")))
    amount = forms.DecimalField(
        label=label(_("contribution (USD)")), max_digits=15, decimal_places=2, min_value=0
    )


class LinkForm(forms.Form):
    cpo_code = forms.CharField(label=_("CPO code"), max_length=7)
    biennium = forms.ModelChoiceField(Biennium.objects.all(), label=label(_("biennium")))
    share = form_field(CpoLink, "share")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        code, biennium = data.get("cpo_code"), data.get("biennium")
        if code and biennium:
            cpo = selectors.cpos_by_code([(code.strip().upper(), biennium.pk)]).get(
                (code.strip().upper(), biennium.pk)
            )
            if cpo is None:
                self.add_error(
                    "cpo_code",
                    _("No outcome %(code)s in %(biennium)s.")
                    % {"code": code, "biennium": biennium},
                )
            data["cpo"] = cpo
        return data


YearFormSet = forms.formset_factory(YearForm, extra=2, can_delete=True)
ContributionFormSet = forms.formset_factory(ContributionForm, extra=2, can_delete=True)
LinkFormSet = forms.formset_factory(LinkForm, extra=2, can_delete=True)


def _rows(formset: forms.BaseFormSet[Any]) -> list[dict[str, Any]]:
    return [
        form.cleaned_data
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


def years_of(formset: forms.BaseFormSet[Any]) -> list[YearData]:
    return [
        YearData(
            row["year"],
            row["budget"],
            row.get("disbursed") or Decimal(0),
            row.get("expenditure") or Decimal(0),
        )
        for row in _rows(formset)
    ]


def contributions_of(formset: forms.BaseFormSet[Any]) -> list[ContributionData]:
    return [ContributionData(row["donor"], row["amount"]) for row in _rows(formset)]


def links_of(formset: forms.BaseFormSet[Any]) -> list[LinkData]:
    return [LinkData(row["cpo"], row["share"]) for row in _rows(formset) if row.get("cpo")]


class AppraisalForm(forms.Form):
    constituents_consulted = form_field(Appraisal, "constituents_consulted")
    gender_dimension = form_field(Appraisal, "gender_dimension")
    evaluation_planned = form_field(Appraisal, "evaluation_planned")
    verdict = forms.ChoiceField(
        label=label(_("verdict")), choices=Verdict.choices, widget=forms.RadioSelect
    )
    notes = form_field(Appraisal, "notes", widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ProjectFilterForm(forms.Form):
    q = forms.CharField(label=label(_("search")), required=False, max_length=100)
    status = forms.ChoiceField(
        label=label(_("status")),
        required=False,
        choices=[("", _("any")), *list(ProjectStatus.choices)],
    )
    region = forms.ModelChoiceField(Region.objects.all(), label=label(_("region")), required=False)
    donor = forms.ModelChoiceField(
        Donor.objects.order_by("name"), label=label(_("donor")), required=False
    )
    funding_kind = forms.ChoiceField(
        label=label(_("funding source")),
        required=False,
        choices=[("", _("any")), *list(Project._meta.get_field("funding_kind").choices or [])],
    )
    outside_dwcp = forms.BooleanField(label=label(_("outside every DWCP")), required=False)

    def filters(self) -> selectors.ProjectFilters:
        if not self.is_valid():
            return selectors.ProjectFilters()
        data = self.cleaned_data
        return selectors.ProjectFilters(
            status=data.get("status") or "",
            region=data["region"].pk if data.get("region") else None,
            donor=data["donor"].pk if data.get("donor") else None,
            funding_kind=data.get("funding_kind") or "",
            outside_dwcp=bool(data.get("outside_dwcp")),
            query=data.get("q") or "",
        )


class FundingFilterForm(forms.Form):
    region = forms.ModelChoiceField(
        Region.objects.all(), label=label(_("region")), empty_label=None
    )
    biennium = forms.ModelChoiceField(
        Biennium.objects.order_by("-start_year"), label=label(_("biennium")), empty_label=None
    )

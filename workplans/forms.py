"""Forms of the workplan pages.

Forms parse what people type and offer the choices the page allows; the services in
``workplans.services`` decide (permissions, the workflow, the models' invariants, versions).
Choice fields take objects the view has already read, so a form costs no extra query.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from rbm.models import Biennium, FundingSource, Region
from workplans.models import ReallocationKind, WorkplanStatus

ANY = _("Any")
GLOBAL = _("Global (headquarters)")
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_DIGITS, DECIMAL_PLACES = 15, 2
AMOUNT_INPUT = forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"})


class ObjectChoiceField(forms.ChoiceField):
    """Choose one of a list of objects the view has read; cleans to the object (or None)."""

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
        key: Callable[[Any], Any] = lambda obj: obj.pk,
        empty: bool = True,
    ) -> None:
        """Offer ``objects``; ``key`` gives the value sent (the id unless said otherwise)."""
        objects = list(objects)
        self.key = key
        self.objects_by_key = {str(key(obj)): obj for obj in objects}
        choices: list[Any] = [("", self.empty_label)] if empty else []
        self.choices = choices + [(str(key(obj)), label(obj)) for obj in objects]

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, models.Model):
            return self.key(value)
        return value

    def clean(self, value: Any) -> Any:
        key = super().clean(value)
        return self.objects_by_key.get(key) if key else None


class BienniumField(ObjectChoiceField):
    """A biennium by its code ("2012-13"), among those offered, with a message that says
    what is wrong with a code that is not one."""

    def __init__(self, *, unknown: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.unknown = unknown

    def set_bienniums(self, bienniums: Iterable[Biennium], *, empty: bool = True) -> None:
        self.set_objects(bienniums, label=lambda b: b.code, key=lambda b: b.code, empty=empty)

    def clean(self, value: Any) -> Any:
        value = str(value or "").strip()
        if not value:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        Biennium.parse_code(value[:20])  # "2012-14 is not a biennium; write it as 2012-13."
        if value not in self.objects_by_key:
            raise ValidationError(self.unknown % {"code": value}, code="invalid_choice")
        return self.objects_by_key[value]


def _region_field(label: Any, empty_label: Any, required: bool = False) -> ObjectChoiceField:
    return ObjectChoiceField(label=label, required=required, empty_label=empty_label)


def _regions(form: forms.Form, name: str, regions: Sequence[Region]) -> None:
    field = form.fields[name]
    assert isinstance(field, ObjectChoiceField)
    field.set_objects(regions, label=lambda r: r.label, key=lambda r: r.code)


def _sources(form: forms.Form, name: str, sources: Sequence[FundingSource]) -> None:
    field = form.fields[name]
    assert isinstance(field, ObjectChoiceField)
    field.set_objects(sources, label=lambda s: f"{s.code} – {s.label}", key=lambda s: s.code)


# Lists and the table -----------------------------------------------------------------------


class WorkplanFilterForm(forms.Form):
    biennium = BienniumField(
        label=_("Biennium"),
        required=False,
        empty_label=_("All bienniums"),
        unknown=_("There are no workplans for %(code)s."),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", ANY), *WorkplanStatus.choices]
    )

    def __init__(self, *args: Any, bienniums: Sequence[Biennium], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["biennium"]
        assert isinstance(field, BienniumField)
        field.set_bienniums(bienniums)


class OpenWorkplansForm(forms.Form):
    biennium = BienniumField(
        label=_("Biennium"),
        unknown=_("No programme and budget covers %(code)s yet."),
    )

    def __init__(self, *args: Any, bienniums: Sequence[Biennium], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["biennium"]
        assert isinstance(field, BienniumField)
        field.set_bienniums(bienniums, empty=False)


class TableFilterForm(forms.Form):
    biennium = BienniumField(
        label=_("Biennium"),
        unknown=_("No programme and budget covers %(code)s: there is no table to compute."),
    )
    region = _region_field(_("Region"), _("All regions"))

    def __init__(
        self,
        *args: Any,
        bienniums: Sequence[Biennium],
        regions: Sequence[Region],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["biennium"]
        assert isinstance(field, BienniumField)
        field.set_bienniums(bienniums, empty=False)
        _regions(self, "region", regions)
        self.fields["region"].error_messages["invalid_choice"] = _(
            "%(value)s is not a region: choose one from the list."
        )


EXPORT_FORMATS = [("xlsx", "XLSX"), ("csv", "CSV")]


class TableExportForm(TableFilterForm):
    format = forms.ChoiceField(
        label=_("Format"),
        choices=EXPORT_FORMATS,
        error_messages={"invalid_choice": _("Export as xlsx or csv.")},
    )


# The workplan page -------------------------------------------------------------------------


class StepForm(forms.Form):
    """A workflow step (submit, approve, return): the version read, and the comment a return
    needs (the service says when it is missing)."""

    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("What should the coordinator revise?"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Your comment"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class StrategyForm(forms.Form):
    """The text of one strategy element (the service refuses an empty one)."""

    text = forms.CharField(
        label=_("Text"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 5})
    )
    # The text as the editor read it: a text someone saved since is not overwritten.
    previous = forms.CharField(required=False, max_length=20000, widget=forms.HiddenInput)


def _line_name(source: FundingSource, region: Region | None) -> str:
    return f"amount_{source.code}_{region.code if region else 'global'}"


class ResourcesForm(forms.Form):
    """The workplan's money as a matrix: one amount per funding source and region (and
    global work); an empty or zero amount removes the line."""

    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        sources: Sequence[FundingSource],
        regions: Sequence[Region],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.sources = list(sources)
        self.regions: list[Region | None] = [*regions, None]
        for source in self.sources:
            for region in self.regions:
                self.fields[_line_name(source, region)] = forms.DecimalField(
                    label=_("%(source)s, %(region)s (USD)")
                    % {"source": source.code, "region": region.label if region else GLOBAL},
                    required=False,
                    min_value=Decimal(0),
                    widget=AMOUNT_INPUT,
                    max_digits=MAX_DIGITS,
                    decimal_places=DECIMAL_PLACES,
                )

    @staticmethod
    def initial_for(
        amounts: Mapping[tuple[int, int | None], Decimal],
        sources: Sequence[FundingSource],
        regions: Sequence[Region],
    ) -> dict[str, Decimal]:
        initial = {}
        for source in sources:
            for region in [*regions, None]:
                amount = amounts.get((source.pk, region.pk if region else None))
                if amount:
                    # Whole dollars show without cents: 1065000, not 1065000.00
                    whole = amount == amount.to_integral_value()
                    initial[_line_name(source, region)] = (
                        amount.quantize(Decimal(1)) if whole else amount
                    )
        return initial

    def rows(self) -> list[tuple[FundingSource, list[forms.BoundField]]]:
        return [
            (source, [self[_line_name(source, region)] for region in self.regions])
            for source in self.sources
        ]

    def lines(self) -> dict[tuple[FundingSource, Region | None], Decimal]:
        return {
            (source, region): self.cleaned_data.get(_line_name(source, region)) or Decimal(0)
            for source in self.sources
            for region in self.regions
        }


# The mid-term review -----------------------------------------------------------------------

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MidtermReviewForm(forms.Form):
    review_date = forms.DateField(label=_("Date of the review"), widget=DATE_INPUT)
    summary = forms.CharField(
        label=_("Assessment"),
        required=False,
        max_length=20000,
        help_text=_("Progress after about nine months, by region: what is on track, what is not."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    lessons_learned = forms.CharField(
        label=_("Lessons learned"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class CorrectiveActionForm(forms.Form):
    region = _region_field(_("Region"), _("All regions / global"))
    text = forms.CharField(
        label=_("Corrective action"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Describe the corrective action.")},
    )

    def __init__(self, *args: Any, regions: Sequence[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _regions(self, "region", regions)


class ReallocationForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=ReallocationKind.choices,
        initial=ReallocationKind.TRANSFER,
        help_text=_(
            "A transfer takes money from one line and gives it to another: the total does not "
            "change. A new allocation adds money."
        ),
    )
    from_source = ObjectChoiceField(
        label=_("From funding source"), required=False, empty_label=_("— (new allocation)")
    )
    from_region = _region_field(_("From region"), GLOBAL)
    to_source = ObjectChoiceField(label=_("To funding source"))
    to_region = _region_field(_("To region"), GLOBAL)
    amount = forms.DecimalField(
        label=_("Amount (USD)"),
        widget=AMOUNT_INPUT,
        max_digits=MAX_DIGITS,
        decimal_places=DECIMAL_PLACES,
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Give the reason for the reallocation.")},
    )

    def __init__(
        self,
        *args: Any,
        sources: Sequence[FundingSource],
        regions: Sequence[Region],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for name in ("from_source", "to_source"):
            _sources(self, name, sources)
        for name in ("from_region", "to_region"):
            _regions(self, name, regions)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("kind") == ReallocationKind.NEW_ALLOCATION:
            # New money comes from nowhere on the workplan: the "from" line does not apply.
            data["from_source"] = data["from_region"] = None
        return data


# Published figures -------------------------------------------------------------------------


class PublishedTableForm(forms.Form):
    biennium = BienniumField(
        label=_("Biennium"),
        unknown=_("No programme and budget covers %(code)s."),
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        help_text=_("As the document calls it, e.g. “Table 1 as printed”."),
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=300,
        required=False,
        help_text=_("The document and page the figures come from."),
    )
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns outcome,region,demand,target: one row per figure; “Total” for the totals."
        ),
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )
    replace = forms.BooleanField(
        label=_("Replace the table of this name if it exists"), required=False
    )

    def __init__(self, *args: Any, bienniums: Sequence[Biennium], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["biennium"]
        assert isinstance(field, BienniumField)
        field.set_bienniums(bienniums, empty=False)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("The file is larger than 2 MB: is it the right one?"))
        try:
            self.cleaned_data["text"] = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(
                _("The file is not UTF-8 text: save it as “CSV UTF-8” and upload it again.")
            ) from None
        return upload

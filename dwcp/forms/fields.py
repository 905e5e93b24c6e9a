"""Fields and helpers the country programme forms share."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

ANY = _("Any")
YES_NO_ANY = [("", ANY), ("yes", _("Yes")), ("no", _("No"))]


def field_label(model: type[models.Model], name: str) -> Any:
    return capfirst(model._meta.get_field(name).verbose_name)  # type: ignore[union-attr]


def field_help(model: type[models.Model], name: str) -> Any:
    return model._meta.get_field(name).help_text  # type: ignore[union-attr]


def yes_no(value: str | None) -> bool | None:
    """The value of a yes/no/any filter: True, False or None (any)."""
    return {"yes": True, "no": False}.get(value or "")


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


def year_field(model: type[models.Model], name: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=field_label(model, name),
        min_value=1990,
        max_value=2100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


def url_field(model: type[models.Model], name: str) -> forms.URLField:
    return forms.URLField(label=field_label(model, name), required=False, assume_scheme="https")


DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

"""What the doors (pages, API, spreadsheets) take from a model's field, so that each rule
the field holds (its length, its choices, its label) has one home: the model."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models


def model_field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    """The model's own field ``name`` (not a reverse relation)."""
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field), f"{model.__name__}.{name} is not a field"
    return field


def max_length(model: type[models.Model], name: str) -> int:
    """The longest text the model's field holds."""
    length = model_field(model, name).max_length
    assert length is not None, f"{model.__name__}.{name} has no max_length"
    return length


def form_field(model: type[models.Model], name: str, **overrides: Any) -> forms.Field:
    """The form field Django derives from the model's field (label, length, choices,
    required), with ``overrides`` (a widget, the page's help text)."""
    field = model_field(model, name).formfield(**overrides)
    assert field is not None, f"{model.__name__}.{name} has no form field"
    return field

"""The framework's texts in English, French and Spanish (ADR 0016).

django-modeltranslation adds a column per language to each field named here
(``title_en``, ``title_fr``, ``title_es``); the field itself (``outcome.title``) reads the
active language's column and, where that is empty, the English one. The history of these
models is registered here, after their translated columns exist, so that each historical
record keeps every language (django-simple-history's way with django-modeltranslation).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import translation
from modeltranslation.translator import TranslationOptions, translator
from simple_history import register as history_register

from strategic_plans.models import (
    Indicator,
    Outcome,
    ProgrammeAndBudget,
    StrategicObjective,
    StrategicPlan,
    StrategyElement,
)

# model -> its translated fields, in the order forms, exports and imports show them.
TRANSLATED: dict[type, tuple[str, ...]] = {
    StrategicPlan: ("title", "description"),
    ProgrammeAndBudget: ("title",),
    StrategicObjective: ("title", "description"),
    Outcome: ("title", "statement"),
    Indicator: ("text", "measurement_criteria", "baseline"),
    StrategyElement: ("title", "description"),
}

for _model, _fields in TRANSLATED.items():
    translator.register(
        _model,
        type(f"{_model.__name__}TranslationOptions", (TranslationOptions,), {"fields": _fields}),
    )


def _english_constructor(model: type[Any]) -> None:
    """``Outcome(title=...)`` gives the English title whatever language is active: the
    constructor django-modeltranslation installed (which puts ``title`` in the active
    language's column) runs with English active (``TranslatedTexts``)."""
    patched = model.__init__

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        with translation.override(settings.LANGUAGE_CODE):
            patched(self, *args, **kwargs)

    model.__init__ = __init__


for _model in TRANSLATED:
    _english_constructor(_model)

for _model in (StrategicPlan, ProgrammeAndBudget, StrategicObjective, Indicator, StrategyElement):
    history_register(_model)
history_register(Outcome, m2m_fields=["coordinators", "technical_units"])


def _history_columns_not_unique() -> None:
    """A historical record repeats its row's values, so none of its columns is unique.
    django-simple-history lifts ``unique`` from each copied field, but a translated column
    (``title_fr`` of a unique ``title``) states its options from the field it translates;
    its own options say otherwise here, and it is indexed instead, as simple-history does."""
    for model in TRANSLATED:
        historical = model.history.model  # type: ignore[attr-defined]
        for field in historical._meta.fields:
            translated = getattr(field, "translated_field", None)
            if translated is not None and translated.unique:
                field._field_options_kwargs = {"unique": False, "db_index": True}
                field.db_index = True


_history_columns_not_unique()

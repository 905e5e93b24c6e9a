"""The framework's texts in the three languages: which fields a model translates, which of a
record's texts fell back to English in a language, and the marker pages print for them.

The columns are django-modeltranslation's (``strategic_plans.translation``, ADR 0016):
``outcome.title`` reads the active language and falls back to English; this module says
when it did, so that pages (an "EN" tag), the API (``untranslated``) and the report can
tell the reader."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from modeltranslation.translator import NotRegistered, translator

DEFAULT_LANGUAGE: str = settings.LANGUAGE_CODE
LANGUAGES: tuple[str, ...] = tuple(code for code, _name in settings.LANGUAGES)
OTHER_LANGUAGES: tuple[str, ...] = tuple(c for c in LANGUAGES if c != DEFAULT_LANGUAGE)


def translated_fields(model: type[models.Model]) -> tuple[str, ...]:
    """The model's translated fields (``("title", "statement")``) in the model's order (a
    report's content lists them, and its hash must not depend on a set's order), or none."""
    try:
        names = set(translator.get_options_for_model(model).get_field_names())
    except NotRegistered:
        return ()
    return tuple(f.name for f in model._meta.concrete_fields if f.name in names)


def column(field: str, language: str) -> str:
    """``title``, ``fr`` -> ``title_fr``."""
    return f"{field}_{language}"


def active_language() -> str:
    language = (get_language() or DEFAULT_LANGUAGE).split("-")[0]
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def falls_back(record: Any, field: str, language: str | None = None) -> bool:
    """Whether ``record.field`` reads as English in ``language`` (the active one by default)
    because its text in that language is missing while the English one is there."""
    language = language or active_language()
    if language == DEFAULT_LANGUAGE:
        return False
    own = getattr(record, column(field, language), None)
    english = getattr(record, column(field, DEFAULT_LANGUAGE), None)
    return not own and bool(english)


def untranslated(record: Any, language: str | None = None) -> list[str]:
    """The record's fields that fall back to English in ``language``."""
    return [f for f in translated_fields(type(record)) if falls_back(record, f, language)]


def texts_of(record: Any, field: str) -> dict[str, str]:
    """``{"en": ..., "fr": ..., "es": ...}`` of one field of a record ("" where missing)."""
    return {language: getattr(record, column(field, language)) or "" for language in LANGUAGES}

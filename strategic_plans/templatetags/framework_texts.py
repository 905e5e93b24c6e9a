"""``{% load framework_texts %}``: the "EN" tag beside a framework text shown in English
because its translation into the reader's language is missing (ADR 0016)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from strategic_plans import texts

register = template.Library()


@register.simple_tag
def fallback_marker(record: Any, field: str) -> str:
    """``{% fallback_marker outcome "title" %}``: an "EN" tag when ``outcome.title`` reads
    as English in the active language; nothing otherwise."""
    if record is None or not texts.falls_back(record, field):
        return ""
    return format_html(
        '<abbr class="lang-fallback" lang="en" title="{}">EN</abbr>',
        _("Not yet translated into this language: shown in English."),
    )

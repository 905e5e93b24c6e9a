"""Every user-facing string is translated into French and Spanish, and pages switch language."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]*\}|%[sd]")


@pytest.mark.parametrize("language", ["fr", "es"])
def test_catalogue_is_complete_and_consistent(language: str) -> None:
    catalogue = polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))
    assert len(catalogue) > 100
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert not untranslated, untranslated[:10]
    assert not fuzzy, fuzzy[:10]
    for entry in catalogue.translated_entries():
        pairs = [(entry.msgid, entry.msgstr)]
        if entry.msgid_plural:
            pairs = [(entry.msgid_plural, text) for text in entry.msgstr_plural.values()]
        for source, text in pairs:
            assert sorted(PLACEHOLDER.findall(source)) == sorted(PLACEHOLDER.findall(text)), (
                entry.msgid
            )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "phrase"), [("fr", "Plans stratégiques"), ("es", "Planes estratégicos")]
)
def test_the_language_switcher_translates_the_pages(client, language: str, phrase: str) -> None:
    response = client.post(reverse("set_language"), {"language": language, "next": "/plans/"})
    assert response.status_code == 302
    page = client.get(reverse("plan-list")).content.decode()
    assert phrase in page
    assert f'<html lang="{language}">' in page


@pytest.mark.django_db
def test_every_page_has_the_language_switcher(client) -> None:
    for name in ["home", "plan-list", "reference", "login"]:
        assert 'name="language"' in client.get(reverse(name)).content.decode()

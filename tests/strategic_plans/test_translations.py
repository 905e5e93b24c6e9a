"""The framework's texts in English, French and Spanish: pages, API, the list of what is
missing, the writes and their history (ADR 0016)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from rbm.audit import history_entries
from rbm.models import Role
from rbm.services import system_user
from strategic_plans.models import Outcome
from strategic_plans.services import framework_texts_update, outcome_create
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def outcome() -> Outcome:
    """Outcome 16 with a French title but no French statement, and no Spanish at all."""
    _plan, outcomes = factories.framework_2012_13()
    outcome = next(o for o in outcomes if o.code == "16")
    framework_texts_update(
        user=system_user(),
        record=outcome,
        texts={"title_fr": "Travail des enfants", "statement_en": "Child labour is reduced."},
    )
    return outcome


def test_a_french_page_shows_the_french_title_and_marks_what_is_still_english(
    client, outcome
) -> None:
    # When a French reader opens the outcome
    response = client.get(reverse("outcome-detail", args=[outcome.pk]), HTTP_ACCEPT_LANGUAGE="fr")
    html = response.content.decode()
    # Then the title is French, unmarked, and the English statement carries the "EN" tag
    assert response.status_code == 200
    assert "Travail des enfants" in html
    assert "Child labour is reduced." in html
    head, statement = html.split("<h1>", 1)[1].split('class="statement"', 1)
    assert "lang-fallback" not in head.split("</h1>")[0]
    assert 'class="lang-fallback"' in statement.split("</p>")[0]
    assert "Pas encore traduit dans cette langue" in statement.split("</p>")[0]
    # And an English reader sees no marker at all
    english = client.get(reverse("outcome-detail", args=[outcome.pk])).content.decode()
    assert "Child labour" in english
    assert "lang-fallback" not in english


@pytest.mark.parametrize(
    ("headers", "query", "language", "title", "untranslated"),
    [
        ({"HTTP_ACCEPT_LANGUAGE": "fr"}, "", "fr", "Travail des enfants", ["statement"]),
        ({"HTTP_ACCEPT_LANGUAGE": "fr"}, "?lang=es", "es", "Child labour", ["title", "statement"]),
        ({}, "?lang=fr", "fr", "Travail des enfants", ["statement"]),
        ({}, "", "en", "Child labour", []),
        ({}, "?lang=de", "en", "Child labour", []),
    ],
)
def test_the_api_answers_in_the_asked_language_and_names_what_fell_back(
    outcome, headers, query, language, title, untranslated
) -> None:
    response = APIClient().get(f"/api/v1/outcomes/{outcome.pk}/{query}", **headers)
    assert response.status_code == 200
    body = response.json()
    assert body["title"] == title
    assert body["language"] == language
    assert body["untranslated"] == untranslated
    assert response["Content-Language"] == language


def test_the_missing_translations_page_lists_each_text_and_language(
    client, outcome, count_queries
) -> None:
    url = reverse("plan-translations", args=[outcome.objective.plan_id])
    response = client.get(url)
    rows = response.context["rows"]
    by_key = {(r.code, r.field): r.missing for r in rows}
    # The French title exists, the Spanish one does not; the statement is in English only
    assert by_key[("16", "title")] == ("es",)
    assert by_key[("16", "objective statement")] == ("fr", "es")
    assert by_key[("18", "title")] == ("fr", "es")
    assert ("16.1", "text") in by_key
    # And its queries do not grow with the framework
    before = count_queries(lambda: client.get(url))
    for number in range(2, 6):
        more = factories.OutcomeFactory(objective=outcome.objective, code=str(20 + number))
        factories.IndicatorFactory(outcome=more, code=f"{more.code}.1")
    assert count_queries(lambda: client.get(url)) == before


def test_a_text_written_from_a_french_request_stays_english_in_the_base_column(outcome) -> None:
    # When an outcome is created while French is active
    with translation.override("fr"):
        created = outcome_create(
            user=system_user(),
            objective=outcome.objective,
            code="30",
            title="Green jobs",
            texts={"title_fr": "Emplois verts", "title_es": "Empleos verdes"},
        )
    created.refresh_from_db()
    # Then the title given is the English one, and each language reads its own
    assert created.title_en == "Green jobs"
    for language, expected in (
        ("en", "Green jobs"),
        ("fr", "Emplois verts"),
        ("es", "Empleos verdes"),
    ):
        with translation.override(language):
            assert created.title == expected
    assert Outcome.objects.filter(pk=created.pk, title_en="Green jobs").exists()


def test_only_programme_officers_change_texts_and_english_cannot_be_emptied(
    outcome, user_for
) -> None:
    with pytest.raises(PermissionDenied):
        framework_texts_update(
            user=user_for(Role.FIELD_OFFICE_STAFF), record=outcome, texts={"title_es": "x"}
        )
    officer = user_for(Role.PROGRAMME_OFFICER)
    with pytest.raises(ValidationError) as refused:
        framework_texts_update(user=officer, record=outcome, texts={"title_en": ""})
    assert "title_en" in refused.value.message_dict
    with pytest.raises(ValidationError):
        framework_texts_update(user=officer, record=outcome, texts={"code_fr": "x"})
    # A Spanish title by a programme officer is saved and its history says who and what
    assert framework_texts_update(
        user=officer, record=outcome, texts={"title_es": "Trabajo infantil"}
    ) == ["title_es"]
    outcome.refresh_from_db()
    assert outcome.title_es == "Trabajo infantil"
    changed = [e for e in history_entries([(Outcome, [outcome.pk])]) if e.action == "changed"]
    assert [(c.field, c.old, c.new) for c in changed[0].changes] == [
        ("title [es]", "—", "Trabajo infantil")
    ]

"""The search: per-language stemming, ranking, snippets, filters, public and staff."""

from __future__ import annotations

import pytest

from evaluations import search
from evaluations.search import SearchFilters
from tests.evaluations.conftest import World

pytestmark = pytest.mark.django_db


def _titles(text: str, *, public: bool = False, **filters: object) -> list[str]:
    return [d.title for d in search.search(text, SearchFilters(**filters), public=public)]  # type: ignore[arg-type]


def test_a_french_query_finds_a_french_lesson_by_its_stem(world: World) -> None:
    world.lesson(
        validated=True,
        language="fr",
        title="Former les inspecteurs sur place",
        text="Les inspectrices formées sur leur lieu de travail appliquent mieux les listes.",
    )
    # "formé" and "inspectrice" share the French stems of "formées" and "inspectrices"
    # ("form", "inspectric"); neither word is in the text as typed
    assert _titles("inspectrice formé", languages=("fr",)) == ["Former les inspecteurs sur place"]
    assert _titles("inspectrice formé") == ["Former les inspecteurs sur place"]
    # The same words parsed as English do not reach the French lesson
    assert _titles("inspectrice formé", languages=("en",)) == []


def test_an_english_query_does_not_match_a_spanish_only_text(world: World) -> None:
    world.lesson(
        validated=True,
        language="es",
        title="Pensiones sociales",
        text="Las pensiones sociales no contributivas redujeron la pobreza en la vejez.",
    )
    world.lesson(
        validated=True,
        title="Social pensions",
        text="Non-contributory pensions reduced old-age poverty.",
    )
    # English stemming of "pensiones" would give "pension": the Spanish text is only ever
    # matched with the Spanish configuration, so an English query leaves it out
    assert _titles("pension", languages=("en",)) == ["Social pensions"]
    # and a Spanish word unknown to English finds nothing in English
    assert _titles("vejez", languages=("en",)) == []
    assert _titles("vejez", languages=("es",)) == ["Pensiones sociales"]


def test_results_are_ranked_and_carry_a_highlighted_snippet(world: World) -> None:
    world.lesson(validated=True, title="Inspection", text="Labour inspection in general.")
    world.lesson(
        validated=True,
        title="Child labour",
        text="Child labour fell where child labour monitoring committees met monthly.",
    )
    rows = list(search.search("child labour", SearchFilters(), public=False))
    assert [r.title for r in rows] == ["Child labour"]
    rows = list(search.search("labour", SearchFilters(), public=False))
    assert rows[0].title == "Child labour"
    assert rows[0].rank > rows[1].rank  # type: ignore[attr-defined]
    search.with_snippets(rows, "labour")
    assert "\x02labour\x03" in rows[0].snippet  # type: ignore[attr-defined]


def test_filters_by_outcome_country_region_type_and_year(world: World) -> None:
    world.lesson(validated=True, title="Indonesia lesson", year=2014)
    world.lesson(
        validated=True,
        title="Kenya lesson",
        validator=world.admin,
        countries=[world.regions["africa"].countries.get(alpha3="KEN")],
        outcomes=[world.other_outcome],
        year=2012,
    )
    evaluation = world.completed(title="Evaluation of Indonesia")
    assert evaluation.country_id == world.programme.country_id
    idn = world.programme.country
    assert _titles("", country_id=idn.pk) == ["Indonesia lesson", "Evaluation of Indonesia"] or (
        sorted(_titles("", country_id=idn.pk)) == ["Evaluation of Indonesia", "Indonesia lesson"]
    )
    assert _titles("", outcome_id=world.other_outcome.pk) == ["Kenya lesson"]
    assert _titles("", region_id=world.regions["africa"].pk) == ["Kenya lesson"]
    assert _titles("", kind="evaluation") == ["Evaluation of Indonesia"]
    assert _titles("", year=2012) == ["Kenya lesson"]


def test_staff_do_not_find_unvalidated_lessons_and_the_public_only_public_records(
    world: World,
) -> None:
    world.lesson(title="Proposed lesson", text="Inspection")
    done = world.completed(title="Public evaluation")
    world.lesson(
        validated=True,
        title="Public lesson",
        text="Inspection",
        source="evaluation",
        evaluation=done,
    )
    world.lesson(validated=True, title="Internal lesson", text="Inspection")
    assert sorted(_titles("inspection")) == [
        "Internal lesson",
        "Public evaluation",
        "Public lesson",
    ]
    assert sorted(_titles("", public=True)) == ["Public evaluation", "Public lesson"]
    managers = search.search(
        "inspection", SearchFilters(), public=False, staff_sees_unvalidated=True
    )
    assert "Proposed lesson" in [d.title for d in managers]

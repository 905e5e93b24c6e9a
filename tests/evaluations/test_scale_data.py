"""Evaluations and lessons in the benchmarks' scale data: 200 evaluations and 1,000 lessons a
scale unit, indexed for the search as the services index them."""

from __future__ import annotations

import io

import pytest

from bench.generate_scale_data import run
from evaluations import search
from evaluations.models import Evaluation, Lesson, Recommendation, SearchDocument

pytestmark = pytest.mark.django_db(transaction=True)


def test_scale_1_holds_evaluations_and_lessons_the_search_finds() -> None:
    run(scale=1, seed=1, replace=True, out=io.StringIO())
    assert Evaluation.objects.count() == 200
    assert Recommendation.objects.count() == 400
    assert Lesson.objects.count() == 1000
    documents = SearchDocument.objects
    assert documents.filter(vector__isnull=True).count() == 0
    assert documents.filter(kind__in=["lesson", "good_practice"]).count() == 1000
    french = list(
        search.search("inspecteur formé", search.SearchFilters(languages=("fr",)), public=False)[:5]
    )
    assert french
    assert all(d.language == "fr" for d in french)

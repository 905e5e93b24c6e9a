"""The search over lessons, good practices, evaluations and recommendations.

Each record is indexed in every language it is written in, as one ``SearchDocument`` row
whose ``tsvector`` is built with that language's PostgreSQL configuration ('english',
'french', 'spanish': stemming and stop words of the language), the title weighted A and the
body B, and kept up to date by the services that write the record (``index``), in their
transaction. A GIN index serves the match (migration 0002).

A query is parsed once per language searched (``websearch_to_tsquery`` with the same
configuration) and matched only against documents of that language: a French query finds
"formées" by "formation"'s stem in a French lesson, and an English query never matches a
Spanish text through English stemming of Spanish words. Results are ranked (``ts_rank``) and
each gets a highlighted snippet (``ts_headline``) computed for the page's rows only.

On SQLite (the demo) there is no text search: a plain case-insensitive match of the words.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db import connection, transaction
from django.db.models import Case, F, FloatField, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Coalesce

from evaluations.models import (
    SEARCH_CONFIGS,
    DocumentKind,
    Evaluation,
    Lesson,
    LessonKind,
    LessonStatus,
    Recommendation,
    SearchDocument,
)
from evaluations.permissions import is_public

LESSON_KINDS = (DocumentKind.LESSON, DocumentKind.GOOD_PRACTICE)
MAX_QUERY_LENGTH = 200


def postgres() -> bool:
    return connection.vendor == "postgresql"


# Writing the index --------------------------------------------------------------------------


def _documents_of_evaluation(evaluation: Evaluation) -> list[SearchDocument]:
    public = is_public(evaluation)
    return [
        SearchDocument(
            kind=DocumentKind.EVALUATION,
            object_id=evaluation.pk,
            language=language,
            evaluation=evaluation,
            title=evaluation.title,
            body=summary,
            year=evaluation.year,
            evaluation_type=evaluation.kind,
            outcome_id=evaluation.outcome_id,
            country_id=evaluation.country_id,
            region_id=evaluation.region_id,
            public=public,
        )
        for language, summary in (evaluation.summaries() or {"en": ""}).items()
    ]


def _document_of_recommendation(recommendation: Recommendation) -> SearchDocument:
    evaluation = recommendation.evaluation
    return SearchDocument(
        kind=DocumentKind.RECOMMENDATION,
        object_id=recommendation.pk,
        language=recommendation.language,
        evaluation=evaluation,
        title=f"{evaluation.title} – {recommendation.number}"[:250],
        body=recommendation.text,
        year=evaluation.year,
        evaluation_type=evaluation.kind,
        outcome_id=evaluation.outcome_id,
        country_id=evaluation.country_id,
        region_id=evaluation.region_id,
        public=False,
    )


def _document_of_lesson(lesson: Lesson) -> SearchDocument:
    validated = lesson.status == LessonStatus.VALIDATED
    evaluation = lesson.evaluation
    return SearchDocument(
        kind=DocumentKind.GOOD_PRACTICE
        if lesson.kind == LessonKind.GOOD_PRACTICE
        else DocumentKind.LESSON,
        object_id=lesson.pk,
        language=lesson.language,
        evaluation=evaluation,
        title=lesson.title,
        body="\n".join(t for t in (lesson.text, lesson.context, lesson.what_to_change) if t),
        year=lesson.year,
        evaluation_type=evaluation.kind if evaluation else "",
        public=validated and is_public(evaluation),
        counts=validated,
    )


def _replace(kinds: Sequence[str], object_ids: list[int], documents: list[SearchDocument]) -> None:
    SearchDocument.objects.filter(kind__in=kinds, object_id__in=object_ids).delete()
    created = SearchDocument.objects.bulk_create(documents)
    vectors_update(SearchDocument.objects.filter(pk__in=[d.pk for d in created]))


def vectors_update(documents: QuerySet[SearchDocument]) -> int:
    """Compute the stored vectors of ``documents``, one UPDATE per language (PostgreSQL)."""
    if not postgres():
        return 0
    updated = 0
    for language, config in SEARCH_CONFIGS.items():
        updated += documents.filter(language=language).update(
            vector=SearchVector("title", weight="A", config=config)
            + SearchVector("body", weight="B", config=config)
        )
    return updated


def index_evaluation(evaluation: Evaluation) -> None:
    """Index the evaluation, its recommendations and its lessons again (its state and
    whether it is public change theirs)."""
    recommendations = list(evaluation.recommendations.select_related("evaluation__programme"))
    lessons = list(
        Lesson.objects.filter(evaluation=evaluation).select_related("evaluation__programme")
    )
    documents = _documents_of_evaluation(evaluation)
    documents += [_document_of_recommendation(r) for r in recommendations]
    documents += [_document_of_lesson(lesson) for lesson in lessons]
    SearchDocument.objects.filter(kind=DocumentKind.EVALUATION, object_id=evaluation.pk).delete()
    SearchDocument.objects.filter(
        kind=DocumentKind.RECOMMENDATION, object_id__in=[r.pk for r in recommendations]
    ).delete()
    SearchDocument.objects.filter(
        kind__in=LESSON_KINDS, object_id__in=[lesson.pk for lesson in lessons]
    ).delete()
    created = SearchDocument.objects.bulk_create(documents)
    vectors_update(SearchDocument.objects.filter(pk__in=[d.pk for d in created]))


def index_recommendation(recommendation: Recommendation) -> None:
    _replace(
        [DocumentKind.RECOMMENDATION],
        [recommendation.pk],
        [_document_of_recommendation(recommendation)],
    )


def index_lessons(lessons: Iterable[Lesson]) -> None:
    lessons = list(lessons)
    _replace(
        LESSON_KINDS,
        [lesson.pk for lesson in lessons],
        [_document_of_lesson(lesson) for lesson in lessons],
    )


def reindex_all() -> int:
    """Build the whole index again from the records (demo and scale data loaders)."""
    SearchDocument.objects.all().delete()
    evaluations = list(Evaluation.objects.select_related("programme"))
    by_pk = {e.pk: e for e in evaluations}
    documents: list[SearchDocument] = []
    for evaluation in evaluations:
        documents += _documents_of_evaluation(evaluation)
    for recommendation in Recommendation.objects.all():
        recommendation.evaluation = by_pk[recommendation.evaluation_id]
        documents.append(_document_of_recommendation(recommendation))
    for lesson in Lesson.objects.all():
        if lesson.evaluation_id is not None:
            lesson.evaluation = by_pk[lesson.evaluation_id]
        documents.append(_document_of_lesson(lesson))
    SearchDocument.objects.bulk_create(documents, batch_size=2000)
    vectors_update(SearchDocument.objects.all())
    return len(documents)


# Reading it -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchFilters:
    outcome_id: int | None = None
    country_id: int | None = None
    region_id: int | None = None
    kind: str = ""
    year: int | None = None
    languages: tuple[str, ...] = tuple(SEARCH_CONFIGS)


def _filtered(documents: QuerySet[SearchDocument], filters: SearchFilters) -> Any:
    if filters.kind:
        documents = documents.filter(kind=filters.kind)
    if filters.year is not None:
        documents = documents.filter(year=filters.year)
    if filters.outcome_id is not None:
        tagged = Lesson.outcomes.through.objects.filter(outcome_id=filters.outcome_id)
        documents = documents.filter(
            Q(outcome_id=filters.outcome_id)
            | Q(kind__in=LESSON_KINDS, object_id__in=tagged.values("lesson_id"))
        )
    if filters.country_id is not None:
        in_country = Lesson.countries.through.objects.filter(country_id=filters.country_id)
        documents = documents.filter(
            Q(country_id=filters.country_id)
            | Q(kind__in=LESSON_KINDS, object_id__in=in_country.values("lesson_id"))
        )
    if filters.region_id is not None:
        regions = Lesson.regions.through.objects.filter(region_id=filters.region_id)
        countries = Lesson.countries.through.objects.filter(country__region_id=filters.region_id)
        documents = documents.filter(
            Q(region_id=filters.region_id)
            | Q(kind__in=LESSON_KINDS, object_id__in=regions.values("lesson_id"))
            | Q(kind__in=LESSON_KINDS, object_id__in=countries.values("lesson_id"))
        )
    return documents


def matches(
    text: str, filters: SearchFilters, *, public: bool, staff_sees_unvalidated: bool = False
) -> Any:
    """The matching documents as rows of ``id``, ``rank`` and ``year``, best first (all, the
    newest first, when ``text`` is empty): a queryset to page (``Paginator``) and then load
    with ``documents``. ``public``: only what the public may read; staff find what counts
    (and, for evaluation managers, lessons not validated yet).

    On PostgreSQL each language searched is its own query, ``language = L AND vector @@
    websearch_to_tsquery(config of L, text)`` ranked with that query, joined with UNION ALL:
    each part is one GIN scan whose rows need no second test (an OR of the three in one
    query rechecked every row against every language's query: four times slower)."""
    documents = SearchDocument.objects.all()
    if public:
        documents = documents.filter(public=True)
    elif not staff_sees_unvalidated:
        documents = documents.filter(counts=True)
    documents = _filtered(documents, filters)
    languages = [code for code in filters.languages if code in SEARCH_CONFIGS]
    text = text.strip()[:MAX_QUERY_LENGTH]
    unranked = Value(0.0, output_field=FloatField())
    if not text or not postgres():
        documents = documents.filter(language__in=languages)
        if text:  # SQLite: each word somewhere in the title or the body
            for word in text.split():
                documents = documents.filter(Q(title__icontains=word) | Q(body__icontains=word))
        return (
            documents.annotate(rank=unranked).values("id", "rank", "year").order_by("-year", "-id")
        )
    parts = []
    for code in languages:
        query = SearchQuery(text, config=SEARCH_CONFIGS[code], search_type="websearch")
        parts.append(
            documents.filter(language=code, vector=query)
            .annotate(rank=SearchRank(F("vector"), query))
            .values("id", "rank", "year")
        )
    if not parts:
        return documents.none().annotate(rank=unranked).values("id", "rank", "year")
    return parts[0].union(*parts[1:], all=True).order_by("-rank", "-year", "-id")


@contextmanager
def one_process() -> Iterator[None]:
    """Run the block's search queries without parallel workers (PostgreSQL): a search reads a
    few thousand rows at most, which one process reads in 3 ms where starting parallel
    workers took 30 ms (scale 10, EXPLAIN ANALYZE). ``SET LOCAL``: for the block only."""
    with transaction.atomic():
        if postgres():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        yield


def documents(rows: Any) -> list[SearchDocument]:
    """The documents of a page of ``matches`` rows, in their order, each with its ``rank``:
    one query."""
    rows = list(rows)
    by_id = SearchDocument.objects.in_bulk([row["id"] for row in rows])
    found = []
    for row in rows:
        document = by_id.get(row["id"])
        if document is not None:
            document.rank = row["rank"]  # type: ignore[attr-defined]
            found.append(document)
    return found


def search(
    text: str, filters: SearchFilters, *, public: bool, staff_sees_unvalidated: bool = False
) -> list[SearchDocument]:
    """Every matching document, best first (for small sets: tests, exports)."""
    return documents(
        matches(text, filters, public=public, staff_sees_unvalidated=staff_sees_unvalidated)
    )


def with_snippets(rows: list[SearchDocument], text: str) -> list[SearchDocument]:
    """Give each row of a page its highlighted snippet (``snippet``): one query for the page."""
    text = text.strip()[:MAX_QUERY_LENGTH]
    if not rows:
        return rows
    if not text or not postgres():
        for row in rows:
            row.snippet = row.body[:300]  # type: ignore[attr-defined]
        return rows
    headline = Case(
        *(
            When(
                language=code,
                then=SearchHeadline(
                    "body",
                    SearchQuery(text, config=config, search_type="websearch"),
                    config=config,
                    start_sel="\x02",
                    stop_sel="\x03",
                    max_words=35,
                    min_words=15,
                    max_fragments=2,
                ),
            )
            for code, config in SEARCH_CONFIGS.items()
        ),
        default=Coalesce("body", Value("")),
        output_field=TextField(),
    )
    snippets = dict(
        SearchDocument.objects.filter(pk__in=[row.pk for row in rows])
        .annotate(snippet=headline)
        .values_list("pk", "snippet")
    )
    for row in rows:
        row.snippet = snippets.get(row.pk, "")  # type: ignore[attr-defined]
    return rows


__all__ = [
    "SearchFilters",
    "index_evaluation",
    "index_lessons",
    "index_recommendation",
    "reindex_all",
    "search",
    "vectors_update",
    "with_snippets",
]

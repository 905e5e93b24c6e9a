"""Evaluations and lessons in the scale data: 200 evaluations and 1,000 lessons per scale unit
(20,000 and 100,000 at scale 100), two recommendations per evaluation, each lesson tagged
with an outcome and a country, in English, French or Spanish (half English), most
validated; then their search documents and vectors, built in the database as the services
would (``evaluations.search``), so the search benchmark reads what it would in production.
"""

from __future__ import annotations

import datetime
import random
import time
from typing import Any

from django.db import connection

from bench.scale.copying import Counts, copy_rows, next_id, reset_sequences
from evaluations.models import (
    SEARCH_CONFIGS,
    Evaluation,
    Lesson,
    Recommendation,
    SearchDocument,
)
from rbm.models import User

EVALUATIONS_PER_SCALE = 200
LESSONS_PER_SCALE = 1000
STAMP = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)

# Sentences per language that the lessons are made of (illustrative).
SENTENCES = {
    "en": [
        "Labour inspectors trained on site applied the checklists more often",
        "Tripartite steering committees that met every quarter owned the programme",
        "Baselines measured before the biennium made results easier to validate",
        "Pooled funding allowed larger and more integrated programmes",
        "Employment services reached young women when their hours suited them",
        "Social protection floors costed with the finance ministry entered the budget",
        "Community monitoring kept children in school after the project ended",
        "Minimum wage boards with statistics reached agreements faster",
        "Short guides in the national language were used by constituents",
        "Programme priorities written into the UNDAF attracted joint funding",
    ],
    "fr": [
        "Les inspecteurs du travail formés sur place ont mieux appliqué les listes",
        "Les comités tripartites réunis chaque trimestre se sont approprié le programme",
        "Les données de référence mesurées avant la période ont facilité la validation",
        "Le financement commun a permis des programmes plus vastes et mieux intégrés",
        "Les services de l'emploi ont atteint les jeunes femmes grâce à des horaires adaptés",
        "Les socles de protection sociale chiffrés avec le ministère sont entrés au budget",
        "La surveillance communautaire a maintenu les enfants à l'école",
        "Les conseils du salaire minimum dotés de statistiques ont conclu plus vite",
        "De courts guides dans la langue nationale ont été utilisés par les mandants",
        "Les priorités inscrites dans le PNUAD ont attiré des financements conjoints",
    ],
    "es": [
        "Los inspectores de trabajo formados en el lugar aplicaron mejor las listas",
        "Los comités tripartitos reunidos cada trimestre se apropiaron del programa",
        "Las líneas de base medidas antes del bienio facilitaron la validación",
        "La financiación conjunta permitió programas más amplios e integrados",
        "Los servicios de empleo llegaron a las mujeres jóvenes con horarios adecuados",
        "Los pisos de protección social costeados con el ministerio entraron al presupuesto",
        "La vigilancia comunitaria mantuvo a los niños en la escuela",
        "Los consejos del salario mínimo con estadísticas acordaron más rápido",
        "Guías breves en el idioma nacional fueron utilizadas por los mandantes",
        "Las prioridades incluidas en el MANUD atrajeron financiación conjunta",
    ],
}


def _text(rng: random.Random, language: str, count: int) -> str:
    return ". ".join(rng.sample(SENTENCES[language], count)) + "."


def generate_evaluations(
    rng: random.Random,
    scale: int,
    programmes: list[Any],
    outcomes: list[Any],
    country_ids: list[int],
    counts: Counts,
) -> None:
    """COPY the evaluations, recommendations, lessons and their tags, then index them."""
    manager = User.objects.filter(username="system").values_list("pk", flat=True).first()
    assert manager is not None
    first_evaluation = next_id(Evaluation)
    evaluations: list[dict[str, Any]] = []
    for offset in range(EVALUATIONS_PER_SCALE * scale):
        programme = programmes[offset % len(programmes)] if offset % 3 else None
        outcome = outcomes[offset % len(outcomes)] if programme is None else None
        start = datetime.date(2010 + offset % 12, 1 + offset % 12, 1)
        language = ("en", "en", "fr", "es")[offset % 4]
        summary = _text(rng, language, 3)
        evaluations.append(
            {
                "id": first_evaluation + offset,
                "created_at": STAMP,
                "updated_at": STAMP,
                "version": 1,
                "title": (
                    f"Evaluation of the DWCP of {programme.country.name} ({offset})"
                    if programme
                    else f"Evaluation of outcome {getattr(outcome, 'code', '')} ({offset})"
                ),
                "subject_kind": "programme" if programme else "outcome",
                "programme_id": programme.pk if programme else None,
                "outcome_id": outcome.pk if outcome else None,
                "project_id": None,
                "theme": "",
                "kind": ("independent", "internal", "self", "review")[offset % 4],
                "timing": ("mid_term", "final", "ex_post")[offset % 3],
                "region_id": programme.country.region_id if programme else None,
                "country_id": programme.country_id if programme else None,
                "manager_id": manager,
                "evaluators": "Scale data",
                "start_date": start,
                "end_date": start + datetime.timedelta(days=200),
                "status": ("completed", "response_complete", "in_progress")[offset % 3],
                "report_file": "",
                "summary_en": summary if language == "en" else "",
                "summary_fr": summary if language == "fr" else "",
                "summary_es": summary if language == "es" else "",
            }
        )
    copy_rows(Evaluation, evaluations, counts)
    first_recommendation = next_id(Recommendation)
    copy_rows(
        Recommendation,
        (
            {
                "id": first_recommendation + 2 * index + n,
                "created_at": STAMP,
                "updated_at": STAMP,
                "version": 1,
                "evaluation_id": evaluation["id"],
                "number": n + 1,
                "text": _text(rng, "en", 1),
                "language": "en",
                "addressee_kind": "constituents",
                "addressee_office_id": None,
                "priority": ("high", "medium", "low")[(index + n) % 3],
                "response": ("pending", "accepted", "partially_accepted", "rejected")[
                    (index + n) % 4
                ],
                "response_reasons": "Reasons." if (index + n) % 4 >= 2 else "",
                "responded_by_id": None,
                "responded_at": None,
            }
            for index, evaluation in enumerate(evaluations)
            for n in range(2)
        ),
        counts,
    )
    first_lesson = next_id(Lesson)
    lessons = []
    for offset in range(LESSONS_PER_SCALE * scale):
        evaluation = evaluations[offset % len(evaluations)]
        language = ("en", "en", "fr", "es")[offset % 4]
        lessons.append(
            {
                "id": first_lesson + offset,
                "created_at": STAMP,
                "updated_at": STAMP,
                "version": 1,
                "kind": "good_practice" if offset % 5 == 0 else "lesson",
                "title": SENTENCES[language][offset % 10][:60],
                "text": _text(rng, language, 3),
                "context": "",
                "what_to_change": _text(rng, language, 1),
                "language": language,
                "translation_of_id": None,
                "source": "evaluation",
                "evaluation_id": evaluation["id"],
                "source_note": "",
                "year": evaluation["start_date"].year,
                "status": "proposed" if offset % 10 == 0 else "validated",
                "created_by_id": manager,
                "validated_by_id": None if offset % 10 == 0 else manager,
                "validated_at": None if offset % 10 == 0 else STAMP,
            }
        )
    copy_rows(Lesson, lessons, counts)
    copy_rows(
        Lesson.outcomes.through,
        (
            {
                "id": lesson["id"],
                "lesson_id": lesson["id"],
                "outcome_id": outcomes[index % len(outcomes)].pk,
            }
            for index, lesson in enumerate(lessons)
        ),
        counts,
    )
    copy_rows(
        Lesson.countries.through,
        (
            {
                "id": lesson["id"],
                "lesson_id": lesson["id"],
                "country_id": country_ids[index % len(country_ids)],
            }
            for index, lesson in enumerate(lessons)
        ),
        counts,
    )
    reset_sequences(
        [Evaluation, Recommendation, Lesson, Lesson.outcomes.through, Lesson.countries.through]
    )
    _index(counts)


def _index(counts: Counts) -> None:
    """The search documents of everything generated, as the services write them."""
    started = time.monotonic()
    public = (
        "e.kind = 'independent' AND e.status IN ('completed', 'response_complete') AND p.published"
    )
    with connection.cursor() as cursor:
        for language in SEARCH_CONFIGS:
            cursor.execute(
                f"""
                INSERT INTO evaluations_searchdocument (kind, object_id, language,
                    evaluation_id, title, body, year, evaluation_type, outcome_id, country_id,
                    region_id, public, counts)
                SELECT 'evaluation', e.id, %s, e.id, e.title, e.summary_{language},
                    EXTRACT(YEAR FROM COALESCE(e.end_date, e.start_date)), e.kind,
                    e.outcome_id, e.country_id, e.region_id, COALESCE({public}, false), true
                FROM evaluations_evaluation e
                LEFT JOIN dwcp_decentworkcountryprogramme p ON p.id = e.programme_id
                WHERE e.summary_{language} <> ''
                """,
                [language],
            )
        cursor.execute(
            """
            INSERT INTO evaluations_searchdocument (kind, object_id, language, evaluation_id,
                title, body, year, evaluation_type, outcome_id, country_id, region_id, public,
                counts)
            SELECT 'recommendation', r.id, r.language, e.id, left(e.title || ' – ' || r.number,
                250), r.text, EXTRACT(YEAR FROM COALESCE(e.end_date, e.start_date)), e.kind,
                e.outcome_id, e.country_id, e.region_id, false, true
            FROM evaluations_recommendation r JOIN evaluations_evaluation e
                ON e.id = r.evaluation_id
            """
        )
        cursor.execute(
            f"""
            INSERT INTO evaluations_searchdocument (kind, object_id, language, evaluation_id,
                title, body, year, evaluation_type, public, counts)
            SELECT CASE WHEN l.kind = 'good_practice' THEN 'good_practice' ELSE 'lesson' END,
                l.id, l.language, l.evaluation_id, l.title,
                concat_ws(E'\\n', l.text, NULLIF(l.context, ''), NULLIF(l.what_to_change, '')),
                l.year, COALESCE(e.kind, ''),
                COALESCE(l.status = 'validated' AND {public}, false),
                l.status = 'validated'
            FROM evaluations_lesson l
            LEFT JOIN evaluations_evaluation e ON e.id = l.evaluation_id
            LEFT JOIN dwcp_decentworkcountryprogramme p ON p.id = e.programme_id
            """
        )
        for language, config in SEARCH_CONFIGS.items():
            cursor.execute(
                "UPDATE evaluations_searchdocument SET vector = "
                "setweight(to_tsvector(%s::regconfig, title), 'A') || "
                "setweight(to_tsvector(%s::regconfig, body), 'B') WHERE language = %s",
                [config, config, language],
            )
        cursor.execute("SELECT count(*) FROM evaluations_searchdocument")
        rows = cursor.fetchone()[0]
    reset_sequences([SearchDocument])
    counts.add("search documents and vectors", rows, time.monotonic() - started)

"""Demo evaluations and lessons (illustrative: the evaluations, recommendations and lessons
are made up for the demo, except the meta-analysis, whose findings are the bullet points of
the 2013 meta-analysis of project evaluations quoted in ``docs/seeds``).

About 40 evaluations: country programme evaluations and participatory reviews in every
region, evaluations of P&B outcomes and their strategies, thematic evaluations and one
meta-analysis; recommendations in every response state with follow-up actions (some
overdue, some done); about 150 lessons and good practices, some in English, French and
Spanish, most validated. The step runs once: a demo that has evaluations keeps them.
"""

from __future__ import annotations

import datetime
from typing import Any

from cooperation.models import Project
from dwcp.models import DecentWorkCountryProgramme
from evaluations.models import Evaluation, Lesson, LessonKind, LessonSource, Response
from evaluations.services import (
    evaluation_close,
    evaluation_complete,
    evaluation_create,
    evaluation_start,
    follow_up_add,
    lesson_create,
    lesson_validate,
    recommendation_add,
    recommendation_respond,
    strategy_lesson_link,
)
from rbm.demo import DemoContext, register_step
from rbm.demo_steps import ensure_user
from rbm.models import Biennium, Region, Role, User
from strategic_plans.models import Outcome

ILLUSTRATIVE = "Illustrative demo data. "

META_FINDINGS = [
    "Scaling up interventions and designing larger and more integrated programmes by using "
    "pooled resources and appropriate time-frames. This would lead to more coherent programme "
    "designs with greater attention to priorities for lasting results.",
    "Developing easy-to-use core tools and products that can reach a larger audience and "
    "expand outreach in a shorter period of time.",
    "Strengthening the application of results-based management (RBM). Decent Work Country "
    "Programmes should be evaluated and RBM-oriented, which requires boosting the use of "
    "performance monitoring through the systematic collection of baseline data and greater "
    "integration of indicators into the operational management of technical cooperation "
    "programmes.",
    "Bridging capacity gaps to facilitate ILO engagement with countries and constituents in "
    "the medium to long to achieve sustainable results. An initial analysis of differing "
    "country service needs is essential.",
    "Creating better planning systems and working methods, which include short, medium and "
    "long-term planning.",
    "Developing an effective knowledge management system that leads to delivering timely, "
    "relevant and quality services.",
    "Creating a new ILO technical cooperation strategy in line with the new realities of "
    "development cooperation.",
    "Strengthening the capacity of constituents to promote leadership and effective "
    "participation, leading to reinforced ownership.",
    "Offering competitive services that range from advice on policies, strategies and "
    "programmes to support legal frameworks and institutional capacity building, to enhance "
    "the ILO brand, and raise the profile of the ILO's support in countries.",
    "Better integrating DWCP priorities into United Nations Development Assistance Frameworks "
    "(UNDAFs) and Poverty Reduction Strategies. Improving knowledge-sharing and expanding "
    "partnerships are strategic elements needed to ensure the Decent Work Agenda is put into "
    "practice, everywhere.",
]

# (kind, title, text, what to change): illustrative lessons drawn on by the evaluations.
LESSONS = [
    (
        LessonKind.LESSON,
        "Baselines before targets",
        "Outcomes whose baseline was measured before the biennium reported validated results "
        "twice as often as those whose baseline was estimated afterwards.",
        "Measure the baseline of each CPO indicator in the planning phase.",
    ),
    (
        LessonKind.GOOD_PRACTICE,
        "Tripartite steering committees that meet",
        "Where the steering committee met every quarter, constituents owned the programme and "
        "took over activities when funding ended.",
        "Set the committee's calendar in the programme document.",
    ),
    (
        LessonKind.LESSON,
        "Labour inspection trained on site",
        "Inspectors trained in the workplaces they inspect applied the new checklists more "
        "often than those trained in classrooms.",
        "Plan on-site training for labour inspectors.",
    ),
    (
        LessonKind.LESSON,
        "Pooled funding for larger programmes",
        "Small projects funded separately duplicated their start-up costs; pooled resources "
        "allowed one integrated programme with a longer time-frame.",
        "Group small projects of one outcome into one programme.",
    ),
    (
        LessonKind.GOOD_PRACTICE,
        "Social protection floors costed with the ministry",
        "Costing the floor with the finance ministry's own model made the estimates part of "
        "the budget debate.",
        "Cost policy options with the national budget model.",
    ),
    (
        LessonKind.LESSON,
        "Child labour monitoring in the community",
        "Community child labour monitoring committees kept children in school after the "
        "project ended where local authorities funded them.",
        "Agree the committees' funding with local authorities at the start.",
    ),
    (
        LessonKind.LESSON,
        "Employment services reach young women",
        "Employment services reached young women only when their hours and places suited "
        "women with care responsibilities.",
        "Plan services with women's time use in mind.",
    ),
    (
        LessonKind.GOOD_PRACTICE,
        "Social dialogue on minimum wages",
        "Minimum wage boards with statistical support reached agreements faster and with fewer "
        "disputes.",
        "Give wage boards the labour statistics they need.",
    ),
    (
        LessonKind.LESSON,
        "Knowledge products that travel",
        "Short guides in the national language were used by constituents far more than long "
        "reports in English.",
        "Publish short guides in the national language.",
    ),
    (
        LessonKind.LESSON,
        "UNDAF integration pays",
        "DWCP priorities written into the UNDAF attracted joint funding from other agencies.",
        "Negotiate DWCP priorities into the UNDAF results matrix.",
    ),
]

# Lessons in the three languages (title, text) per language, linked as translations.
MULTILINGUAL = [
    {
        "en": (
            "Vocational training linked to local employers",
            "Trainees placed with local employers during their training found work more often.",
        ),
        "fr": (
            "Formation professionnelle liée aux employeurs locaux",
            "Les stagiaires placés chez des employeurs locaux pendant leur formation ont trouvé "
            "un emploi plus souvent.",
        ),
        "es": (
            "Formación profesional vinculada a los empleadores locales",
            "Los aprendices colocados con empleadores locales durante su formación encontraron "
            "empleo con mayor frecuencia.",
        ),
    },
    {
        "en": (
            "Social pensions reduce old-age poverty",
            "Non-contributory pensions reduced poverty among older women and men in rural areas.",
        ),
        "fr": (
            "Les pensions sociales réduisent la pauvreté des personnes âgées",
            "Les pensions non contributives ont réduit la pauvreté des femmes et des hommes âgés "
            "dans les zones rurales.",
        ),
        "es": (
            "Las pensiones sociales reducen la pobreza en la vejez",
            "Las pensiones no contributivas redujeron la pobreza de las mujeres y los hombres "
            "mayores en las zonas rurales.",
        ),
    },
    {
        "en": (
            "Inspectors trained with employers and workers",
            "Joint training of inspectors with employers' and workers' organizations improved "
            "compliance.",
        ),
        "fr": (
            "Inspecteurs formés avec les employeurs et les travailleurs",
            "La formation conjointe des inspecteurs avec les organisations d'employeurs et de "
            "travailleurs a amélioré le respect des normes.",
        ),
        "es": (
            "Inspectores formados con empleadores y trabajadores",
            "La formación conjunta de los inspectores con las organizaciones de empleadores y de "
            "trabajadores mejoró el cumplimiento.",
        ),
    },
    {
        "en": (
            "Domestic workers organize",
            "Domestic workers' associations supported by unions negotiated written contracts.",
        ),
        "fr": (
            "Les travailleurs domestiques s'organisent",
            "Les associations de travailleurs domestiques soutenues par les syndicats ont "
            "négocié des contrats écrits.",
        ),
        "es": (
            "Las trabajadoras domésticas se organizan",
            "Las asociaciones de trabajadoras domésticas apoyadas por los sindicatos negociaron "
            "contratos escritos.",
        ),
    },
]

RECOMMENDATIONS = [
    "Measure baselines for every CPO indicator before the biennium starts.",
    "Hold the tripartite steering committee every quarter and publish its minutes.",
    "Group the small projects of the outcome into one programme with pooled resources.",
    "Integrate the programme's priorities into the next UNDAF.",
    "Publish the programme's tools as short guides in the national language.",
]
RESPONSES = [
    (Response.ACCEPTED, ""),
    (Response.PARTIALLY_ACCEPTED, "Accepted for the priorities funded by the regular budget."),
    (Response.REJECTED, "The UNDAF cycle has closed; this will be taken up in the next one."),
    (Response.PENDING, ""),
]


def _managers(context: DemoContext) -> dict[int | None, User]:
    """An evaluation manager per region (and evaluation.manager at headquarters)."""
    managers: dict[int | None, User] = {}
    for region in Region.objects.all():
        managers[region.pk] = ensure_user(
            context,
            {
                "username": f"evaluation.{region.code}",
                "first_name": "Evaluation manager",
                "last_name": str(region.name),
                "role": Role.EVALUATION_MANAGER,
                "region": region.code,
            },
            can_log_in=False,
        )
    headquarters = User.objects.filter(username="evaluation.manager").first()
    managers[None] = headquarters or context.actor
    return managers


def _walk(actor: User, evaluation: Evaluation, steps: int) -> Evaluation:
    for step in (evaluation_start, evaluation_complete)[:steps]:
        evaluation = step(user=actor, evaluation=evaluation, version=evaluation.version)
    return evaluation


def _recommendations(
    actor: User, evaluation: Evaluation, index: int, owner: User, *, close: bool
) -> None:
    for offset in range(3):
        number = index + offset
        to_office = offset != 2 and owner.office is not None
        recommendation = recommendation_add(
            user=actor,
            evaluation=evaluation,
            text=RECOMMENDATIONS[number % len(RECOMMENDATIONS)],
            addressee_kind="office" if to_office else "constituents",
            addressee_office=owner.office if to_office else None,
            priority=("high", "medium", "low")[offset],
        )
        response, reasons = RESPONSES[0 if close else number % len(RESPONSES)]
        if response == Response.PENDING:
            continue
        recommendation = recommendation_respond(
            user=actor,
            recommendation=recommendation,
            response=response,
            reasons=reasons,
            version=recommendation.version,
        )
        if response in (Response.ACCEPTED, Response.PARTIALLY_ACCEPTED):
            action = follow_up_add(
                user=actor,
                recommendation=recommendation,
                description=f"{ILLUSTRATIVE}Act on recommendation {recommendation.number}.",
                owner=owner,
                due_date=evaluation.end_date + datetime.timedelta(days=180 + 30 * offset)
                if evaluation.end_date
                else datetime.date(2015, 6, 30),
            )
            if number % 3 == 0:
                from evaluations.services import follow_up_update

                follow_up_update(user=actor, action=action, status="completed", version=1)
    if close and evaluation.recommendations.filter(response=Response.PENDING).count() == 0:
        evaluation.refresh_from_db()
        evaluation_close(user=actor, evaluation=evaluation, version=evaluation.version)


def _lesson(
    actor: User,
    number: int,
    *,
    evaluation: Evaluation | None,
    outcomes: list[Outcome],
    countries: list[Any],
    regions: list[Region],
    validate: bool,
) -> Lesson:
    kind, title, text, change = LESSONS[number % len(LESSONS)]
    origin = evaluation.title if evaluation else "progress reports"
    where = countries[0].name if countries else (regions[0].name if regions else "headquarters")
    lesson = lesson_create(
        user=actor,
        kind=kind,
        title=f"{title} ({where})",
        text=text,
        context=f"{ILLUSTRATIVE}Drawn from {origin}.",
        what_to_change=change,
        language="en",
        source=LessonSource.EVALUATION if evaluation else LessonSource.PROGRESS_REPORT,
        evaluation=evaluation,
        source_note="" if evaluation else "Progress reports 2012-13",
        year=evaluation.year if evaluation else 2013,
        outcomes=outcomes,
        countries=countries,
        regions=regions,
        themes=["Results-based management"] if number % 4 == 0 else [],
    )
    if validate:
        lesson = lesson_validate(user=actor, lesson=lesson, version=lesson.version)
    return lesson


def _run(context: DemoContext) -> None:
    if Evaluation.objects.exists():
        context.log.append(f"{Evaluation.objects.count()} evaluations kept")
        return
    actor = context.actor
    managers = _managers(context)
    biennium = Biennium.objects.filter(start_year=2012).first()
    outcomes = list(
        Outcome.objects.filter(objective__plan__programmes__biennium=biennium).order_by(
            "objective__number", "position"
        )
    )
    programmes = list(
        DecentWorkCountryProgramme.objects.select_related("country__region", "office")
        .prefetch_related("cpos")
        .order_by("country__region__position", "country__name")
    )
    by_region: dict[int, list[DecentWorkCountryProgramme]] = {}
    for programme in programmes:
        by_region.setdefault(programme.country.region_id, []).append(programme)
    count = 0
    lessons = 0
    for region_id, region_programmes in by_region.items():
        for index, programme in enumerate(region_programmes[:4]):
            count += 1
            review = index == 3
            owner = programme.office.staff.filter(role=Role.FIELD_OFFICE_STAFF).first() or actor
            start = datetime.date(2010 + index, 3, 1)
            evaluation = evaluation_create(
                user=actor,
                title=(
                    f"Participatory review of the DWCP of {programme.country.name}"
                    if review
                    else f"Independent evaluation of the DWCP of {programme.country.name}"
                ),
                subject_kind="programme",
                programme=programme,
                kind="review" if review else "independent",
                timing="mid_term" if review else "final",
                manager=managers[region_id],
                evaluators="Illustrative evaluation team",
                start_date=start,
                end_date=start + datetime.timedelta(days=150),
                summary_en=f"{ILLUSTRATIVE}The evaluation of the programme in "
                f"{programme.country.name} found results in its priorities and gaps in "
                "monitoring.",
                summary_fr=f"{ILLUSTRATIVE}L'évaluation du programme a constaté des résultats "
                "et des lacunes dans le suivi."
                if index == 0
                else "",
            )
            evaluation = _walk(actor, evaluation, 2 if index < 3 else 1)
            if evaluation.status == "completed":
                _recommendations(actor, evaluation, count, owner, close=index == 0)
            cpo_outcomes = list({cpo.outcome_id for cpo in programme.cpos.all()})[:2]
            for n in range(4):
                _lesson(
                    actor,
                    count + n,
                    evaluation=evaluation,
                    outcomes=[o for o in outcomes if o.pk in cpo_outcomes],
                    countries=[programme.country],
                    regions=[],
                    validate=n < 3,
                )
                lessons += 1
    for index, outcome in enumerate(outcomes[:12]):
        count += 1
        strategy = index % 3 == 2
        evaluation = evaluation_create(
            user=actor,
            title=(
                f"Evaluation of the strategy of outcome {outcome.code}"
                if strategy
                else f"Independent evaluation of outcome {outcome.code}: {outcome.title}"[:250]
            ),
            subject_kind="strategy" if strategy else "outcome",
            outcome=outcome,
            kind="independent" if index % 2 == 0 else "internal",
            timing="ex_post" if strategy else "final",
            manager=managers[None],
            evaluators="Illustrative evaluation team",
            start_date=datetime.date(2012 + index % 3, 1, 15),
            end_date=datetime.date(2012 + index % 3, 9, 30),
            summary_en=f"{ILLUSTRATIVE}The evaluation of outcome {outcome.code} assessed its "
            "strategy, its results and the use of its resources.",
        )
        # Most are completed; one is planned and one under way.
        evaluation = _walk(actor, evaluation, {11: 0, 10: 1}.get(index, 2))
        if evaluation.status == "completed":
            _recommendations(actor, evaluation, count, managers[None], close=index % 4 == 0)
        for n in range(4):
            _lesson(
                actor,
                count + n,
                evaluation=evaluation,
                outcomes=[outcome],
                countries=[],
                regions=[],
                validate=n != 3,
            )
            lessons += 1
    for index, theme in enumerate(
        ["Gender equality", "Labour inspection", "Youth employment", "Social dialogue"]
    ):
        count += 1
        evaluation = evaluation_create(
            user=actor,
            title=f"Thematic evaluation: {theme}",
            subject_kind="theme",
            theme=theme,
            kind="independent",
            timing="ex_post",
            manager=managers[None],
            start_date=datetime.date(2013, 2 + index, 1),
            end_date=datetime.date(2013, 10, 31),
            summary_en=f"{ILLUSTRATIVE}A thematic evaluation of the Office's work on "
            f"{theme.lower()}.",
        )
        evaluation = _walk(actor, evaluation, 2)
        _recommendations(actor, evaluation, count, managers[None], close=True)
        for n in range(3):
            _lesson(
                actor,
                count + n,
                evaluation=evaluation,
                outcomes=outcomes[index : index + 1],
                countries=[],
                regions=list(Region.objects.order_by("position")[index : index + 1]),
                validate=True,
            )
            lessons += 1
    for index, project in enumerate(Project.objects.order_by("code")[:5]):
        count += 1
        evaluation = evaluation_create(
            user=actor,
            title=f"Final evaluation of project {project.code}"[:250],
            subject_kind="project",
            project=project,
            kind="independent" if index % 2 == 0 else "internal",
            timing="final",
            manager=managers.get(project.region_id, managers[None]),
            start_date=project.end_date - datetime.timedelta(days=120),
            end_date=project.end_date,
            summary_en=f"{ILLUSTRATIVE}The project's results, their sustainability and "
            "the use of its resources.",
        )
        evaluation = _walk(actor, evaluation, 2)
        _recommendations(actor, evaluation, count, managers[None], close=index == 0)
    count += 1
    meta = evaluation_create(
        user=actor,
        title="2013 meta-analysis of project evaluations",
        subject_kind="theme",
        theme="Technical cooperation projects",
        kind="meta_analysis",
        timing="ex_post",
        manager=managers[None],
        start_date=datetime.date(2013, 1, 15),
        end_date=datetime.date(2013, 12, 15),
        summary_en="Shortcomings identified in the 2013 meta-analysis of project evaluations "
        "provide useful feedback. The ILO faces significant challenges, both internally and "
        "externally.",
    )
    meta = _walk(actor, meta, 2)
    for number, finding in enumerate(META_FINDINGS):
        lesson = lesson_create(
            user=actor,
            kind=LessonKind.LESSON,
            title=finding.split(".")[0][:250],
            text=finding,
            context="A finding of the 2013 meta-analysis of project evaluations.",
            language="en",
            source=LessonSource.EVALUATION,
            evaluation=meta,
            year=2013,
            outcomes=outcomes[number % len(outcomes) : number % len(outcomes) + 1]
            if outcomes
            else [],
            themes=["Technical cooperation"],
        )
        lesson_validate(user=actor, lesson=lesson, version=lesson.version)
        lessons += 1
    for number, versions in enumerate(MULTILINGUAL):
        original = None
        for language in ("en", "fr", "es"):
            title, text = versions[language]
            lesson = lesson_create(
                user=actor,
                kind=LessonKind.GOOD_PRACTICE,
                title=title,
                text=text,
                context=ILLUSTRATIVE.strip(),
                language=language,
                translation_of=original,
                source=LessonSource.PROGRESS_REPORT,
                source_note="Progress reports 2012-13",
                year=2013,
                outcomes=outcomes[number : number + 1],
                countries=[programmes[number * 5].country] if len(programmes) > number * 5 else [],
            )
            lesson_validate(user=actor, lesson=lesson, version=lesson.version)
            original = original or lesson
            lessons += 1
    _strategy_links(actor, biennium, outcomes)
    context.log.append(f"{count} evaluations, {lessons} lessons and good practices (illustrative)")


def _strategy_links(actor: User, biennium: Biennium | None, outcomes: list[Outcome]) -> None:
    """Each outcome's strategy for 2012-13 acts on its first validated lesson."""
    if biennium is None:
        return
    for outcome in outcomes:
        lesson = (
            Lesson.objects.filter(outcomes=outcome, status="validated", language="en")
            .order_by("pk")
            .first()
        )
        if lesson is not None:
            strategy_lesson_link(user=actor, outcome=outcome, biennium=biennium, lesson=lesson)


register_step("evaluations and lessons", 25, _run)

"""The workplan pages issue a fixed number of queries whatever the number of CPOs, progress
reports, comments, resource lines, strategy texts and reallocations."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from dwcp.models import ReviewState
from rbm.services import system_user
from strategic_plans.models import StrategyElement
from tests import factories
from tests.workplans.test_pages import approve, build_world, login
from workplans import services
from workplans.models import OutcomeWorkplan
from workplans.permissions import EDITABLE

pytestmark = pytest.mark.django_db

USERS = ("coordinator", "field", "regional", "programme_officer", "admin")
COUNTRIES = ["THA", "VNM", "KEN", "BRA", "EGY", "TUR"]


@pytest.fixture
def world(user_for):
    return build_world(user_for)


def grow(world, step):
    """More CPOs in more countries (with validated progress), comments, resource lines and
    strategy texts."""
    _plan, outcomes = factories.framework_2012_13()
    programme = factories.DwcpFactory(country=factories.country(COUNTRIES[step]), published=True)
    for n in range(6):
        cpo = factories.CpoFactory(
            programme=programme, outcome=outcomes[n % 2], targeted=n % 3 != 0
        )
        factories.ProgressReportFactory(
            cpo=cpo,
            review_state=ReviewState.VALIDATED,
            result_claimed=True,
            evidence_text="The plan was adopted.",
            validated_by=world["users"]["regional"],
            validated_at="2013-01-01T00:00:00Z",
        )
    workplan = world["workplan"]
    workplan.refresh_from_db()
    for n in range(3):
        services.workplan_comment(
            user=world["users"]["programme_officer"], workplan=workplan, text=f"Note {step}.{n}"
        )
    if workplan.status in EDITABLE:
        element = StrategyElement.objects.all()[step]
        services.workplan_strategy_set(
            user=world["users"]["coordinator"],
            workplan=workplan,
            element=element,
            text=f"T{step}",
            previous=None,
        )
        sources = ["RB", "XBTC", "RBSA", "RBTC"]
        services.workplan_resources_set(
            user=world["users"]["coordinator"],
            workplan=workplan,
            version=workplan.version,
            lines={
                (factories.funding_source(source), region): Decimal(1000 * (step + 1))
                for source in sources[: step + 2]
                for region in [factories.region("africa"), factories.region("americas"), None]
            },
        )


def same_count(client, count_queries, world, url_of, *, grow_with=grow):
    grow_with(world, 0)
    small = {}
    for role in USERS:
        login(client, world, role)
        url = url_of(world)
        assert client.get(url).status_code == 200, role
        small[role] = count_queries(lambda url=url: client.get(url))
    grow_with(world, 1)
    grow_with(world, 2)
    for role in USERS:
        login(client, world, role)
        url = url_of(world)
        assert count_queries(lambda url=url: client.get(url)) == small[role], role


def test_the_table_queries_do_not_grow(client, count_queries, world):
    same_count(
        client, count_queries, world, lambda w: f"{reverse('workplans:table')}?biennium=2012-13"
    )


def test_the_exports_queries_do_not_grow(client, count_queries, world):
    for format in ("csv", "xlsx"):
        same_count(
            client,
            count_queries,
            world,
            lambda w, format=format: (
                f"{reverse('workplans:table-export')}?biennium=2012-13&format={format}"
            ),
        )


def test_the_list_queries_do_not_grow(client, count_queries, world):
    same_count(client, count_queries, world, lambda w: reverse("workplans:list"))


def test_the_workplan_page_queries_do_not_grow(client, count_queries, world):
    same_count(
        client,
        count_queries,
        world,
        lambda w: reverse("workplans:detail", args=[w["workplan"].pk]),
    )


def test_the_review_queue_queries_do_not_grow(client, count_queries, world, user_for):
    def grow_queue(world, step):
        grow(world, step)
        for _n in range(2):
            workplan = OutcomeWorkplan.objects.filter(status="draft").first()
            if workplan is not None:
                services.workplan_submit(
                    user=world["users"]["admin"], workplan=workplan, version=workplan.version
                )

    grow_queue(world, 0)
    login(client, world, "programme_officer")
    url = reverse("workplans:review-queue")
    small = count_queries(lambda: client.get(url))
    # More submitted workplans: those of another framework's outcomes of the same biennium
    plan = factories.StrategicPlanFactory(start_year=2012, end_year=2013)
    objective = factories.ObjectiveFactory(plan=plan)
    for code in ("1", "2", "3"):
        outcome = factories.OutcomeFactory(objective=objective, code=code)
        workplan = OutcomeWorkplan.objects.create(outcome=outcome, biennium=world["biennium"])
        services.workplan_submit(
            user=world["users"]["admin"], workplan=workplan, version=workplan.version
        )
    assert len(client.get(url).context["workplans"]) == 5
    assert count_queries(lambda: client.get(url)) == small


def test_the_midterm_page_queries_do_not_grow(client, count_queries, world):
    workplan = approve(world)
    review = services.midterm_review_save(
        user=world["users"]["programme_officer"],
        workplan=workplan,
        review_date=datetime.date(2012, 10, 15),
    )

    def grow_review(world, step):
        grow(world, step)
        services.corrective_action_add(
            user=world["users"]["programme_officer"],
            review=review,
            text=f"Action {step}",
            region=factories.region("africa"),
        )
        services.reallocation_record(
            user=world["users"]["programme_officer"],
            review=review,
            kind="new_allocation",
            to_source=factories.funding_source("RBSA"),
            to_region=factories.region(["africa", "americas", "arab-states"][step]),
            amount=Decimal(1000),
            reason="More money.",
        )

    same_count(
        client,
        count_queries,
        world,
        lambda w: reverse("workplans:midterm", args=[w["workplan"].pk]),
        grow_with=grow_review,
    )


def test_the_published_pages_queries_do_not_grow(client, count_queries, world):
    login(client, world, "programme_officer")
    few = services.published_table_record(
        user=system_user(),
        biennium=world["biennium"],
        name="few",
        text="outcome,region,demand,target\n16,Asia,1,1\n",
    )
    url = reverse("workplans:published-detail", args=[few.pk])
    small = count_queries(lambda: client.get(url))
    small_list = count_queries(lambda: client.get(reverse("workplans:published")))
    rows = ["outcome,region,demand,target"] + [
        f"{o},{r},9,9" for o in ("16", "18", "Total") for r in ("Asia", "Africa", "Total")
    ]
    many = services.published_table_record(
        user=system_user(), biennium=world["biennium"], name="many", text="\n".join(rows)
    )
    grow(world, 0)
    url = reverse("workplans:published-detail", args=[many.pk])
    assert len(client.get(url).context["differences"]) > 5
    assert count_queries(lambda: client.get(url)) == small
    assert count_queries(lambda: client.get(reverse("workplans:published"))) == small_list

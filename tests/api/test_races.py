"""Writes that race, on PostgreSQL with two connections: each answer is a 2xx or a 409 with
what exists now, never a 500, and no write is lost.

Two kinds of test: *races* start both requests at once (threads, a barrier) and repeat, as a
user double-clicking or two colleagues would; *held inserts* make the unique violation
certain: another transaction inserts the same key and holds it uncommitted until the request
has passed its checks and waits on the row, then commits.
"""

from __future__ import annotations

import datetime
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, transaction

from dwcp.models import CountryProgrammeOutcome
from rbm.models import ApiToken
from rbm.services import api_token_create
from strategic_plans.models import OutcomeStrategy
from tests import factories
from tests.api.test_dwcp_api import _cpo_payload
from tests.api.test_workplans_api import _approved
from workplans import services as workplan_services
from workplans.models import MidTermReview, OutcomeWorkplan, PublishedTable

pytestmark = pytest.mark.django_db(transaction=True)

TRIALS = 20
BULK = "/api/v1/cpos/bulk/"


def race(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls at the same moment, each in its thread (its own connection)."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = call()
        except BaseException as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _waiting_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return bool(cursor.fetchone()[0])


def while_another_inserts(insert: Callable[[], Any], request: Callable[[], Any]) -> Any:
    """``request``'s answer when another transaction inserted the same key first and commits
    only once the request waits on it."""
    inserted, release = threading.Event(), threading.Event()
    answer: dict[str, Any] = {}

    def other() -> None:
        try:
            with transaction.atomic():
                insert()
                inserted.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    def ask() -> None:
        try:
            answer["response"] = request()
        finally:
            connection.close()

    holder = threading.Thread(target=other)
    holder.start()
    assert inserted.wait(timeout=30)
    asker = threading.Thread(target=ask)
    asker.start()
    deadline = time.monotonic() + 30
    while not _waiting_on_a_lock():
        assert asker.is_alive(), f"answered without waiting: {answer['response'].content!r}"
        assert time.monotonic() < deadline, "the request never waited on the other's row"
        time.sleep(0.02)
    release.set()
    holder.join(timeout=30)
    asker.join(timeout=30)
    return answer["response"]


def _statuses(responses: list[Any]) -> list[int]:
    for response in responses:
        if isinstance(response, BaseException):
            raise response
    return sorted(response.status_code for response in responses)


# Bulk writes in opposite orders -------------------------------------------------------------


def test_two_bulk_writes_of_the_same_cpos_in_opposite_orders_never_deadlock(
    world, client_as
) -> None:
    first, second = client_as("field_idn"), client_as("field_idn")
    payloads = [_cpo_payload(world, code=f"IDN{800 + n}", title=f"CPO {n}") for n in range(6)]
    ids = [first.post("/api/v1/cpos/", p, format="json").json()["id"] for p in payloads]
    for trial in range(TRIALS):
        versions = dict(
            CountryProgrammeOutcome.objects.filter(pk__in=ids).values_list("pk", "version")
        )
        forward = [
            {"id": pk, "version": versions[pk], "title": f"Forward {trial} {pk}"} for pk in ids
        ]
        backward = [
            {"id": pk, "version": versions[pk], "title": f"Backward {trial} {pk}"}
            for pk in reversed(ids)
        ]
        responses = race(
            lambda items=forward: first.post(BULK, items, format="json"),
            lambda items=backward: second.post(BULK, items, format="json"),
        )
        # One wins whole, the other is told the CPOs changed (409), never a 500
        assert _statuses(responses) == [200, 409], [r.content[:300] for r in responses]
        loser = next(r for r in responses if r.status_code == 409).json()["error"]
        assert loser["code"] == "conflict"
        assert {item["code"] for item in loser["items"]} == {"conflict"}
        titles = set(
            CountryProgrammeOutcome.objects.filter(pk__in=ids).values_list("title", flat=True)
        )
        assert len({title.split()[0] for title in titles}) == 1  # all of one request's


# Creations of the same key --------------------------------------------------------------------


def test_two_tokens_with_the_same_name_at_once_are_a_200_and_a_409(world, client) -> None:
    user = world.user("field_idn")
    client.force_login(user)
    response = while_another_inserts(
        lambda: api_token_create(user=user, name="erp"),
        lambda: client.post("/account/tokens/", {"name": "erp"}),
    )
    assert response.status_code == 409
    assert "already have a token with this name" in response.content.decode()
    assert ApiToken.objects.filter(user=user, name="erp").count() == 1


def test_two_cpos_with_the_same_new_code_at_once_are_a_201_and_a_409(world, client_as) -> None:

    client = client_as("field_idn")
    payload = _cpo_payload(world, code="IDN850")

    def insert() -> None:
        other = CountryProgrammeOutcome.objects.get(pk=world.idn_cpo.pk)
        other.pk, other.code = None, "IDN850"
        other.save()

    response = while_another_inserts(
        insert,
        lambda: client.post("/api/v1/cpos/", payload, format="json"),
    )
    assert response.status_code == 409, response.content
    error = response.json()["error"]
    assert "IDN850" in error["message"] or "code" in error["message"].lower()
    assert error["existing_id"] == CountryProgrammeOutcome.objects.get(code="IDN850").pk
    assert CountryProgrammeOutcome.objects.filter(code="IDN850").count() == 1


@pytest.fixture
def workplan(world) -> OutcomeWorkplan:
    _plan, (child_labour, _standards) = factories.framework_2012_13()
    child_labour.coordinators.add(world.user("coordinator"))
    workplan_services.workplans_open(
        user=world.user("programme_officer"), biennium=factories.biennium("2012-13")
    )
    return OutcomeWorkplan.objects.get(outcome=child_labour)


def test_two_midterm_reviews_of_one_workplan_at_once_are_a_201_and_a_409(
    world, workplan, client_as
) -> None:
    officer = client_as("programme_officer")
    workplan = _approved({"16": workplan}, world)
    response = while_another_inserts(
        lambda: MidTermReview.objects.create(
            workplan=workplan, review_date=datetime.date(2012, 10, 1)
        ),
        lambda: officer.post(
            "/api/v1/midterm-reviews/",
            {"workplan": workplan.pk, "review_date": "2012-10-15", "summary": "On track."},
            format="json",
        ),
    )
    assert response.status_code == 409, response.content
    error = response.json()["error"]
    review = MidTermReview.objects.get(workplan=workplan)
    assert error["existing_id"] == review.pk
    assert error["current_version"] == review.version
    assert MidTermReview.objects.filter(workplan=workplan).count() == 1


def test_two_published_tables_with_the_same_name_at_once_are_a_201_and_a_409(
    world, workplan, client_as
) -> None:
    admin = client_as("administrator")
    biennium = factories.biennium("2012-13")
    response = while_another_inserts(
        lambda: PublishedTable.objects.create(biennium=biennium, name="Table 1"),
        lambda: admin.post(
            "/api/v1/published-tables/",
            {
                "biennium": "2012-13",
                "name": "Table 1",
                "csv": "outcome,region,demand,target\n16,africa,3,2\n",
            },
            format="json",
        ),
    )
    assert response.status_code == 409, response.content
    assert response.json()["error"]["code"] == "conflict"
    assert PublishedTable.objects.filter(biennium=biennium, name="Table 1").count() == 1


# A strategy element written for the first time by two people ------------------------------------


def test_a_first_strategy_text_written_by_two_at_once_keeps_one_and_refuses_the_other(
    world, workplan, client_as
) -> None:
    first, second = client_as("coordinator"), client_as("administrator")
    address = f"/api/v1/workplans/{workplan.pk}/strategy/knowledge/"
    for trial in range(TRIALS):
        OutcomeStrategy.objects.all().delete()
        responses = race(
            lambda n=trial: first.put(
                address, {"text": f"First {n}.", "previous_text": ""}, format="json"
            ),
            lambda n=trial: second.put(
                address, {"text": f"Second {n}.", "previous_text": ""}, format="json"
            ),
        )
        assert _statuses(responses) == [200, 409], [r.content[:300] for r in responses]
        kept = OutcomeStrategy.objects.get().text
        winner = next(r for r in responses if r.status_code == 200)
        loser = next(r for r in responses if r.status_code == 409)
        assert winner.json()["text"] == kept
        assert loser.json()["error"]["current_text"] == kept

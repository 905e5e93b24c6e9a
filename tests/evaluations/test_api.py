"""The evaluations API: the same rules as the pages, the public reading what is public."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.conftest import QueryCounter
from tests.evaluations.conftest import World

pytestmark = pytest.mark.django_db


def _client(user: object = None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)  # type: ignore[arg-type]
    return client


def test_a_manager_records_an_evaluation_and_takes_its_steps(world: World) -> None:
    client = _client(world.manager)
    created = client.post(
        "/api/v1/evaluations/",
        {
            "title": "Final evaluation of the DWCP",
            "subject_kind": "programme",
            "programme": world.programme.pk,
            "kind": "independent",
            "timing": "final",
            "start_date": "2015-01-01",
            "end_date": "2015-06-30",
            "summary_fr": "Le programme a atteint ses résultats.",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["region"] == "asia-pacific"
    assert body["status"] == "planned"
    pk = body["id"]
    started = client.post(f"/api/v1/evaluations/{pk}/steps/", {"step": "start", "version": 1})
    assert started.json()["status"] == "in_progress"
    stale = client.post(f"/api/v1/evaluations/{pk}/steps/", {"step": "complete", "version": 1})
    assert stale.status_code == 409
    out_of_order = client.post(f"/api/v1/evaluations/{pk}/steps/", {"step": "close", "version": 2})
    assert out_of_order.status_code == 400
    rec = client.post(
        f"/api/v1/evaluations/{pk}/recommendations/",
        {"text": "Do more", "addressee_kind": "constituents"},
        format="json",
    )
    assert rec.status_code == 201
    # Field staff may not record evaluations; bad input is a 400 naming the fields
    assert _client(world.field).post("/api/v1/evaluations/", {}).status_code == 403
    bad = client.post("/api/v1/evaluations/", {"title": "x\x00", "kind": "?"}, format="json")
    assert bad.status_code == 400
    assert {"title", "kind", "start_date"} <= set(bad.json()["error"]["fields"])


def test_the_public_reads_only_public_evaluations_and_lessons(world: World) -> None:
    public = world.completed(title="Public")
    world.completed(title="Internal", kind="internal")
    world.lesson(validated=True, title="Public lesson", source="evaluation", evaluation=public)
    world.lesson(validated=True, title="Internal lesson")
    listing = _client().get("/api/v1/evaluations/").json()
    assert [e["title"] for e in listing["results"]] == ["Public"]
    assert listing["results"][0]["recommendations"] == []
    lessons = _client().get("/api/v1/lessons/").json()
    assert [lesson["title"] for lesson in lessons["results"]] == ["Public lesson"]
    found = _client().get("/api/v1/search/", {"q": "lesson"}).json()
    assert [r["title"] for r in found["results"]] == ["Public lesson"]
    assert _client().get("/api/v1/search/", {"year": "x"}).status_code == 400
    assert _client().post("/api/v1/lessons/", {}).status_code == 401


def test_lessons_are_validated_and_follow_ups_updated_by_their_owner(world: World) -> None:
    lesson = world.lesson()
    refused = _client(world.field).post(f"/api/v1/lessons/{lesson.pk}/validate/", {"version": 1})
    assert refused.status_code == 403
    done = _client(world.manager).post(f"/api/v1/lessons/{lesson.pk}/validate/", {"version": 1})
    assert done.json()["status"] == "validated"
    evaluation = world.completed()
    manager = _client(world.manager)
    rec = manager.post(
        f"/api/v1/evaluations/{evaluation.pk}/recommendations/",
        {
            "text": "Act",
            "addressee_kind": "office",
            "addressee_office": world.programme.office.code,
        },
        format="json",
    ).json()
    answered = _client(world.field).post(
        f"/api/v1/recommendations/{rec['id']}/response/",
        {"response": "accepted", "version": 1},
    )
    assert answered.status_code == 200, answered.content
    action = manager.post(
        f"/api/v1/recommendations/{rec['id']}/follow-ups/",
        {"description": "Train", "owner": world.field.username, "due_date": "2016-01-01"},
    )
    assert action.status_code == 201, action.content
    mine = _client(world.field).get("/api/v1/follow-ups/").json()["results"]
    assert [a["description"] for a in mine] == ["Train"]
    moved = _client(world.field).patch(
        f"/api/v1/follow-ups/{mine[0]['id']}/", {"status": "completed", "version": 1}
    )
    assert moved.json()["status"] == "completed"


def test_list_query_counts_do_not_grow(world: World, count_queries: QueryCounter) -> None:
    client = _client(world.field)
    world.completed(title="one")
    world.lesson(validated=True)
    few = [count_queries(lambda u=url: client.get(u)) for url in _URLS]
    for n in range(5):
        world.completed(title=f"more {n}")
        world.lesson(validated=True, title=f"more {n}")
    many = [count_queries(lambda u=url: client.get(u)) for url in _URLS]
    assert many == few


_URLS = ["/api/v1/evaluations/", "/api/v1/lessons/", "/api/v1/search/?q=inspect"]

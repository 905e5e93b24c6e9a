"""POST /api/v1/cpos/bulk/: all or nothing, with each failing item's errors by index."""

from __future__ import annotations

import pytest

from dwcp.models import CountryProgrammeOutcome
from tests.api.test_dwcp_api import _cpo_payload

pytestmark = pytest.mark.django_db

BULK = "/api/v1/cpos/bulk/"


def _new(world, n: int, **extra):
    return _cpo_payload(world, **{"code": f"IDN{700 + n}", "title": f"Outcome {n}", **extra})


def test_a_bulk_request_creates_and_updates_in_one_go(world, client_as):
    client = client_as("field_idn")
    items = [
        _new(world, 1),
        _new(world, 2, milestones=[], resources=[]),
        {"id": world.idn_cpo.pk, "version": world.idn_cpo.version, "targeted": False},
        {"id": world.idn_cpo.pk, "version": world.idn_cpo.version + 1, "targeted": False},
    ]
    response = client.post(BULK, items, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["created"], body["updated"], body["unchanged"]) == (2, 1, 1)
    assert [r["code"] for r in body["results"]] == [
        "IDN701",
        "IDN702",
        world.idn_cpo.code,
        world.idn_cpo.code,
    ]
    assert body["results"][2]["targeted"] is False
    assert body["results"][2]["version"] == world.idn_cpo.version + 1
    assert CountryProgrammeOutcome.objects.filter(code__in=["IDN701", "IDN702"]).count() == 2


def test_one_bad_item_saves_nothing_and_every_error_is_listed(world, client_as):
    client = client_as("field_idn")
    before = CountryProgrammeOutcome.objects.count()
    items = [
        _new(world, 1),
        _new(world, 2, gender_statement=""),  # required
        {"id": world.idn_cpo.pk, "version": world.idn_cpo.version + 5, "title": "Stale"},
        _new(world, 4, biennium="2012-14"),
        {"id": 99999999, "version": 1, "title": "Nobody"},
        "not an object",
        _new(world, 7, code="PHL701"),  # a code of another country
    ]
    response = client.post(BULK, items, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["status"] == 400
    assert "6 of the 7 items" in error["message"]
    by_index = {item["index"]: item for item in error["items"]}
    assert set(by_index) == {1, 2, 3, 4, 5, 6}
    assert "gender_statement" in by_index[1]["fields"]
    assert by_index[2]["code"] == "conflict"
    assert by_index[2]["current_version"] == world.idn_cpo.version
    assert "biennium" in by_index[3]["fields"]
    assert "id" in by_index[4]["fields"]
    assert by_index[5]["code"] == "invalid"
    assert "code" in by_index[6]["fields"]
    assert CountryProgrammeOutcome.objects.count() == before
    assert not CountryProgrammeOutcome.objects.filter(code="IDN701").exists()
    world.idn_cpo.refresh_from_db()
    assert world.idn_cpo.title != "Stale"


def test_bulk_items_obey_the_permission_table(world, client_as):
    client = client_as("field_idn")
    items = [
        {"id": world.phl_cpo.pk, "version": world.phl_cpo.version, "title": "Not mine"},
        _cpo_payload(world, programme=world.phl, code="PHL701"),
    ]
    response = client.post(BULK, items, format="json")
    assert response.status_code == 400
    by_index = {item["index"]: item for item in response.json()["error"]["items"]}
    assert by_index[0]["code"] == "permission_denied"
    assert by_index[1]["code"] in {"permission_denied", "invalid"}
    assert client_as("public").post(BULK, [_new(world, 1)], format="json").status_code == 401


def test_at_most_500_items_and_a_list_is_required(world, client_as):
    client = client_as("administrator")
    too_many = client.post(BULK, [{"title": "x"}] * 501, format="json")
    assert too_many.status_code == 400
    assert "at most 500" in too_many.json()["error"]["message"]
    not_a_list = client.post(BULK, {"title": "x"}, format="json")
    assert not_a_list.status_code == 400
    assert client.post(BULK, [], format="json").json()["results"] == []

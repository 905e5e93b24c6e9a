"""Every error has one JSON shape, and bad input is never a 500."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def _shape(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["status"] == status
    assert error["code"]
    assert error["message"]
    return error


def test_malformed_json_is_a_400(world, client_as):
    response = client_as("field_idn").generic(
        "POST", "/api/v1/cpos/", '{"title": ', content_type="application/json"
    )
    assert "JSON parse error" in _shape(response, 400)["message"]


def test_text_the_database_cannot_store_is_a_400(world, client_as):
    client = client_as("field_idn")
    surrogate = client.generic(
        "PATCH",
        f"/api/v1/cpos/{world.idn_cpo.pk}/",
        '{"version": 1, "title": "\\ud800"}',
        content_type="application/json",
    )
    _shape(surrogate, 400)
    nul = client.patch(
        f"/api/v1/cpos/{world.idn_cpo.pk}/", {"version": 1, "title": "a\x00b"}, format="json"
    )
    assert "title" in _shape(nul, 400)["fields"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("version", "one"),
        ("version", 10**30),
        ("outcome", 10**30),
        ("outcome", "abc"),
        ("outcome", 987654321),
        ("priority", -1),
        ("biennium", 2012),
        ("biennium", "2099-00"),
        ("indicator", [1]),
        ("prioritized", "perhaps"),
        ("milestones", "not a list"),
        ("resources", [{"funding_source": "RB", "planned": "1e40"}]),
        ("resources", [{"funding_source": "NOPE", "planned": "1"}]),
        ("title", "x" * 301),
    ],
)
def test_wrong_types_unknown_ids_and_absurd_numbers_are_a_400_on_the_field(
    world, client_as, field, value
):
    response = client_as("field_idn").patch(
        f"/api/v1/cpos/{world.idn_cpo.pk}/", {"version": 1, field: value}, format="json"
    )
    assert field in _shape(response, 400)["fields"]


def test_unknown_records_pages_and_addresses_are_404s(world, client_as):
    client = client_as("administrator")
    _shape(client.get("/api/v1/cpos/987654321/"), 404)
    _shape(client.get("/api/v1/cpos/99999999999999999999999/"), 404)
    _shape(client.get("/api/v1/cpos/abc/"), 404)
    _shape(client.get("/api/v1/cpos/", {"page": 10**12}), 404)
    _shape(client.get("/api/v1/nothing-here/"), 404)
    no_slash = _shape(client.get("/api/v1/cpos"), 404)
    assert "slash" in no_slash["message"]


def test_page_size_is_capped_at_500(world, client_as):
    body = client_as("public").get("/api/v1/countries/", {"page_size": 100000}).json()
    assert len(body["results"]) == 187
    assert client_as("public").get("/api/v1/countries/", {"page_size": 7}).json()["next"]


def test_a_method_an_endpoint_does_not_have_is_a_405(world, client_as):
    client = client_as("administrator")
    _shape(client.delete(f"/api/v1/cpos/{world.idn_cpo.pk}/"), 405)
    _shape(client.put(f"/api/v1/dwcps/{world.idn.pk}/", {}, format="json"), 405)
    _shape(client.get("/api/v1/cpos/bulk/"), 405)


def test_a_write_without_credentials_is_a_401_asking_for_a_token(world, api):
    response = api.post("/api/v1/cpos/", {}, format="json")
    _shape(response, 401)
    assert response["WWW-Authenticate"] == "Token"
    refused = api.post(f"/api/v1/dwcps/{world.phl.pk}/unpublish/", {"version": 1}, format="json")
    _shape(refused, 401)


def test_a_json_body_over_10_mb_is_a_413(world, client_as):
    body = '{"title": "' + "x" * (10 * 1024 * 1024) + '"}'
    response = client_as("field_idn").generic(
        "POST", "/api/v1/cpos/bulk/", body, content_type="application/json"
    )
    assert _shape(response, 413)["code"] == "too_large"

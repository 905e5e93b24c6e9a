"""Bad input is a 400 with a message, never a 500 (issue 14, finding 4): ids that are not
ASCII digits, control characters in a code, JSON nested too deep, a CSV cell over the
``csv`` module's limit; and an API 500 still answers in the API's JSON shape."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase
from django.urls import reverse

from dwcp.models import CpoImport
from rbm.ids import MAX_ID, parse_id
from rbm.models import Role
from workplans.models import PublishedTable

pytestmark = pytest.mark.django_db

HUGE_CELL = "x" * 131_073


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12", 12),
        ("²", None),
        ("٣", None),
        (" 7", None),
        ("0", None),
        ("-1", None),
        ("\x00", None),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        ("9" * 5000, None),
        (True, None),
        (5, 5),
        (None, None),
    ],
)
def test_one_parser_takes_only_ascii_digits_as_an_id(value, expected) -> None:
    assert parse_id(value) == expected


@pytest.mark.parametrize("param", ["office", "programme", "region"])
@pytest.mark.parametrize("value", ["²", "\x00", "1\x1b"])
def test_the_cpo_export_answers_400_naming_a_bad_parameter(client, world, param, value) -> None:
    client.force_login(world.user("field_idn"))
    response = client.get(reverse("dwcp:cpo-export"), {param: value})
    assert response.status_code == 400
    (message,) = response.context["errors"]
    assert message in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/cpos/?office=%C2%B2",
        "/api/v1/cpos/?programme=%C2%B2",
        "/api/v1/cpos/?office=%D9%A3",
        "/api/v1/cpos/?office=%00",
        "/api/v1/progress-reports/?cpo=%C2%B2",
    ],
)
def test_api_filters_refuse_what_is_not_an_id(client_as, url) -> None:
    response = client_as("field_idn").get(url)
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["fields"]


def test_comparing_snapshots_by_a_non_ascii_number_is_a_400(client, user_for) -> None:
    client.force_login(user_for(Role.GB_SECRETARIAT))
    for query in ({"a": "²", "b": "1"}, {"a": "99999999999999999999", "b": "1"}):
        assert client.get(reverse("reporting:compare"), query).status_code == 400


@pytest.mark.parametrize("depth", [40, 314, 5000])
def test_json_nested_deeper_than_the_limit_is_a_400(world, client_as, depth) -> None:
    body = '{"version": 1, "title": ' + "[" * depth + "]" * depth + "}"
    response = client_as("field_idn").generic(
        "PATCH", f"/api/v1/cpos/{world.idn_cpo.pk}/", body, content_type="application/json"
    )
    assert response.status_code == 400, response.content[:200]
    assert "nests deeper" in response.json()["error"]["message"]


def test_json_of_ordinary_depth_still_reaches_the_serializer(world, client_as) -> None:
    body = json.dumps({"version": 1, "title": [[["deep enough"]]]})
    response = client_as("field_idn").generic(
        "PATCH", f"/api/v1/cpos/{world.idn_cpo.pk}/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "title" in response.json()["error"]["fields"]


def test_a_csv_cell_over_the_limit_is_a_400_on_the_cpo_import(world, client_as) -> None:
    content = ("code,title\n" + f'IDN126,"{HUGE_CELL}"\n').encode()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client_as("field_idn").post(
            "/api/v1/cpo-imports/",
            {"file": SimpleUploadedFile("cpos.csv", content)},
            format="multipart",
        )
    assert response.status_code == 400, response.content[:300]
    assert "longer than 131,072 characters" in json.dumps(response.json())
    assert not CpoImport.objects.exists()
    page = Client()
    page.force_login(world.user("field_idn"))
    with TestCase.captureOnCommitCallbacks(execute=True):
        answer = page.post(
            reverse("dwcp:cpo-import"), {"file": SimpleUploadedFile("cpos.csv", content)}
        )
    assert answer.status_code == 400
    assert "longer than 131,072 characters" in answer.content.decode()


def test_a_csv_cell_over_the_limit_is_a_400_on_a_published_table(world, client_as) -> None:
    response = client_as("programme_officer").post(
        "/api/v1/published-tables/",
        {
            "biennium": "2012-13",
            "name": "Big",
            "csv": f'outcome,region,demand,target\n"{HUGE_CELL}",Asia,1,1\n',
        },
        format="json",
    )
    assert response.status_code == 400, response.content[:300]
    assert "longer than 131,072 characters" in json.dumps(response.json())
    assert not PublishedTable.objects.exists()


@pytest.mark.urls("tests.api.raising_urls")
def test_an_api_500_answers_json_in_the_error_shape(settings) -> None:
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    response = client.get("/api/v1/failing/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["status"] == 500
    assert response.json()["error"]["code"] == "server_error"
    page = client.get("/failing/")
    assert page.status_code == 500
    assert page["Content-Type"].startswith("text/html")

"""Country programmes, priorities, CPOs and progress reports: who reads and changes what.

The world (see conftest): an unpublished programme of Indonesia (office "idn") and a
published one of the Philippines (office "phl"), both in Asia and the Pacific, each with a
CPO; Indonesia has a draft and a submitted report, the Philippines a draft and a validated one.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qsl

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory

from dwcp.api.serializers import CpoSerializer, cpo_page_representation, cpo_rows
from dwcp.api.views import CpoViewSet
from dwcp.models import (
    CountryProgrammeOutcome,
    CountryProgrammePriority,
    DecentWorkCountryProgramme,
    Phase,
    ProgressReport,
    ReviewState,
)
from rbm.models import Role, User
from tests import factories
from tests.api.conftest import PEOPLE

pytestmark = pytest.mark.django_db

HQ = {"coordinator", "programme_officer", "gb_secretariat"}
ALL_PROGRAMMES = {"field_idn", "rpo_asia", "administrator", *HQ}


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["results"]}


@pytest.mark.parametrize("who", PEOPLE)
def test_programmes_cpos_and_priorities_are_read_as_the_scopes_say(who, world, client_as):
    client = client_as(who)
    sees_idn = who in ALL_PROGRAMMES
    assert _ids(client.get("/api/v1/dwcps/")) == ({world.idn.pk} if sees_idn else set()) | {
        world.phl.pk
    }
    assert _ids(client.get("/api/v1/cpos/")) == ({world.idn_cpo.pk} if sees_idn else set()) | {
        world.phl_cpo.pk
    }
    priorities = _ids(client.get("/api/v1/priorities/"))
    assert (world.idn_cpo.priority_id in priorities) is sees_idn
    assert world.phl_cpo.priority_id in priorities
    # Whatever id is sent: what may not be read is not found.
    for address in (
        f"/api/v1/dwcps/{world.idn.pk}/",
        f"/api/v1/cpos/{world.idn_cpo.pk}/",
        f"/api/v1/priorities/{world.idn_cpo.priority_id}/",
    ):
        response = client.get(address)
        assert response.status_code == (200 if sees_idn else 404), address
    assert client.get(f"/api/v1/dwcps/{world.phl.pk}/").status_code == 200


REPORTS_SEEN = {
    "public": {"phl_validated"},
    "field_idn": {"idn_draft", "idn_submitted", "phl_validated"},
    "field_phl": {"phl_draft", "phl_validated"},
    "rpo_asia": {"idn_submitted", "phl_validated"},
    "rpo_africa": {"phl_validated"},
    "coordinator": {"idn_submitted", "phl_validated"},
    "programme_officer": {"idn_submitted", "phl_validated"},
    "gb_secretariat": {"idn_submitted", "phl_validated"},
    "administrator": {"idn_draft", "idn_submitted", "phl_draft", "phl_validated"},
}


@pytest.mark.parametrize("who", PEOPLE)
def test_progress_reports_are_read_as_the_scopes_say(who, world, client_as):
    client = client_as(who)
    reports = {
        name: getattr(world, name)
        for name in ("idn_draft", "idn_submitted", "phl_draft", "phl_validated")
    }
    expected = {reports[name].pk for name in REPORTS_SEEN[who]}
    assert _ids(client.get("/api/v1/progress-reports/")) == expected
    for name, report in reports.items():
        status = client.get(f"/api/v1/progress-reports/{report.pk}/").status_code
        assert status == (200 if name in REPORTS_SEEN[who] else 404), name


# Changing records ----------------------------------------------------------------------------

# who -> status of PATCH on Indonesia's CPO (unpublished) and on the Philippines' (published)
CPO_CHANGE = {
    "public": (401, 401),
    "field_idn": (200, 403),
    "field_phl": (404, 200),
    "rpo_asia": (403, 403),
    "rpo_africa": (404, 403),
    "coordinator": (403, 403),
    "programme_officer": (403, 403),
    "gb_secretariat": (403, 403),
    "administrator": (200, 200),
}


@pytest.mark.parametrize("who", PEOPLE)
def test_only_the_covering_office_and_administrators_change_a_cpo(who, world, client_as):
    client = client_as(who)
    for cpo, expected in zip((world.idn_cpo, world.phl_cpo), CPO_CHANGE[who], strict=True):
        response = client.patch(
            f"/api/v1/cpos/{cpo.pk}/",
            {"version": cpo.version, "title": "Changed by the API"},
            format="json",
        )
        assert response.status_code == expected, (cpo.code, response.content)
        assert response.json().get("error", {}).get("status", 200) == expected
        cpo.refresh_from_db()
        assert (cpo.title == "Changed by the API") is (expected == 200)


def _cpo_payload(world, programme=None, **extra):
    programme = programme or world.idn
    _plan, outcomes = factories.framework_2012_13()
    return {
        "programme": programme.pk,
        "priority": programme.priorities.first().pk,
        "biennium": "2012-13",
        "outcome": outcomes[1].pk,
        "indicator": outcomes[1].indicators.first().pk,
        "code": extra.pop("code", f"{programme.country.alpha3}900"),
        "title": "Child labour is reduced in the fisheries sector",
        "gender_statement": "Girls and boys are counted separately.",
        "prioritized": True,
        "milestones": [
            {"due_on": "2012-06-30", "text": "Baseline survey"},
            {"due_on": "2013-06-30", "text": "Action plan adopted", "reached": True},
        ],
        "resources": [
            {"funding_source": "RB", "planned": "10000.00", "spent": "2500.00"},
            {"funding_source": "XBTC", "planned": "50000"},
        ],
        **extra,
    }


@pytest.mark.parametrize("who", PEOPLE)
def test_who_creates_a_cpo_in_indonesia(who, world, client_as):
    client = client_as(who)
    response = client.post("/api/v1/cpos/", _cpo_payload(world), format="json")
    expected = {
        "public": 401,
        "field_idn": 201,
        "administrator": 201,
        # may not read the programme: its id "does not exist" for them
        "field_phl": 400,
        "rpo_africa": 400,
    }.get(who, 403)
    assert response.status_code == expected, response.content
    if expected == 400:
        assert "programme" in response.json()["error"]["fields"]
    created = CountryProgrammeOutcome.objects.filter(code="IDN900").exists()
    assert created is (expected == 201)


def test_a_cpo_is_created_with_its_milestones_and_resources(world, client_as):
    client = client_as("field_idn")
    response = client.post("/api/v1/cpos/", _cpo_payload(world), format="json")
    assert response.status_code == 201
    cpo = response.json()
    assert cpo["code"] == "IDN900"
    assert cpo["country"] == "IDN"
    assert cpo["version"] == 1
    assert [m["text"] for m in cpo["milestones"]] == ["Baseline survey", "Action plan adopted"]
    assert cpo["resources"] == [
        {"funding_source": "RB", "planned": "10000.00", "spent": "2500.00"},
        {"funding_source": "XBTC", "planned": "50000.00", "spent": "0.00"},
    ]
    assert cpo["planned_total"] == "60000.00"
    assert client.get(f"/api/v1/cpos/{cpo['id']}/").json() == cpo


def test_nested_lists_replace_the_cpo_lists_only_when_given(world, client_as):
    client = client_as("field_idn")
    cpo = client.post("/api/v1/cpos/", _cpo_payload(world), format="json").json()
    # Only the title: the lists stay.
    kept = client.patch(
        f"/api/v1/cpos/{cpo['id']}/", {"version": 1, "title": "New title"}, format="json"
    ).json()
    assert kept["version"] == 2
    assert len(kept["milestones"]) == 2
    assert len(kept["resources"]) == 2
    # The lists given replace the stored ones.
    replaced = client.patch(
        f"/api/v1/cpos/{cpo['id']}/",
        {
            "version": 2,
            "milestones": [{"due_on": "2013-12-31", "text": "Final review"}],
            "resources": [],
        },
        format="json",
    ).json()
    assert replaced["version"] == 3
    assert [m["text"] for m in replaced["milestones"]] == ["Final review"]
    assert replaced["resources"] == []
    assert replaced["planned_total"] == "0.00"


def test_a_stale_version_is_a_409_and_changes_nothing(world, client_as):
    client = client_as("field_idn")
    cpo = world.idn_cpo
    first = client.patch(
        f"/api/v1/cpos/{cpo.pk}/", {"version": cpo.version, "title": "First"}, format="json"
    )
    assert first.status_code == 200
    stale = client.patch(
        f"/api/v1/cpos/{cpo.pk}/", {"version": cpo.version, "title": "Second"}, format="json"
    )
    assert stale.status_code == 409
    error = stale.json()["error"]
    assert error["code"] == "conflict"
    assert error["current_version"] == cpo.version + 1
    cpo.refresh_from_db()
    assert cpo.title == "First"
    # Sending what is stored with the old version is not an error.
    same = client.patch(f"/api/v1/cpos/{cpo.pk}/", {"version": 1, "title": "First"}, format="json")
    assert same.status_code == 200


def test_a_write_without_a_version_is_refused_with_the_field(world, client_as):
    response = client_as("field_idn").patch(
        f"/api/v1/cpos/{world.idn_cpo.pk}/", {"title": "x"}, format="json"
    )
    assert response.status_code == 400
    assert "version" in response.json()["error"]["fields"]


def test_programmes_are_created_and_changed_with_their_parties(world, client_as):
    client = client_as("field_idn")
    office = world.idn.office
    created = client.post(
        "/api/v1/dwcps/",
        {
            "country": "IDN",
            "office": office.pk,
            "title": "Decent Work Country Programme 2016-2020",
            "start_year": 2016,
            "end_year": 2020,
            "parties": [
                {"kind": "government", "name": "Ministry of Manpower", "agreed_on": "2016-03-01"},
                {"kind": "workers", "name": "KSPI"},
            ],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    programme = created.json()
    assert programme["published"] is False
    assert programme["phase"] == "country_context"
    assert len(programme["parties"]) == 2
    changed = client.patch(
        f"/api/v1/dwcps/{programme['id']}/",
        {
            "version": programme["version"],
            "end_year": 2021,
            "parties": [{"kind": "employers", "name": "APINDO"}],
        },
        format="json",
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["end_year"] == 2021
    assert changed.json()["parties"] == [{"kind": "employers", "name": "APINDO", "agreed_on": None}]
    # Another office's staff may not create a programme for Indonesia.
    refused = client_as("field_phl").post(
        "/api/v1/dwcps/",
        {"country": "IDN", "office": office.pk, "title": "x", "start_year": 2016, "end_year": 2020},
        format="json",
    )
    assert refused.status_code == 403


def test_priorities_are_added_changed_and_deleted_at_most_three(world, client_as):
    client = client_as("field_idn")
    programme = world.idn
    for n in range(2):
        response = client.post(
            "/api/v1/priorities/", {"programme": programme.pk, "title": f"P{n}"}, format="json"
        )
        assert response.status_code == 201
    fourth = client.post(
        "/api/v1/priorities/", {"programme": programme.pk, "title": "Fourth"}, format="json"
    )
    assert fourth.status_code == 400
    assert "at most three" in fourth.json()["error"]["message"]
    last = CountryProgrammePriority.objects.filter(programme=programme).order_by("number").last()
    changed = client.patch(
        f"/api/v1/priorities/{last.pk}/", {"version": 1, "title": "Renamed"}, format="json"
    )
    assert changed.json()["title"] == "Renamed"
    assert client.delete(f"/api/v1/priorities/{last.pk}/").status_code == 204
    # A priority with outcomes stays.
    used = client.delete(f"/api/v1/priorities/{world.idn_cpo.priority_id}/")
    assert used.status_code == 400
    assert client_as("rpo_asia").delete(f"/api/v1/priorities/{last.pk}/").status_code == 404


# Workflow steps -----------------------------------------------------------------------------


def _post(client, address, body):
    return client.post(address, body, format="json")


MOVE_PHASE = {"public": 401, "field_idn": 200, "administrator": 200, "field_phl": 404}


@pytest.mark.parametrize("who", PEOPLE)
def test_who_moves_a_programme_to_the_next_phase(who, world, client_as):
    response = _post(
        client_as(who),
        f"/api/v1/dwcps/{world.idn.pk}/move-phase/",
        {"phase": Phase.PRIORITIES_AGREED, "version": world.idn.version},
    )
    expected = MOVE_PHASE.get(who, 404 if who == "rpo_africa" else 403)
    assert response.status_code == expected, response.content
    world.idn.refresh_from_db()
    assert (world.idn.phase == Phase.PRIORITIES_AGREED) is (expected == 200)


def test_a_phase_move_the_method_does_not_allow_is_a_400(world, client_as):
    response = _post(
        client_as("field_idn"),
        f"/api/v1/dwcps/{world.idn.pk}/move-phase/",
        {"phase": Phase.EVALUATED, "version": world.idn.version},
    )
    assert response.status_code == 400
    assert "cannot move" in response.json()["error"]["message"]
    unknown = _post(
        client_as("field_idn"),
        f"/api/v1/dwcps/{world.idn.pk}/move-phase/",
        {"phase": "nowhere", "version": world.idn.version},
    )
    assert "phase" in unknown.json()["error"]["fields"]


PUBLISH = {"public": 401, "field_idn": 200, "rpo_asia": 200, "administrator": 200}
UNPUBLISH = {"public": 401, "field_phl": 200, "rpo_asia": 200, "administrator": 200}


@pytest.mark.parametrize("who", PEOPLE)
def test_who_publishes_and_unpublishes(who, world, client_as):
    client = client_as(who)
    published = _post(client, f"/api/v1/dwcps/{world.idn.pk}/publish/", {"version": 1})
    expected = PUBLISH.get(who, 404 if who in {"field_phl", "rpo_africa"} else 403)
    assert published.status_code == expected
    if expected == 200:
        assert published.json()["published"] is True
        assert client_as("public").get(f"/api/v1/dwcps/{world.idn.pk}/").status_code == 200
    withdrawn = _post(client, f"/api/v1/dwcps/{world.phl.pk}/unpublish/", {"version": 1})
    assert withdrawn.status_code == UNPUBLISH.get(who, 403)
    world.phl.refresh_from_db()
    assert world.phl.published is (UNPUBLISH.get(who) != 200)


SUBMIT = {"public": 401, "field_idn": 200, "administrator": 200}
REVIEW = {"public": 401, "rpo_asia": 200, "administrator": 200, "field_phl": 404, "rpo_africa": 404}


@pytest.mark.parametrize("who", PEOPLE)
def test_who_submits_a_draft_report(who, world, client_as):
    report = world.idn_draft
    response = _post(
        client_as(who), f"/api/v1/progress-reports/{report.pk}/submit/", {"version": 1}
    )
    # Only the office and administrators read drafts; to everyone else it does not exist.
    assert response.status_code == SUBMIT.get(who, 404)
    report.refresh_from_db()
    assert (report.review_state == ReviewState.SUBMITTED) is (response.status_code == 200)


@pytest.mark.parametrize("who", PEOPLE)
def test_who_validates_and_returns_a_submitted_report(who, world, client_as):
    client = client_as(who)
    report = world.idn_submitted
    returned = _post(
        client,
        f"/api/v1/progress-reports/{report.pk}/return/",
        {"version": report.version, "comment": "Add the evidence."},
    )
    expected = REVIEW.get(who, 403)
    assert returned.status_code == expected, returned.content
    if expected == 200:
        assert returned.json()["review_state"] == "returned"
        assert returned.json()["return_comment"] == "Add the evidence."
        # Submitted again by the office, then validated
        _post(
            client_as("field_idn"),
            f"/api/v1/progress-reports/{report.pk}/submit/",
            {"version": report.version + 1},
        )
        validated = _post(
            client,
            f"/api/v1/progress-reports/{report.pk}/validate/",
            {"version": report.version + 2},
        )
        assert validated.status_code == 200
        assert validated.json()["review_state"] == "validated"
        assert validated.json()["validated_by"] == world.user(who).username
    else:
        refused = _post(
            client, f"/api/v1/progress-reports/{report.pk}/validate/", {"version": report.version}
        )
        assert refused.status_code == expected
        report.refresh_from_db()
        assert report.review_state == ReviewState.SUBMITTED


def test_returning_needs_a_comment_and_validating_needs_a_submitted_report(world, client_as):
    client = client_as("rpo_asia")
    report = world.idn_submitted
    no_comment = _post(
        client, f"/api/v1/progress-reports/{report.pk}/return/", {"version": report.version}
    )
    assert "comment" in no_comment.json()["error"]["fields"]
    admin = client_as("administrator")
    draft = _post(admin, f"/api/v1/progress-reports/{world.idn_draft.pk}/validate/", {"version": 1})
    assert draft.status_code == 400
    assert "Only a submitted report" in draft.json()["error"]["message"]
    stale = _post(admin, f"/api/v1/progress-reports/{report.pk}/validate/", {"version": 99})
    assert stale.status_code == 409


def test_the_office_creates_and_edits_a_report_and_cannot_edit_it_once_submitted(world, client_as):
    client = client_as("field_idn")
    created = client.post(
        "/api/v1/progress-reports/",
        {
            "cpo": world.idn_cpo.pk,
            "period": "2013-H1",
            "status": "at_risk",
            "narrative": "Delays in the survey.",
            "women_reached": 40,
            "men_reached": 35,
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    report = created.json()
    assert report["review_state"] == "draft"
    assert report["period"] == "2013-H1"
    edited = client.patch(
        f"/api/v1/progress-reports/{report['id']}/",
        {"version": 1, "status": "on_track"},
        format="json",
    )
    assert edited.json()["status"] == "on_track"
    _post(client, f"/api/v1/progress-reports/{report['id']}/submit/", {"version": 2})
    locked = client.patch(
        f"/api/v1/progress-reports/{report['id']}/",
        {"version": 3, "status": "off_track"},
        format="json",
    )
    assert locked.status_code == 400
    assert ProgressReport.objects.get(pk=report["id"]).status == "on_track"


def test_a_claimed_result_needs_evidence(world, client_as):
    response = client_as("field_idn").post(
        "/api/v1/progress-reports/",
        {
            "cpo": world.idn_cpo.pk,
            "period": "2013-H1",
            "status": "achieved",
            "narrative": "Done.",
            "result_claimed": True,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "evidence_text" in response.json()["error"]["fields"]


# Uploads ----------------------------------------------------------------------------------------

TOO_LARGE = 10 * 1024 * 1024 + 1


def _report_form(world, upload):
    return {
        "cpo": world.idn_cpo.pk,
        "period": "2013-H1",
        "status": "achieved",
        "narrative": "The action plan was adopted.",
        "result_claimed": "true",
        "evidence_file": upload,
    }


def test_evidence_is_uploaded_with_a_report(world, client_as):
    upload = SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes", "application/pdf")
    response = client_as("field_idn").post(
        "/api/v1/progress-reports/", _report_form(world, upload), format="multipart"
    )
    assert response.status_code == 201, response.content
    assert response.json()["evidence_file"].endswith("/evidence/")
    assert response.json()["result_claimed"] is True


def test_an_upload_over_10_mb_is_a_413_and_saves_nothing(world, client_as):
    before = ProgressReport.objects.count()
    upload = SimpleUploadedFile("big.pdf", b"0" * TOO_LARGE, "application/pdf")
    response = client_as("field_idn").post(
        "/api/v1/progress-reports/", _report_form(world, upload), format="multipart"
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "file_too_large"
    assert "evidence_file" in response.json()["error"]["fields"]
    assert ProgressReport.objects.count() == before
    document = SimpleUploadedFile("signed.pdf", b"0" * TOO_LARGE, "application/pdf")
    signed = client_as("field_idn").post(
        f"/api/v1/dwcps/{world.idn.pk}/signed-document/",
        {"file": document, "version": 1},
        format="multipart",
    )
    assert signed.status_code == 413
    world.idn.refresh_from_db()
    assert not world.idn.signed_document


def test_an_upload_of_the_wrong_type_is_a_400(world, client_as):
    upload = SimpleUploadedFile("tool.exe", b"MZ", "application/octet-stream")
    response = client_as("field_idn").post(
        "/api/v1/progress-reports/", _report_form(world, upload), format="multipart"
    )
    assert response.status_code == 400
    assert "evidence_file" in response.json()["error"]["fields"]
    document = SimpleUploadedFile("signed.txt", b"text", "text/plain")
    signed = client_as("field_idn").post(
        f"/api/v1/dwcps/{world.idn.pk}/signed-document/",
        {"file": document, "version": 1},
        format="multipart",
    )
    assert signed.status_code == 400
    assert "file" in signed.json()["error"]["fields"]


def test_the_signed_document_is_uploaded_by_the_office_only(world, client_as):
    def upload():
        return SimpleUploadedFile("signed.pdf", b"%PDF-1.4 signed", "application/pdf")

    refused = client_as("rpo_asia").post(
        f"/api/v1/dwcps/{world.idn.pk}/signed-document/",
        {"file": upload(), "version": 1},
        format="multipart",
    )
    assert refused.status_code == 403
    response = client_as("field_idn").post(
        f"/api/v1/dwcps/{world.idn.pk}/signed-document/",
        {"file": upload(), "version": 1},
        format="multipart",
    )
    assert response.status_code == 200
    assert response.json()["signed_document"].endswith("/signed-document/")
    assert response.json()["version"] == 2
    assert DecentWorkCountryProgramme.objects.get(pk=world.idn.pk).signed_document


# Every write endpoint of the country programmes, for every person, on Indonesia's records ------

OFFICE = {"field_idn", "administrator"}
CANNOT_READ_IDN = {"field_phl", "rpo_africa"}


def _expected(who: str, allowed: int, unreadable: int) -> int:
    if who == "public":
        return 401
    if who in OFFICE:
        return allowed
    if who in CANNOT_READ_IDN:
        return unreadable
    return 403


@pytest.mark.parametrize("who", PEOPLE)
def test_every_country_programme_write_for_every_person(who, world, client_as) -> None:
    client = client_as(who)
    idn, cpo, draft = world.idn, world.idn_cpo, world.idn_draft
    spare = factories.PriorityFactory(programme=idn, title="Spare")
    pdf = SimpleUploadedFile("signed.pdf", b"%PDF-1.4", "application/pdf")
    calls = [
        # (method, address, body, format, status if allowed, status if the record is unreadable)
        (
            "post",
            "/api/v1/dwcps/",
            {
                "country": "IDN",
                "office": idn.office_id,
                "title": "DWCP 2016-20",
                "start_year": 2016,
                "end_year": 2020,
            },
            "json",
            201,
            403,
        ),
        ("patch", f"/api/v1/dwcps/{idn.pk}/", {"version": 1, "title": "Renamed"}, "json", 200, 404),
        (
            "post",
            f"/api/v1/dwcps/{idn.pk}/signed-document/",
            {"file": pdf, "version": 2},
            "multipart",
            200,
            404,
        ),
        ("post", "/api/v1/priorities/", {"programme": idn.pk, "title": "Third"}, "json", 201, 400),
        (
            "patch",
            f"/api/v1/priorities/{spare.pk}/",
            {"version": 1, "title": "Spare, renamed"},
            "json",
            200,
            404,
        ),
        ("delete", f"/api/v1/priorities/{spare.pk}/", None, "json", 204, 404),
        (
            "post",
            "/api/v1/progress-reports/",
            {"cpo": cpo.pk, "period": "2013-H1", "status": "on_track", "narrative": "Going."},
            "json",
            201,
            400,
        ),
        (
            "post",
            "/api/v1/cpos/bulk/",
            [{"id": cpo.pk, "version": cpo.version, "title": "Bulk title"}],
            "json",
            200,
            400,
        ),
    ]
    for method, address, body, fmt, allowed, unreadable in calls:
        response = getattr(client, method)(address, body, format=fmt)
        expected = _expected(who, allowed, unreadable)
        if address.endswith("/bulk/") and who not in OFFICE and who != "public":
            expected = 400  # refused item by item: nothing saved
        assert response.status_code == expected, (method, address, response.content)
    # Drafts are the office's: to everyone else they do not exist.
    edit = client.patch(
        f"/api/v1/progress-reports/{draft.pk}/",
        {"version": 1, "narrative": "Edited."},
        format="json",
    )
    assert edit.status_code == (401 if who == "public" else 200 if who in OFFICE else 404)
    idn.refresh_from_db()
    cpo.refresh_from_db()
    assert (idn.title == "Renamed") is (who in OFFICE)
    assert (cpo.title == "Bulk title") is (who in OFFICE)


def test_the_cpo_list_written_by_hand_is_what_drf_would_write(demo, django_assert_num_queries):
    # Given every demo CPO as the list reads it (its queryset, as an administrator sees all)
    request = Request(APIRequestFactory().get("/api/v1/cpos/"))
    request.user = User.objects.filter(role=Role.ADMINISTRATOR).first()
    view = CpoViewSet(request=request, action="list", format_kwarg=None, kwargs={})
    cpos = list(view.get_queryset())
    assert len(cpos) == CountryProgrammeOutcome.objects.count() > 50
    # ... among them CPOs without an indicator and with milestones and resources
    assert any(cpo.indicator_id is None for cpo in cpos)
    assert any(cpo.indicator_id is not None for cpo in cpos)
    assert all(cpo.milestones.all() and cpo.resources.all() for cpo in cpos)
    serializer = CpoSerializer(context=view.get_serializer_context())
    renderer = JSONRenderer()
    # When each is written by hand and by DRF from the declared fields, in UTC and elsewhere
    for zone in ("UTC", "Asia/Jakarta"):
        with timezone.override(zone), django_assert_num_queries(0):
            by_hand = [serializer.to_representation(cpo) for cpo in cpos]
            by_drf = [serializers.Serializer.to_representation(serializer, cpo) for cpo in cpos]
        # Then they are the same dicts and the same JSON, key order and all, with no query
        for cpo, hand, drf in zip(cpos, by_hand, by_drf, strict=True):
            assert hand == drf, cpo.code
            assert renderer.render(hand) == renderer.render(drf), cpo.code
    # And a CPO read without the list's prefetching (after a write) is written the same way
    plain = CountryProgrammeOutcome.objects.get(pk=cpos[0].pk)
    assert renderer.render(serializer.to_representation(plain)) == renderer.render(
        serializers.Serializer.to_representation(serializer, plain)
    )


def test_the_cpo_list_read_as_rows_is_what_drf_would_write(demo, django_assert_num_queries):
    # Given every demo CPO as the detail reads it (model instances), and as the list reads a
    # page (rows of values(), counted without their joins)
    user = User.objects.filter(role=Role.ADMINISTRATOR).first()
    request = Request(APIRequestFactory().get("/api/v1/cpos/"))
    request.user = user
    view = CpoViewSet(request=request, action="retrieve", format_kwarg=None, kwargs={})
    cpos = list(view.get_queryset())
    listed = CountryProgrammeOutcome.objects.order_by("biennium__start_year", "code", "pk")
    rows = cpo_rows(listed)
    with django_assert_num_queries(1):
        assert len(rows) == len(cpos) > 500
    with django_assert_num_queries(1):
        page = list(rows[0 : len(cpos)])
    serializer = CpoSerializer(context=view.get_serializer_context())
    renderer = JSONRenderer()
    for zone in ("UTC", "Asia/Jakarta"):
        # When the page is written from its rows (two more queries: milestones, resources)
        with timezone.override(zone):
            with django_assert_num_queries(2):
                written = cpo_page_representation(page)
            by_drf = [serializers.Serializer.to_representation(serializer, cpo) for cpo in cpos]
        # Then each CPO is what DRF writes from the declared fields, to the byte
        for cpo, mine, drf in zip(cpos, written, by_drf, strict=True):
            assert renderer.render(mine) == renderer.render(drf), cpo.code


@pytest.mark.parametrize(
    ("query", "ordering"),
    [
        ("biennium=2012-13&page=2&page_size=40", ("code", "pk")),
        ("ordering=-title&page_size=30", ("-title", "pk")),
        ("region=africa&search=employment", ("biennium__start_year", "code", "pk")),
        ("prioritized=true&ordering=updated_at&page=3", ("updated_at", "pk")),
    ],
)
def test_the_cpo_list_pages_are_what_drf_writes_of_the_same_cpos(demo, query, ordering):
    # Given the demo read by an administrator, filtered, searched, ordered and paged
    admin = User.objects.filter(role=Role.ADMINISTRATOR).first()
    client = APIClient()
    client.force_authenticate(admin)
    # When the list answers
    response = client.get(f"/api/v1/cpos/?{query}")
    assert response.status_code == 200, response.content
    body = response.json()
    # Then it holds the CPOs the same filters give, in the same order, written as DRF would
    request = Request(APIRequestFactory().get(f"/api/v1/cpos/?{query}"))
    request.user = admin
    view = CpoViewSet(request=request, action="list", format_kwarg=None, kwargs={})
    expected = view.filter_queryset(view.get_queryset()).order_by(*ordering)
    assert body["count"] == expected.count() > 0
    page = dict(parse_qsl(query)).get("page", "1")
    size = int(dict(parse_qsl(query)).get("page_size", "50"))
    start = (int(page) - 1) * size
    cpos = list(expected[start : start + size])
    assert [item["id"] for item in body["results"]] == [cpo.pk for cpo in cpos]
    serializer = CpoSerializer(context=view.get_serializer_context())
    assert body["results"] == [
        json.loads(JSONRenderer().render(serializers.Serializer.to_representation(serializer, cpo)))
        for cpo in cpos
    ]

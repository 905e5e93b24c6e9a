"""The implementation report through the API: who requests, reads, downloads and finalizes,
runs compiled and retried, snapshots compared, bad input refused.

The world (see conftest), whose two CPOs are on outcome 16 of the 2012-13 test framework,
plus a coordinator of another outcome.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from openpyxl import load_workbook

from dwcp.models import CountryProgrammeOutcome
from rbm.models import Role
from rbm.services import system_user
from reporting.api.views import MEDIA_TYPES
from reporting.completeness import snapshot_gaps
from reporting.exports import FORMATS, export_snapshot
from reporting.models import ReportRun, ReportSnapshot, RunStatus
from reporting.selectors import compare_snapshots
from reporting.services import report_run_request, run_fail
from tests import factories

pytestmark = pytest.mark.django_db

WHO = [
    "public",
    "field_idn",
    "rpo_asia",
    "coordinator",
    "other_coordinator",
    "programme_officer",
    "gb_secretariat",
    "administrator",
]
READERS = {
    "coordinator",
    "other_coordinator",
    "programme_officer",
    "gb_secretariat",
    "administrator",
}
SECRETARIAT = {"gb_secretariat", "administrator"}


def expected(who: str, allowed: set[str], success: int = 200) -> int:
    if who == "public":
        return 401
    return success if who in allowed else 403


def _error(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    error = response.json()["error"]
    assert error["status"] == status
    return error


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def compile_run(world, django_capture_on_commit_callbacks) -> Callable[..., ReportRun]:
    """``compile_run(**request)``: a run compiled in-process, as the workers would."""
    _plan, (child_labour, _standards) = factories.framework_2012_13()
    child_labour.coordinators.add(world.user("coordinator"))

    def run(**kwargs: Any) -> ReportRun:
        kwargs.setdefault("user", world.user("gb_secretariat"))
        kwargs.setdefault("biennium", factories.biennium("2012-13"))
        with django_capture_on_commit_callbacks(execute=True):
            created = report_run_request(**kwargs)
        created.refresh_from_db()
        assert created.status == RunStatus.SUCCEEDED, created.error
        return created

    return run


@pytest.fixture
def snapshot(world, user_for, compile_run) -> ReportSnapshot:
    world.users["other_coordinator"] = user_for(Role.OUTCOME_COORDINATOR)
    _plan, (_child_labour, standards) = factories.framework_2012_13()
    standards.coordinators.add(world.user("other_coordinator"))
    run = compile_run()
    assert run.snapshot is not None
    return run.snapshot


# Reading -----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", WHO)
def test_who_reads_runs_and_snapshots_and_downloads(who, world, snapshot, client_as):
    client = client_as(who)
    run = ReportRun.objects.get()
    addresses = [
        "/api/v1/report-runs/",
        f"/api/v1/report-runs/{run.pk}/",
        "/api/v1/report-snapshots/",
        f"/api/v1/report-snapshots/{snapshot.pk}/",
        f"/api/v1/report-snapshots/{snapshot.pk}/?include=content",
        f"/api/v1/report-snapshots/compare/?a={snapshot.pk}&b={snapshot.pk}",
        f"/api/v1/report-snapshots/{snapshot.pk}/download/csv/",
    ]
    for address in addresses:
        response = client.get(address)
        assert response.status_code == expected(who, READERS), address
        if response.status_code != 200:
            assert response.json()["error"]["status"] == response.status_code


def test_a_run_reads_with_its_status_timings_and_snapshot(world, snapshot, client_as):
    run = ReportRun.objects.get()
    body = client_as("coordinator").get(f"/api/v1/report-runs/{run.pk}/").json()
    assert body["status"] == "succeeded"
    assert body["progress"] == 100
    assert body["stalled"] is False
    assert (body["biennium"], body["scope"], body["region"], body["objective"]) == (
        "2012-13",
        "whole",
        None,
        None,
    )
    assert body["language"] == "en"
    assert body["requested_by"] == world.user("gb_secretariat").username
    assert body["snapshot"] == snapshot.pk
    assert body["error"] == ""
    assert body["started_at"]
    assert body["finished_at"]
    assert body["duration_seconds"] >= 0


def test_a_snapshot_reads_without_its_content_unless_asked(world, snapshot, client_as):
    client = client_as("programme_officer")
    plain = client.get(f"/api/v1/report-snapshots/{snapshot.pk}/").json()
    assert "content" not in plain
    assert plain["content_hash"] == snapshot.content_hash
    assert plain["final"] is False
    assert plain["finalized_by"] is None
    full = client.get(f"/api/v1/report-snapshots/{snapshot.pk}/?include=content").json()
    assert full["content"] == snapshot.content
    listed = client.get("/api/v1/report-snapshots/").json()["results"]
    assert "content" not in listed[0]
    listed = client.get("/api/v1/report-snapshots/?include=content").json()["results"]
    assert listed[0]["content"]["meta"]["biennium"] == "2012-13"
    bad = client.get(f"/api/v1/report-snapshots/{snapshot.pk}/?include=everything")
    assert "include" in _error(bad, 400)["fields"]


# Requesting runs ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", WHO)
def test_only_the_secretariat_requests_and_retries_runs(who, world, snapshot, client_as):
    client = client_as(who)
    response = client.post(
        "/api/v1/report-runs/", {"biennium": "2012-13", "scope": "whole", "language": "fr"}
    )
    assert response.status_code == expected(who, SECRETARIAT, 202), response.content
    assert ReportRun.objects.filter(language="fr").exists() is (who in SECRETARIAT)
    failed = report_run_request(user=system_user(), biennium=factories.biennium("2012-13"))
    run_fail(failed.pk, "The worker was lost.")
    retried = client.post(f"/api/v1/report-runs/{failed.pk}/retry/")
    assert retried.status_code == expected(who, SECRETARIAT, 202), retried.content
    failed.refresh_from_db()
    assert (failed.status == RunStatus.QUEUED) is (who in SECRETARIAT)


def test_a_requested_run_is_accepted_compiled_polled_and_downloaded(
    world, snapshot, client_as, django_capture_on_commit_callbacks
):
    secretariat = client_as("gb_secretariat")
    with django_capture_on_commit_callbacks(execute=False) as queued:
        accepted = secretariat.post(
            "/api/v1/report-runs/",
            {"biennium": "2012-13", "scope": "region", "region": "asia-pacific", "language": "es"},
        )
    assert accepted.status_code == 202, accepted.content
    run = accepted.json()
    assert (run["status"], run["progress"], run["snapshot"]) == ("queued", 0, None)
    assert (run["scope"], run["region"], run["language"]) == ("region", "asia-pacific", "es")
    assert accepted["Location"] == f"/api/v1/report-runs/{run['id']}/"
    assert len(queued) == 1  # the compilation waits for the commit
    queued[0]()  # the worker compiles it
    polled = secretariat.get(accepted["Location"]).json()
    assert polled["status"] == "succeeded"
    snapshot_id = polled["snapshot"]
    download = secretariat.get(f"/api/v1/report-snapshots/{snapshot_id}/download/xlsx/")
    assert download.status_code == 200
    made = ReportSnapshot.objects.get(pk=snapshot_id)
    assert made.language == "es"
    workbook = load_workbook(io.BytesIO(_body(download)))
    assert workbook.sheetnames


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "biennium"),
        ({"biennium": "2012-14"}, "biennium"),
        ({"biennium": 2012}, "biennium"),
        ({"biennium": "2099-00"}, "biennium"),
        ({"biennium": "2030-31"}, "biennium"),  # no programme and budget covers it
        ({"biennium": "2012-13", "scope": "galaxy"}, "scope"),
        ({"biennium": "2012-13", "scope": "region"}, "region"),
        ({"biennium": "2012-13", "scope": "region", "region": "mars"}, "region"),
        ({"biennium": "2012-13", "scope": "region", "region": "AFRICA!"}, "region"),
        ({"biennium": "2012-13", "scope": "objective"}, "objective"),
        ({"biennium": "2012-13", "scope": "objective", "objective": 987654321}, "objective"),
        ({"biennium": "2012-13", "scope": "objective", "objective": "four"}, "objective"),
        ({"biennium": "2012-13", "language": "de"}, "language"),
        ({"biennium": "2012-13", "region": "africa"}, "region"),  # a region, but scope whole
        (
            {"biennium": "2012-13", "scope": "region", "region": "africa", "objective": 1},
            "objective",
        ),
    ],
)
def test_a_bad_run_request_is_a_400(world, snapshot, client_as, body, field):
    factories.biennium("2030-31")
    error = _error(client_as("administrator").post("/api/v1/report-runs/", body), 400)
    assert field in error["fields"]
    assert ReportRun.objects.count() == 1


def test_an_objective_outside_the_biennium_framework_is_refused(world, snapshot, client_as):
    later = factories.ObjectiveFactory(
        plan=factories.StrategicPlanFactory(start_year=2018, end_year=2021)
    )
    response = client_as("gb_secretariat").post(
        "/api/v1/report-runs/",
        {"biennium": "2012-13", "scope": "objective", "objective": later.pk},
    )
    assert "objective" in _error(response, 400)["fields"]


def test_a_run_is_retried_only_when_it_failed_or_stalled(world, snapshot, client_as):
    client = client_as("gb_secretariat")
    done = ReportRun.objects.get()
    refused = client.post(f"/api/v1/report-runs/{done.pk}/retry/")
    assert "request a new run" in _error(refused, 400)["message"]
    going = report_run_request(user=system_user(), biennium=factories.biennium("2012-13"))
    ReportRun.objects.filter(pk=going.pk).update(status=RunStatus.RUNNING)
    assert (
        "still going"
        in _error(client.post(f"/api/v1/report-runs/{going.pk}/retry/"), 400)["message"]
    )
    _error(client.post("/api/v1/report-runs/987654321/retry/"), 404)


def test_run_and_snapshot_filters(world, snapshot, client_as, compile_run):
    client = client_as("administrator")
    regional = compile_run(scope="region", region=factories.region("africa"), language="fr")
    queued = report_run_request(user=system_user(), biennium=factories.biennium("2012-13"))

    def ids(resource: str, **params) -> set[int]:
        response = client.get(f"/api/v1/{resource}/", params)
        assert response.status_code == 200, response.content
        return {item["id"] for item in response.json()["results"]}

    runs = set(ReportRun.objects.values_list("pk", flat=True))
    assert ids("report-runs") == runs
    assert ids("report-runs", status="queued") == {queued.pk}
    assert ids("report-runs", scope="region", region="africa") == {regional.pk}
    assert ids("report-runs", language="fr", biennium="2012-13") == {regional.pk}
    assert ids("report-runs", biennium="2014-15") == set()
    assert ids("report-runs", updated_since="2100-01-01T00:00:00Z") == set()
    assert ids("report-snapshots", region="africa") == {regional.snapshot_id}
    assert ids("report-snapshots", scope="whole") == {snapshot.pk}
    assert ids("report-snapshots", final="false", language="fr") == {regional.snapshot_id}
    assert ids("report-snapshots", final="true") == set()
    for resource, parameter, value in (
        ("report-runs", "status", "done"),
        ("report-runs", "biennium", "2012"),
        ("report-runs", "region", "a b"),
        ("report-runs", "objective", "-1"),
        ("report-snapshots", "final", "maybe"),
        ("report-snapshots", "language", "klingon"),
        ("report-snapshots", "ordering", "content"),
    ):
        response = client.get(f"/api/v1/{resource}/", {parameter: value})
        assert parameter in _error(response, 400)["fields"], (resource, parameter)


# Snapshots: final, downloads, comparison ---------------------------------------------------


@pytest.mark.parametrize("who", WHO)
def test_only_the_secretariat_marks_a_snapshot_final(who, world, snapshot, client_as):
    keys = [gap.key for gap in snapshot_gaps(snapshot.content)]
    response = client_as(who).post(
        f"/api/v1/report-snapshots/{snapshot.pk}/final/", {"confirm_gaps": keys}, format="json"
    )
    assert response.status_code == expected(who, SECRETARIAT), response.content
    snapshot.refresh_from_db()
    assert snapshot.final is (who in SECRETARIAT)
    if who in SECRETARIAT:
        body = response.json()
        assert body["final"] is True
        assert body["finalized_by"] == world.user(who).username
        assert body["final_gaps"] == keys
        again = client_as(who).post(f"/api/v1/report-snapshots/{snapshot.pk}/final/")
        assert "already final" in _error(again, 400)["message"]


def test_a_snapshot_with_gaps_goes_final_only_with_confirm_gaps(world, snapshot, client_as):
    client = client_as("gb_secretariat")
    # Given a snapshot whose gaps the API lists, each with its key
    detail = client.get(f"/api/v1/report-snapshots/{snapshot.pk}/").json()
    keys = [gap["key"] for gap in detail["gaps"]]
    assert keys == ["strategy:16", "results:16.1", "strategy:18", "results:18.1"]
    assert detail["gaps"][1] == {
        "key": "results:16.1",
        "kind": "results",
        "outcome": "16",
        "indicator": "16.1",
        "text": "Indicator 16.1: no validated result.",
    }
    assert "gaps" not in client.get("/api/v1/report-snapshots/").json()["results"][0]
    with_content = client.get("/api/v1/report-snapshots/", {"include": "content"}).json()
    assert [gap["key"] for gap in with_content["results"][0]["gaps"]] == keys
    # When it is marked final without naming them all, it is refused (400) and stays a draft
    final = f"/api/v1/report-snapshots/{snapshot.pk}/final/"
    for body in ({}, {"confirm_gaps": keys[:3]}, {"confirm_gaps": [*keys, "results:99.9"]}):
        refused = client.post(final, body, format="json")
        assert "confirm_gaps" in _error(refused, 400)["fields"], body
    snapshot.refresh_from_db()
    assert snapshot.final is False
    # Then naming every gap marks it final, the gaps kept with it and in its history
    done = client.post(final, {"confirm_gaps": list(reversed(keys))}, format="json")
    assert done.status_code == 200, done.content
    assert done.json()["final_gaps"] == keys
    record = snapshot.history.order_by("-history_id").first()
    assert (record.final, record.final_gaps) == (True, keys)


@pytest.mark.parametrize("export_format", list(FORMATS))
def test_each_download_is_the_export_with_its_type_and_name(
    world, snapshot, client_as, export_format
):
    response = client_as("coordinator").get(
        f"/api/v1/report-snapshots/{snapshot.pk}/download/{export_format}/",
        HTTP_ACCEPT="application/json",  # what the client accepts does not matter
    )
    assert response.status_code == 200
    export = export_snapshot(snapshot, export_format)
    assert response["Content-Type"] == export.content_type
    assert response["Content-Type"].split(";")[0] == MEDIA_TYPES[export_format]
    assert response["Content-Disposition"] == f'attachment; filename="{export.filename}"'
    assert response["Cache-Control"] == "private, no-store"
    body = _body(response)
    if export_format in ("csv", "iati"):
        assert body == export.content
    else:
        assert body[:4] == export.content[:4]  # PK zip or %PDF
        assert abs(len(body) - len(export.content)) < 64


def test_a_download_checks_the_permission_every_time(world, snapshot, client_as):
    client = client_as("programme_officer")
    address = f"/api/v1/report-snapshots/{snapshot.pk}/download/iati/"
    assert client.get(address).status_code == 200
    officer = world.user("programme_officer")
    officer.role, officer.office = Role.FIELD_OFFICE_STAFF, world.idn.office
    officer.save(update_fields=["role", "office"])
    assert _error(client.get(address), 403)["code"] == "permission_denied"


def test_an_unknown_format_or_snapshot_is_a_404(world, snapshot, client_as):
    client = client_as("gb_secretariat")
    unknown = client.get(f"/api/v1/report-snapshots/{snapshot.pk}/download/odt/")
    assert "xlsx, docx, pdf, csv, iati" in _error(unknown, 404)["message"]
    _error(client.get(f"/api/v1/report-snapshots/{snapshot.pk}/download/XLSX/"), 404)
    _error(client.get("/api/v1/report-snapshots/987654321/download/xlsx/"), 404)
    _error(client.get(f"/api/v1/report-snapshots/{snapshot.pk}/download/"), 404)


def test_the_comparison_lists_what_changed_between_two_snapshots(
    world, snapshot, client_as, compile_run
):
    cpo = CountryProgrammeOutcome.objects.get(pk=world.phl_cpo.pk)
    cpo.targeted = False
    cpo.save()  # as every write of the application does (the table's cache stamp moves)
    later = compile_run().snapshot
    assert later.content_hash != snapshot.content_hash
    client = client_as("other_coordinator")
    body = client.get("/api/v1/report-snapshots/compare/", {"a": snapshot.pk, "b": later.pk}).json()
    assert body["a"]["id"] == snapshot.pk
    assert body["b"]["id"] == later.pk
    assert "content" not in body["a"]
    expected_changes = [c.__dict__ for c in compare_snapshots(snapshot, later)]
    assert body["changes"] == expected_changes
    assert {
        "section": "demand and targets",
        "key": "16/asia-pacific/target",
        "item": "16 · Asia and the Pacific target",
        "before": 2,
        "after": 1,
    } in body["changes"]
    same = client.get("/api/v1/report-snapshots/compare/", {"a": later.pk, "b": later.pk})
    assert same.json()["changes"] == []


@pytest.mark.parametrize(
    ("params", "fields"),
    [
        ({}, {"a", "b"}),
        ({"a": "1"}, {"b"}),
        ({"a": "abc", "b": "1"}, {"a"}),
        ({"a": "987654321", "b": "-2"}, {"a", "b"}),
        ({"a": "99999999999999999999999", "b": "1"}, {"a"}),
    ],
)
def test_a_bad_comparison_is_a_400_naming_the_parameter(world, snapshot, client_as, params, fields):
    params = {k: (str(snapshot.pk) if v == "1" else v) for k, v in params.items()}
    response = client_as("gb_secretariat").get("/api/v1/report-snapshots/compare/", params)
    assert set(_error(response, 400)["fields"]) == fields


def test_the_documented_media_types_are_the_exports(snapshot) -> None:
    for export_format in FORMATS:
        export = export_snapshot(snapshot, export_format)
        assert export.content_type.split(";")[0] == MEDIA_TYPES[export_format]


# Query counts ------------------------------------------------------------------------------


def _grow(world, snapshot, n: int) -> None:
    """n more runs (queued, failed, succeeded) and snapshots."""
    biennium = factories.biennium("2012-13")
    secretariat = world.user("gb_secretariat")
    for i in range(n):
        queued = report_run_request(user=secretariat, biennium=biennium, language="fr")
        failed = report_run_request(
            user=secretariat, biennium=biennium, scope="region", region=factories.region("africa")
        )
        run_fail(failed.pk, f"Failure {i}")
        copy = ReportSnapshot.objects.create(
            biennium=biennium,
            scope=snapshot.scope,
            language="fr",
            region=factories.region("africa") if i % 2 else None,
            content=snapshot.content,
            content_hash=f"{i:064d}",
        )
        ReportRun.objects.filter(pk=queued.pk).update(status="succeeded", snapshot=copy)


@pytest.mark.parametrize("who", ["coordinator", "gb_secretariat", "administrator"])
def test_list_queries_do_not_grow_with_page_size_or_rows(
    who, world, snapshot, client_as, count_queries
):
    client = client_as(who)
    client.get("/api/v1/regions/")  # the token's first use is recorded once
    lists = [
        "/api/v1/report-runs/",
        "/api/v1/report-snapshots/",
        "/api/v1/report-snapshots/?include=content",
    ]

    def measure(page_size: int) -> dict[str, int]:
        separator = lambda url: "&" if "?" in url else "?"  # noqa: E731
        return {
            url: count_queries(
                lambda url=url: client.get(f"{url}{separator(url)}page_size={page_size}")
            )
            for url in lists
        }

    _grow(world, snapshot, 2)
    small = measure(2)
    _grow(world, snapshot, 8)
    large = measure(200)
    assert large == small
    print(f"\n{who}: " + ", ".join(f"{r}={n}" for r, n in small.items()))

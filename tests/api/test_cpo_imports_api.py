"""The CPO imports' API: upload (checked at once, 202 then poll), who sees which import, retry,
and a list whose query count does not grow."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from dwcp.models import CountryProgrammeOutcome, CpoImport, ImportStatus
from tests.api.conftest import token_client

LIST = "/api/v1/cpo-imports/"
NEW_TITLE = "Fewer children at work in the fishing sector"


def _exported(world, who: str = "field_idn") -> openpyxl.Workbook:
    user = world.user(who)
    page = Client()
    page.force_login(user)
    response = page.get(reverse("dwcp:cpo-export"), {"office": user.office.pk})
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.content))


def _with_title(book: openpyxl.Workbook, code: str, header: str, value) -> bytes:
    sheet = book["CPOs"]
    names = [cell.value for cell in sheet[1]]
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row=row, column=names.index("code") + 1).value == code:
            sheet.cell(row=row, column=names.index(header) + 1).value = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _upload(client, content: bytes, *, run: bool = True):
    with TestCase.captureOnCommitCallbacks(execute=run):
        return client.post(
            LIST, {"file": SimpleUploadedFile("idn.xlsx", content)}, format="multipart"
        )


def test_an_upload_is_accepted_then_polled_to_its_outcome(world, client_as) -> None:
    client = client_as("field_idn")
    code = world.idn_cpo.code
    response = _upload(client, _with_title(_exported(world), code, "title", NEW_TITLE))
    assert response.status_code == 202, response.content
    body = response.json()
    assert response["Location"].endswith(f"/api/v1/cpo-imports/{body['id']}/")
    assert (body["status"], body["uploaded_by"], body["filename"]) == (
        "queued",
        world.user("field_idn").username,
        "idn.xlsx",
    )
    polled = client.get(response["Location"]).json()
    assert (polled["status"], polled["progress"], polled["stalled"]) == ("imported", 100, False)
    assert polled["outcome"]["updated"] == [code]
    assert CountryProgrammeOutcome.objects.get(pk=world.idn_cpo.pk).title == NEW_TITLE
    listed = client.get(LIST).json()
    assert [item["id"] for item in listed["results"]] == [body["id"]]


def test_a_wrong_file_is_a_400_with_every_problem_and_nothing_queued(world, client_as) -> None:
    client = client_as("field_idn")
    content = _with_title(_exported(world), world.idn_cpo.code, "P&B outcome", "99")
    response = _upload(client, content)
    assert response.status_code == 400
    error = response.json()["error"]
    assert [(e["row"], e["column"]) for e in error["errors"]] == [(2, "P&B outcome")]
    assert "No outcome has the code 99." in error["errors"][0]["message"]
    assert not CpoImport.objects.exists()
    garbage = _upload(client, b"not a workbook")
    assert garbage.status_code == 400
    assert garbage.json()["error"]["message"]
    missing = client.post(LIST, {}, format="multipart")
    assert missing.status_code == 400
    assert "file" in missing.json()["error"]["fields"]


@pytest.mark.parametrize(
    ("who", "reads_it", "lists"),
    [
        ("field_idn", 200, 1),
        ("administrator", 200, 1),
        ("field_phl", 404, 0),  # another office's import is not theirs to know of
        ("coordinator", 403, None),
        ("public", 401, None),
    ],
)
def test_who_sees_an_import(world, client_as, who, reads_it, lists) -> None:
    job = CpoImport.objects.create(
        uploaded_by=world.user("field_idn"), filename="idn.xlsx", content=b"x", rows=1
    )
    client = client_as(who)
    assert client.get(f"{LIST}{job.pk}/").status_code == reads_it
    listed = client.get(LIST)
    if lists is None:
        assert listed.status_code == reads_it
    else:
        assert listed.json()["count"] == lists


def test_retry_runs_a_failed_import_again_and_refuses_a_live_one(world, client_as) -> None:
    client = client_as("field_idn")
    content = _with_title(_exported(world), world.idn_cpo.code, "title", NEW_TITLE)
    job_id = _upload(client, content, run=False).json()["id"]
    refused = client.post(f"{LIST}{job_id}/retry/")
    assert refused.status_code == 400
    assert "still going" in refused.json()["error"]["message"]
    CpoImport.objects.filter(pk=job_id).update(status=ImportStatus.FAILED, error="lost")
    with TestCase.captureOnCommitCallbacks(execute=True):
        retried = client.post(f"{LIST}{job_id}/retry/")
    assert retried.status_code == 202
    assert client.get(retried["Location"]).json()["status"] == "imported"
    again = client.post(f"{LIST}{job_id}/retry/")
    assert again.status_code == 400
    assert "upload it again" in again.json()["error"]["message"]


def test_the_list_reads_in_a_fixed_number_of_queries(world, count_queries) -> None:
    user = world.user("field_idn")
    client = token_client(user)
    client.get(LIST)  # the token's first use is recorded once

    def add(n: int) -> None:
        for i in range(n):
            CpoImport.objects.create(
                uploaded_by=user,
                filename=f"{i}.xlsx",
                content=b"x",
                status=ImportStatus.RUNNING if i % 2 else ImportStatus.IMPORTED,
                started_at=timezone.now() - datetime.timedelta(minutes=1),
            )

    add(2)
    few = count_queries(lambda: client.get(LIST))
    add(20)
    many = count_queries(lambda: client.get(f"{LIST}?page_size=100"))
    assert many == few
    items = client.get(f"{LIST}?page_size=100").json()["results"]
    assert len(items) == 22
    # Marked running a minute ago and held by nobody: their workers died
    assert {item["stalled"] for item in items if item["status"] == "running"} == {True}

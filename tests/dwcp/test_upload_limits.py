"""Uploads that would exhaust a worker: a workbook that inflates to a gigabyte (a zip bomb), an
archive that lies about its sizes, and a file of 20,000 wrong rows. Each is refused quickly,
in bounded memory, and a refusal lists the first problems and counts the rest."""

from __future__ import annotations

import csv
import io
import resource
import struct
import time
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from dwcp.models import CpoImport, ImportStatus
from dwcp.spreadsheets import MAX_IMPORT_BYTES
from dwcp.spreadsheets.errors import MAX_LISTED_PROBLEMS
from dwcp.spreadsheets.jobs import CHECK_IN_REQUEST_ROWS
from rbm.archives import ArchiveRefused, check_zip_archive
from tests.dwcp.test_spreadsheets import FIELD_HERE, IMPORT, exported, make_world

pytestmark = pytest.mark.django_db

GIB = 1024**3
API_IMPORTS = reverse("api:cpo-import-list")


@pytest.fixture
def world(user_for):
    return make_world(user_for)


def _small_workbook_parts() -> dict[str, bytes]:
    """The parts of a real (tiny) workbook, to wrap around a sheet of our own."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "CPOs"
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


SHEET = "xl/worksheets/sheet1.xml"
SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
    b'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
)
SHEET_TAIL = b"</t></is></c></row></sheetData></worksheet>"


@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> bytes:
    """A workbook of about 1 MB whose sheet inflates to 1 GiB, written as a stream."""
    path = tmp_path_factory.mktemp("bomb") / "bomb.xlsx"
    chunk = b"a" * (1024 * 1024)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for name, data in _small_workbook_parts().items():
            if name != SHEET:
                out.writestr(name, data)
        with out.open(SHEET, "w", force_zip64=True) as sheet:
            sheet.write(SHEET_HEAD)
            for _ in range(GIB // len(chunk)):
                sheet.write(chunk)
            sheet.write(SHEET_TAIL)
    content = path.read_bytes()
    assert len(content) < 1.5 * 1024 * 1024
    assert sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(content)).infolist()) > GIB
    return content


def _measured(send):
    """(the response, seconds, peak bytes the request allocated): the larger of what Python
    allocated at its peak (tracemalloc) and how much the process's peak resident size grew."""
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    tracemalloc.start()
    try:
        started = time.monotonic()
        response = send()
        seconds = time.monotonic() - started
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - rss_before
    return response, seconds, max(peak, rss_growth)


def test_a_zip_bomb_on_the_import_page_is_a_400_at_once_in_little_memory(
    client, world, bomb
) -> None:
    client.force_login(world[FIELD_HERE])
    with TestCase.captureOnCommitCallbacks(execute=True) as queued:
        response, seconds, peak = _measured(
            lambda: client.post(IMPORT, {"file": SimpleUploadedFile("cpos.xlsx", bomb)})
        )
    print(f"zip bomb, page: {seconds:.2f} s, peak {peak / 1024**2:.1f} MB")
    assert response.status_code == 400
    assert "inflates" in response.content.decode()
    assert seconds < 5
    assert peak < 300 * 1024 * 1024, peak
    assert not queued
    assert not CpoImport.objects.exists()


def test_a_zip_bomb_on_the_api_is_a_400_at_once_in_little_memory(client, world, bomb) -> None:
    client.force_login(world[FIELD_HERE])
    response, seconds, peak = _measured(
        lambda: client.post(API_IMPORTS, {"file": SimpleUploadedFile("cpos.xlsx", bomb)})
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["status"] == 400
    assert "inflates" in error["message"]
    assert seconds < 5
    assert peak < 300 * 1024 * 1024, peak
    assert not CpoImport.objects.exists()


def _lying_archive(actual: int, declared: int) -> bytes:
    """A workbook whose sheet inflates to ``actual`` bytes but whose headers state
    ``declared``: the sizes the central directory states are rewritten."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as out:
        for name, data in _small_workbook_parts().items():
            if name != SHEET:
                out.writestr(name, data)
        out.writestr(SHEET, SHEET_HEAD + b"a" * actual + SHEET_TAIL)
    content = bytearray(buffer.getvalue())
    position = 0
    # Local headers (PK\x03\x04, size at +22) and central directory entries (PK\x01\x02, +24)
    for signature, offset, name_at in ((b"PK\x03\x04", 22, 26), (b"PK\x01\x02", 24, 28)):
        position = 0
        while (position := content.find(signature, position)) >= 0:
            name_length = struct.unpack_from("<H", content, position + name_at)[0]
            name_start = position + name_at + (4 if signature == b"PK\x03\x04" else 18)
            if bytes(content[name_start : name_start + name_length]) == SHEET.encode():
                struct.pack_into("<I", content, position + offset, declared)
            position += 4
    return bytes(content)


def test_an_archive_that_states_less_than_it_inflates_to_is_refused() -> None:
    content = _lying_archive(actual=30 * 1024 * 1024, declared=1000)
    stated = {i.filename: i.file_size for i in zipfile.ZipFile(io.BytesIO(content)).infolist()}
    assert stated[SHEET] == 1000
    with pytest.raises(ArchiveRefused):
        check_zip_archive(content)


def test_an_honest_exported_workbook_passes_the_archive_check(client, world) -> None:
    content = exported(client, world[FIELD_HERE], office=world["idn_office"].pk)
    check_zip_archive(content)


def _many_bad_rows(client, world, rows: int) -> bytes:
    content = exported(client, world[FIELD_HERE], office=world["idn_office"].pk, format="csv")
    header, first, *_rest = csv.reader(io.StringIO(content.decode("utf-8-sig")))
    bad = [
        "not a code" if name == "code" else "x" if name not in ("country",) else value
        for name, value in zip(header, first, strict=True)
    ]
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *[bad] * rows])
    data = buffer.getvalue().encode()
    assert len(data) < MAX_IMPORT_BYTES
    return data


def test_a_file_of_19999_bad_rows_is_left_to_the_worker_which_lists_the_first_problems(
    client, world
) -> None:
    client.force_login(world[FIELD_HERE])
    content = _many_bad_rows(client, world, 19_999)
    with TestCase.captureOnCommitCallbacks(execute=False) as queued:
        started = time.monotonic()
        response = client.post(IMPORT, {"file": SimpleUploadedFile("bad.csv", content)})
        request_seconds = time.monotonic() - started
    assert response.status_code == 302
    assert request_seconds < 2, request_seconds  # the request read 1,001 rows, not 19,999
    assert len(queued) == 1
    started = time.monotonic()
    queued[0]()  # the worker's part
    worker_seconds = time.monotonic() - started
    job = CpoImport.objects.get()
    assert job.status == ImportStatus.REFUSED
    assert len(job.outcome["errors"]) == MAX_LISTED_PROBLEMS
    assert job.outcome["more"] > 19_999 - MAX_LISTED_PROBLEMS
    assert job.outcome["errors"][0]["row"] == 2  # the first problems, in the file's order
    page = client.get(response["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    assert f"the first {MAX_LISTED_PROBLEMS} are listed" in text
    assert text.count("<tr") < MAX_LISTED_PROBLEMS + 20
    print(f"19,999 bad rows: request {request_seconds:.2f} s, worker {worker_seconds:.2f} s")


def test_a_small_bad_file_is_still_answered_in_the_request_with_its_first_problems(
    client, world
) -> None:
    client.force_login(world[FIELD_HERE])
    content = _many_bad_rows(client, world, CHECK_IN_REQUEST_ROWS)
    with TestCase.captureOnCommitCallbacks(execute=True) as queued:
        response = client.post(IMPORT, {"file": SimpleUploadedFile("bad.csv", content)})
    assert response.status_code == 400
    refused = response.context["refused"]
    assert len(refused.errors) == MAX_LISTED_PROBLEMS
    assert refused.more > 0
    assert not queued
    api = client.post(API_IMPORTS, {"file": SimpleUploadedFile("bad.csv", content)})
    assert api.status_code == 400
    error = api.json()["error"]
    assert len(error["errors"]) == MAX_LISTED_PROBLEMS
    assert error["more"] == refused.more

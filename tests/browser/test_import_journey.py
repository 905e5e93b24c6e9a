"""A field officer's spreadsheet journey in a real browser, with a real Celery worker on Redis:
export the office's CPOs, upload a wrong file and read its errors, upload the corrected file
and follow its import to the end."""

from __future__ import annotations

import re

import openpyxl
import pytest

from dwcp.models import CountryProgrammeOutcome
from tests.browser.conftest import ARTIFACTS, login_demo_user
from tests.worker import Worker, celery_on_redis

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

NEW_TITLE = "Fewer children work in Indonesia's fishing sector"


def _set(sheet, row: int, header: str, value) -> None:
    column = [cell.value for cell in sheet[1]].index(header) + 1
    sheet.cell(row=row, column=column).value = value


def test_export_fix_a_wrong_file_and_follow_the_import(page, live_server, demo, tmp_path) -> None:
    with celery_on_redis() as queue, Worker(queue, concurrency=1):
        login_demo_user(page, live_server, "field.jakarta")
        page.get_by_role("link", name="Outcomes (CPOs)").first.click()
        page.get_by_role("link", name="Import from a spreadsheet").click()
        page.wait_for_url(re.compile(r"/dwcp/cpos/import/$"))
        with page.expect_download() as download_info:
            page.get_by_role("link", name="Export your office's CPOs").click()
        exported = tmp_path / "office.xlsx"
        download_info.value.save_as(exported)
        book = openpyxl.load_workbook(exported)
        sheet = book["CPOs"]
        code = sheet.cell(row=2, column=[c.value for c in sheet[1]].index("code") + 1).value
        # A wrong outcome code: the page lists the problem at once, and nothing is queued
        _set(sheet, 2, "P&B outcome", "99")
        _set(sheet, 2, "title", NEW_TITLE)
        wrong = tmp_path / "wrong.xlsx"
        book.save(wrong)
        page.set_input_files("#id_file", str(wrong))
        page.get_by_role("button", name="Import").click()
        errors = page.locator("#import-errors")
        assert "No outcome has the code 99." in errors.inner_text()
        assert "row 2" in errors.inner_text()
        page.screenshot(path=str(ARTIFACTS / "import-errors.png"), full_page=True)
        # The corrected file is queued; its page follows the worker to the end
        _set(sheet, 2, "P&B outcome", CountryProgrammeOutcome.objects.get(code=code).outcome.code)
        fixed = tmp_path / "fixed.xlsx"
        book.save(fixed)
        page.set_input_files("#id_file", str(fixed))
        page.get_by_role("button", name="Import").click()
        page.wait_for_url(re.compile(r"/dwcp/cpos/imports/\d+/$"))
        page.locator("#import-result").wait_for(timeout=180_000)
        assert page.locator("#import-status").inner_text() == "Imported"
        assert "0 created, 1 updated" in page.locator("#import-result").inner_text()
        assert page.locator("#import-stalled").is_hidden()
        assert page.locator("#import-retry").count() == 0
        page.screenshot(path=str(ARTIFACTS / "import-done.png"), full_page=True)
        assert CountryProgrammeOutcome.objects.get(code=code).title == NEW_TITLE
        # The upload page lists the import
        page.get_by_role("link", name="Upload another file").click()
        recent = page.locator("#recent-imports")
        assert "fixed.xlsx" in recent.inner_text()
        assert "Imported" in recent.inner_text()

"""The secretariat's journey in a real browser, with a real Celery worker on Redis: request
the report, watch the bar reach 100 %, download it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login_demo_user
from tests.worker import Worker, celery_on_redis

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_request_watch_the_bar_and_download(page, live_server, demo, tmp_path) -> None:
    with celery_on_redis() as queue, Worker(queue, concurrency=2):
        login_demo_user(page, live_server, "gb.secretariat")
        page.get_by_role("link", name="Implementation report").first.click()
        page.select_option("#id_biennium", label="2012-13")
        page.check("input[name=scope][value=whole]")
        page.click("text=Compile the report")
        # The run page shows a bar that the page's script moves as the workers report
        page.wait_for_url(re.compile(r"/reports/runs/\d+/$"))
        bar = page.locator("#run-progress")
        seen = {int(float(bar.get_attribute("value")))}
        # (an expectation, not wait_for_function: the page's CSP forbids evaluating strings)
        expect(page.locator("#run-progress-label")).to_have_text("100 %", timeout=180_000)
        seen.add(int(float(bar.get_attribute("value"))))
        assert 100 in seen
        assert page.locator("#run-progress-label").inner_text() == "100 %"
        assert page.locator("#run-status").inner_text() == "Succeeded"
        assert page.locator("#run-stalled").is_hidden()
        assert page.locator("#retry-form").is_hidden()
        page.click("#snapshot-link")
        with page.expect_download() as download_info:
            page.get_by_role("link", name="Excel workbook (XLSX)").click()
        download = download_info.value
        path = tmp_path / download.suggested_filename
        download.save_as(path)
    assert path.suffix == ".xlsx"
    assert path.stat().st_size > 10_000
    page.screenshot(path="test-artifacts/report-snapshot.png", full_page=True)

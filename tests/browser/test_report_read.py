"""The report's web version in a real browser: the page raises no CSP violation (the charts
are inline SVG without a stylesheet of their own), its table of contents leads to an outcome,
and its charts are drawn with their alternative text."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login_demo_user
from tests.browser.test_csp import COLLECT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_web_version_reads_in_a_browser(page, live_server, demo) -> None:
    from rbm.services import system_user
    from reporting.services import report_run_request
    from tests import factories

    # Compiled in process: outside a test transaction, the run is queued and run at once
    run = report_run_request(user=system_user(), biennium=factories.biennium("2012-13"))
    run.refresh_from_db()
    snapshot = run.snapshot
    assert snapshot is not None, run.error
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.add_init_script(COLLECT)
    login_demo_user(page, live_server, "gb.secretariat")
    page.goto(f"{live_server.url}/reports/snapshots/{snapshot.pk}/")
    page.get_by_role("link", name="Read the report").click()
    page.wait_for_load_state("load")
    page.wait_for_timeout(200)
    assert list(page.evaluate("window.__csp")) == []
    assert refused == []
    charts = page.get_by_role(
        "img", name="Bar chart. Results against targets by region", exact=False
    )
    expect(charts).to_have_count(1)
    assert charts.bounding_box()["height"] > 100
    page.screenshot(path="test-artifacts/report-read.png")
    page.get_by_role("link", name="Outcome 16 – Child labour").click()
    expect(page.get_by_role("heading", name="Outcome 16 – Child labour")).to_be_in_viewport()

"""The public portal, the dashboards and the map in Chromium, on the demo data: the map
draws the demo's countries, axe-core finds no serious or critical violation, and at 390 px
no page scrolls sideways (wide tables scroll in their frame)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rbm.models import Role
from tests import factories
from tests.browser.conftest import ARTIFACTS, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
# The README's map (docs/screenshots/world-map.png) was taken from this test's screenshot.
SCREENSHOTS = ARTIFACTS


def _public_paths() -> list[str]:
    from dwcp import selectors as programmes
    from strategic_plans import selectors as framework

    programme = programmes.public_programmes().first()
    biennium = framework.framework_bienniums().first()
    outcome = framework.framework_outcomes(biennium).first()
    assert programme is not None
    assert outcome is not None
    return [
        "/public/",
        "/public/programmes/",
        f"/public/programmes/{programme.pk}/",
        f"/public/outcomes/{outcome.pk}/",
        "/public/reports/",
        "/public/data/",
    ]


def _dashboard_paths() -> list[str]:
    from rbm import selectors as reference

    region = reference.regions()[0]
    return [
        "/reports/dashboards/",
        f"/reports/dashboards/region/{region.pk}/",
        "/reports/dashboards/map/",
    ]


def _officer(page: Any, live_server: Any) -> None:
    factories.UserFactory(username="portal-officer", role=Role.PROGRAMME_OFFICER)
    login(page, live_server, "portal-officer", factories.PASSWORD)


def _serious(page: Any) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))"
        ".slice(0, 3)}))"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['nodes']}"
        for v in result
        if v["impact"] in ("serious", "critical")
    ]


def test_the_map_draws_the_demo_countries(browser: Any, live_server: Any, demo: str) -> None:
    from dwcp import selectors as programmes
    from reporting.dashboards.worldmap import country_paths, numeric_code

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    _officer(page, live_server)
    page.goto(live_server.url + "/reports/dashboards/map/?figure=cpos")
    expected = {
        c.alpha3
        for c in programmes.programme_filter_countries(None)
        if numeric_code(c.alpha3) in country_paths()
    }
    drawn = page.eval_on_selector_all(
        "svg path[data-country]",
        "paths => paths.filter(p => { const b = p.getBBox(); return b.width > 0 && b.height > 0; })"
        ".map(p => p.dataset.country)",
    )
    assert expected
    assert expected <= set(drawn)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("section.map").screenshot(path=str(SCREENSHOTS / "world-map.png"))
    # One click from the map to a country's dashboard.
    first = sorted(expected)[0]
    page.locator(f'a:has(path[data-country="{first}"])').first.click()
    page.wait_for_url("**/dashboards/country/**")
    assert page.locator("h1").inner_text().startswith("Dashboard")
    page.goto(live_server.url + "/reports/dashboards/")
    page.screenshot(path=str(SCREENSHOTS / "dashboard.png"), full_page=False)
    context.close()


def test_axe_finds_no_serious_violation(browser: Any, live_server: Any, demo: str) -> None:
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="en-GB", bypass_csp=True
    )
    page = context.new_page()
    found: dict[str, list[str]] = {}
    for path in _public_paths():
        page.goto(live_server.url + path)
        if violations := _serious(page):
            found[path] = violations
    page.goto(live_server.url + "/public/")
    page.screenshot(path=str(SCREENSHOTS / "portal.png"), full_page=False)
    _officer(page, live_server)
    for path in _dashboard_paths():
        page.goto(live_server.url + path)
        if violations := _serious(page):
            found[path] = violations
    context.close()
    assert found == {}


def test_pages_fit_a_phone_screen(browser: Any, live_server: Any, demo: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    wide: dict[str, int] = {}
    for path in _public_paths():
        page.goto(live_server.url + path)
        if (overflow := page.evaluate("document.documentElement.scrollWidth - innerWidth")) > 0:
            wide[path] = overflow
    _officer(page, live_server)
    for path in _dashboard_paths():
        page.goto(live_server.url + path)
        if (overflow := page.evaluate("document.documentElement.scrollWidth - innerWidth")) > 0:
            wide[path] = overflow
    # A wide table scrolls in its frame, its first column staying in view.
    page.goto(live_server.url + "/reports/dashboards/")
    frame = page.locator(".frame").first
    assert frame.evaluate("f => getComputedStyle(f).overflowX") == "auto"
    assert frame.locator("th").first.evaluate("c => getComputedStyle(c).position") == "sticky"
    context.close()
    assert wide == {}

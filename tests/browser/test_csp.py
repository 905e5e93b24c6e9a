"""The Content-Security-Policy holds in a real browser: the main pages raise no violation
(their scripts carry the nonce or come from our static files) and their controls still work."""

from __future__ import annotations

import pytest

from tests.browser.conftest import login_demo_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COLLECT = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI + " " + e.sourceFile + ":" +
    e.lineNumber);
});
"""


def _violations(page, url: str) -> list[str]:
    page.goto(url)
    page.wait_for_load_state("load")
    page.wait_for_timeout(200)  # violations are reported asynchronously
    return list(page.evaluate("window.__csp"))


def _visit(page, base: str, paths: list[str], refused: list[str]) -> list[str]:
    problems = []
    for path in paths:
        for violation in _violations(page, base + path):
            problems.append(f"{path}: {violation}")
    problems += refused
    return problems


def test_the_main_pages_raise_no_csp_violation(page, live_server, demo) -> None:
    from dwcp.models import CountryProgrammeOutcome, DecentWorkCountryProgramme
    from strategic_plans.models import StrategicPlan

    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.add_init_script(COLLECT)
    base = live_server.url
    plan = StrategicPlan.objects.order_by("pk").first()
    programme = DecentWorkCountryProgramme.objects.filter(country__alpha3="IDN").first()
    cpo = CountryProgrammeOutcome.objects.filter(programme=programme).first()
    assert plan
    assert programme
    assert cpo
    # Visitors' pages, then a field officer's, then a regional officer's review queue.
    public = ["/", "/plans/", f"/plans/{plan.pk}/", "/dwcp/", f"/dwcp/{programme.pk}/"]
    assert _visit(page, base, public, refused) == []
    login_demo_user(page, live_server, "field.jakarta")
    pages = [
        "/",
        "/account/",
        f"/dwcp/{programme.pk}/",
        f"/dwcp/{programme.pk}/edit/",
        f"/dwcp/cpos/{cpo.pk}/",
        f"/dwcp/cpos/{cpo.pk}/edit/",
        f"/dwcp/cpos/{cpo.pk}/progress/new/",
        "/dwcp/cpos/import/",
        "/workplans/",
        "/reports/",
        "/api/docs/",
        "/api/v1/cpos/",
    ]
    found = _visit(page, base, pages, refused)
    assert found == [], "\n".join(found)
    # Swagger UI ran (its script is served from our own address now, not inline).
    page.goto(base + "/api/docs/")
    page.wait_for_selector(".swagger-ui .info", timeout=15_000)
    page.context.clear_cookies()
    login_demo_user(page, live_server, "rpo.asia")
    assert _visit(page, base, ["/dwcp/validation/"], refused) == []


def test_the_controls_without_inline_handlers_still_work(page, live_server, demo) -> None:
    from strategic_plans.models import StrategicPlan

    plan = StrategicPlan.objects.order_by("pk").first()
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    closed = page.locator(".tree details:not([open])").count()
    assert closed > 0
    page.click("text=Expand all")
    assert page.locator(".tree details:not([open])").count() == 0
    page.click("text=Collapse outcomes")
    assert page.locator(".tree details.outcome[open]").count() == 0
    # The language switcher submits itself when a language is chosen.
    with page.expect_navigation():
        page.select_option("#language-select", "fr")
    page.wait_for_load_state("load")
    assert page.locator("html").get_attribute("lang") == "fr"

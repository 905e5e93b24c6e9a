"""A country programme from its creation to a validated progress report, in a real browser."""

from __future__ import annotations

import pytest

from dwcp.models import CountryProgrammeOutcome, DecentWorkCountryProgramme, ReviewState
from rbm.models import Role
from tests import factories
from tests.browser.conftest import ARTIFACTS, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shot(page, name):
    """Keep a picture of the page for people reviewing the journey (test-artifacts/)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"dwcp-{name}.png"), full_page=True)


def _fits(page):
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_an_office_enters_a_programme_and_the_region_validates_its_progress(
    browser, page, live_server, reference
):
    # Given an office covering Indonesia, its field officer and Asia's programme officer
    _plan, (outcome16, _outcome18) = factories.framework_2012_13()
    office = factories.OfficeFactory(
        name="ILO Country Office for Indonesia", countries=[factories.country("IDN")]
    )
    factories.UserFactory(
        username="dewi", first_name="Dewi", role=Role.FIELD_OFFICE_STAFF, office=office
    )
    factories.UserFactory(
        username="anan",
        first_name="Anan",
        role=Role.REGIONAL_PROGRAMME_OFFICER,
        region=reference["asia-pacific"],
    )
    url = live_server.url

    # When the field officer logs in and creates the programme from the list
    login(page, live_server, "dewi", factories.PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Country programmes"
    ).click()
    page.get_by_role("link", name="New programme").click()
    page.select_option("#id_country", label="Indonesia (IDN)")
    page.fill("#id_title", "Decent Work Country Programme for Indonesia, 2012-2015")
    page.fill("#id_start_year", "2012")
    page.fill("#id_end_year", "2015")
    page.fill("#id_undaf_title", "UNPDF Indonesia 2011-2015")
    page.fill("#id_party-0-name", "Ministry of Manpower and Transmigration")
    page.fill("#id_party-1-name", "APINDO")
    page.fill("#id_party-2-name", "KSPI")
    _shot(page, "programme-form")
    page.get_by_role("button", name="Create the programme").click()
    assert page.get_by_text("The programme was created.").is_visible()
    programme = DecentWorkCountryProgramme.objects.get()
    assert page.url == f"{url}/dwcp/{programme.pk}/"

    # ... adds a priority
    page.get_by_role("link", name="Add a priority").click()
    page.fill("#id_title", "Rights at work and social dialogue")
    page.get_by_role("button", name="Add the priority").click()
    assert page.get_by_text("The priority was added.").is_visible()

    # ... and an outcome with a milestone and a resource line
    page.get_by_role("link", name="Add an outcome").click()
    page.fill("#id_code", "IDN126")
    page.select_option("#id_priority", label="1. Rights at work and social dialogue")
    page.select_option("#id_biennium", label="2012-13")
    page.select_option("#id_outcome", label=f"16 – {outcome16.title}")
    indicator = outcome16.indicators.get()
    # The indicator list offers the chosen outcome's indicators only
    assert page.locator(f"#id_indicator option[value='{indicator.pk}']").is_enabled()
    page.select_option("#id_indicator", value=str(indicator.pk))
    page.fill("#id_title", "National action plan on the worst forms of child labour")
    page.fill(
        "#id_gender_statement",
        "Girls and boys are counted separately; mothers' groups are consulted.",
    )
    page.check("#id_prioritized")
    page.check("#id_targeted")
    page.fill("#id_milestone-0-due_on", "2012-06-30")
    page.fill("#id_milestone-0-text", "Tripartite consultation held")
    page.get_by_role("button", name="Add a milestone").click()
    page.fill("#id_milestone-1-due_on", "2013-06-30")
    page.fill("#id_milestone-1-text", "Plan adopted by the government")
    rb = factories.funding_source("RB")
    page.fill(f"#id_planned_{rb.pk}", "50000")
    page.fill(f"#id_spent_{rb.pk}", "12000")
    _shot(page, "cpo-form")
    page.get_by_role("button", name="Create the outcome").click()
    assert page.get_by_text("The outcome IDN126 was created.").is_visible()
    cpo = CountryProgrammeOutcome.objects.get()
    assert cpo.milestones.count() == 2
    assert page.locator(".milestones").get_by_text("Tripartite consultation held").is_visible()

    # ... then reports progress and submits it
    page.get_by_role("link", name="Report progress").first.click()
    page.select_option("#id_status", "on_track")
    page.fill("#id_narrative", "The tripartite committee drafted the action plan.")
    page.fill("#id_women_reached", "45")
    page.fill("#id_men_reached", "38")
    page.get_by_role("button", name="Save and submit").click()
    assert page.get_by_text("The progress report was submitted for validation.").is_visible()
    assert page.locator("#progress .badge", has_text="Submitted").is_visible()
    _shot(page, "cpo-submitted")
    page.get_by_role("button", name="Log out").click()

    # When the regional programme officer opens the validation queue and validates it
    login(page, live_server, "anan", factories.PASSWORD)
    assert page.get_by_text("1 progress report from Asia and the Pacific").is_visible()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Validation queue").click()
    item = page.locator("article.queue-item", has_text="IDN126")
    assert item.get_by_text("The tripartite committee drafted the action plan.").is_visible()
    _shot(page, "queue")
    item.get_by_role("button", name="Validate").click()
    assert page.get_by_text("1 report was validated.").is_visible()
    assert page.get_by_text("Nothing waits for validation.").is_visible()

    # Then the CPO page shows the report as validated, with who validated it
    page.goto(f"{url}/dwcp/cpos/{cpo.pk}/")
    assert page.locator("#progress .badge", has_text="Validated").is_visible()
    assert page.get_by_text("Validated by Anan").is_visible()
    assert cpo.progress_reports.get().review_state == ReviewState.VALIDATED
    _shot(page, "cpo-validated")


def test_the_programme_pages_fit_a_phone_screen(browser, live_server, reference):
    # Given a programme with an outcome and a submitted report
    factories.framework_2012_13()
    office = factories.OfficeFactory(countries=[factories.country("IDN")])
    programme = factories.DwcpFactory(office=office, published=True)
    cpo = factories.CpoFactory(programme=programme, code="126")
    factories.MilestoneFactory(cpo=cpo)
    factories.CpoResourceFactory(cpo=cpo)
    factories.ProgressReportFactory(cpo=cpo, review_state=ReviewState.SUBMITTED)
    factories.UserFactory(
        username="dewi", role=Role.FIELD_OFFICE_STAFF, office=office, first_name="Dewi"
    )
    factories.UserFactory(
        username="anan",
        role=Role.REGIONAL_PROGRAMME_OFFICER,
        region=reference["asia-pacific"],
        first_name="Anan",
    )
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    # When the field officer opens the pages on a phone
    login(page, live_server, "dewi", factories.PASSWORD)
    for path, name in [
        (f"/dwcp/{programme.pk}/", "phone-programme"),
        (f"/dwcp/cpos/{cpo.pk}/", "phone-cpo"),
        (f"/dwcp/{programme.pk}/cpos/new/", "phone-cpo-form"),
        (f"/dwcp/cpos/{cpo.pk}/edit/", "phone-cpo-edit"),
        ("/dwcp/cpos/", "phone-cpo-list"),
    ]:
        page.goto(live_server.url + path)
        _shot(page, name)
        # Then nothing is wider than the screen (wide tables scroll inside their box)
        assert _fits(page), path
    page.get_by_role("button", name="Log out").click()
    login(page, live_server, "anan", factories.PASSWORD)
    page.goto(live_server.url + "/dwcp/validation/")
    _shot(page, "phone-queue")
    assert _fits(page)
    context.close()

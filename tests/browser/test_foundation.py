"""Journeys through the framework pages in a real browser."""

from __future__ import annotations

import pytest

from rbm.models import Role
from tests import factories
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_browses_the_spf_2002_05_tree_and_switches_language(page, live_server, demo):
    # Given the public home page
    page.goto(live_server.url + "/")
    # When the visitor opens the strategic plans and the SPF 2002-05
    page.click("text=Browse the strategic plans")
    page.click("text=Strategic Policy Framework 2002-05")
    # Then the tree shows the four objectives and, opened, outcome 1b's indicators
    assert page.locator("details.objective").count() == 4
    page.click("#outcome-1b summary")
    assert page.get_by_text("Children who directly benefit from ILO action").is_visible()
    # When they switch to French
    with page.expect_navigation():
        page.select_option("#language-select", "fr")
    # Then the page speaks French, on the same plan
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("link", name="Plans stratégiques").first.is_visible()
    assert page.locator("details.objective").count() == 4


def test_staff_log_in_see_their_role_home_and_log_out(page, live_server, reference):
    office = factories.OfficeFactory(name="ILO Country Office for Indonesia")
    factories.UserFactory(
        username="dewi", role=Role.FIELD_OFFICE_STAFF, office=office, first_name="Dewi"
    )
    login(page, live_server, "dewi", factories.PASSWORD)
    assert page.get_by_role("heading", name="Welcome, Dewi").is_visible()
    assert page.get_by_text("You work in ILO Country Office for Indonesia").is_visible()
    page.click("text=Log out")
    assert page.get_by_role("banner").get_by_role("link", name="Log in").is_visible()


def test_a_wrong_password_is_refused_with_a_message(page, live_server, reference):
    factories.UserFactory(username="someone")
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "someone")
    page.fill("#id_password", "not the password")
    page.click("button[type=submit]")
    assert page.locator(".alert.bad").is_visible()


def test_the_plan_tree_fits_a_phone_screen(browser, live_server, demo):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(live_server.url + "/plans/")
    page.click("text=Strategic Policy Framework 2010-15")
    page.click("#outcome-16 summary")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    context.close()

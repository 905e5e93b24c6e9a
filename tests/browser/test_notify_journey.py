"""The region returns a report; the office sees it on its home page and in the bell, fixes
it; the region validates it from the filtered queue. In a real browser."""

from __future__ import annotations

import pytest

from dwcp import services
from dwcp.models import ProgressReport, ReviewState
from rbm.models import Role
from tests import factories
from tests.browser.conftest import ARTIFACTS, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"notify-{name}.png"), full_page=True)


def test_returned_fixed_and_validated_from_the_filtered_queue(
    browser, page, live_server, reference
):
    # Given a report Indonesia's office submitted, and one of the Philippines' waiting too
    idn_office = factories.OfficeFactory(
        name="ILO Country Office for Indonesia", countries=[factories.country("IDN")]
    )
    phl_office = factories.OfficeFactory(
        name="ILO Country Office for the Philippines", countries=[factories.country("PHL")]
    )
    dewi = factories.UserFactory(
        username="dewi", first_name="Dewi", role=Role.FIELD_OFFICE_STAFF, office=idn_office
    )
    maria = factories.UserFactory(
        username="maria", first_name="Maria", role=Role.FIELD_OFFICE_STAFF, office=phl_office
    )
    factories.UserFactory(
        username="anan",
        first_name="Anan",
        role=Role.REGIONAL_PROGRAMME_OFFICER,
        region=reference["asia-pacific"],
    )
    idn_cpo = factories.CpoFactory(
        programme=factories.DwcpFactory(country=factories.country("IDN"), office=idn_office),
        code="IDN126",
    )
    phl_cpo = factories.CpoFactory(
        programme=factories.DwcpFactory(country=factories.country("PHL"), office=phl_office),
        code="PHL101",
    )
    for cpo, user in ((idn_cpo, dewi), (phl_cpo, maria)):
        report = factories.ProgressReportFactory(cpo=cpo, period=factories.period("2013-H2"))
        services.progress_report_submit(user=user, report=report, version=report.version)
    report = ProgressReport.objects.get(cpo=idn_cpo)

    # When the region returns Indonesia's report with a comment
    login(page, live_server, "anan", factories.PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Validation queue").click()
    item = page.locator(f"#queue-{report.pk}")
    item.locator("summary").click()
    item.locator("textarea").fill("Give the number of women and men reached.")
    item.get_by_role("button", name="Return with this comment").click()
    assert page.get_by_text("1 report was returned for revision.").is_visible()
    page.get_by_role("button", name="Log out").click()

    # Then the office sees it on its home page and in the bell
    login(page, live_server, "dewi", factories.PASSWORD)
    assert page.locator("#bell .count").inner_text() == "1"
    work = page.locator("#office-work")
    assert work.get_by_text("1 report returned for revision").is_visible()
    _shot(page, "office-home")
    page.locator("#bell").click()
    assert page.get_by_text("the region returned the progress report for revision").is_visible()
    _shot(page, "notifications")
    page.goto(f"{live_server.url}/")
    # ... and fixes it from there
    work.get_by_role("link", name="IDN126 2013, second half").click()
    page.fill("#id_women_reached", "45")
    page.fill("#id_men_reached", "38")
    page.get_by_role("button", name="Save and submit").click()
    assert page.get_by_text("The progress report was submitted for validation.").is_visible()
    page.get_by_role("button", name="Log out").click()

    # And the region validates it from the queue filtered on Indonesia
    login(page, live_server, "anan", factories.PASSWORD)
    # two submissions at the start and this one again
    assert page.locator("#bell .count").inner_text() == "3"
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Validation queue").click()
    assert page.locator(".queue-item").count() == 2
    page.select_option("#id_country", label="Indonesia")
    page.get_by_role("button", name="Filter").click()
    assert page.locator(".queue-item").count() == 1
    _shot(page, "queue-filtered")
    page.get_by_role("button", name="Validate them").click()
    assert page.get_by_text("1 report was validated.").is_visible()
    report.refresh_from_db()
    assert report.review_state == ReviewState.VALIDATED
    assert ProgressReport.objects.get(cpo=phl_cpo).review_state == ReviewState.SUBMITTED

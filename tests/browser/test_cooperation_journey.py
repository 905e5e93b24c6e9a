"""A project from its proposal to its funding, in a real browser: the CPO's gap closes."""

from __future__ import annotations

import pytest

from cooperation.models import Donor, DonorKind, Project, ProjectStatus
from rbm.models import Role
from tests import factories
from tests.browser.conftest import ARTIFACTS, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"cooperation-{name}.png"), full_page=True)


def test_a_proposal_is_appraised_funded_and_closes_the_cpos_gap(
    browser, page, live_server, reference
):
    # Given a CPO in Indonesia needing RB 50,000 (secured) and XBTC 150,000 (not yet)
    office = factories.OfficeFactory(
        name="ILO Country Office for Indonesia", countries=[factories.country("IDN")]
    )
    cpo = factories.CpoFactory(programme=factories.DwcpFactory(office=office, published=True))
    factories.CpoResourceFactory(
        cpo=cpo, funding_source=factories.funding_source("RB"), planned=50000
    )
    factories.CpoResourceFactory(
        cpo=cpo, funding_source=factories.funding_source("XBTC"), planned=150000
    )
    Donor.objects.create(
        code="NOR", name="Norway", kind=DonorKind.GOVERNMENT, iati_org_id="XM-DAC-8"
    )
    factories.UserFactory(username="dewi", role=Role.FIELD_OFFICE_STAFF, office=office)
    factories.UserFactory(
        username="anan", role=Role.REGIONAL_PROGRAMME_OFFICER, region=reference["asia-pacific"]
    )
    url = live_server.url

    # When the field officer creates a proposal serving the CPO with its whole budget
    login(page, live_server, "dewi", factories.PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Projects").click()
    page.get_by_role("link", name="New project").click()
    page.fill("#id_code", "idn/12/01/nor")
    page.fill("#id_title", "Decent jobs for young women and men")
    page.select_option("#id_countries", label="Indonesia")
    page.fill("#id_start_date", "2012-01-01")
    page.fill("#id_end_date", "2013-12-31")
    page.fill("#id_years-0-year", "2012")
    page.fill("#id_years-0-budget", "60000")
    page.fill("#id_years-1-year", "2013")
    page.fill("#id_years-1-budget", "90000")
    page.select_option("#id_donors-0-donor", label="Norway")
    page.fill("#id_donors-0-amount", "150000")
    page.fill("#id_links-0-cpo_code", cpo.code)
    page.select_option("#id_links-0-biennium", label="2012-13")
    page.fill("#id_links-0-share", "100")
    _shot(page, "project-form")
    page.get_by_role("button", name="Create as a proposal").click()
    assert page.get_by_text("The project IDN/12/01/NOR was created.").is_visible()

    # Then it cannot go to the donor before its appraisal: no such step is offered
    assert page.get_by_text("Not appraised yet").is_visible()
    assert page.get_by_role("button", name="Mark as submitted to donor").count() == 0
    project = Project.objects.get()

    # When the regional programme officer appraises it as relevant
    page.get_by_role("button", name="Log out").click()
    login(page, live_server, "anan", factories.PASSWORD)
    page.goto(f"{url}/projects/{project.pk}/")
    page.get_by_role("link", name="Appraise").click()
    page.check("#id_constituents_consulted")
    page.check("#id_gender_dimension")
    page.get_by_label("Relevant to the DWCP: may go to the donor").check()
    page.fill("#id_notes", "Serves the youth employment outcome of the DWCP.")
    page.get_by_role("button", name="Record the appraisal").click()
    assert page.get_by_text("The appraisal was recorded.").is_visible()

    # And the office submits it and records the donor's approval
    page.get_by_role("button", name="Log out").click()
    login(page, live_server, "dewi", factories.PASSWORD)
    page.goto(f"{url}/dwcp/cpos/{cpo.pk}/")
    assert page.locator("#funding [data-gap]").inner_text() == "150,000"
    page.goto(f"{url}/projects/{project.pk}/")
    page.get_by_role("button", name="Mark as submitted to donor").click()
    page.get_by_role("button", name="Mark as approved and funded").click()
    assert page.get_by_text("The project is now approved and funded.").is_visible()
    _shot(page, "project-page")

    # Then the CPO's gap is closed
    page.goto(f"{url}/dwcp/cpos/{cpo.pk}/")
    assert page.locator("#funding [data-gap]").inner_text() == "0"
    _shot(page, "cpo-funding")
    project.refresh_from_db()
    assert project.status == ProjectStatus.FUNDED

"""The results framework maintained in the product, in a real browser: open 2014-15 from
2012-13, write an outcome's French title and an indicator's regional targets, adopt it, and
find the outcome offered on a 2014-15 CPO form."""

from __future__ import annotations

import pytest
from django.utils import translation

from rbm.models import Biennium, Role
from rbm.services import system_user
from strategic_plans.lifecycle import programme_adopt, programme_propose
from strategic_plans.models import ProgrammeAndBudget, ProgrammeStatus, Target
from tests import factories
from tests.browser.conftest import ARTIFACTS, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"framework-{name}.png"), full_page=True)


def test_a_programme_officer_opens_edits_and_adopts_the_next_biennium(
    browser, page, live_server, reference
):
    # Given 2012-13 adopted, with outcome 16 and its indicator 16.1
    plan, (outcome16, _outcome18) = factories.framework_2012_13()
    programme = ProgrammeAndBudget.objects.get(plan=plan)
    programme = programme_propose(user=system_user(), programme=programme, version=1)
    programme_adopt(user=system_user(), programme=programme, version=programme.version)
    indicator = outcome16.indicators.get()
    factories.UserFactory(username="paula", first_name="Paula", role=Role.PROGRAMME_OFFICER)
    dwcp = factories.DwcpFactory(country=factories.country("IDN"))
    factories.PriorityFactory(programme=dwcp)
    factories.UserFactory(
        username="dewi", first_name="Dewi", role=Role.FIELD_OFFICE_STAFF, office=dwcp.office
    )
    url = live_server.url

    # When the programme officer opens 2014-15 from the 2012-13 programme's page
    login(page, live_server, "paula", factories.PASSWORD)
    page.goto(f"{url}/programmes/2012-13/")
    page.get_by_role("button", name="Open the next biennium").click()
    page.wait_for_url(f"{url}/programmes/2014-15/")
    assert page.locator("#programme-status").inner_text() == "draft"

    # ... writes outcome 16's French title
    page.goto(f"{url}/outcomes/{outcome16.pk}/")
    page.locator("#edit-outcome-texts").click()
    page.fill("#id_title_fr", "Travail des enfants")
    _shot(page, "texts-form")
    page.get_by_role("button", name="Save the texts").click()
    page.wait_for_url(f"{url}/outcomes/{outcome16.pk}/")

    # ... sets indicator 16.1's 2014-15 targets by region, first forgetting why they differ
    page.locator(f"a[data-target='{indicator.code}/2014-15']").click()
    page.fill("#id_total", "7")
    page.fill("#id_region_africa", "3")
    page.fill("#id_region_asia-pacific", "3")
    page.get_by_role("button", name="Save the target").click()
    summary = page.locator("#form-errors")
    assert summary.is_visible()
    assert "add up to 6 but the total is 7" in summary.inner_text()
    _shot(page, "target-form-errors")
    page.fill("#id_note", "One more country expected to ratify Convention No. 182.")
    page.get_by_role("button", name="Save the target").click()
    page.wait_for_url(f"{url}/outcomes/{outcome16.pk}/")

    # ... and proposes, then adopts, the 2014-15 programme and budget
    page.goto(f"{url}/programmes/2014-15/")
    page.get_by_role("button", name="Propose").click()
    page.get_by_role("button", name="Adopt").click()
    assert page.locator("#programme-status").inner_text() == "adopted"
    _shot(page, "programme-adopted")

    # Then the framework is stored as adopted, in French too
    adopted = ProgrammeAndBudget.objects.get(biennium__start_year=2014)
    assert adopted.status == ProgrammeStatus.ADOPTED
    outcome16.refresh_from_db()
    with translation.override("fr"):
        assert outcome16.title == "Travail des enfants"
    target = Target.objects.get(indicator=indicator, biennium=adopted.biennium)
    assert (target.total, sorted(target.by_region.values_list("value", flat=True))) == (
        7,
        [3, 3],
    )

    # And a field officer's 2014-15 CPO form offers outcome 16
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    field = context.new_page()
    login(field, live_server, "dewi", factories.PASSWORD)
    field.goto(f"{url}/dwcp/{dwcp.pk}/cpos/new/")
    biennium = Biennium.objects.get(start_year=2014)
    field.select_option("#id_biennium", value=str(biennium.pk))
    option = field.locator(f"#id_outcome option[value='{outcome16.pk}']")
    assert option.is_enabled()
    field.select_option("#id_outcome", value=str(outcome16.pk))
    assert field.locator("#id_outcome").input_value() == str(outcome16.pk)
    context.close()

"""The forms of the country programme pages save through the services and refuse bad input
with the service's message (400), a stale version with 409, and never lose what was saved."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dwcp.models import (
    CountryProgrammeOutcome,
    CountryProgrammePriority,
    DecentWorkCountryProgramme,
    TripartiteParty,
)
from dwcp.services import cpo_update, priority_update, programme_update
from rbm.models import Role
from tests import factories

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% a small signed programme\n"


@pytest.fixture
def office(reference):
    factories.framework_2012_13()
    return factories.OfficeFactory(name="ILO Jakarta", countries=[factories.country("IDN")])


@pytest.fixture
def field_user(user_for, office):
    return user_for(Role.FIELD_OFFICE_STAFF, office=office)


@pytest.fixture
def programme(office):
    return factories.DwcpFactory(office=office, title="DWCP Indonesia")


@pytest.fixture
def field_client(client, field_user):
    client.force_login(field_user)
    return client


def _management(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def programme_data(office, **overrides):
    data = {
        "country": factories.country("IDN").pk,
        "office": office.pk,
        "title": "Decent Work Country Programme for Indonesia, 2016-2020",
        "start_year": "2016",
        "end_year": "2020",
        "undaf_title": "UNPDF 2016-2020",
        "undaf_url": "https://example.org/unpdf",
        "national_plan_title": "RPJMN 2015-2019",
        "national_plan_url": "",
        **_management("party", 3),
        "party-0-kind": "government",
        "party-0-name": "Ministry of Manpower",
        "party-0-agreed_on": "2016-03-01",
        "party-1-kind": "employers",
        "party-1-name": "APINDO",
        "party-1-agreed_on": "2016-03-01",
        "party-2-kind": "workers",
        "party-2-name": "",
        "party-2-agreed_on": "",
    }
    data.update(overrides)
    return data


# Programmes -----------------------------------------------------------------------------------


def test_field_staff_create_a_programme_with_its_parties_and_signed_document(field_client, office):
    data = programme_data(office)
    data["signed_document"] = SimpleUploadedFile("signed.pdf", PDF, "application/pdf")
    response = field_client.post(reverse("dwcp:programme-create"), data)
    assert response.status_code == 302
    programme = DecentWorkCountryProgramme.objects.get(title=data["title"])
    assert response["Location"] == reverse("dwcp:programme-detail", args=[programme.pk])
    assert programme.signed_document.name.endswith(".pdf")
    assert set(programme.parties.values_list("kind", "name")) == {
        ("government", "Ministry of Manpower"),
        ("employers", "APINDO"),
    }
    page = field_client.get(response["Location"]).content.decode()
    assert "The programme was created." in page
    assert "APINDO" in page


def test_a_country_the_office_does_not_cover_is_not_offered(field_client, office):
    data = programme_data(office, country=factories.country("KEN").pk)
    response = field_client.post(reverse("dwcp:programme-create"), data)
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not DecentWorkCountryProgramme.objects.exists()


def test_an_office_that_does_not_cover_the_country_is_refused_with_the_services_message(
    client, user_for, office
):
    elsewhere = factories.OfficeFactory(name="ILO Nairobi", countries=[factories.country("KEN")])
    client.force_login(user_for(Role.ADMINISTRATOR))
    data = programme_data(office)
    data["office"] = elsewhere.pk
    response = client.post(reverse("dwcp:programme-create"), data)
    assert response.status_code == 400
    assert "ILO Nairobi does not cover Indonesia." in response.content.decode()
    assert not DecentWorkCountryProgramme.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("signed.pdf", b"x" * (10 * 1024 * 1024 + 1), "The file is 10.1 MB; the limit is 10 MB."),
        ("signed.exe", PDF, "File extension “exe” is not allowed."),
    ],
)
def test_a_too_large_or_wrong_type_signed_document_is_refused_with_a_message(
    field_client, office, name, content, message
):
    data = programme_data(office)
    data["signed_document"] = SimpleUploadedFile(name, content)
    response = field_client.post(reverse("dwcp:programme-create"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not DecentWorkCountryProgramme.objects.exists()
    assert not TripartiteParty.objects.exists()


def test_a_bad_period_is_shown_on_the_form(field_client, office):
    response = field_client.post(
        reverse("dwcp:programme-create"), programme_data(office, start_year="2016", end_year="2030")
    )
    assert response.status_code == 400
    assert "within eight years" in response.content.decode()


def test_editing_a_programme_keeps_the_document_and_replaces_the_parties(
    field_client, programme, office
):
    programme.signed_document = SimpleUploadedFile("first.pdf", PDF)
    programme.save()
    factories_party = TripartiteParty.objects.create(
        programme=programme, kind="workers", name="KSPI"
    )
    data = programme_data(
        office,
        title="DWCP Indonesia, revised",
        start_year="2012",
        end_year="2015",
        version=programme.version,
    )
    data.pop("country")
    response = field_client.post(reverse("dwcp:programme-edit", args=[programme.pk]), data)
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.title == "DWCP Indonesia, revised"
    assert programme.version == 2
    assert "first" in programme.signed_document.name
    assert not TripartiteParty.objects.filter(pk=factories_party.pk).exists()
    assert programme.parties.count() == 2


def test_a_stale_programme_edit_is_refused_with_409_and_nothing_is_overwritten(
    field_client, field_user, programme, office
):
    # Given the editor opened the form at version 1
    form = field_client.get(reverse("dwcp:programme-edit", args=[programme.pk]))
    assert form.context["form"]["version"].value() == 1
    # When someone else saves meanwhile
    programme_update(user=field_user, programme=programme, version=1, title="Saved by a colleague")
    data = programme_data(office, title="My late change", start_year="2012", end_year="2015")
    data.pop("country")
    data["version"] = "1"
    response = field_client.post(reverse("dwcp:programme-edit", args=[programme.pk]), data)
    # Then the page says to reload and the colleague's title stays
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved this record since you opened it" in page
    assert "Reload the current version" in page
    programme.refresh_from_db()
    assert programme.title == "Saved by a colleague"
    assert not programme.parties.exists()


def test_publishing_without_a_priority_shows_the_services_message(field_client, programme):
    response = field_client.post(
        reverse("dwcp:programme-publish", args=[programme.pk]),
        {"published": "1", "version": programme.version},
    )
    assert response.status_code == 400
    assert "Agree at least one priority before publishing" in response.content.decode()
    programme.refresh_from_db()
    assert not programme.published


def test_a_phase_change_from_a_stale_page_is_a_409(field_client, field_user, programme):
    response = field_client.post(
        reverse("dwcp:programme-phase", args=[programme.pk]),
        {"phase": "priorities_agreed", "version": "1"},
    )
    assert response.status_code == 302
    response = field_client.post(
        reverse("dwcp:programme-phase", args=[programme.pk]),
        {"phase": "outcomes_defined", "version": "1"},
    )
    assert response.status_code == 409
    assert "Reload it" in response.content.decode()
    programme.refresh_from_db()
    assert programme.phase == "priorities_agreed"


def test_an_impossible_phase_move_is_a_400(field_client, programme):
    response = field_client.post(
        reverse("dwcp:programme-phase", args=[programme.pk]),
        {"phase": "evaluated", "version": programme.version},
    )
    assert response.status_code == 400
    assert "cannot move to" in response.content.decode()


# Priorities -----------------------------------------------------------------------------------


def test_priorities_are_added_up_to_three_and_a_fourth_is_refused(field_client, programme):
    url = reverse("dwcp:priority-create", args=[programme.pk])
    for n in range(3):
        response = field_client.post(url, {"title": f"Priority {n + 1}", "description": ""})
        assert response.status_code == 302
    page = field_client.get(reverse("dwcp:programme-detail", args=[programme.pk]))
    assert "Add a priority" not in page.content.decode()
    assert field_client.get(url).context["full"] is True
    # A forged fourth attempt gets the service's message
    response = field_client.post(url, {"title": "One too many", "description": ""})
    assert response.status_code == 400
    assert "at most three country programme priorities" in response.content.decode()
    assert programme.priorities.count() == 3


def test_a_priority_without_a_title_is_refused(field_client, programme):
    response = field_client.post(
        reverse("dwcp:priority-create", args=[programme.pk]), {"title": " ", "description": ""}
    )
    assert response.status_code == 400
    assert not programme.priorities.exists()


def test_a_stale_priority_edit_is_a_409(field_client, field_user, programme):
    priority = factories.PriorityFactory(programme=programme, title="First title")
    priority_update(user=field_user, priority=priority, version=1, title="Colleague's title")
    response = field_client.post(
        reverse("dwcp:priority-edit", args=[priority.pk]),
        {"title": "My title", "description": "", "version": "1"},
    )
    assert response.status_code == 409
    priority.refresh_from_db()
    assert priority.title == "Colleague's title"
    response = field_client.post(
        reverse("dwcp:priority-edit", args=[priority.pk]),
        {"title": "My title", "description": "", "version": str(priority.version)},
    )
    assert response.status_code == 302
    assert CountryProgrammePriority.objects.get(pk=priority.pk).title == "My title"


# Country programme outcomes --------------------------------------------------------------------


def cpo_data(programme, **overrides):
    _plan, (outcome16, _outcome18) = factories.framework_2012_13()
    priority = programme.priorities.first() or factories.PriorityFactory(programme=programme)
    rb = factories.funding_source("RB")
    xbtc = factories.funding_source("XBTC")
    data = {
        "code": "idn126",
        "priority": priority.pk,
        "biennium": factories.biennium("2012-13").pk,
        "outcome": outcome16.pk,
        "indicator": outcome16.indicators.get().pk,
        "title": "National action plan on child labour implemented",
        "description": "",
        "gender_statement": "Girls and boys are counted separately; mothers are consulted.",
        "prioritized": "on",
        "result_status": "planned",
        **_management("milestone", 2),
        "milestone-0-due_on": "2012-06-30",
        "milestone-0-text": "Tripartite consultation held",
        "milestone-0-reached": "on",
        "milestone-1-due_on": "",
        "milestone-1-text": "",
        f"planned_{rb.pk}": "50000",
        f"spent_{rb.pk}": "12000.50",
        f"planned_{xbtc.pk}": "",
        f"spent_{xbtc.pk}": "",
    }
    data.update(overrides)
    return data


def test_a_cpo_is_created_with_its_milestones_and_resources_in_one_submit(field_client, programme):
    response = field_client.post(
        reverse("dwcp:cpo-create", args=[programme.pk]), cpo_data(programme)
    )
    assert response.status_code == 302
    cpo = CountryProgrammeOutcome.objects.get(code="IDN126")
    assert response["Location"] == reverse("dwcp:cpo-detail", args=[cpo.pk])
    assert cpo.prioritized
    assert not cpo.targeted
    assert list(cpo.milestones.values_list("text", "reached")) == [
        ("Tripartite consultation held", True)
    ]
    assert list(cpo.resources.values_list("funding_source__code", "planned", "spent")) == [
        ("RB", Decimal("50000.00"), Decimal("12000.50"))
    ]
    page = field_client.get(response["Location"]).content.decode()
    assert "Tripartite consultation held" in page
    assert "50,000" in page


@pytest.mark.parametrize("statement", ["", "   "])
def test_the_statement_on_women_and_men_is_required(field_client, programme, statement):
    response = field_client.post(
        reverse("dwcp:cpo-create", args=[programme.pk]),
        cpo_data(programme, gender_statement=statement),
    )
    assert response.status_code == 400
    assert "Say how the outcome will affect women and men." in response.content.decode()
    assert not CountryProgrammeOutcome.objects.exists()


def test_an_indicator_of_another_outcome_is_refused(field_client, programme):
    _plan, (_outcome16, outcome18) = factories.framework_2012_13()
    response = field_client.post(
        reverse("dwcp:cpo-create", args=[programme.pk]),
        cpo_data(programme, indicator=outcome18.indicators.get().pk),
    )
    assert response.status_code == 400
    assert "Choose an indicator of outcome 16." in response.content.decode()
    assert not CountryProgrammeOutcome.objects.exists()


def test_an_outcome_of_another_framework_is_refused(field_client, office):
    # Given a programme spanning two frameworks: 2012-13 (SPF 2010-15) and 2016-17 (SP 2016-17)
    programme = factories.DwcpFactory(office=office, start_year=2012, end_year=2017)
    other_plan = factories.StrategicPlanFactory(
        short_name="SP 2016-17", start_year=2016, end_year=2017
    )
    factories.ProgrammeFactory(plan=other_plan, biennium=factories.biennium("2016-17"))
    factories.OutcomeFactory(objective__plan=other_plan, code="1", title="More and better jobs")
    # When outcome 16 of SPF 2010-15 is chosen for 2016-17
    response = field_client.post(
        reverse("dwcp:cpo-create", args=[programme.pk]),
        cpo_data(programme, biennium=factories.biennium("2016-17").pk),
    )
    # Then the framework of 2016-17 is named
    assert response.status_code == 400
    assert "not to the framework of 2016-17" in response.content.decode()
    assert not CountryProgrammeOutcome.objects.exists()


def test_an_outcome_outside_the_offered_frameworks_is_not_a_choice(field_client, programme):
    stranger = factories.OutcomeFactory(code="7", title="Outcome of a plan with no P&B here")
    response = field_client.post(
        reverse("dwcp:cpo-create", args=[programme.pk]),
        cpo_data(programme, outcome=stranger.pk, indicator=""),
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_the_form_offers_each_outcome_for_the_bienniums_of_its_framework(field_client, programme):
    factories.PriorityFactory(programme=programme)
    response = field_client.get(reverse("dwcp:cpo-create", args=[programme.pk]))
    page = response.content.decode()
    biennium = factories.biennium("2012-13")
    assert f'data-bienniums="{biennium.pk}"' in page
    _plan, (outcome16, _outcome18) = factories.framework_2012_13()
    assert f'data-outcome="{outcome16.pk}"' in page


def test_a_code_of_another_country_is_refused(field_client, programme):
    response = field_client.post(
        reverse("dwcp:cpo-create", args=[programme.pk]), cpo_data(programme, code="KEN126")
    )
    assert response.status_code == 400
    assert "starts with IDN" in response.content.decode()


def test_spent_without_planned_is_refused(field_client, programme):
    rb = factories.funding_source("RB")
    response = field_client.post(
        reverse("dwcp:cpo-create", args=[programme.pk]),
        cpo_data(programme, **{f"planned_{rb.pk}": ""}),
    )
    assert response.status_code == 400
    assert "Give the planned amount for RB too." in response.content.decode()


def test_a_programme_without_priorities_asks_for_one_first(field_client, programme):
    response = field_client.get(reverse("dwcp:cpo-create", args=[programme.pk]))
    assert response.status_code == 200
    assert "Agree at least one priority before defining outcomes" in response.content.decode()


def test_editing_a_cpo_replaces_milestones_and_resources(field_client, programme):
    cpo = factories.CpoFactory(programme=programme, code="126")
    factories.MilestoneFactory(cpo=cpo, text="Old milestone")
    factories.CpoResourceFactory(cpo=cpo)
    form = field_client.get(reverse("dwcp:cpo-edit", args=[cpo.pk]))
    assert form.context["milestones"].initial_form_count() == 1
    xbtc = factories.funding_source("XBTC")
    data = cpo_data(
        programme,
        version=cpo.version,
        **_management("milestone", 2, initial=1),
        **{
            "milestone-0-due_on": "2012-01-31",
            "milestone-0-text": "Old milestone",
            "milestone-0-DELETE": "on",
            "milestone-1-due_on": "2013-03-31",
            "milestone-1-text": "New milestone",
            f"planned_{factories.funding_source('RB').pk}": "",
            f"spent_{factories.funding_source('RB').pk}": "",
            f"planned_{xbtc.pk}": "900000",
            f"spent_{xbtc.pk}": "",
        },
    )
    response = field_client.post(reverse("dwcp:cpo-edit", args=[cpo.pk]), data)
    assert response.status_code == 302
    cpo.refresh_from_db()
    assert list(cpo.milestones.values_list("text", flat=True)) == ["New milestone"]
    assert list(cpo.resources.values_list("funding_source__code", "planned", "spent")) == [
        ("XBTC", Decimal("900000.00"), Decimal("0.00"))
    ]
    assert cpo.version == 2


def test_a_stale_cpo_edit_is_a_409_and_the_colleagues_change_stays(
    field_client, field_user, programme
):
    cpo = factories.CpoFactory(programme=programme, code="126", title="Original")
    # Given the editor read version 1 and a colleague saved since
    cpo_update(user=field_user, cpo=cpo, version=1, title="Colleague's title")
    # When the editor saves their change based on version 1
    response = field_client.post(
        reverse("dwcp:cpo-edit", args=[cpo.pk]),
        cpo_data(programme, title="My title", version="1"),
    )
    # Then it is refused with a message, their input is kept on the form, nothing is overwritten
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved this record since you opened it" in page
    assert 'value="My title"' in page
    cpo.refresh_from_db()
    assert cpo.title == "Colleague's title"
    assert not cpo.milestones.exists()


@pytest.mark.django_db(transaction=True)
def test_two_cpos_with_the_same_new_code_at_once_on_the_page_are_a_409(
    field_client, programme
) -> None:
    from tests.api.test_races import while_another_inserts

    data = cpo_data(programme, code="IDN127")
    template = factories.CpoFactory(programme=programme, code="IDN120")

    def insert() -> None:
        other = CountryProgrammeOutcome.objects.get(pk=template.pk)
        other.pk, other.code = None, "IDN127"
        other.save()

    response = while_another_inserts(
        insert, lambda: field_client.post(reverse("dwcp:cpo-create", args=[programme.pk]), data)
    )
    # The form comes back with a 409 saying the code is taken (never a 500); one CPO has it
    assert response.status_code == 409
    assert "Another outcome has this code in this biennium." in response.content.decode()
    assert CountryProgrammeOutcome.objects.filter(code="IDN127").count() == 1

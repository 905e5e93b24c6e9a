"""The country programme pages answer each role as the permission table says.

Roles: the public, field staff of the office covering the programme's country and of another
office, the regional programme officer of the country's region and of another region, the
three headquarters roles and an administrator.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from dwcp.models import ReviewState
from rbm.models import Role
from tests import factories

pytestmark = pytest.mark.django_db

ROLES = [
    "public",
    "field",
    "field_other",
    "regional",
    "regional_other",
    "coordinator",
    "programme_officer",
    "gb",
    "admin",
]
HQ = {"coordinator": 200, "programme_officer": 200, "gb": 200}

# An unpublished programme: only those who may read it see it; the others get a 404.
READ_DRAFT = {
    "public": 404,
    "field": 200,
    "field_other": 404,
    "regional": 200,
    "regional_other": 404,
    **HQ,
    "admin": 200,
}
# Forms of an unpublished programme: readers who may not edit get a 403.
EDIT_DRAFT = {
    "public": 404,
    "field": 200,
    "field_other": 404,
    "regional": 403,
    "regional_other": 404,
    "coordinator": 403,
    "programme_officer": 403,
    "gb": 403,
    "admin": 200,
}
# Forms of a published programme: everyone reads it, so refusals are 403 (login for the public).
EDIT_PUBLISHED = {
    "public": 302,
    "field": 200,
    "field_other": 403,
    "regional": 403,
    "regional_other": 403,
    "coordinator": 403,
    "programme_officer": 403,
    "gb": 403,
    "admin": 200,
}


@pytest.fixture
def world(reference, user_for):
    """A programme for Indonesia (Asia) with a priority, a CPO and a draft report, and one
    user of each kind."""
    factories.framework_2012_13()
    office = factories.OfficeFactory(name="ILO Jakarta", countries=[factories.country("IDN")])
    other_office = factories.OfficeFactory(
        name="ILO Dar es Salaam",
        region=reference["africa"],
        countries=[factories.country("TZA")],
    )
    programme = factories.DwcpFactory(office=office, title="DWCP Indonesia 2012-2015")
    priority = factories.PriorityFactory(programme=programme, title="Youth employment")
    cpo = factories.CpoFactory(programme=programme, priority=priority, code="126")
    report = factories.ProgressReportFactory(cpo=cpo)
    users = {
        "public": None,
        "field": user_for(Role.FIELD_OFFICE_STAFF, office=office),
        "field_other": user_for(Role.FIELD_OFFICE_STAFF, office=other_office),
        "regional": user_for(Role.REGIONAL_PROGRAMME_OFFICER, region=reference["asia-pacific"]),
        "regional_other": user_for(Role.REGIONAL_PROGRAMME_OFFICER, region=reference["africa"]),
        "coordinator": user_for(Role.OUTCOME_COORDINATOR),
        "programme_officer": user_for(Role.PROGRAMME_OFFICER),
        "gb": user_for(Role.GB_SECRETARIAT),
        "admin": user_for(Role.ADMINISTRATOR),
    }
    return {
        "programme": programme,
        "priority": priority,
        "cpo": cpo,
        "report": report,
        "users": users,
        "office": office,
        "other_office": other_office,
    }


def _as(client, world, role):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    return user


def _url(world, name):
    target = {
        "programme-detail": "programme",
        "programme-edit": "programme",
        "priority-create": "programme",
        "cpo-create": "programme",
        "priority-edit": "priority",
        "cpo-detail": "cpo",
        "cpo-edit": "cpo",
        "progress-create": "cpo",
        "progress-edit": "report",
    }[name]
    return reverse(f"dwcp:{name}", args=[world[target].pk])


# Every page, every role ---------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["programme-detail", "cpo-detail"])
def test_an_unpublished_programme_is_read_only_by_its_office_region_hq_and_admin(
    client, world, role, name
):
    _as(client, world, role)
    assert client.get(_url(world, name)).status_code == READ_DRAFT[role]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["programme-detail", "cpo-detail"])
def test_a_published_programme_is_read_by_everyone(client, world, role, name):
    world["programme"].published = True
    world["programme"].save()
    _as(client, world, role)
    assert client.get(_url(world, name)).status_code == 200


EDIT_PAGES = [
    "programme-edit",
    "priority-create",
    "priority-edit",
    "cpo-create",
    "cpo-edit",
    "progress-create",
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", EDIT_PAGES)
def test_only_the_covering_office_and_administrators_open_the_forms(client, world, role, name):
    _as(client, world, role)
    assert client.get(_url(world, name)).status_code == EDIT_DRAFT[role]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", EDIT_PAGES)
def test_forms_of_a_published_programme_refuse_with_403_or_the_login(client, world, role, name):
    world["programme"].published = True
    world["programme"].save()
    _as(client, world, role)
    response = client.get(_url(world, name))
    assert response.status_code == EDIT_PUBLISHED[role]
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("public", 404),
        ("field", 200),
        ("field_other", 404),
        # A draft is the office's own: the region and headquarters do not read it yet.
        ("regional", 404),
        ("regional_other", 404),
        ("coordinator", 404),
        ("programme_officer", 404),
        ("gb", 404),
        ("admin", 200),
    ],
)
def test_a_draft_report_is_edited_by_its_office(client, world, role, status):
    _as(client, world, role)
    assert client.get(_url(world, "progress-edit")).status_code == status


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("public", 302),
        ("field", 200),
        ("field_other", 200),
        ("regional", 403),
        ("regional_other", 403),
        ("coordinator", 403),
        ("programme_officer", 403),
        ("gb", 403),
        ("admin", 200),
    ],
)
def test_new_programme_form_is_for_field_staff_and_administrators(client, world, role, status):
    _as(client, world, role)
    assert client.get(reverse("dwcp:programme-create")).status_code == status


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("public", 302),
        ("field", 403),
        ("field_other", 403),
        ("regional", 200),
        ("regional_other", 200),
        ("coordinator", 403),
        ("programme_officer", 403),
        ("gb", 403),
        ("admin", 200),
    ],
)
def test_validation_queue_is_for_regional_officers_and_administrators(client, world, role, status):
    _as(client, world, role)
    assert client.get(reverse("dwcp:validation-queue")).status_code == status


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["dwcp:programme-list", "dwcp:cpo-list"])
def test_the_lists_open_for_everyone(client, world, role, name):
    _as(client, world, role)
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("public", False),
        ("field", True),
        ("field_other", False),
        ("regional", True),
        ("regional_other", False),
        ("coordinator", True),
        ("admin", True),
    ],
)
def test_the_lists_show_unpublished_programmes_only_to_those_who_may_read_them(
    client, world, role, sees
):
    _as(client, world, role)
    programmes = client.get(reverse("dwcp:programme-list"), {"scope": "all"}).content.decode()
    cpos = client.get(reverse("dwcp:cpo-list"), {"office": ""}).content.decode()
    assert ("DWCP Indonesia 2012-2015" in programmes) is sees
    assert ("IDN126" in cpos) is sees


@pytest.mark.parametrize(
    ("role", "phase", "publish"),
    [
        ("public", 302, 302),
        ("field", 302, 302),
        ("field_other", 403, 403),
        ("regional", 403, 302),
        ("regional_other", 403, 403),
        ("coordinator", 403, 403),
        ("admin", 302, 302),
    ],
)
def test_phase_and_publication_buttons_follow_the_table(client, world, role, phase, publish):
    programme = world["programme"]
    programme.published = True
    programme.save()
    user = _as(client, world, role)
    moved = client.post(
        reverse("dwcp:programme-phase", args=[programme.pk]),
        {"phase": "priorities_agreed", "version": programme.version},
    )
    assert moved.status_code == phase
    programme.refresh_from_db()
    unpublished = client.post(
        reverse("dwcp:programme-publish", args=[programme.pk]),
        {"published": "0", "version": programme.version},
    )
    assert unpublished.status_code == publish
    programme.refresh_from_db()
    if user is None:
        assert moved["Location"].startswith(reverse("login"))
        assert programme.phase == "country_context"
        assert programme.published
    else:
        assert (programme.phase == "priorities_agreed") is (phase == 302)
        assert programme.published is (publish != 302)


def test_the_programme_page_offers_only_the_buttons_the_user_may_press(client, world):
    url = _url(world, "programme-detail")
    _as(client, world, "field")
    page = client.get(url).content.decode()
    assert "Move on to “Priorities agreed”" in page
    assert reverse("dwcp:programme-edit", args=[world["programme"].pk]) in page
    assert "Publish" in page
    _as(client, world, "regional")
    page = client.get(url).content.decode()
    assert "Move on to" not in page
    assert reverse("dwcp:programme-edit", args=[world["programme"].pk]) not in page
    assert ">Publish</button>" in page
    _as(client, world, "programme_officer")
    page = client.get(url).content.decode()
    assert "Move on to" not in page
    assert ">Publish</button>" not in page


def test_history_is_for_signed_in_users_only(client, world):
    programme = world["programme"]
    programme.published = True
    programme.save()
    for name in ("programme-detail", "cpo-detail"):
        assert 'id="history"' not in client.get(_url(world, name)).content.decode()
    _as(client, world, "gb")
    for name in ("programme-detail", "cpo-detail"):
        page = client.get(_url(world, name)).content.decode()
        assert 'id="history"' in page
        assert "IDN126" in page


def test_the_public_never_sees_draft_or_unvalidated_reports(client, world):
    programme = world["programme"]
    programme.published = True
    programme.save()
    cpo = world["cpo"]
    world["report"].narrative = "Draft narrative, not for the public."
    world["report"].save()
    factories.ProgressReportFactory(
        cpo=cpo,
        period=factories.period("2012-H2"),
        narrative="Submitted narrative awaiting the region.",
        review_state=ReviewState.SUBMITTED,
    )
    factories.ProgressReportFactory(
        cpo=cpo,
        period=factories.period("2013-H1"),
        narrative="Validated narrative for everyone.",
        review_state=ReviewState.VALIDATED,
        validated_by=world["users"]["regional"],
        validated_at="2013-07-01T00:00:00Z",
    )
    page = client.get(_url(world, "cpo-detail")).content.decode()
    assert "Validated narrative for everyone." in page
    assert "Draft narrative" not in page
    assert "Submitted narrative" not in page
    programme_page = client.get(_url(world, "programme-detail")).content.decode()
    assert "2013-H1" in programme_page
    assert "2012-H1" not in programme_page
    assert "2012-H2" not in programme_page
    # The office sees all three
    _as(client, world, "field")
    page = client.get(_url(world, "cpo-detail")).content.decode()
    assert "Draft narrative" in page
    assert "Submitted narrative" in page


# Lists ----------------------------------------------------------------------------------------


def test_field_staff_see_their_office_programmes_first_and_can_switch_to_all(client, world):
    published_elsewhere = factories.DwcpFactory(
        country=factories.country("TZA"),
        office=world["other_office"],
        title="DWCP Tanzania",
        published=True,
    )
    _as(client, world, "field")
    mine = client.get(reverse("dwcp:programme-list")).content.decode()
    assert "DWCP Indonesia 2012-2015" in mine
    assert published_elsewhere.title not in mine
    everything = client.get(reverse("dwcp:programme-list"), {"scope": "all"}).content.decode()
    assert "DWCP Indonesia 2012-2015" in everything
    assert published_elsewhere.title in everything


def test_the_programme_list_filters_by_country_region_phase_and_publication(client, world):
    factories.DwcpFactory(
        country=factories.country("TZA"),
        office=world["other_office"],
        title="DWCP Tanzania",
        published=True,
        phase="monitoring",
    )
    _as(client, world, "admin")
    url = reverse("dwcp:programme-list")

    def titles(**params):
        page = client.get(url, params).content.decode()
        return {t for t in ("DWCP Indonesia 2012-2015", "DWCP Tanzania") if t in page}

    assert titles() == {"DWCP Indonesia 2012-2015", "DWCP Tanzania"}
    assert titles(country=factories.country("TZA").pk) == {"DWCP Tanzania"}
    assert titles(region="asia-pacific") == {"DWCP Indonesia 2012-2015"}
    assert titles(phase="monitoring") == {"DWCP Tanzania"}
    assert titles(published="no") == {"DWCP Indonesia 2012-2015"}
    # A value that is not a choice is ignored rather than an error
    assert client.get(url, {"country": "nowhere", "phase": "x"}).status_code == 200


def test_the_cpo_list_filters_and_paginates(client, world):
    programme = world["programme"]
    _plan, (outcome16, outcome18) = factories.framework_2012_13()
    for n in range(55):
        factories.CpoFactory(
            programme=programme,
            priority=world["priority"],
            outcome=outcome18 if n % 5 == 0 else outcome16,
            indicator=None,
            code=f"{200 + n}",
            title=f"Outcome number {n}",
            targeted=n % 2 == 0,
            prioritized=True,
        )
    _as(client, world, "field")
    url = reverse("dwcp:cpo-list")
    first = client.get(url)
    assert first.context["page"].paginator.count == 56
    assert len(first.context["page"].object_list) == 50
    assert client.get(url, {"page": 2}).context["page"].paginator.num_pages == 2
    assert client.get(url, {"outcome": outcome18.pk}).context["page"].paginator.count == 11
    assert client.get(url, {"targeted": "no"}).context["page"].paginator.count == 27
    assert client.get(url, {"q": "number 5"}).context["page"].paginator.count == 6
    assert client.get(url, {"biennium": "2012-13"}).context["page"].paginator.count == 56
    assert client.get(url, {"programme": programme.pk}).context["page"].paginator.count == 56
    assert client.get(url, {"region": "africa"}).context["page"].paginator.count == 0
    assert client.get(url, {"region": "asia-pacific"}).context["page"].paginator.count == 56


def test_the_cpo_list_orders_by_biennium_and_code_and_sums_each_cpos_money(client, world):
    # Given CPOs of two bienniums, created out of order, with two, one or no resource lines
    programme = world["programme"]
    earlier = factories.biennium("2010-11")
    made = {
        ("2012-13", "300"): [(5000, 1000), (250, 0)],
        ("2010-11", "400"): [(70, 7)],
        ("2012-13", "050"): [],
        ("2010-11", "100"): [],
    }
    for (biennium, code), lines in made.items():
        cpo = factories.CpoFactory(
            programme=programme,
            code=code,
            biennium=earlier if biennium == "2010-11" else factories.biennium("2012-13"),
        )
        sources = ("RB", "XBTC")
        for (planned, spent), source in zip(lines, sources, strict=False):
            factories.CpoResourceFactory(
                cpo=cpo,
                funding_source=factories.funding_source(source),
                planned=planned,
                spent=spent,
            )
    _as(client, world, "admin")
    url = reverse("dwcp:cpo-list")
    # When the list is read whole and for one biennium
    every = list(client.get(url).context["page"])
    one = list(client.get(url, {"biennium": "2012-13"}).context["page"])
    # Then it is ordered by biennium, then code; within one biennium by code
    # (codes are stored with the country's prefix: IDN100)
    assert [(c.biennium.code, c.code[3:]) for c in every] == [
        ("2010-11", "100"),
        ("2010-11", "400"),
        ("2012-13", "050"),
        ("2012-13", "126"),
        ("2012-13", "300"),
    ]
    assert [c.code[3:] for c in one] == ["050", "126", "300"]
    # And each CPO shows the sum of its own lines (nothing is zero)
    totals = {c.code[3:]: (c.planned_total, c.spent_total) for c in every}
    assert totals == {
        "100": (0, 0),
        "400": (70, 7),
        "050": (0, 0),
        "126": (0, 0),
        "300": (5250, 1000),
    }
    assert "5,250" in client.get(url).content.decode()


def test_the_programme_list_counts_each_programmes_outcomes_and_priorities(client, world):
    programme = world["programme"]
    factories.PriorityFactory(programme=programme, title="Social dialogue")
    for code in ("127", "128"):
        factories.CpoFactory(programme=programme, priority=world["priority"], code=code)
    empty = factories.DwcpFactory(country=factories.country("PHL"), published=True)
    _as(client, world, "admin")
    listed = {p.pk: p for p in client.get(reverse("dwcp:programme-list")).context["page"]}
    assert (listed[programme.pk].cpo_count, listed[programme.pk].priority_count) == (3, 2)
    assert (listed[empty.pk].cpo_count, listed[empty.pk].priority_count) == (0, 0)


def test_field_staff_default_to_their_office_in_the_cpo_list(client, world):
    tanzania = factories.DwcpFactory(
        country=factories.country("TZA"), office=world["other_office"], published=True
    )
    factories.CpoFactory(programme=tanzania, code="101", title="Tanzanian outcome")
    _as(client, world, "field")
    url = reverse("dwcp:cpo-list")
    assert "Tanzanian outcome" not in client.get(url).content.decode()
    assert "Tanzanian outcome" in client.get(url, {"office": ""}).content.decode()


def test_export_and_import_links_carry_what_the_spreadsheet_pages_read(client, world):
    _as(client, world, "field")
    response = client.get(
        reverse("dwcp:cpo-list"), {"biennium": "2012-13", "region": "asia-pacific"}
    )
    url = response.context["export_url"]
    assert url.startswith(reverse("dwcp:cpo-export"))
    assert "biennium=2012-13" in url
    assert "region=asia-pacific" in url
    assert f"office={world['office'].pk}" in url
    # The export reads these parameters and answers with the file
    assert client.get(url).status_code == 200
    assert response.context["import_url"] == reverse("dwcp:cpo-import")
    page = client.get(_url(world, "programme-detail"))
    assert page.context["export_url"] == (
        f"{reverse('dwcp:cpo-export')}?programme={world['programme'].pk}"
    )
    assert client.get(page.context["export_url"]).status_code == 200
    assert page.context["import_url"] == reverse("dwcp:cpo-import")
    # Headquarters may export but not import
    _as(client, world, "programme_officer")
    assert client.get(reverse("dwcp:cpo-list")).context["import_url"] is None
    assert client.get(_url(world, "programme-detail")).context["import_url"] is None


# Menu and home panels -------------------------------------------------------------------------


def test_menu_links_follow_the_role(client, world):
    page = client.get(reverse("home")).content.decode()
    assert "Country programmes" in page
    assert "Outcomes (CPOs)" in page
    assert "Validation queue" not in page
    _as(client, world, "regional")
    assert "Validation queue" in client.get(reverse("home")).content.decode()


def test_only_the_current_menu_link_is_highlighted(client, world):
    _as(client, world, "regional")
    response = client.get(reverse("dwcp:cpo-list"))
    active = [link["key"] for link in response.context["menu"] if link["active"]]
    assert active == ["cpos"]


def test_field_staff_find_their_office_programmes_at_home(client, world):
    _as(client, world, "field")
    page = client.get(reverse("home")).content.decode()
    assert "Your office's country programmes" in page
    assert "DWCP Indonesia 2012-2015" in page
    assert reverse("dwcp:programme-create") in page


def test_reviewers_see_how_many_reports_wait_at_home(client, world):
    report = world["report"]
    report.review_state = ReviewState.SUBMITTED
    report.save()
    _as(client, world, "regional")
    response = client.get(reverse("home"))
    panels = dict(response.context["panels"])
    assert panels["dwcp/panels/validation_queue.html"]["waiting"] == 1
    assert reverse("dwcp:validation-queue") in response.content.decode()
    _as(client, world, "regional_other")
    panels = dict(client.get(reverse("home")).context["panels"])
    assert panels["dwcp/panels/validation_queue.html"]["waiting"] == 0

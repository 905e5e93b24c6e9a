"""The workplan pages answer each role as the permission table says, and the table's numbers
are the CPO counts, each a link to the CPO list that shows exactly that many CPOs.

Roles: the public, field staff (of an office in Africa), the regional programme officer for
Asia, the coordinator of the outcome (16, child labour), the coordinator of another outcome
(18), a programme officer, the Governing Body secretariat and an administrator.
"""

from __future__ import annotations

import csv
import datetime
import io
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from rbm.models import Role
from rbm.services import system_user
from strategic_plans.models import StrategyElement
from tests import factories
from workplans import services
from workplans.models import OutcomeWorkplan, WorkplanStatus
from workplans.selectors import demand_target_table

pytestmark = pytest.mark.django_db

ROLES = [
    "public",
    "field",
    "regional",
    "coordinator",
    "coordinator_other",
    "programme_officer",
    "gb",
    "admin",
]
SIGNED_IN = dict.fromkeys(ROLES, 200) | {"public": 302}


def build_world(user_for):
    """Outcomes 16 and 18 of 2012-13 with their workplans, published programmes for
    Indonesia (Asia) and Tanzania (Africa) with CPOs, and one user of each kind.

    Asia, outcome 16: demand 2, target 4 (flagged: targets exceed demand).
    Africa, outcome 16: demand 3, target 1. Outcome 18: Asia 1/0, Africa 1/1.
    """
    _plan, (child_labour, standards) = factories.framework_2012_13()
    biennium = factories.biennium("2012-13")
    jakarta = factories.OfficeFactory(name="ILO Jakarta", countries=[factories.country("IDN")])
    dar = factories.OfficeFactory(
        name="ILO Dar es Salaam",
        region=factories.region("africa"),
        countries=[factories.country("TZA")],
    )
    users = {
        "public": None,
        "field": user_for(Role.FIELD_OFFICE_STAFF, office=dar),
        "regional": user_for(
            Role.REGIONAL_PROGRAMME_OFFICER, region=factories.region("asia-pacific")
        ),
        "coordinator": user_for(Role.OUTCOME_COORDINATOR, first_name="Marie"),
        "coordinator_other": user_for(Role.OUTCOME_COORDINATOR, first_name="Other"),
        "programme_officer": user_for(Role.PROGRAMME_OFFICER, first_name="Carlos"),
        "gb": user_for(Role.GB_SECRETARIAT),
        "admin": user_for(Role.ADMINISTRATOR),
    }
    child_labour.coordinators.add(users["coordinator"])
    standards.coordinators.add(users["coordinator_other"])
    services.workplans_open(user=users["programme_officer"], biennium=biennium)
    indonesia = factories.DwcpFactory(
        office=jakarta, country=factories.country("IDN"), published=True
    )
    tanzania = factories.DwcpFactory(office=dar, country=factories.country("TZA"), published=True)

    def cpos(programme, outcome, count, *, prioritized, targeted):
        return factories.CpoFactory.create_batch(
            count,
            programme=programme,
            outcome=outcome,
            prioritized=prioritized,
            targeted=targeted,
        )

    cpos(indonesia, child_labour, 2, prioritized=True, targeted=True)
    cpos(indonesia, child_labour, 2, prioritized=False, targeted=True)
    cpos(indonesia, standards, 1, prioritized=True, targeted=False)
    cpos(tanzania, child_labour, 1, prioritized=True, targeted=True)
    cpos(tanzania, child_labour, 2, prioritized=True, targeted=False)
    cpos(tanzania, standards, 1, prioritized=True, targeted=True)
    return {
        "users": users,
        "biennium": biennium,
        "child_labour": child_labour,
        "standards": standards,
        "workplan": OutcomeWorkplan.objects.get(outcome=child_labour),
        "other_workplan": OutcomeWorkplan.objects.get(outcome=standards),
    }


def login(client, world, role):
    client.logout()
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    return user


def approve(world, workplan=None):
    """Take the workplan through submission and approval (as its coordinator and the PO)."""
    workplan = workplan or world["workplan"]
    workplan.refresh_from_db()
    workplan = services.workplan_submit(
        user=world["users"]["coordinator"], workplan=workplan, version=workplan.version
    )
    return services.workplan_approve(
        user=world["users"]["programme_officer"], workplan=workplan, version=workplan.version
    )


@pytest.fixture
def world(user_for):
    return build_world(user_for)


# Every page, every role ---------------------------------------------------------------------


def _pages(world):
    workplan = world["workplan"]
    published = services.published_table_record(
        user=system_user(),
        biennium=world["biennium"],
        name="printed",
        text="outcome,region,demand,target\n16,Asia,2,4\n16,Africa,5,1\n",
    )
    return {
        "list": reverse("workplans:list"),
        "table": reverse("workplans:table"),
        "export": f"{reverse('workplans:table-export')}?biennium=2012-13&format=csv",
        "detail": reverse("workplans:detail", args=[workplan.pk]),
        "midterm": reverse("workplans:midterm", args=[workplan.pk]),
        "published": reverse("workplans:published"),
        "published-detail": reverse("workplans:published-detail", args=[published.pk]),
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "page", ["list", "table", "export", "detail", "midterm", "published", "published-detail"]
)
def test_every_signed_in_user_reads_the_workplan_pages_and_the_public_logs_in(
    client, world, role, page
):
    url = _pages(world)[page]
    login(client, world, role)
    response = client.get(url)
    assert response.status_code == SIGNED_IN[role]
    if role == "public":
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("public", 302),
        ("field", 403),
        ("regional", 403),
        ("coordinator", 403),
        ("coordinator_other", 403),
        ("programme_officer", 200),
        ("gb", 403),
        ("admin", 200),
    ],
)
def test_the_review_queue_is_for_programme_officers_and_administrators(client, world, role, status):
    login(client, world, role)
    assert client.get(reverse("workplans:review-queue")).status_code == status


def test_what_does_not_exist_is_a_404(client, world):
    login(client, world, "admin")
    assert client.get(reverse("workplans:detail", args=[999999])).status_code == 404
    assert client.get(reverse("workplans:midterm", args=[999999])).status_code == 404
    assert client.get(reverse("workplans:published-detail", args=[999999])).status_code == 404
    assert client.post(reverse("workplans:submit", args=[999999])).status_code == 404
    url = reverse("workplans:strategy", args=[world["workplan"].pk, 999999])
    assert client.post(url, {}).status_code == 404
    queue = reverse("workplans:review-queue")
    assert client.post(queue, {"workplan": "x", "action": "approve"}).status_code == 404
    assert client.post(queue, {"workplan": "999999", "action": "approve"}).status_code == 404


def test_the_workplan_page_offers_only_the_buttons_the_user_may_press(client, world):
    workplan = world["workplan"]
    url = reverse("workplans:detail", args=[workplan.pk])
    submit = reverse("workplans:submit", args=[workplan.pk])
    approve_url = reverse("workplans:approve", args=[workplan.pk])
    resources = reverse("workplans:resources", args=[workplan.pk])
    comment = reverse("workplans:comment", args=[workplan.pk])
    login(client, world, "coordinator")
    page = client.get(url).content.decode()
    assert submit in page
    assert resources in page
    assert comment in page
    assert approve_url not in page
    for role in ("coordinator_other", "gb", "field"):
        login(client, world, role)
        page = client.get(url).content.decode()
        assert submit not in page, role
        assert resources not in page, role
        assert comment not in page, role
    login(client, world, "regional")
    assert comment in client.get(url).content.decode()
    login(client, world, "programme_officer")
    page = client.get(url).content.decode()
    assert submit not in page
    assert approve_url not in page  # a draft is not reviewed yet
    services.workplan_submit(
        user=world["users"]["coordinator"], workplan=workplan, version=workplan.version
    )
    page = client.get(url).content.decode()
    assert approve_url in page
    assert reverse("workplans:return", args=[workplan.pk]) in page
    login(client, world, "coordinator")
    page = client.get(url).content.decode()
    assert submit not in page  # submitted: it waits for the programme officer
    assert resources not in page


def test_history_shows_the_changes_to_the_workplan_its_resources_and_strategy(client, world):
    workplan = world["workplan"]
    coordinator = world["users"]["coordinator"]
    services.workplan_strategy_set(
        user=coordinator,
        workplan=workplan,
        element=StrategyElement.objects.get(code="knowledge"),
        text="Child labour surveys in six countries.",
        previous="",
    )
    services.workplan_resources_set(
        user=coordinator,
        workplan=workplan,
        version=workplan.version,
        lines={(factories.funding_source("RB"), factories.region("africa")): 1000},
    )
    login(client, world, "gb")
    page = client.get(reverse("workplans:detail", args=[workplan.pk])).content.decode()
    assert 'id="history"' in page
    assert "Child labour surveys in six countries." in page
    assert "RB · Africa" in page


# The list ---------------------------------------------------------------------------------


def test_the_list_shows_each_workplan_with_its_coordinator_status_and_comments(client, world):
    workplan = world["workplan"]
    services.workplan_comment(
        user=world["users"]["regional"], workplan=workplan, text="Asia asks for more."
    )
    login(client, world, "gb")
    response = client.get(reverse("workplans:list"))
    rows = {w.outcome.code: w for w in response.context["workplans"]}
    assert set(rows) == {"16", "18"}
    assert rows["16"].comment_count == 1
    assert rows["16"].coordinator == world["users"]["coordinator"]
    page = response.content.decode()
    assert "Child labour" in page
    assert "Draft" in page
    # Filtered by status
    response = client.get(reverse("workplans:list"), {"status": "approved"})
    assert response.context["workplans"] == []
    approve(world)
    response = client.get(reverse("workplans:list"), {"status": "approved"})
    assert [w.outcome.code for w in response.context["workplans"]] == ["16"]


def test_the_list_defaults_to_the_latest_biennium_with_workplans(client, world):
    login(client, world, "gb")
    response = client.get(reverse("workplans:list"))
    assert response.context["biennium"] == world["biennium"]


def test_coordinators_see_their_own_workplans_first_and_marked(client, world):
    login(client, world, "coordinator_other")
    response = client.get(reverse("workplans:list"))
    assert [w.outcome.code for w in response.context["workplans"]] == ["18", "16"]
    assert response.context["mine_count"] == 1
    assert 'class="mine"' in response.content.decode()
    login(client, world, "programme_officer")
    response = client.get(reverse("workplans:list"))
    assert [w.outcome.code for w in response.context["workplans"]] == ["16", "18"]
    assert 'class="mine"' not in response.content.decode()


@pytest.mark.parametrize("value", ["2012-14", "nonsense", "2030-31", "9" * 300])
def test_a_bad_biennium_in_the_list_address_is_a_400_with_a_message(client, world, value):
    login(client, world, "gb")
    response = client.get(reverse("workplans:list"), {"biennium": value})
    assert response.status_code == 400
    assert response.context["error"]


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("public", 302),
        ("field", 403),
        ("regional", 403),
        ("coordinator", 403),
        ("coordinator_other", 403),
        ("gb", 403),
        ("programme_officer", 302),
        ("admin", 302),
    ],
)
def test_opening_the_workplans_of_a_biennium_is_for_programme_officers(client, world, role, status):
    login(client, world, role)
    response = client.post(reverse("workplans:open"), {"biennium": "2012-13"})
    assert response.status_code == status
    if role in ("programme_officer", "admin"):
        assert response["Location"] == f"{reverse('workplans:list')}?biennium=2012-13"


def test_the_open_button_opens_missing_workplans_and_refuses_a_bad_biennium(client, world):
    OutcomeWorkplan.objects.filter(outcome=world["standards"]).delete()
    login(client, world, "programme_officer")
    assert (
        "Open the workplans of a biennium" in client.get(reverse("workplans:list")).content.decode()
    )
    response = client.post(reverse("workplans:open"), {"biennium": "2012-13"}, follow=True)
    assert "1 workplan was opened for 2012-13." in response.content.decode()
    assert OutcomeWorkplan.objects.count() == 2
    for bad in ("2014-15", "2012-14", ""):
        response = client.post(reverse("workplans:open"), {"biennium": bad})
        assert response.status_code == 400, bad
    login(client, world, "gb")
    assert "Open the workplans" not in client.get(reverse("workplans:list")).content.decode()


# The demand-and-target table ----------------------------------------------------------------


def _figures(view):
    """Every number of the table view with its link: (value, url)."""
    for row in [*view.rows, view.totals]:
        for _region, demand, target in row.cells:
            yield demand
            yield target
        yield from row.total


def test_the_table_numbers_are_the_cpo_counts(client, world):
    login(client, world, "gb")
    response = client.get(reverse("workplans:table"), {"biennium": "2012-13"})
    assert response.status_code == 200
    view = response.context["view"]
    cells = {
        (row.outcome.code, region.code): (demand.value, target.value)
        for row in view.rows
        for region, demand, target in row.cells
    }
    assert cells[("16", "asia-pacific")] == (2, 4)
    assert cells[("16", "africa")] == (3, 1)
    assert cells[("18", "asia-pacific")] == (1, 0)
    assert cells[("18", "africa")] == (1, 1)
    assert cells[("16", "americas")] == (0, 0)
    totals = {row.outcome.code: (row.total[0].value, row.total[1].value) for row in view.rows}
    assert totals == {"16": (5, 5), "18": (2, 1)}
    regions = {r.code: (d.value, t.value) for r, d, t in view.totals.cells}
    assert regions["asia-pacific"] == (3, 4)
    assert regions["africa"] == (4, 2)
    assert (view.totals.total[0].value, view.totals.total[1].value) == (7, 6)


@pytest.mark.parametrize("role", ["field", "regional", "gb", "programme_officer"])
def test_each_number_links_to_a_cpo_list_showing_that_many_cpos(client, world, role):
    # The field officer's CPO list defaults to their office (Tanzania): the links ask for
    # every office, so that Indonesia's CPOs are counted too.
    login(client, world, role)
    view = client.get(reverse("workplans:table"), {"biennium": "2012-13"}).context["view"]
    followed = 0
    for figure in _figures(view):
        if figure.value == 0:
            assert figure.url is None
            continue
        assert figure.url.startswith(reverse("dwcp:cpo-list"))
        query = parse_qs(urlsplit(figure.url).query, keep_blank_values=True)
        assert query["office"] == [""]
        assert query["biennium"] == ["2012-13"]
        assert query.get("prioritized", query.get("targeted")) == ["yes"]
        listed = client.get(figure.url)
        assert listed.status_code == 200
        assert listed.context["page"].paginator.count == figure.value, figure.url
        followed += 1
    # 7 numbers in cells, 4 in the outcomes' totals, 4 in the regions', 2 in the grand total
    # (zeros have no link: there is nothing to list)
    assert followed == 17


def test_the_links_say_outcome_region_and_measure_in_the_cpo_lists_words(client, world):
    login(client, world, "gb")
    view = client.get(reverse("workplans:table"), {"biennium": "2012-13"}).context["view"]
    row = next(r for r in view.rows if r.outcome.code == "16")
    region, demand, target = next(c for c in row.cells if c[0].code == "asia-pacific")
    demand_query = parse_qs(urlsplit(demand.url).query, keep_blank_values=True)
    assert demand_query == {
        "biennium": ["2012-13"],
        "outcome": [str(world["child_labour"].pk)],
        "region": ["asia-pacific"],
        "prioritized": ["yes"],
        "office": [""],
    }
    assert "targeted=yes" in target.url
    # An outcome's total has no region; a region's total has no outcome
    assert "region=" not in row.total[0].url
    _region, region_demand, _target = next(c for c in view.totals.cells if c[0] == region)
    assert "outcome=" not in region_demand.url
    assert "region=asia-pacific" in region_demand.url


def test_cells_where_targets_exceed_demand_are_shaded_with_the_reason(client, world):
    login(client, world, "gb")
    response = client.get(reverse("workplans:table"), {"biennium": "2012-13"})
    view = response.context["view"]
    flagged = {
        (row.outcome.code, region.code)
        for row in view.rows
        for region, _demand, target in row.cells
        if target.flagged
    }
    assert flagged == {("16", "asia-pacific")}
    assert view.flagged == 1
    page = response.content.decode()
    assert page.count('class="num flag"') == 2  # the demand and the target of the cell
    assert "Targets exceed prioritized demand: donor resources fund work" in page
    assert "target exceeds demand" in page


def test_numbers_counting_cpos_the_user_cannot_open_say_so(client, world):
    # A programme for Thailand, not published: the Dar es Salaam officer cannot open it
    hidden = factories.DwcpFactory(country=factories.country("THA"), published=False)
    factories.CpoFactory(programme=hidden, outcome=world["child_labour"])
    login(client, world, "field")
    response = client.get(reverse("workplans:table"), {"biennium": "2012-13"})
    assert response.context["unlisted"] == 1
    assert "1 CPO of a programme you cannot open yet" in response.content.decode()
    detail = client.get(reverse("workplans:detail", args=[world["workplan"].pk]))
    assert detail.context["unlisted"] == 1
    login(client, world, "gb")
    response = client.get(reverse("workplans:table"), {"biennium": "2012-13"})
    assert response.context["unlisted"] == 0
    assert 'id="unlisted"' not in response.content.decode()


def test_a_region_filter_keeps_that_region(client, world):
    login(client, world, "gb")
    response = client.get(reverse("workplans:table"), {"biennium": "2012-13", "region": "africa"})
    view = response.context["view"]
    assert [r.code for r in view.regions] == ["africa"]
    assert "region=africa" in response.context["csv_url"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"biennium": "2012-14"}, "not a biennium"),
        ({"biennium": "twenty"}, "not a biennium"),
        ({"biennium": "2030-31"}, "No programme and budget covers 2030-31"),
        ({"biennium": "2012-13", "region": "atlantis"}, "is not a region"),
    ],
)
def test_a_bad_address_of_the_table_is_a_400_with_a_message(client, world, params, message):
    login(client, world, "gb")
    response = client.get(reverse("workplans:table"), params)
    assert response.status_code == 400
    assert message in response.content.decode()
    export = client.get(reverse("workplans:table-export"), {**params, "format": "csv"})
    assert export.status_code == 400


def test_an_unknown_export_format_is_a_400(client, world):
    login(client, world, "gb")
    response = client.get(
        reverse("workplans:table-export"), {"biennium": "2012-13", "format": "pdf"}
    )
    assert response.status_code == 400
    assert "Export as xlsx or csv." in response.content.decode()


def test_the_csv_export_parses_back_to_the_table_in_the_upload_layout(client, world):
    login(client, world, "gb")
    response = client.get(
        reverse("workplans:table-export"), {"biennium": "2012-13", "format": "csv"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "demand-and-targets-2012-13.csv" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert list(rows[0]) == ["outcome", "region", "demand", "target"]
    table = demand_target_table(world["biennium"])
    assert [(r["outcome"], r["region"], int(r["demand"]), int(r["target"])) for r in rows] == [
        tuple(figure) for figure in table.figures()
    ]
    assert rows[-1] == {"outcome": "Total", "region": "Total", "demand": "7", "target": "6"}
    # The file is what the published figures upload reads
    login(client, world, "programme_officer")
    upload = client.post(
        reverse("workplans:published"),
        {
            "biennium": "2012-13",
            "name": "ours",
            "file": io.BytesIO(response.content),
        },
    )
    assert upload.status_code == 302
    detail = client.get(upload["Location"])
    assert detail.context["differences"] == []


def test_the_xlsx_export_holds_table_1s_layout(client, world):
    login(client, world, "field")
    response = client.get(
        reverse("workplans:table-export"), {"biennium": "2012-13", "format": "xlsx"}
    )
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[0] == "Programme and budget outcome"
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    child_labour = next(r for r in rows if str(r[0]).startswith("16 "))
    assert child_labour[1:3] == (5, 5)
    regions = [c for c in header[3::2] if c]
    asia = regions.index("Asia and the Pacific")
    assert child_labour[3 + 2 * asia : 5 + 2 * asia] == (2, 4)
    assert rows[2][1:3] == (7, 6)  # the totals row, after the two outcomes


# The workplan page -------------------------------------------------------------------------


def test_the_workplan_page_shows_its_row_chart_and_progress(client, world):
    login(client, world, "regional")
    response = client.get(reverse("workplans:detail", args=[world["workplan"].pk]))
    page = response.content.decode()
    assert "Child labour" in page
    cells = {r.code: (d.value, t.value, t.flagged) for r, d, t in response.context["row"].cells}
    assert cells["asia-pacific"] == (2, 4, True)
    assert cells["africa"] == (3, 1, False)
    # The chart: a bar for each region and measure, with its number
    assert '<svg class="bars" role="img"' in page
    assert '<title id="chart-title">' in page
    for region, (demand, target, _flag) in cells.items():
        assert f'data-region="{region}" data-measure="demand" data-value="{demand}"' in page
        assert f'data-region="{region}" data-measure="target" data-value="{target}"' in page
    assert "Asia and the Pacific: demand 2, target 4" in page  # the chart's description
    progress = {p.region.code: (p.targets, p.reached) for p in response.context["detail"].progress}
    assert progress["asia-pacific"] == (4, 0)


def test_the_chart_keeps_its_numbers_in_the_svg_in_every_language(client, world):
    login(client, world, "gb")
    client.cookies["django_language"] = "fr"
    page = client.get(
        reverse("workplans:detail", args=[world["workplan"].pk]), HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    widths = [
        part.split('"')[0] for part in page.split('width="')[1:] if part.split('"')[0].endswith("%")
    ]
    assert widths
    assert all("," not in width for width in widths)


def test_the_workplan_page_shows_the_midterm_review_summary(client, world):
    workplan = approve(world)
    services.midterm_review_save(
        user=world["users"]["programme_officer"],
        workplan=workplan,
        review_date=datetime.date(2012, 10, 15),
        summary="Asia is on track.",
    )
    login(client, world, "field")
    page = client.get(reverse("workplans:detail", args=[workplan.pk])).content.decode()
    assert "Asia is on track." in page
    assert reverse("workplans:midterm", args=[workplan.pk]) in page


# Menu and home panels ----------------------------------------------------------------------


def test_the_menu_links_the_workplans_for_signed_in_users(client, world):
    assert reverse("workplans:list") not in client.get(reverse("home")).content.decode()
    login(client, world, "field")
    response = client.get(reverse("workplans:table"))
    assert [link["key"] for link in response.context["menu"] if link["active"]] == ["workplans"]
    assert reverse("workplans:list") in response.content.decode()


def test_coordinators_find_their_workplans_at_home(client, world):
    login(client, world, "coordinator")
    response = client.get(reverse("home"))
    panels = dict(response.context["panels"])
    shown = panels["workplans/panels/my_workplans.html"]["workplans"]
    assert [w.outcome.code for w in shown] == ["16"]
    page = response.content.decode()
    assert "Your workplans" in page
    assert reverse("workplans:detail", args=[world["workplan"].pk]) in page
    assert "Draft" in page


def test_programme_officers_see_how_many_workplans_wait_at_home(client, world):
    workplan = world["workplan"]
    services.workplan_submit(
        user=world["users"]["coordinator"], workplan=workplan, version=workplan.version
    )
    login(client, world, "programme_officer")
    response = client.get(reverse("home"))
    panels = dict(response.context["panels"])
    assert panels["workplans/panels/review_queue.html"]["waiting"] == 1
    assert reverse("workplans:review-queue") in response.content.decode()
    login(client, world, "gb")
    panels = dict(client.get(reverse("home")).context["panels"])
    assert "workplans/panels/review_queue.html" not in panels


def test_the_demo_table_1_as_printed_lists_its_18_differences(client, demo, django_user_model):
    officer = django_user_model.objects.get(username="programme.officer")
    client.force_login(officer)
    response = client.get(reverse("workplans:published"))
    table = next(t for t in response.context["tables"] if t.name == "Table 1 as printed")
    detail = client.get(reverse("workplans:published-detail", args=[table.pk]))
    differences = detail.context["differences"]
    assert len(differences) == 18
    first = {
        (d["difference"].outcome, d["difference"].region, d["difference"].measure)
        for d in differences
    }
    assert ("Total", "Total", "demand") in first
    page = detail.content.decode()
    assert "18 published figures differ from what the records give" in page
    assert "902" in page
    assert "911" in page
    # The demo's table page: 19 outcomes, the grand total computed from the CPOs
    view = client.get(reverse("workplans:table"), {"biennium": "2012-13"}).context["view"]
    assert len(view.rows) == 19
    assert (view.totals.total[0].value, view.totals.total[1].value) == (911, 576)
    assert WorkplanStatus.SUBMITTED in {
        w.status for w in client.get(reverse("workplans:review-queue")).context["workplans"]
    }

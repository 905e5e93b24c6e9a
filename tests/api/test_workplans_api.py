"""Outcome-based workplans, mid-term reviews, the demand-and-target table and published tables
through the API: who reads and does what, the review workflow, stale versions, bad input.

The world (see conftest) plus the 2012-13 workplans of outcomes 16 (child labour, coordinated
by "coordinator") and 18 (coordinated by "other_coordinator"), opened by the programme
officer. The world's two CPOs are on outcome 16 in Asia and the Pacific.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from rbm.models import Biennium, Region, Role
from rbm.services import system_user
from strategic_plans.models import OutcomeStrategy
from strategic_plans.services import DATA_DIR
from tests import factories
from workplans import services
from workplans.exports import table_csv
from workplans.models import MidTermReview, OutcomeWorkplan, PublishedTable, WorkplanStatus
from workplans.selectors import compare_with_published, demand_target_table

pytestmark = pytest.mark.django_db

WHO = [
    "public",
    "field_idn",
    "rpo_asia",
    "coordinator",  # of outcome 16
    "other_coordinator",  # of outcome 18
    "programme_officer",
    "gb_secretariat",
    "administrator",
]
SIGNED_IN = set(WHO) - {"public"}
EDIT = {"coordinator", "administrator"}
REVIEW = {"programme_officer", "administrator"}
COMMENT = {"coordinator", "programme_officer", "rpo_asia", "administrator"}
MIDTERM = {"coordinator", "programme_officer", "administrator"}
MANAGE = {"programme_officer", "administrator"}


def expected(who: str, allowed: set[str], success: int = 200) -> int:
    if who == "public":
        return 401
    return success if who in allowed else 403


@pytest.fixture
def plans(world, user_for):
    """The workplans of outcomes 16 and 18, each with its coordinator."""
    _plan, (child_labour, standards) = factories.framework_2012_13()
    child_labour.coordinators.add(world.user("coordinator"))
    other = user_for(Role.OUTCOME_COORDINATOR)
    world.users["other_coordinator"] = other
    standards.coordinators.add(other)
    services.workplans_open(
        user=world.user("programme_officer"), biennium=factories.biennium("2012-13")
    )
    workplans = OutcomeWorkplan.objects.select_related("outcome")
    return {w.outcome.code: w for w in workplans}


def _lines(**amounts):
    return [
        {"funding_source": "RB", "region": "africa", "amount": amounts.get("rb", "100000.00")},
        {"funding_source": "XBTC", "region": "asia-pacific", "amount": "300000"},
        {"funding_source": "RB", "region": None, "amount": "50000.50"},
    ]


def _approved(plans, world) -> OutcomeWorkplan:
    """Outcome 16's workplan with resources, submitted and approved."""
    workplan = plans["16"]
    lines = {
        (factories.funding_source("RB"), factories.region("africa")): Decimal(100_000),
        (factories.funding_source("XBTC"), factories.region("asia-pacific")): Decimal(300_000),
    }
    coordinator, officer = world.user("coordinator"), world.user("programme_officer")
    workplan = services.workplan_resources_set(
        user=coordinator, workplan=workplan, version=workplan.version, lines=lines
    )
    workplan = services.workplan_submit(user=coordinator, workplan=workplan, version=2)
    return services.workplan_approve(user=officer, workplan=workplan, version=3)


def _review(plans, world) -> MidTermReview:
    workplan = _approved(plans, world)
    return services.midterm_review_save(
        user=world.user("programme_officer"),
        workplan=workplan,
        review_date=datetime.date(2012, 10, 15),
        summary="On track in Asia.",
    )


def _error(response, status: int) -> dict:
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["status"] == status
    return error


# Reading -----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", WHO)
def test_every_signed_in_user_reads_workplans_reviews_and_tables(who, world, plans, client_as):
    client = client_as(who)
    published = services.published_table_record(
        user=system_user(),
        biennium=factories.biennium("2012-13"),
        name="Printed",
        text=table_csv(demand_target_table(factories.biennium("2012-13"))),
    )
    review = _review(plans, world)
    workplan = plans["16"]
    addresses = [
        "/api/v1/workplans/",
        f"/api/v1/workplans/{workplan.pk}/",
        f"/api/v1/workplans/{workplan.pk}/events/",
        "/api/v1/midterm-reviews/",
        f"/api/v1/midterm-reviews/{review.pk}/",
        "/api/v1/demand-target-table/?biennium=2012-13",
        "/api/v1/demand-target-table/?biennium=2012-13&format=csv",
        "/api/v1/published-tables/",
        f"/api/v1/published-tables/{published.pk}/",
        f"/api/v1/published-tables/{published.pk}/comparison/",
    ]
    for address in addresses:
        response = client.get(address)
        assert response.status_code == expected(who, SIGNED_IN), address
        if who == "public":
            assert response.json()["error"]["code"] == "not_authenticated"
    if who != "public":
        listed = client.get("/api/v1/workplans/").json()
        assert {w["outcome_code"] for w in listed["results"]} == {"16", "18"}


def test_a_workplan_reads_with_its_resources_by_source_and_region(world, plans, client_as):
    workplan = _approved(plans, world)
    body = client_as("gb_secretariat").get(f"/api/v1/workplans/{workplan.pk}/").json()
    assert body["outcome_code"] == "16"
    assert body["outcome_title"] == "Child labour"
    assert body["biennium"] == "2012-13"
    assert body["coordinator"] == world.user("coordinator").username
    assert body["status"] == "approved"
    assert body["version"] == 4
    assert body["resources"] == [
        {"funding_source": "RB", "region": "africa", "amount": "100000.00"},
        {"funding_source": "XBTC", "region": "asia-pacific", "amount": "300000.00"},
    ]
    assert body["resources_by_source"] == {"RB": "100000.00", "XBTC": "300000.00"}
    assert body["resources_by_region"] == {"africa": "100000.00", "asia-pacific": "300000.00"}
    assert body["resources_total"] == "400000.00"
    assert body["comment_count"] == 0


def test_workplan_filters(world, plans, client_as):
    client = client_as("administrator")
    _approved(plans, world)

    def codes(**params) -> set[str]:
        response = client.get("/api/v1/workplans/", params)
        assert response.status_code == 200, response.content
        return {w["outcome_code"] for w in response.json()["results"]}

    assert codes() == {"16", "18"}
    assert codes(biennium="2012-13") == {"16", "18"}
    assert codes(biennium="2014-15") == set()
    assert codes(status="approved") == {"16"}
    assert codes(status="draft") == {"18"}
    assert codes(outcome=plans["18"].outcome_id) == {"18"}
    assert codes(coordinator=world.user("other_coordinator").username) == {"18"}
    assert codes(search="child") == {"16"}
    later = timezone.now() + datetime.timedelta(minutes=1)
    OutcomeWorkplan.objects.filter(pk=plans["18"].pk).update(
        updated_at=later + datetime.timedelta(minutes=1)
    )
    assert codes(updated_since=later.isoformat()) == {"18"}
    ordered = client.get("/api/v1/workplans/", {"ordering": "-status"}).json()["results"]
    assert [w["status"] for w in ordered] == ["draft", "approved"]
    for parameter, value in (
        ("biennium", "2012-14"),
        ("status", "finished"),
        ("outcome", "x"),
        ("coordinator", "no spaces please"),
        ("updated_since", "yesterday"),
        ("ordering", "coordinator__password"),
    ):
        assert (
            parameter in _error(client.get("/api/v1/workplans/", {parameter: value}), 400)["fields"]
        )


# The review workflow -----------------------------------------------------------------------


@pytest.mark.parametrize("who", WHO)
def test_who_submits_approves_and_returns(who, world, plans, client_as):
    client = client_as(who)
    workplan = plans["16"]
    response = client.post(f"/api/v1/workplans/{workplan.pk}/submit/", {"version": 1})
    assert response.status_code == expected(who, EDIT), response.content
    # Outcome 18's workplan is its own coordinator's to submit.
    theirs = client.post(f"/api/v1/workplans/{plans['18'].pk}/submit/", {"version": 1})
    assert theirs.status_code == expected(who, {"other_coordinator", "administrator"})
    if response.status_code != 200:
        services.workplan_submit(user=world.user("administrator"), workplan=workplan, version=1)
    workplan.refresh_from_db()
    assert workplan.status == WorkplanStatus.SUBMITTED
    returned = client.post(
        f"/api/v1/workplans/{workplan.pk}/return/",
        {"version": workplan.version, "comment": "Raise Africa's targets."},
    )
    assert returned.status_code == expected(who, REVIEW), returned.content
    if returned.status_code == 200:
        assert returned.json()["status"] == "returned"
        workplan.refresh_from_db()
        workplan = services.workplan_submit(
            user=world.user("coordinator"), workplan=workplan, version=workplan.version
        )
    approved = client.post(
        f"/api/v1/workplans/{workplan.pk}/approve/", {"version": workplan.version}
    )
    assert approved.status_code == expected(who, REVIEW), approved.content
    workplan.refresh_from_db()
    assert (workplan.status == WorkplanStatus.APPROVED) is (who in REVIEW)


@pytest.mark.parametrize("who", WHO)
def test_who_comments_writes_resources_and_strategy(who, world, plans, client_as):
    client = client_as(who)
    workplan = plans["16"]
    comment = client.post(f"/api/v1/workplans/{workplan.pk}/comment/", {"text": "Noted."})
    assert comment.status_code == expected(who, COMMENT, 201), comment.content
    resources = client.put(
        f"/api/v1/workplans/{workplan.pk}/resources/", {"version": 1, "lines": _lines()}
    )
    assert resources.status_code == expected(who, EDIT), resources.content
    strategy = client.put(
        f"/api/v1/workplans/{workplan.pk}/strategy/knowledge/",
        {"text": "Surveys by sex.", "previous_text": ""},
    )
    assert strategy.status_code == expected(who, EDIT), strategy.content
    assert OutcomeStrategy.objects.filter(text="Surveys by sex.").exists() is (who in EDIT)
    opened = client.post("/api/v1/workplans/open/", {"biennium": "2012-13"})
    assert opened.status_code == expected(who, MANAGE), opened.content
    if who in MANAGE:
        assert opened.json() == {"created": 0, "results": []}


def test_the_review_thread_records_each_step_in_order(world, plans, client_as):
    coordinator, officer = client_as("coordinator"), client_as("programme_officer")
    workplan = plans["16"]
    address = f"/api/v1/workplans/{workplan.pk}/"
    assert coordinator.post(f"{address}submit/", {"version": 1}).json()["version"] == 2
    no_comment = officer.post(f"{address}return/", {"version": 2, "comment": " "})
    assert "comment" in _error(no_comment, 400)["fields"]
    officer.post(f"{address}return/", {"version": 2, "comment": "Raise Africa's targets."})
    event = coordinator.post(f"{address}comment/", {"text": "Raised to 22."})
    assert event.status_code == 201
    assert event.json()["kind"] == "comment"
    assert event.json()["author"] == world.user("coordinator").username
    resubmitted = coordinator.post(f"{address}submit/", {"version": 3})
    assert resubmitted.json()["status"] == "submitted"
    assert officer.post(f"{address}approve/", {"version": 4}).json()["status"] == "approved"
    thread = officer.get(f"{address}events/").json()["results"]
    assert [(e["kind"], e["text"]) for e in thread] == [
        ("submitted", ""),
        ("returned", "Raise Africa's targets."),
        ("comment", "Raised to 22."),
        ("submitted", ""),
        ("approved", ""),
    ]
    assert thread[1]["author_name"] == world.user("programme_officer").get_full_name()
    assert officer.get(address).json()["comment_count"] == 1


def test_steps_out_of_order_are_refused_with_a_message(world, plans, client_as):
    officer, coordinator = client_as("programme_officer"), client_as("coordinator")
    workplan = plans["16"]
    draft = officer.post(f"/api/v1/workplans/{workplan.pk}/approve/", {"version": 1})
    assert "cannot become approved" in _error(draft, 400)["message"]
    approved = _approved(plans, world)
    again = coordinator.post(f"/api/v1/workplans/{approved.pk}/submit/", {"version": 4})
    assert "cannot become submitted" in _error(again, 400)["message"]
    frozen = coordinator.put(
        f"/api/v1/workplans/{approved.pk}/resources/", {"version": 4, "lines": _lines()}
    )
    assert "mid-term review" in _error(frozen, 400)["message"]


def test_a_stale_version_is_a_409_and_changes_nothing(world, plans, client_as):
    coordinator = client_as("coordinator")
    workplan = plans["16"]
    saved = coordinator.put(
        f"/api/v1/workplans/{workplan.pk}/resources/", {"version": 1, "lines": _lines()}
    )
    assert saved.status_code == 200
    assert saved.json()["version"] == 2
    stale = coordinator.put(
        f"/api/v1/workplans/{workplan.pk}/resources/",
        {"version": 1, "lines": _lines(rb="1.00")},
    )
    error = _error(stale, 409)
    assert error["code"] == "conflict"
    assert error["current_version"] == 2
    assert (
        _error(coordinator.post(f"/api/v1/workplans/{workplan.pk}/submit/", {"version": 1}), 409)[
            "current_version"
        ]
        == 2
    )
    workplan.refresh_from_db()
    assert workplan.status == WorkplanStatus.DRAFT
    assert workplan.resources.get(region__code="africa").amount == Decimal("100000.00")
    missing = coordinator.post(f"/api/v1/workplans/{workplan.pk}/submit/", {})
    assert "version" in _error(missing, 400)["fields"]


def test_resources_replace_every_line(world, plans, client_as):
    coordinator = client_as("coordinator")
    address = f"/api/v1/workplans/{plans['16'].pk}/resources/"
    body = coordinator.put(address, {"version": 1, "lines": _lines()}).json()
    assert body["resources"] == [
        {"funding_source": "RB", "region": "africa", "amount": "100000.00"},
        {"funding_source": "RB", "region": None, "amount": "50000.50"},
        {"funding_source": "XBTC", "region": "asia-pacific", "amount": "300000.00"},
    ]
    assert body["resources_by_region"] == {
        "africa": "100000.00",
        "global": "50000.50",
        "asia-pacific": "300000.00",
    }
    assert body["resources_total"] == "450000.50"
    kept = coordinator.put(
        address,
        {"version": 2, "lines": [{"funding_source": "RB", "region": "africa", "amount": "0"}]},
    ).json()
    assert kept["resources"] == []
    assert kept["version"] == 3


@pytest.mark.parametrize(
    ("lines", "field"),
    [
        ([{"funding_source": "RB", "region": "africa", "amount": "-1"}], "amount"),
        ([{"funding_source": "RB", "region": "africa", "amount": "1e40"}], "amount"),
        ([{"funding_source": "RB", "region": "africa", "amount": "lots"}], "amount"),
        ([{"funding_source": "NOPE", "region": "africa", "amount": "1"}], "funding_source"),
        ([{"funding_source": "RB", "region": "Africa!", "amount": "1"}], "region"),
        ([{"funding_source": ["RB"], "region": None, "amount": "1"}], "funding_source"),
        (
            [{"funding_source": "RB", "amount": "1"}, {"funding_source": "RB", "amount": "2"}],
            "region",
        ),
    ],
)
def test_bad_resource_lines_are_a_400_on_the_line(world, plans, client_as, lines, field):
    response = client_as("coordinator").put(
        f"/api/v1/workplans/{plans['16'].pk}/resources/", {"version": 1, "lines": lines}
    )
    error = _error(response, 400)
    assert any(field in line for line in error["fields"]["lines"].values()), error
    assert not plans["16"].resources.exists()


def test_a_strategy_element_is_written_by_its_code(world, plans, client_as):
    coordinator = client_as("coordinator")
    address = f"/api/v1/workplans/{plans['16'].pk}/strategy/"
    written = coordinator.put(
        f"{address}risk-management/", {"text": "Reviewed quarterly.", "previous_text": ""}
    )
    assert written.status_code == 200, written.content
    assert written.json()["element"] == "risk-management"
    assert written.json()["text"] == "Reviewed quarterly."
    assert written.json()["biennium"] == "2012-13"
    assert _error(coordinator.put(f"{address}astrology/", {"text": "x"}), 404)["message"] == (
        "There is no strategy element astrology."
    )
    assert "text" in _error(coordinator.put(f"{address}knowledge/", {"text": ""}), 400)["fields"]
    assert (
        "previous_text"
        in _error(coordinator.put(f"{address}knowledge/", {"text": "x"}), 400)["fields"]
    )
    _error(coordinator.put(f"{address}not%20a%20code/", {"text": "x"}), 404)


def test_a_strategy_element_saved_since_you_read_it_is_a_409(world, plans, client_as):
    coordinator = client_as("coordinator")
    address = f"/api/v1/workplans/{plans['16'].pk}/strategy/knowledge/"
    coordinator.put(address, {"text": "Theirs.", "previous_text": ""})
    stale = _error(coordinator.put(address, {"text": "Mine.", "previous_text": ""}), 409)
    assert stale["current_text"] == "Theirs."
    assert OutcomeStrategy.objects.get(text="Theirs.")
    fresh = coordinator.put(address, {"text": "Mine.", "previous_text": "Theirs."})
    assert fresh.status_code == 200, fresh.content


def test_opening_a_biennium_opens_the_missing_workplans(world, plans, client_as):
    officer = client_as("programme_officer")
    OutcomeWorkplan.objects.filter(pk=plans["18"].pk).delete()
    opened = officer.post("/api/v1/workplans/open/", {"biennium": "2012-13"})
    assert opened.status_code == 201
    body = opened.json()
    assert body["created"] == 1
    assert [w["outcome_code"] for w in body["results"]] == ["18"]
    assert body["results"][0]["coordinator"] == world.user("other_coordinator").username
    unknown = officer.post("/api/v1/workplans/open/", {"biennium": "2099-00"})
    assert "biennium" in _error(unknown, 400)["fields"]
    malformed = officer.post("/api/v1/workplans/open/", {"biennium": "2012-2013"})
    assert "biennium" in _error(malformed, 400)["fields"]
    factories.biennium("2030-31")
    uncovered = officer.post("/api/v1/workplans/open/", {"biennium": "2030-31"})
    assert "No programme and budget covers" in _error(uncovered, 400)["message"]


# Mid-term reviews --------------------------------------------------------------------------


@pytest.mark.parametrize("who", WHO)
def test_who_holds_the_midterm_review(who, world, plans, client_as):
    client = client_as(who)
    workplan = _approved(plans, world)
    created = client.post(
        "/api/v1/midterm-reviews/",
        {"workplan": workplan.pk, "review_date": "2012-10-15", "summary": "On track."},
    )
    assert created.status_code == expected(who, MIDTERM, 201), created.content
    review = MidTermReview.objects.filter(workplan=workplan).first()
    assert (review is not None) is (who in MIDTERM)
    if review is None:
        review = _review_again(world, workplan)
    address = f"/api/v1/midterm-reviews/{review.pk}/"
    changed = client.patch(address, {"version": review.version, "lessons_learned": "More."})
    assert changed.status_code == expected(who, MIDTERM), changed.content
    action = client.post(f"{address}corrective-actions/", {"text": "Mobilize a donor."})
    assert action.status_code == expected(who, MIDTERM, 201), action.content
    moved = client.post(
        f"{address}reallocations/",
        {
            "kind": "transfer",
            "from_source": "RB",
            "from_region": "africa",
            "to_source": "RB",
            "to_region": "asia-pacific",
            "amount": "25000",
            "reason": "Asia advances faster.",
        },
    )
    assert moved.status_code == expected(who, MIDTERM, 201), moved.content


def _review_again(world, workplan) -> MidTermReview:
    return services.midterm_review_save(
        user=world.user("administrator"),
        workplan=workplan,
        review_date=datetime.date(2012, 10, 15),
    )


def test_a_midterm_review_with_its_decisions(world, plans, client_as):
    officer = client_as("programme_officer")
    workplan = _approved(plans, world)
    created = officer.post(
        "/api/v1/midterm-reviews/",
        {"workplan": workplan.pk, "review_date": "2012-10-15", "summary": "On track in Asia."},
    )
    assert created.status_code == 201, created.content
    review = created.json()
    assert (review["outcome_code"], review["biennium"], review["version"]) == ("16", "2012-13", 1)
    address = f"/api/v1/midterm-reviews/{review['id']}/"
    again = officer.post(
        "/api/v1/midterm-reviews/", {"workplan": workplan.pk, "review_date": "2012-11-01"}
    )
    assert "already has a mid-term review" in " ".join(_error(again, 400)["fields"]["workplan"])
    patched = officer.patch(address, {"version": 1, "lessons_learned": "Coordinate with IOM."})
    assert patched.json()["summary"] == "On track in Asia."  # kept
    assert patched.json()["lessons_learned"] == "Coordinate with IOM."
    assert patched.json()["version"] == 2
    assert (
        _error(officer.patch(address, {"version": 1, "summary": "x"}), 409)["current_version"] == 2
    )
    outside = officer.patch(address, {"version": 2, "review_date": "2015-01-01"})
    assert "review_date" in _error(outside, 400)["fields"]
    action = officer.post(
        f"{address}corrective-actions/", {"region": "africa", "text": "Mobilize a donor."}
    )
    assert action.json()["region"] == "africa"
    transfer = officer.post(
        f"{address}reallocations/",
        {
            "kind": "transfer",
            "from_source": "RB",
            "from_region": "africa",
            "to_source": "RBSA",
            "to_region": "africa",
            "amount": "40000.00",
            "reason": "RBSA for the targets at risk.",
        },
    )
    assert transfer.status_code == 201, transfer.content
    assert transfer.json()["decided_by"] == world.user("programme_officer").username
    added = officer.post(
        f"{address}reallocations/",
        {
            "kind": "new_allocation",
            "to_source": "XBTC",
            "to_region": None,
            "amount": "150000",
            "reason": "A new donor.",
        },
    )
    assert added.status_code == 201, added.content
    read = officer.get(address).json()
    assert [a["text"] for a in read["corrective_actions"]] == ["Mobilize a donor."]
    assert [(r["kind"], r["amount"]) for r in read["reallocations"]] == [
        ("transfer", "40000.00"),
        ("new_allocation", "150000.00"),
    ]
    # A transfer keeps the total; the new allocation adds to it.
    money = officer.get(f"/api/v1/workplans/{workplan.pk}/").json()
    assert money["resources_total"] == "550000.00"
    assert money["resources_by_source"] == {
        "RB": "60000.00",
        "XBTC": "450000.00",
        "RBSA": "40000.00",
    }


def test_a_line_that_holds_too_little_cannot_give_it(world, plans, client_as):
    review = _review(plans, world)
    response = client_as("coordinator").post(
        f"/api/v1/midterm-reviews/{review.pk}/reallocations/",
        {
            "kind": "transfer",
            "from_source": "RB",
            "from_region": "africa",
            "to_source": "RB",
            "to_region": "americas",
            "amount": "100000.01",
            "reason": "Too much.",
        },
    )
    error = _error(response, 400)
    assert error["fields"]["amount"] == ["Only 100,000.00 USD are on the line RB, Africa."]
    assert not review.reallocations.exists()


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"amount": "-5"}, "amount"),
        ({"amount": "0"}, "amount"),
        ({"kind": "gift"}, "kind"),
        ({"to_source": "GOLD"}, "to_source"),
        ({"to_region": "atlantis"}, "to_region"),
        ({"reason": ""}, "reason"),
        ({"from_source": None}, "from_source"),  # a transfer says where the money comes from
        ({"kind": "new_allocation"}, "from_source"),  # ... and a new allocation does not
        ({"kind": "new_allocation", "from_source": None}, "from_region"),
        ({"to_region": "africa"}, "to_source"),  # the same line
    ],
)
def test_bad_reallocations_are_a_400(world, plans, client_as, change, where):
    review = _review(plans, world)
    payload = {
        "kind": "transfer",
        "from_source": "RB",
        "from_region": "africa",
        "to_source": "RB",
        "to_region": "asia-pacific",
        "amount": "10",
        "reason": "Because.",
        **change,
    }
    error = _error(
        client_as("administrator").post(
            f"/api/v1/midterm-reviews/{review.pk}/reallocations/", payload
        ),
        400,
    )
    assert where in error["fields"], error


def test_a_review_needs_an_approved_workplan_and_a_date_in_the_biennium(world, plans, client_as):
    officer = client_as("programme_officer")
    draft = officer.post(
        "/api/v1/midterm-reviews/", {"workplan": plans["18"].pk, "review_date": "2012-10-15"}
    )
    assert "approved workplan" in _error(draft, 400)["message"]
    workplan = _approved(plans, world)
    late = officer.post(
        "/api/v1/midterm-reviews/", {"workplan": workplan.pk, "review_date": "2016-10-15"}
    )
    assert "review_date" in _error(late, 400)["fields"]
    for bad in ({"workplan": 987654321}, {"workplan": "x"}, {"review_date": "15/10/2012"}):
        body = {"workplan": workplan.pk, "review_date": "2012-10-15", **bad}
        assert set(bad) <= set(
            _error(officer.post("/api/v1/midterm-reviews/", body), 400)["fields"]
        )


def test_midterm_review_filters(world, plans, client_as):
    review = _review(plans, world)
    client = client_as("rpo_asia")

    def ids(**params) -> set[int]:
        return {r["id"] for r in client.get("/api/v1/midterm-reviews/", params).json()["results"]}

    assert ids() == {review.pk}
    assert ids(biennium="2012-13", outcome=plans["16"].outcome_id) == {review.pk}
    assert ids(outcome=plans["18"].outcome_id) == set()
    assert ids(workplan=plans["16"].pk) == {review.pk}
    assert ids(updated_since="2100-01-01T00:00:00Z") == set()
    assert "biennium" in _error(client.get("/api/v1/midterm-reviews/?biennium=x"), 400)["fields"]


# The demand-and-target table ---------------------------------------------------------------


def _table_json(table, workplans=None) -> dict:
    """What the API should answer, built independently from the selector's table."""
    return {
        "biennium": table.biennium.code,
        "regions": [r.code for r in table.regions],
        "rows": [
            [
                outcome.code,
                [(r.code, c.demand, c.target, c.flagged) for r, c in cells],
                (total.demand, total.target),
            ]
            for outcome, cells, total in table.rows()
        ],
        "region_totals": [
            (r.code, table.region_totals[r.pk].demand, table.region_totals[r.pk].target)
            if r.pk in table.region_totals
            else (r.code, 0, 0)
            for r in table.regions
        ],
        "grand_total": (table.grand_total.demand, table.grand_total.target),
    }


def _answer_json(body: dict) -> dict:
    return {
        "biennium": body["biennium"],
        "regions": [r["code"] for r in body["regions"]],
        "rows": [
            [
                row["outcome_code"],
                [(c["region"], c["demand"], c["target"], c["flagged"]) for c in row["cells"]],
                (row["total"]["demand"], row["total"]["target"]),
            ]
            for row in body["rows"]
        ],
        "region_totals": [(c["region"], c["demand"], c["target"]) for c in body["region_totals"]],
        "grand_total": (body["grand_total"]["demand"], body["grand_total"]["target"]),
    }


def test_the_table_is_the_selectors_table_in_json_and_csv(world, plans, client_as):
    factories.CpoFactory(
        programme=world.idn, outcome=plans["18"].outcome, prioritized=False, targeted=True
    )
    biennium = factories.biennium("2012-13")
    client = client_as("field_idn")
    body = client.get("/api/v1/demand-target-table/", {"biennium": "2012-13"}).json()
    table = demand_target_table(biennium)
    assert _answer_json(body) == _table_json(table)
    assert body["region"] is None
    assert {r["outcome_code"]: r["workplan"] for r in body["rows"]} == {
        "16": plans["16"].pk,
        "18": plans["18"].pk,
    }
    asia = {r["outcome_code"]: r["cells"][3] for r in body["rows"]}
    assert asia["16"] == {"region": "asia-pacific", "demand": 2, "target": 2, "flagged": False}
    assert asia["18"] == {"region": "asia-pacific", "demand": 0, "target": 1, "flagged": True}
    assert body["grand_total"] == {"demand": 2, "target": 3, "flagged": True}
    response = client.get("/api/v1/demand-target-table/", {"biennium": "2012-13", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="demand-and-targets-2012-13.csv"' in response["Content-Disposition"]
    assert response.content.decode() == table_csv(table)
    by_header = client.get("/api/v1/demand-target-table/?biennium=2012-13", HTTP_ACCEPT="text/csv")
    assert by_header.content.decode() == table_csv(table)


def test_a_region_keeps_that_region(world, plans, client_as):
    client = client_as("rpo_asia")
    body = client.get("/api/v1/demand-target-table/?biennium=2012-13&region=asia-pacific").json()
    assert body["region"] == "asia-pacific"
    assert [r["code"] for r in body["regions"]] == ["asia-pacific"]
    table = demand_target_table(
        factories.biennium("2012-13"), region=Region.objects.get(code="asia-pacific")
    )
    assert _answer_json(body) == _table_json(table)
    csv_text = client.get(
        "/api/v1/demand-target-table/?biennium=2012-13&region=asia-pacific&format=csv"
    )
    assert csv_text.content.decode() == table_csv(table)
    assert "demand-and-targets-2012-13-asia-pacific.csv" in csv_text["Content-Disposition"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "biennium"),
        ({"biennium": "2012-14"}, "biennium"),
        ({"biennium": "twenty"}, "biennium"),
        ({"biennium": "2099-00"}, "biennium"),
        ({"biennium": "2030-31"}, "biennium"),  # exists, but no programme and budget covers it
        ({"biennium": "2012-13", "region": "mars"}, "region"),
        ({"biennium": "2012-13", "region": "a\x00b"}, "region"),
        ({"biennium": "2012-13", "format": "xml"}, "format"),
        ({"biennium": "2012-14", "format": "csv"}, "biennium"),
    ],
)
def test_a_bad_table_address_is_a_400_in_json(world, plans, client_as, params, field):
    factories.biennium("2030-31")
    response = client_as("coordinator").get("/api/v1/demand-target-table/", params)
    assert response["Content-Type"] == "application/json"
    assert field in _error(response, 400)["fields"]


def test_the_demo_table_gives_every_cell_of_table_1_and_its_grand_total(demo, client):
    from rbm.models import User

    client.force_login(User.objects.get(username="programme.officer"))
    body = client.get("/api/v1/demand-target-table/?biennium=2012-13").json()
    seed = json.loads((DATA_DIR / "spf_2010_15.json").read_text(encoding="utf-8"))["table1"]
    cells = {
        (row["outcome_code"], cell["region"]): (cell["demand"], cell["target"])
        for row in body["rows"]
        for cell in row["cells"]
    }
    assert len(body["rows"]) == 19
    assert len(cells) == 19 * 5
    for cell in seed["cells"]:
        assert cells[(cell["outcome"], cell["region"])] == (cell["demand"], cell["target"]), cell
    assert body["grand_total"] == {"demand": 911, "target": 576, "flagged": False}
    biennium = Biennium.objects.get(start_year=2012)
    table = demand_target_table(biennium)
    assert _answer_json(body) == _table_json(table)
    assert all(row["workplan"] for row in body["rows"])
    flagged = {
        (r["outcome_code"], c["region"]) for r in body["rows"] for c in r["cells"] if c["flagged"]
    }
    assert {("16", "asia-pacific"), ("8", "europe-central-asia")} <= flagged
    exported = client.get("/api/v1/demand-target-table/?biennium=2012-13&format=csv")
    assert exported.content.decode() == table_csv(table)
    rows = list(csv.DictReader(io.StringIO(exported.content.decode())))
    assert rows[-1] == {"outcome": "Total", "region": "Total", "demand": "911", "target": "576"}
    # Table 1 as printed, recorded by the demo: 18 figures differ from the records.
    printed = PublishedTable.objects.get(biennium=biennium)
    comparison = client.get(f"/api/v1/published-tables/{printed.pk}/comparison/").json()
    assert len(comparison["differences"]) == 18
    assert {
        "outcome": "Total",
        "region": "Total",
        "measure": "demand",
        "published": 902,
        "computed": 911,
        "difference": 9,
    } in comparison["differences"]


# Published tables --------------------------------------------------------------------------


@pytest.mark.parametrize("who", WHO)
def test_who_records_a_published_table(who, world, plans, client_as):
    response = client_as(who).post(
        "/api/v1/published-tables/",
        {
            "biennium": "2012-13",
            "name": "Table 1",
            "csv": "outcome,region,demand,target\n16,Asia,2,2\n",
        },
    )
    assert response.status_code == expected(who, MANAGE, 201), response.content
    assert PublishedTable.objects.filter(name="Table 1").exists() is (who in MANAGE)


def test_a_published_table_from_csv_text_or_a_file_and_its_comparison(world, plans, client_as):
    officer = client_as("programme_officer")
    text = "outcome,region,demand,target\n16,Asia,3,2\n16,Total,3,2\nTotal,Total,,5\n"
    created = officer.post(
        "/api/v1/published-tables/",
        {"biennium": "2012-13", "name": "Preview", "source": "GB.309", "csv": text},
    )
    assert created.status_code == 201, created.content
    table = created.json()
    assert (table["name"], table["source"], table["figure_count"]) == ("Preview", "GB.309", 3)
    assert table["recorded_by"] == world.user("programme_officer").username
    assert table["figures"][2] == {
        "outcome": "Total",
        "region": "Total",
        "demand": None,
        "target": 5,
    }
    comparison = officer.get(f"/api/v1/published-tables/{table['id']}/comparison/").json()
    assert comparison["differences"] == [
        {
            "outcome": "16",
            "region": "Asia",
            "measure": "demand",
            "published": 3,
            "computed": 2,
            "difference": -1,
        },
        {
            "outcome": "16",
            "region": "Total",
            "measure": "demand",
            "published": 3,
            "computed": 2,
            "difference": -1,
        },
        {
            "outcome": "Total",
            "region": "Total",
            "measure": "target",
            "published": 5,
            "computed": 2,
            "difference": -3,
        },
    ]
    stored = PublishedTable.objects.get(pk=table["id"])
    expected_differences = compare_with_published(
        demand_target_table(factories.biennium("2012-13")), stored
    )
    assert len(comparison["differences"]) == len(expected_differences)
    taken = officer.post(
        "/api/v1/published-tables/", {"biennium": "2012-13", "name": "Preview", "csv": text}
    )
    assert "name" in _error(taken, 400)["fields"]
    exported = table_csv(demand_target_table(factories.biennium("2012-13")))
    upload = SimpleUploadedFile("table1.csv", exported.encode("utf-8-sig"), "text/csv")
    replaced = officer.post(
        "/api/v1/published-tables/",
        {"biennium": "2012-13", "name": "Preview", "file": upload, "replace": "true"},
        format="multipart",
    )
    assert replaced.status_code == 201, replaced.content
    assert replaced.json()["figure_count"] == 2 * 6 + 6
    same = officer.get(f"/api/v1/published-tables/{replaced.json()['id']}/comparison/").json()
    assert same["differences"] == []
    listed = officer.get("/api/v1/published-tables/?biennium=2012-13").json()["results"]
    assert [(t["name"], t["figure_count"]) for t in listed] == [("Preview", 18)]
    assert "figures" not in listed[0]


def test_a_bad_csv_lists_every_row_error_and_saves_nothing(world, plans, client_as):
    text = "outcome,region,demand,target\n16,Asia,2,2\n99,Asia,1,1\n16,Atlantis,-1,x\n16,Asia,2,2\n"
    response = client_as("programme_officer").post(
        "/api/v1/published-tables/", {"biennium": "2012-13", "name": "Bad", "csv": text}
    )
    error = _error(response, 400)
    assert error["message"] == "The file has 5 errors; nothing was saved."
    assert error["rows"] == [
        {"row": 3, "column": "outcome", "message": "99 is not an outcome of 2012-13."},
        {"row": 4, "column": "region", "message": "Atlantis is not a region."},
        {"row": 4, "column": "demand", "message": "-1 is not a whole number of 0 or more."},
        {"row": 4, "column": "target", "message": "x is not a whole number of 0 or more."},
        {"row": 5, "column": "region", "message": "This outcome and region appear twice."},
    ]
    assert not PublishedTable.objects.exists()
    header = client_as("programme_officer").post(
        "/api/v1/published-tables/", {"biennium": "2012-13", "name": "Bad", "csv": "a,b\n1,2\n"}
    )
    assert _error(header, 400)["rows"][0]["column"] == "outcome, region, demand, target"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "x", "csv": "outcome,region,demand,target\n"}, "biennium"),
        ({"biennium": "2099-00", "name": "x", "csv": "a"}, "biennium"),
        ({"biennium": "2012-13", "csv": "a"}, "name"),
        ({"biennium": "2012-13", "name": "x"}, "message"),  # neither text nor file
        ({"biennium": "2012-13", "name": "x", "csv": ""}, "csv"),
        ({"biennium": "2012-13", "name": "x", "csv": "a", "replace": "perhaps"}, "replace"),
    ],
)
def test_bad_published_table_requests_are_a_400(world, plans, client_as, body, field):
    error = _error(client_as("administrator").post("/api/v1/published-tables/", body), 400)
    assert field in error.get("fields", {}) or (field == "message" and "CSV" in error["message"])


def test_a_file_that_is_not_utf8_or_too_large_is_a_400(world, plans, client_as):
    client = client_as("administrator")
    for content, message in (
        (b"\xff\xfeo\x00u\x00", "not UTF-8"),
        (b"x" * (2 * 1024 * 1024 + 1), "larger than 2 MB"),
    ):
        response = client.post(
            "/api/v1/published-tables/",
            {"biennium": "2012-13", "name": "x", "file": SimpleUploadedFile("t.csv", content)},
            format="multipart",
        )
        assert message in _error(response, 400)["fields"]["file"][0]
    both = client.post(
        "/api/v1/published-tables/",
        {
            "biennium": "2012-13",
            "name": "x",
            "csv": "outcome,region,demand,target\n",
            "file": SimpleUploadedFile("t.csv", b"outcome,region,demand,target\n"),
        },
        format="multipart",
    )
    assert "either" in _error(both, 400)["message"]


# Query counts ------------------------------------------------------------------------------


def _grow(world, n: int) -> None:
    """n more outcomes with their workplans (resources, events), reviews and published tables."""
    _plan, outcomes = factories.framework_2012_13()
    officer, admin = world.user("programme_officer"), world.user("administrator")
    biennium = factories.biennium("2012-13")
    sources = [factories.funding_source(code) for code in ("RB", "XBTC")]
    regions = list(Region.objects.all())
    start = OutcomeWorkplan.objects.count()
    for i in range(start, start + n):
        outcome = factories.OutcomeFactory(objective=outcomes[0].objective, code=str(40 + i))
        outcome.coordinators.add(world.user("coordinator"))
        (workplan,) = services.workplans_open(user=officer, biennium=biennium)
        workplan = services.workplan_resources_set(
            user=admin,
            workplan=workplan,
            version=workplan.version,
            lines={(s, r): Decimal(1000 + i) for s in sources for r in regions[:3]},
        )
        services.workplan_comment(user=officer, workplan=workplan, text=f"Comment {i}")
        workplan = services.workplan_submit(user=admin, workplan=workplan, version=workplan.version)
        workplan = services.workplan_approve(
            user=admin, workplan=workplan, version=workplan.version
        )
        review = services.midterm_review_save(
            user=officer, workplan=workplan, review_date=datetime.date(2012, 10, 1)
        )
        services.corrective_action_add(user=officer, review=review, text="Act", region=regions[0])
        services.reallocation_record(
            user=officer,
            review=review,
            kind="transfer",
            from_source=sources[0],
            from_region=regions[0],
            to_source=sources[1],
            to_region=None,
            amount=Decimal(10),
            reason="Why not",
        )
        services.published_table_record(
            user=officer,
            biennium=biennium,
            name=f"Table {i}",
            text=f"outcome,region,demand,target\n16,Asia,{i},1\n16,Africa,1,{i}\n",
        )


LISTS = [
    "workplans",
    "midterm-reviews",
    "published-tables",
    "demand-target-table",
]


@pytest.mark.parametrize("who", ["field_idn", "coordinator", "administrator"])
def test_list_queries_do_not_grow_with_page_size_or_rows(
    who, world, plans, client_as, count_queries
):
    client = client_as(who)
    client.get("/api/v1/regions/")  # the token's first use is recorded once

    def measure(page_size: int) -> dict[str, int]:
        counts = {}
        for resource in LISTS:
            url = f"/api/v1/{resource}/?page_size={page_size}&biennium=2012-13"
            counts[resource] = count_queries(lambda url=url: client.get(url))
        table = "/api/v1/demand-target-table/?biennium=2012-13&format=csv"
        counts["demand-target-table csv"] = count_queries(lambda: client.get(table))
        return counts

    _grow(world, 2)
    small = measure(2)
    _grow(world, 6)
    large = measure(200)
    assert large == small
    print(f"\n{who}: " + ", ".join(f"{r}={n}" for r, n in small.items()))

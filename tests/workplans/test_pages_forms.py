"""The forms of the workplan pages write through the services: the review workflow, comments,
strategy and resources, the mid-term review with its reallocations, and published figures.
Bad input is refused with the service's message (400), a stale version with 409, a step the
user may not take with 403; nothing saved is lost."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from rbm.models import Role
from strategic_plans.models import OutcomeStrategy, StrategyElement
from tests import factories
from tests.workplans.test_pages import ROLES, approve, build_world, login
from workplans import services
from workplans.models import (
    CorrectiveAction,
    EventKind,
    MidTermReview,
    PublishedTable,
    Reallocation,
    WorkplanResource,
    WorkplanStatus,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(user_for):
    return build_world(user_for)


def _url(name, workplan, *args):
    return reverse(f"workplans:{name}", args=[workplan.pk, *args])


def _fresh(world):
    world["workplan"].refresh_from_db()
    return world["workplan"]


# The review workflow through the pages ------------------------------------------------------


def test_submit_return_comment_resubmit_approve(client, world):
    workplan = world["workplan"]
    # The coordinator submits
    login(client, world, "coordinator")
    response = client.post(_url("submit", workplan), {"version": workplan.version})
    assert response.status_code == 302
    assert response["Location"] == _url("detail", workplan)
    assert _fresh(world).status == WorkplanStatus.SUBMITTED
    # The programme officer tries to return it without a comment: refused, nothing changes
    login(client, world, "programme_officer")
    version = _fresh(world).version
    response = client.post(_url("return", workplan), {"version": version, "comment": "  "})
    assert response.status_code == 400
    assert "a comment is required" in response.content.decode()
    assert _fresh(world).status == WorkplanStatus.SUBMITTED
    # ... then with one
    response = client.post(
        _url("return", workplan), {"version": version, "comment": "Raise Africa's targets."}
    )
    assert response.status_code == 302
    assert _fresh(world).status == WorkplanStatus.RETURNED
    # The coordinator reads it, answers and submits again
    login(client, world, "coordinator")
    page = client.get(_url("detail", workplan)).content.decode()
    assert "Raise Africa&#x27;s targets." in page
    assert "Returned by" in page
    response = client.post(_url("comment", workplan), {"text": "Raised to 3 in Africa."})
    assert response.status_code == 302
    response = client.post(_url("submit", workplan), {"version": _fresh(world).version})
    assert response.status_code == 302
    # The programme officer approves it
    login(client, world, "programme_officer")
    response = client.post(_url("approve", workplan), {"version": _fresh(world).version})
    assert response.status_code == 302
    response = client.get(_url("detail", workplan))
    assert _fresh(world).status == WorkplanStatus.APPROVED
    kinds = [e.kind for e in response.context["detail"].events]
    assert kinds == [
        EventKind.SUBMITTED,
        EventKind.RETURNED,
        EventKind.COMMENT,
        EventKind.SUBMITTED,
        EventKind.APPROVED,
    ]
    page = response.content.decode()
    assert "Approved" in page
    assert "Raised to 3 in Africa." in page


STEPS = {
    # step: (the workplan's status before, who may take it)
    "submit": ("draft", {"coordinator", "admin"}),
    "approve": ("submitted", {"programme_officer", "admin"}),
    "return": ("submitted", {"programme_officer", "admin"}),
    "comment": ("draft", {"coordinator", "regional", "programme_officer", "admin"}),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("step", list(STEPS))
def test_who_may_take_each_step_through_the_pages(client, world, role, step):
    status, allowed = STEPS[step]
    workplan = world["workplan"]
    if status == "submitted":
        workplan = services.workplan_submit(
            user=world["users"]["coordinator"], workplan=workplan, version=workplan.version
        )
    login(client, world, role)
    response = client.post(
        _url(step, workplan),
        {"version": workplan.version, "comment": "Why?", "text": "A comment."},
    )
    after = _fresh(world)
    if role == "public":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    elif role in allowed:
        assert response.status_code == 302
    else:
        assert response.status_code == 403
    if role not in allowed:
        assert after.status == status
        assert after.events.count() == (1 if status == "submitted" else 0)


def test_a_stale_version_is_a_409_with_a_reload_message(client, world):
    workplan = world["workplan"]
    read = workplan.version
    services.workplan_resources_set(
        user=world["users"]["admin"],
        workplan=workplan,
        version=read,
        lines={(factories.funding_source("RB"), None): Decimal(1000)},
    )
    login(client, world, "coordinator")
    response = client.post(_url("submit", workplan), {"version": read})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Reload it and make your change again." in page
    assert "Reload the current version" in page
    assert _fresh(world).status == WorkplanStatus.DRAFT
    # Approving what the officer read before the coordinator submitted it again
    workplan = _fresh(world)
    services.workplan_submit(
        user=world["users"]["coordinator"], workplan=workplan, version=workplan.version
    )
    login(client, world, "programme_officer")
    response = client.post(_url("approve", workplan), {"version": workplan.version})
    assert response.status_code == 409
    assert _fresh(world).status == WorkplanStatus.SUBMITTED
    # A missing version is a conflict too, never a 500
    response = client.post(_url("approve", workplan), {"version": "abc"})
    assert response.status_code == 400 or response.status_code == 409


def test_a_step_out_of_order_is_a_400_with_the_message(client, world):
    approve(world)
    login(client, world, "programme_officer")
    response = client.post(_url("approve", world["workplan"]), {"version": _fresh(world).version})
    assert response.status_code == 400
    assert "The workplan is approved: it cannot become approved." in response.content.decode()


def test_an_empty_comment_is_refused_and_the_thread_unchanged(client, world):
    login(client, world, "regional")
    response = client.post(_url("comment", world["workplan"]), {"text": " "})
    assert response.status_code == 400
    assert "Write the comment." in response.content.decode()
    assert world["workplan"].events.count() == 0


# The review queue --------------------------------------------------------------------------


def test_the_queue_approves_and_returns_with_a_comment(client, world):
    for key in ("workplan", "other_workplan"):
        workplan = world[key]
        services.workplan_submit(
            user=world["users"]["admin"], workplan=workplan, version=workplan.version
        )
    login(client, world, "programme_officer")
    url = reverse("workplans:review-queue")
    response = client.get(url)
    assert {w.outcome.code for w in response.context["workplans"]} == {"16", "18"}
    assert all(w.submitted_at for w in response.context["workplans"])
    workplan, other = _fresh(world), world["other_workplan"]
    other.refresh_from_db()
    # Return without a comment: 400, with the message on the row, and the comment box open
    response = client.post(
        url, {"workplan": workplan.pk, "version": workplan.version, "action": "return"}
    )
    assert response.status_code == 400
    row = next(w for w in response.context["workplans"] if w.pk == workplan.pk)
    assert "a comment is required" in row.error
    response = client.post(
        url,
        {
            "workplan": workplan.pk,
            "version": workplan.version,
            "action": "return",
            "comment": "Explain Asia's targets.",
        },
    )
    assert response.status_code == 302
    response = client.post(
        url, {"workplan": other.pk, "version": other.version, "action": "approve"}, follow=True
    )
    assert "was approved" in response.content.decode()
    assert "No workplan waits for review." in response.content.decode()
    assert _fresh(world).status == WorkplanStatus.RETURNED
    other.refresh_from_db()
    assert other.status == WorkplanStatus.APPROVED


def test_the_queue_refuses_a_stale_decision_with_409(client, world):
    workplan = world["workplan"]
    read = workplan.version
    services.workplan_submit(user=world["users"]["admin"], workplan=workplan, version=read)
    login(client, world, "programme_officer")
    response = client.post(
        reverse("workplans:review-queue"),
        {"workplan": workplan.pk, "version": read, "action": "approve"},
    )
    assert response.status_code == 409
    assert "Reload the queue" in response.content.decode()
    assert _fresh(world).status == WorkplanStatus.SUBMITTED


@pytest.mark.parametrize("role", ["field", "regional", "coordinator", "gb"])
def test_the_queue_refuses_others(client, world, role):
    workplan = world["workplan"]
    services.workplan_submit(
        user=world["users"]["admin"], workplan=workplan, version=workplan.version
    )
    login(client, world, role)
    response = client.post(
        reverse("workplans:review-queue"),
        {"workplan": workplan.pk, "version": workplan.version + 1, "action": "approve"},
    )
    assert response.status_code == 403
    assert _fresh(world).status == WorkplanStatus.SUBMITTED


# Strategy and resources --------------------------------------------------------------------


def test_the_coordinator_writes_a_strategy_element_in_place(client, world):
    workplan = world["workplan"]
    element = StrategyElement.objects.get(code="risk-management")
    url = _url("strategy", workplan, element.pk)
    login(client, world, "coordinator")
    page = client.get(_url("detail", workplan)).content.decode()
    assert url in page
    response = client.post(url, {f"element-{element.pk}-text": "Risks are reviewed quarterly."})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#element-{element.pk}")
    strategy = OutcomeStrategy.objects.get(outcome=workplan.outcome, element=element)
    assert strategy.text == "Risks are reviewed quarterly."
    # An empty text is refused with the service's message, the old text kept
    response = client.post(url, {f"element-{element.pk}-text": "  "})
    assert response.status_code == 400
    assert "Write the strategy for this element." in response.content.decode()
    strategy.refresh_from_db()
    assert strategy.text == "Risks are reviewed quarterly."
    # Another coordinator may not
    login(client, world, "coordinator_other")
    response = client.post(url, {f"element-{element.pk}-text": "Mine now."})
    assert response.status_code == 403
    # Once submitted, the text is no longer edited
    services.workplan_submit(
        user=world["users"]["coordinator"], workplan=_fresh(world), version=_fresh(world).version
    )
    login(client, world, "coordinator")
    response = client.post(url, {f"element-{element.pk}-text": "Too late."})
    assert response.status_code == 400
    assert "can be changed only as a draft or when returned" in response.content.decode()
    strategy.refresh_from_db()
    assert strategy.text == "Risks are reviewed quarterly."


def test_a_strategy_element_saved_since_the_page_was_opened_is_not_overwritten(client, world):
    workplan = world["workplan"]
    element = StrategyElement.objects.get(code="knowledge")
    url = _url("strategy", workplan, element.pk)
    login(client, world, "coordinator")
    client.post(url, {f"element-{element.pk}-text": "First.", f"element-{element.pk}-previous": ""})
    page = client.get(_url("detail", workplan)).content.decode()
    assert f'name="element-{element.pk}-previous" value="First."' in page
    # Someone else saves from a page they opened after "First."
    client.post(
        url, {f"element-{element.pk}-text": "Theirs.", f"element-{element.pk}-previous": "First."}
    )
    # The first page, still showing "First.", is refused and shows their text
    response = client.post(
        url, {f"element-{element.pk}-text": "Mine.", f"element-{element.pk}-previous": "First."}
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved this element since you opened it." in page
    assert "Theirs." in page
    assert f'name="element-{element.pk}-previous" value="Theirs."' in page
    assert OutcomeStrategy.objects.get(outcome=workplan.outcome, element=element).text == "Theirs."


def _resource_data(version, **amounts):
    data = {"version": version}
    for key, amount in amounts.items():
        data[f"amount_{key}"] = amount
    return data


def test_the_coordinator_sets_the_resources_as_a_matrix(client, world):
    workplan = world["workplan"]
    login(client, world, "coordinator")
    page = client.get(_url("detail", workplan)).content.decode()
    assert 'name="amount_RB_africa"' in page
    assert 'name="amount_XBTC_global"' in page
    response = client.post(
        _url("resources", workplan),
        _resource_data(
            workplan.version,
            RB_africa="100000",
            XBTC_africa="50000",
            **{"XBTC_asia-pacific": "300000"},
            RB_global="25000",
        ),
    )
    assert response.status_code == 302
    lines = {
        (r.funding_source.code, r.region.code if r.region else None): r.amount
        for r in WorkplanResource.objects.filter(workplan=workplan).select_related(
            "funding_source", "region"
        )
    }
    assert lines == {
        ("RB", "africa"): Decimal("100000"),
        ("XBTC", "africa"): Decimal("50000"),
        ("XBTC", "asia-pacific"): Decimal("300000"),
        ("RB", None): Decimal("25000"),
    }
    response = client.get(_url("detail", workplan))
    detail = response.context["detail"]
    assert detail.resources_total == Decimal("475000")
    assert detail.resources_by_region[factories.region("africa").pk] == Decimal("150000")
    assert detail.resources_by_source[factories.funding_source("XBTC").pk] == Decimal("350000")
    page = response.content.decode()
    assert "475,000" in page
    # Emptying a line removes it
    response = client.post(
        _url("resources", workplan),
        _resource_data(_fresh(world).version, RB_africa="100000"),
    )
    assert response.status_code == 302
    assert WorkplanResource.objects.filter(workplan=workplan).count() == 1


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("public", 302),
        ("field", 403),
        ("regional", 403),
        ("coordinator", 302),
        ("coordinator_other", 403),
        ("programme_officer", 403),
        ("gb", 403),
        ("admin", 302),
    ],
)
def test_who_may_set_the_resources_and_the_strategy(client, world, role, status):
    workplan = world["workplan"]
    element = StrategyElement.objects.get(code="knowledge")
    login(client, world, role)
    response = client.post(
        _url("resources", workplan), _resource_data(workplan.version, RB_africa="1000")
    )
    assert response.status_code == status
    response = client.post(
        _url("strategy", workplan, element.pk), {f"element-{element.pk}-text": "Surveys."}
    )
    assert response.status_code == status
    saved = role in ("coordinator", "admin")
    assert WorkplanResource.objects.filter(workplan=workplan).exists() is saved
    assert OutcomeStrategy.objects.filter(outcome=workplan.outcome).exists() is saved


@pytest.mark.parametrize("amount", ["-5", "abc", "1e30", "99999999999999999999"])
def test_bad_amounts_are_refused_and_nothing_saved_is_lost(client, world, amount):
    workplan = world["workplan"]
    services.workplan_resources_set(
        user=world["users"]["coordinator"],
        workplan=workplan,
        version=workplan.version,
        lines={(factories.funding_source("RB"), factories.region("africa")): Decimal(7000)},
    )
    login(client, world, "coordinator")
    response = client.post(
        _url("resources", workplan),
        _resource_data(_fresh(world).version, RB_africa="8000", RB_americas=amount),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="8000"' in page  # what the user typed is shown again
    assert list(WorkplanResource.objects.values_list("amount", flat=True)) == [Decimal(7000)]


def test_stale_resources_are_refused_with_409_and_the_typed_amounts_kept(client, world):
    workplan = world["workplan"]
    read = workplan.version
    services.workplan_resources_set(
        user=world["users"]["admin"],
        workplan=workplan,
        version=read,
        lines={(factories.funding_source("RB"), None): Decimal(1000)},
    )
    login(client, world, "coordinator")
    response = client.post(_url("resources", workplan), _resource_data(read, RB_africa="4321"))
    assert response.status_code == 409
    page = response.content.decode()
    assert "Reload it and make your change again." in page
    assert 'value="4321"' in page
    assert not WorkplanResource.objects.filter(region__code="africa").exists()


def test_a_stale_version_in_the_resources_form_is_not_required_to_be_a_number(client, world):
    login(client, world, "coordinator")
    response = client.post(
        _url("resources", world["workplan"]), {"version": "x", "amount_RB_africa": "1"}
    )
    assert response.status_code == 400


# The mid-term review -----------------------------------------------------------------------


@pytest.fixture
def approved(world):
    workplan = world["workplan"]
    services.workplan_resources_set(
        user=world["users"]["coordinator"],
        workplan=workplan,
        version=workplan.version,
        lines={
            (factories.funding_source("XBTC"), factories.region("asia-pacific")): Decimal(300000),
            (factories.funding_source("RB"), factories.region("africa")): Decimal(100000),
        },
    )
    return approve(world)


def test_the_midterm_review_needs_an_approved_workplan(client, world):
    login(client, world, "programme_officer")
    page = client.get(_url("midterm", world["workplan"]))
    assert "The mid-term review is held on an approved workplan" in page.content.decode()
    response = client.post(_url("midterm-save", world["workplan"]), {"review_date": "2012-10-15"})
    assert response.status_code == 400
    assert not MidTermReview.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("public", 302),
        ("field", 403),
        ("regional", 403),
        ("coordinator", 302),
        ("coordinator_other", 403),
        ("programme_officer", 302),
        ("gb", 403),
        ("admin", 302),
    ],
)
def test_who_may_record_the_midterm_review(client, world, approved, role, status):
    login(client, world, role)
    response = client.post(
        _url("midterm-save", approved),
        {"review_date": "2012-10-15", "summary": "On track.", "lessons_learned": ""},
    )
    assert response.status_code == status
    assert MidTermReview.objects.exists() is (status == 302 and role != "public")
    page = client.get(_url("midterm", approved)).content.decode()
    assert (_url("midterm-save", approved) in page) is (status == 302 and role != "public")


def test_the_review_is_saved_then_updated_with_its_version(client, world, approved):
    login(client, world, "coordinator")
    url = _url("midterm-save", approved)
    response = client.post(url, {"review_date": "2012-10-15", "summary": "Africa lags."})
    assert response.status_code == 302
    review = MidTermReview.objects.get()
    page = client.get(_url("midterm", approved)).content.decode()
    assert f'name="version" value="{review.version}"' in page
    response = client.post(
        url,
        {"review_date": "2012-10-16", "summary": "Africa catches up.", "version": review.version},
    )
    assert response.status_code == 302
    # The same form kept open by someone else is stale now
    response = client.post(
        url, {"review_date": "2012-10-17", "summary": "Old text.", "version": review.version}
    )
    assert response.status_code == 409
    review.refresh_from_db()
    assert review.summary == "Africa catches up."
    # A date outside the biennium is refused on its field
    response = client.post(
        url, {"review_date": "2015-01-01", "summary": "x", "version": review.version}
    )
    assert response.status_code == 400
    assert "during the biennium 2012-13" in response.content.decode()
    assert client.post(url, {"review_date": "yesterday"}).status_code == 400


def test_corrective_actions_are_listed_and_added(client, world, approved):
    login(client, world, "programme_officer")
    url = _url("midterm-action", approved)
    response = client.post(url, {"text": "Mobilize a donor.", "region": "africa"})
    assert response.status_code == 400  # no review yet
    assert "Save the review" in response.content.decode()
    client.post(_url("midterm-save", approved), {"review_date": "2012-10-15"})
    response = client.post(url, {"text": "Mobilize a donor.", "region": "africa"})
    assert response.status_code == 302
    response = client.post(url, {"text": "", "region": ""})
    assert response.status_code == 400
    assert "Describe the corrective action." in response.content.decode()
    action = CorrectiveAction.objects.get()
    assert action.region.code == "africa"
    page = client.get(_url("midterm", approved)).content.decode()
    assert "Mobilize a donor." in page


def _transfer(**changes):
    data = {
        "kind": "transfer",
        "from_source": "XBTC",
        "from_region": "asia-pacific",
        "to_source": "XBTC",
        "to_region": "africa",
        "amount": "120000",
        "reason": "Africa's targets are at risk.",
    }
    data.update(changes)
    return data


def test_a_transfer_conserves_the_total_and_shows_before_and_after(client, world, approved):
    login(client, world, "programme_officer")
    client.post(_url("midterm-save", approved), {"review_date": "2012-10-15"})
    url = _url("midterm-reallocation", approved)
    response = client.post(url, _transfer())
    assert response.status_code == 302
    response = client.get(_url("midterm", approved))
    detail = response.context["detail"]
    assert detail.total_before == detail.total_after == Decimal(400000)
    lines = {
        (line.funding_source.code, getattr(line.region, "code", None)): line
        for line in detail.lines
    }
    assert lines[("XBTC", "asia-pacific")].before == Decimal(300000)
    assert lines[("XBTC", "asia-pacific")].after == Decimal(180000)
    assert lines[("XBTC", "africa")].before == Decimal(0)
    assert lines[("XBTC", "africa")].after == Decimal(120000)
    page = response.content.decode()
    assert "Transfers moved 120,000 USD between lines without changing the total." in page
    assert 'id="total-before">400,000' in page
    assert 'id="total-after">400,000' in page
    # A new allocation adds money and says so (the "from" line does not apply)
    response = client.post(
        url,
        _transfer(kind="new_allocation", to_source="RBSA", amount="75000", reason="RBSA."),
    )
    assert response.status_code == 302
    detail = client.get(_url("midterm", approved)).context["detail"]
    assert detail.total_after == detail.total_before + Decimal(75000)
    assert Reallocation.objects.count() == 2


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"amount": "999999"}, "Only 300,000.00 USD are on the line XBTC, Asia and the Pacific."),
        ({"amount": "0"}, "A reallocation moves a positive amount."),
        ({"amount": "-5"}, "A reallocation moves a positive amount."),
        ({"amount": "abc"}, "Enter a number."),
        ({"amount": "1" * 40}, "Ensure that there are no more than"),
        ({"reason": ""}, "Give the reason for the reallocation."),
        ({"from_source": ""}, "A transfer says where the money comes from"),
        ({"to_region": "asia-pacific"}, "A transfer moves money to another line."),
        ({"to_source": "nothing"}, "Select a valid choice."),
    ],
)
def test_a_bad_reallocation_is_refused_with_the_message_and_moves_nothing(
    client, world, approved, changes, message
):
    login(client, world, "coordinator")
    client.post(_url("midterm-save", approved), {"review_date": "2012-10-15"})
    before = sorted(WorkplanResource.objects.values_list("pk", "amount"))
    response = client.post(_url("midterm-reallocation", approved), _transfer(**changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert sorted(WorkplanResource.objects.values_list("pk", "amount")) == before
    assert not Reallocation.objects.exists()


def test_readers_see_the_midterm_review_without_its_forms(client, world, approved):
    services.midterm_review_save(
        user=world["users"]["programme_officer"],
        workplan=approved,
        review_date=datetime.date(2012, 10, 15),
        summary="Africa lags behind.",
    )
    login(client, world, "gb")
    response = client.get(_url("midterm", approved))
    page = response.content.decode()
    assert "Africa lags behind." in page
    assert _url("midterm-reallocation", approved) not in page
    assert _url("midterm-save", approved) not in page


# Published figures -------------------------------------------------------------------------


def _upload(client, text, **fields):
    data = {"biennium": "2012-13", "name": "Table 1 as printed", "source": "GB.309/PFA/2"}
    data.update(fields)
    data["file"] = io.BytesIO(text.encode("utf-8"))
    data["file"].name = "table.csv"
    return client.post(reverse("workplans:published"), data)


def test_an_upload_with_bad_rows_lists_every_error_and_saves_nothing(client, world):
    login(client, world, "programme_officer")
    text = "outcome,region,demand,target\n16,Asia,2,4\n99,Africa,1,1\n16,Mars,1,1\n16,Africa,-1,x\n"
    response = _upload(client, text)
    assert response.status_code == 400
    errors = response.context["row_errors"]
    assert [(e.row, e.column) for e in errors] == [
        (3, "outcome"),
        (4, "region"),
        (5, "demand"),
        (5, "target"),
    ]
    page = response.content.decode()
    assert "4 problems in the file; nothing was saved." in page
    assert "99 is not an outcome of 2012-13." in page
    assert "Mars is not a region." in page
    assert not PublishedTable.objects.exists()


@pytest.mark.parametrize(
    ("content", "fields", "message"),
    [
        (b"\xff\xfe\x00bad", {}, "not UTF-8 text"),
        (b"", {}, "The submitted file is empty."),
        (b"outcome,region,demand,target\n16,Asia,2,4\n", {"biennium": "2012-14"}, "not a biennium"),
        (b"outcome,region,demand,target\n16,Asia,2,4\n", {"name": ""}, "This field is required."),
    ],
)
def test_an_upload_that_is_not_a_csv_of_figures_is_refused(client, world, content, fields, message):
    login(client, world, "programme_officer")
    data = {"biennium": "2012-13", "name": "x", **fields, "file": io.BytesIO(content)}
    data["file"].name = "table.csv"
    response = client.post(reverse("workplans:published"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PublishedTable.objects.exists()


def test_an_upload_is_compared_and_a_second_one_needs_replace(client, world):
    login(client, world, "programme_officer")
    text = "outcome,region,demand,target\n16,Asia,2,5\n16,Total,5,5\nTotal,Total,8,6\n"
    response = _upload(client, text)
    assert response.status_code == 302
    table = PublishedTable.objects.get()
    assert response["Location"] == reverse("workplans:published-detail", args=[table.pk])
    detail = client.get(response["Location"])
    rows = [
        (
            d["difference"].outcome,
            d["difference"].region,
            d["difference"].measure,
            d["difference"].published,
            d["difference"].computed,
            d["delta"],
        )
        for d in detail.context["differences"]
    ]
    assert rows == [
        ("16", "Asia", "target", 5, 4, -1),
        ("Total", "Total", "demand", 8, 7, -1),
    ]
    page = detail.content.decode()
    assert "2 published figures differ" in page
    # The same name again: refused unless the box is ticked
    response = _upload(client, text)
    assert response.status_code == 400
    assert "A table with this name exists for this biennium." in response.content.decode()
    response = _upload(client, "outcome,region,demand,target\n16,Asia,2,4\n", replace="on")
    assert response.status_code == 302
    table = PublishedTable.objects.get()
    assert client.get(response["Location"]).context["differences"] == []


@pytest.mark.parametrize("role", ["field", "regional", "coordinator", "gb"])
def test_only_programme_officers_and_administrators_record_published_figures(client, world, role):
    login(client, world, role)
    page = client.get(reverse("workplans:published"))
    assert page.status_code == 200
    assert page.context["form"] is None
    response = _upload(client, "outcome,region,demand,target\n16,Asia,2,4\n")
    assert response.status_code == 403
    assert not PublishedTable.objects.exists()


def test_the_admin_records_figures_too(client, world, user_for):
    client.force_login(user_for(Role.ADMINISTRATOR))
    assert _upload(client, "outcome,region,demand,target\n16,Asia,2,4\n").status_code == 302

"""Every page answers every role, and its query count does not grow with the data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.staticfiles import finders
from django.urls import reverse

from rbm.models import Notification, Role, WorkerHeartbeat
from rbm.permissions import PUBLIC
from rbm.services import system_user
from strategic_plans.models import FrameworkRevision
from strategic_plans.services import target_set
from tests import factories

pytestmark = pytest.mark.django_db
ROLES = [PUBLIC, *Role.values]


@pytest.fixture
def plan():
    plan = factories.StrategicPlanFactory(start_year=2010, end_year=2015)
    factories.ProgrammeFactory(plan=plan, biennium=factories.biennium("2012-13"))
    return plan


def _grow_plan(plan, outcomes: int) -> None:
    """Add objectives, outcomes, indicators with regional targets and resources."""
    regions = [factories.region(c) for c in ("africa", "americas", "arab-states")]
    objective = factories.ObjectiveFactory(plan=plan)
    for n in range(outcomes):
        outcome = factories.OutcomeFactory(objective=objective, code=str(n + 1 + 10 * plan.pk % 50))
        factories.OutcomeResourceFactory(outcome=outcome)
        for m in range(2):
            indicator = factories.IndicatorFactory(outcome=outcome, code=f"{outcome.code}.{m + 1}")
            target_set(
                user=system_user(),
                indicator=indicator,
                biennium=factories.biennium("2012-13"),
                total=7,
                by_region=dict.fromkeys(regions, 2),
                note="Illustrative: one target not placed in a region.",
            )


def _login(client, user_for, role):
    if role != PUBLIC:
        client.force_login(user_for(role))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["home", "plan-list", "reference"])
def test_public_pages_open_for_every_role(client, user_for, role, name, plan) -> None:
    _login(client, user_for, role)
    response = client.get(reverse(name))
    assert response.status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_plan_and_outcome_pages_open_for_every_role(client, user_for, role, plan) -> None:
    _grow_plan(plan, 2)
    _login(client, user_for, role)
    assert client.get(reverse("plan-detail", args=[plan.pk])).status_code == 200
    outcome = plan.objectives.first().outcomes.first()
    page = client.get(reverse("outcome-detail", args=[outcome.pk]))
    assert page.status_code == 200
    # History is for signed-in staff only
    assert (b'id="history"' in page.content) is (role != PUBLIC)


def test_account_page_needs_a_login(client, user_for) -> None:
    assert client.get(reverse("account")).status_code == 302
    client.force_login(user_for(Role.PROGRAMME_OFFICER))
    assert client.get(reverse("account")).status_code == 200


def test_the_home_page_differs_by_role(client, user_for) -> None:
    office = factories.OfficeFactory(name="ILO Office for Testland")
    client.force_login(user_for(Role.FIELD_OFFICE_STAFF, office=office))
    assert "ILO Office for Testland" in client.get(reverse("home")).content.decode()
    client.force_login(user_for(Role.ADMINISTRATOR))
    assert "Open the administration" in client.get(reverse("home")).content.decode()
    client.logout()
    assert "Browse the strategic plans" in client.get(reverse("home")).content.decode()


def test_a_coordinator_sees_their_outcomes_at_home(client, user_for) -> None:
    coordinator = user_for(Role.OUTCOME_COORDINATOR)
    outcome = factories.OutcomeFactory(title="Child labour")
    outcome.coordinators.add(coordinator)
    client.force_login(coordinator)
    assert "Child labour" in client.get(reverse("home")).content.decode()


def test_plan_page_warns_when_regional_targets_do_not_add_up(client, plan, user_for) -> None:
    indicator = factories.IndicatorFactory(outcome__objective__plan=plan, code="5")
    target_set(
        user=system_user(),
        indicator=indicator,
        biennium=factories.biennium("2012-13"),
        total=9,
        by_region={factories.region("africa"): 4},
        note="Illustrative: five targets not placed in a region.",
    )
    # The check is for the staff who fix the targets, never for the public.
    page = client.get(reverse("plan-detail", args=[plan.pk])).content.decode()
    assert "add up to 4 but the stated total is 9" not in page
    client.force_login(user_for(Role.PROGRAMME_OFFICER))
    page = client.get(reverse("plan-detail", args=[plan.pk])).content.decode()
    assert "add up to 4 but the stated total is 9" in page


@pytest.mark.parametrize("biennium", ["2099-00x", "2013-14", "2020-21"])
def test_a_bad_biennium_in_the_address_is_a_404(client, plan, biennium) -> None:
    response = client.get(reverse("plan-detail", args=[plan.pk]), {"biennium": biennium})
    assert response.status_code == 404


def test_plan_page_queries_do_not_grow_with_the_plan(client, user_for, plan, count_queries):
    client.force_login(user_for(Role.PROGRAMME_OFFICER))
    url = reverse("plan-detail", args=[plan.pk])
    _grow_plan(plan, 2)
    small = count_queries(lambda: client.get(url))
    _grow_plan(plan, 8)
    large = count_queries(lambda: client.get(url))
    assert large == small


def test_outcome_page_queries_do_not_grow_with_targets(client, user_for, plan, count_queries):
    client.force_login(user_for(Role.PROGRAMME_OFFICER))
    _grow_plan(plan, 1)
    outcome = plan.objectives.first().outcomes.first()
    url = reverse("outcome-detail", args=[outcome.pk])
    small = count_queries(lambda: client.get(url))
    for m in range(3, 9):
        indicator = factories.IndicatorFactory(outcome=outcome, code=f"{outcome.code}.{m}")
        target_set(
            user=system_user(),
            indicator=indicator,
            biennium=factories.biennium("2012-13"),
            total=3,
            by_region={factories.region("africa"): 3},
        )
    large = count_queries(lambda: client.get(url))
    assert large == small


def test_reference_and_home_queries_do_not_grow(client, user_for, count_queries) -> None:
    client.force_login(user_for(Role.ADMINISTRATOR))
    factories.OfficeFactory.create_batch(2)
    factories.ProgrammeFactory()
    small_reference = count_queries(lambda: client.get(reverse("reference")))
    small_home = count_queries(lambda: client.get(reverse("home")))
    factories.OfficeFactory.create_batch(15)
    for n in range(4):
        plan = factories.StrategicPlanFactory(start_year=2016 + 2 * n, end_year=2017 + 2 * n)
        factories.ProgrammeFactory(plan=plan, biennium=factories.biennium(plan.period))
    assert count_queries(lambda: client.get(reverse("reference"))) == small_reference
    assert count_queries(lambda: client.get(reverse("home"))) == small_home


def test_plan_list_queries_do_not_grow(client, count_queries) -> None:
    factories.ProgrammeFactory()
    small = count_queries(lambda: client.get(reverse("plan-list")))
    for n in range(6):
        plan = factories.StrategicPlanFactory(start_year=2016 + 2 * n, end_year=2017 + 2 * n)
        factories.ProgrammeFactory(plan=plan, biennium=factories.biennium(plan.period))
        factories.IndicatorFactory(outcome__objective__plan=plan)
    assert count_queries(lambda: client.get(reverse("plan-list"))) == small


MODELS = [
    model
    for model in apps.get_models()
    if model._meta.app_label in {"rbm", "strategic_plans"} and model in admin.site._registry
]


# Not domain data: the workers' heartbeats (``rbm.jobs``), which ``/healthz`` reports, and
# the notifications (``rbm.notifications``), which their recipients read on their own page.
INFRASTRUCTURE = {WorkerHeartbeat, Notification}
VIEW_ONLY = {FrameworkRevision}


def test_every_domain_model_is_in_the_admin() -> None:
    domain = [
        m
        for m in apps.get_models()
        if m._meta.app_label in {"rbm", "strategic_plans"}
        and not m.__name__.startswith("Historical")
        and not m._meta.auto_created
        and m not in INFRASTRUCTURE
    ]
    assert set(domain) <= set(MODELS)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_admin_pages_open_for_administrators(client, user_for, model, plan) -> None:
    client.force_login(user_for(Role.ADMINISTRATOR))
    info = (model._meta.app_label, model._meta.model_name)
    assert client.get(reverse("admin:{}_{}_changelist".format(*info))).status_code == 200
    # Records only services write (a framework revision) are shown, never added here.
    adds = model not in VIEW_ONLY
    assert client.get(reverse("admin:{}_{}_add".format(*info))).status_code == (
        200 if adds else 403
    )


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.ADMINISTRATOR])
def test_only_administrators_reach_the_admin(client, user_for, role) -> None:
    client.force_login(user_for(role))
    assert client.get(reverse("admin:index")).status_code == 302


def test_healthz(client) -> None:
    assert client.get("/healthz").json()["status"] == "ok"


def test_pages_name_their_icon_and_the_icon_is_a_static_file(client) -> None:
    # Without one, every browser asks for /favicon.ico and logs a 404 on every page
    html = client.get(reverse("home")).content.decode()
    match = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', html)
    assert match, "no icon link"
    found = finders.find(match.group(1).removeprefix(settings.STATIC_URL))
    assert found is not None
    assert Path(str(found)).read_text().startswith("<svg")

"""Reference data and the results framework: everyone reads, only the table's roles write."""

from __future__ import annotations

import pytest

from rbm.services import system_user
from strategic_plans.models import Indicator, Outcome, StrategicObjective, StrategicPlan, Target
from tests import factories
from tests.api.conftest import PEOPLE

pytestmark = pytest.mark.django_db

READ_ONLY = ["regions", "countries", "funding-sources", "reporting-periods"]
REFERENCE = ["offices", "bienniums"]
FRAMEWORK = [
    "strategic-plans",
    "strategic-objectives",
    "outcomes",
    "indicators",
    "targets",
    "outcome-resources",
    "outcome-strategies",
]
MAY_MANAGE_FRAMEWORK = {"programme_officer", "administrator"}
MAY_MANAGE_REFERENCE = {"administrator"}


@pytest.fixture
def framework(world):
    """Targets, resources and a strategy on the world's 2012-13 framework."""
    plan, outcomes = factories.framework_2012_13()
    indicator = outcomes[0].indicators.first()
    factories.RegionalTargetFactory(
        target=factories.TargetFactory(indicator=indicator, total=5),
        region=factories.region("africa"),
        value=2,
    )
    factories.OutcomeResourceFactory(outcome=outcomes[0])
    from strategic_plans.models import StrategyElement
    from strategic_plans.services import outcome_strategy_set

    outcome_strategy_set(
        user=system_user(),
        outcome=outcomes[0],
        biennium=factories.biennium("2012-13"),
        element=StrategyElement.objects.first(),
        text="Support to constituents.",
    )
    return plan, outcomes


@pytest.mark.parametrize("who", PEOPLE)
def test_everyone_reads_reference_data_and_the_framework(who, client_as, framework) -> None:
    client = client_as(who)
    for resource in READ_ONLY + REFERENCE + FRAMEWORK:
        listed = client.get(f"/api/v1/{resource}/")
        assert listed.status_code == 200, resource
        body = listed.json()
        assert body["count"] >= 1, resource
        first = body["results"][0]
        detail = client.get(f"/api/v1/{resource}/{first['id']}/")
        assert detail.status_code == 200, resource
        assert detail.json() == first


def test_a_target_shows_its_regional_values_and_a_warning_when_they_do_not_add_up(
    client_as, framework
) -> None:
    target = client_as("public").get("/api/v1/targets/").json()["results"][0]
    assert target["biennium"] == "2012-13"
    assert target["by_region"] == [{"region": "africa", "value": 2}]
    assert target["regional_sum"] == 2
    assert "add up to 2 but the stated total is 5" in target["warning"]


def _framework_payloads(framework, suffix: int) -> dict[str, dict]:
    plan, outcomes = framework
    objective = StrategicObjective.objects.filter(plan=plan).first()
    outcome = outcomes[1]
    indicator = outcome.indicators.first()
    return {
        "strategic-plans": {
            "title": f"Strategic Plan 2018-21 ({suffix})",
            "short_name": f"SP 2018-21 {suffix}",
            "start_year": 2018,
            "end_year": 2021,
        },
        "strategic-objectives": {"plan": plan.pk, "number": 7, "title": "Social dialogue"},
        "outcomes": {"objective": objective.pk, "code": "19", "title": "Mainstreaming"},
        "indicators": {"outcome": outcome.pk, "code": f"{outcome.code}.5", "text": "Member States"},
        "targets": {
            "indicator": indicator.pk,
            "biennium": "2012-13",
            "total": 9,
            "by_region": [{"region": "africa", "value": 4}, {"region": "americas", "value": 5}],
        },
        "outcome-resources": {
            "outcome": outcome.pk,
            "biennium": "2012-13",
            "funding_source": "XBTC",
            "amount": "125000.50",
        },
        "outcome-strategies": {
            "outcome": outcome.pk,
            "biennium": "2012-13",
            "element": "knowledge",
            "text": "Research and tools.",
        },
    }


@pytest.mark.parametrize("who", PEOPLE)
def test_only_programme_officers_and_administrators_write_the_framework(
    who, world, client_as, framework
) -> None:
    client = client_as(who)
    before = (StrategicPlan.objects.count(), Outcome.objects.count(), Indicator.objects.count())
    for resource, payload in _framework_payloads(framework, 1).items():
        response = client.post(f"/api/v1/{resource}/", payload, format="json")
        if who in MAY_MANAGE_FRAMEWORK:
            assert response.status_code == 201, (resource, response.json())
        else:
            assert response.status_code == (401 if who == "public" else 403), resource
            assert response.json()["error"]["status"] == response.status_code
    after = (StrategicPlan.objects.count(), Outcome.objects.count(), Indicator.objects.count())
    assert (after != before) is (who in MAY_MANAGE_FRAMEWORK)


def test_setting_a_target_again_replaces_it_and_answers_200(world, client_as, framework) -> None:
    client = client_as("programme_officer")
    payload = _framework_payloads(framework, 1)["targets"]
    assert client.post("/api/v1/targets/", payload, format="json").status_code == 201
    payload = {**payload, "total": 12, "by_region": [{"region": "africa", "value": 12}]}
    again = client.post("/api/v1/targets/", payload, format="json")
    assert again.status_code == 200
    assert again.json()["total"] == 12
    assert {"region": "africa", "value": 12} in again.json()["by_region"]
    assert Target.objects.filter(indicator_id=payload["indicator"]).count() == 1


def test_framework_writes_are_validated_by_the_services(world, client_as, framework) -> None:
    client = client_as("administrator")
    _plan, outcomes = framework
    # An indicator of outcome 18 is coded 18.N
    wrong = client.post(
        "/api/v1/indicators/",
        {"outcome": outcomes[1].pk, "code": "16.9", "text": "x"},
        format="json",
    )
    assert wrong.status_code == 400
    assert "code" in wrong.json()["error"]["fields"]
    # A target for a biennium outside the plan's period
    factories.biennium("2020-21")
    outside = client.post(
        "/api/v1/targets/",
        {"indicator": outcomes[0].indicators.first().pk, "biennium": "2020-21", "total": 1},
        format="json",
    )
    assert outside.status_code == 400
    assert "biennium" in outside.json()["error"]["fields"]
    # The same region twice
    twice = client.post(
        "/api/v1/targets/",
        {
            "indicator": outcomes[0].indicators.first().pk,
            "biennium": "2012-13",
            "total": 1,
            "by_region": [{"region": "africa", "value": 1}, {"region": "africa", "value": 2}],
        },
        format="json",
    )
    assert twice.status_code == 400
    assert "by_region" in twice.json()["error"]["fields"]


@pytest.mark.parametrize("who", PEOPLE)
def test_only_administrators_write_reference_data(who, world, client_as) -> None:
    client = client_as(who)
    office = client.post(
        "/api/v1/offices/",
        {
            "code": "ilo-jakarta-2",
            "name": "ILO Office for Indonesia and Timor-Leste (2)",
            "kind": "country_office",
            "region": "asia-pacific",
            "countries": ["IDN", "tls"],
        },
        format="json",
    )
    biennium = client.post("/api/v1/bienniums/", {"code": "2014-15"}, format="json")
    if who in MAY_MANAGE_REFERENCE:
        assert office.status_code == 201, office.json()
        assert office.json()["countries"] == ["IDN", "TLS"]
        assert biennium.status_code == 201
        assert biennium.json()["code"] == "2014-15"
    else:
        expected = 401 if who == "public" else 403
        assert (office.status_code, biennium.status_code) == (expected, expected)


def test_reference_data_cannot_be_changed_or_deleted(client_as, world) -> None:
    client = client_as("administrator")
    region = client.get("/api/v1/regions/").json()["results"][0]
    assert client.patch(f"/api/v1/regions/{region['id']}/", {"name": "x"}).status_code == 405
    assert client.delete(f"/api/v1/regions/{region['id']}/").status_code == 405
    assert client.post("/api/v1/regions/", {"code": "x"}).status_code == 405
    assert client.get("/api/v1/regions/").json()["count"] == 5

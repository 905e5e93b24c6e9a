"""Every filter of every list narrows it as it says; a bad value is a 400 on the parameter."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from dwcp.models import CountryProgrammeOutcome, Phase
from rbm.services import system_user
from strategic_plans.services import target_set
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client_as):
    return client_as("administrator")


def _codes(client, resource: str, key: str = "id", **params) -> set:
    response = client.get(f"/api/v1/{resource}/", params)
    assert response.status_code == 200, response.content
    return {item[key] for item in response.json()["results"]}


@pytest.fixture
def kenya(world):
    """A third programme, in Africa, for 2014-15, on outcome 18: prioritized, not targeted."""
    programme = factories.DwcpFactory(
        country=factories.country("KEN"), start_year=2014, end_year=2017, phase=Phase.IMPLEMENTATION
    )
    _plan, outcomes = factories.framework_2012_13()
    cpo = factories.CpoFactory(
        programme=programme,
        biennium=factories.biennium("2014-15"),
        outcome=outcomes[1],
        prioritized=True,
        targeted=False,
        result_status="achieved",
        title="Labour inspection reaches the informal economy",
    )
    report = factories.ProgressReportFactory(cpo=cpo, period=factories.period("2014-H1"))
    return programme, cpo, report


def test_cpo_filters(world, kenya, admin):
    programme, cpo, _report = kenya
    idn, phl = world.idn_cpo, world.phl_cpo
    everyone = {idn.pk, phl.pk, cpo.pk}
    assert _codes(admin, "cpos") == everyone
    assert _codes(admin, "cpos", biennium="2014-15") == {cpo.pk}
    assert _codes(admin, "cpos", biennium="2012-13") == {idn.pk, phl.pk}
    assert _codes(admin, "cpos", region="africa") == {cpo.pk}
    assert _codes(admin, "cpos", country="idn") == {idn.pk}
    assert _codes(admin, "cpos", office=world.phl.office_id) == {phl.pk}
    assert _codes(admin, "cpos", programme=programme.pk) == {cpo.pk}
    assert _codes(admin, "cpos", priority=idn.priority_id) == {idn.pk}
    assert _codes(admin, "cpos", outcome=cpo.outcome_id) == {cpo.pk}
    assert _codes(admin, "cpos", indicator=idn.indicator_id) == {idn.pk, phl.pk}
    assert _codes(admin, "cpos", result_status="achieved") == {cpo.pk}
    assert _codes(admin, "cpos", targeted="false") == {cpo.pk}
    assert _codes(admin, "cpos", prioritized="true") == everyone
    assert _codes(admin, "cpos", search="informal") == {cpo.pk}
    assert _codes(admin, "cpos", search=idn.code.lower()) == {idn.pk}
    codes = [r["code"] for r in admin.get("/api/v1/cpos/", {"ordering": "-code"}).json()["results"]]
    assert codes == sorted(codes, reverse=True)


def test_updated_since_on_every_domain_resource(world, kenya, admin):
    later = timezone.now() + datetime.timedelta(seconds=1)
    CountryProgrammeOutcome.objects.filter(pk=world.idn_cpo.pk).update(
        updated_at=later + datetime.timedelta(minutes=5)
    )
    since = later.isoformat()
    assert _codes(admin, "cpos", updated_since=since) == {world.idn_cpo.pk}
    for resource in (
        "regions",
        "countries",
        "offices",
        "bienniums",
        "funding-sources",
        "strategic-plans",
        "strategic-objectives",
        "outcomes",
        "indicators",
        "targets",
        "outcome-resources",
        "outcome-strategies",
        "dwcps",
        "priorities",
        "reporting-periods",
        "progress-reports",
    ):
        assert _codes(admin, resource, updated_since=since) == set(), resource
        assert _codes(admin, resource, updated_since="2000-01-01T00:00:00Z") or resource in {
            "targets",
            "outcome-resources",
            "outcome-strategies",
        }, resource


def test_programme_filters(world, kenya, admin):
    kenya_programme = kenya[0]
    assert _codes(admin, "dwcps", published="true") == {world.phl.pk}
    assert _codes(admin, "dwcps", published="false") == {world.idn.pk, kenya_programme.pk}
    assert _codes(admin, "dwcps", phase="implementation") == {kenya_programme.pk}
    assert _codes(admin, "dwcps", biennium="2016-17") == {kenya_programme.pk}
    assert _codes(admin, "dwcps", biennium="2012-13") == {world.idn.pk, world.phl.pk}
    assert _codes(admin, "dwcps", region="africa") == {kenya_programme.pk}
    assert _codes(admin, "dwcps", country="PHL") == {world.phl.pk}
    assert _codes(admin, "dwcps", office=world.idn.office_id) == {world.idn.pk}
    assert _codes(admin, "dwcps", search="Decent Work", country="KEN") == {kenya_programme.pk}
    assert _codes(admin, "priorities", country="KEN") == {kenya[1].priority_id}
    assert _codes(admin, "priorities", programme=world.idn.pk) == {world.idn_cpo.priority_id}
    assert _codes(admin, "priorities", region="africa") == {kenya[1].priority_id}
    assert _codes(admin, "priorities", office=world.phl.office_id) == {world.phl_cpo.priority_id}


def test_progress_report_filters(world, kenya, admin):
    _programme, cpo, kenyan = kenya
    assert _codes(admin, "progress-reports", review_state="submitted") == {world.idn_submitted.pk}
    assert _codes(admin, "progress-reports", review_state="validated") == {world.phl_validated.pk}
    assert _codes(admin, "progress-reports", biennium="2014-15") == {kenyan.pk}
    assert _codes(admin, "progress-reports", region="africa") == {kenyan.pk}
    assert _codes(admin, "progress-reports", country="PHL") == {
        world.phl_draft.pk,
        world.phl_validated.pk,
    }
    assert _codes(admin, "progress-reports", office=world.idn.office_id) == {
        world.idn_draft.pk,
        world.idn_submitted.pk,
    }
    assert _codes(admin, "progress-reports", cpo=cpo.pk) == {kenyan.pk}
    assert _codes(admin, "progress-reports", programme=world.phl.pk, period="2012-H1") == {
        world.phl_draft.pk
    }
    assert _codes(admin, "progress-reports", outcome=cpo.outcome_id) == {kenyan.pk}
    assert _codes(admin, "progress-reports", indicator=cpo.indicator_id, status="on_track") == {
        kenyan.pk
    }
    assert _codes(admin, "progress-reports", result_claimed="true") == set()
    assert _codes(admin, "reporting-periods", "code", biennium="2014-15") == {
        "2014-H1",
        "2014-H2",
        "2015-H1",
        "2015-H2",
    }


def test_framework_filters(world, admin):
    plan, outcomes = factories.framework_2012_13()
    other_plan = factories.StrategicPlanFactory(start_year=2018, end_year=2021)
    indicator = outcomes[0].indicators.first()
    target, _warning = target_set(
        user=system_user(),
        indicator=indicator,
        biennium=factories.biennium("2012-13"),
        total=3,
        by_region={factories.region("americas"): 3},
    )
    factories.OutcomeResourceFactory(
        outcome=outcomes[1], funding_source=factories.funding_source("RBSA")
    )
    assert _codes(admin, "strategic-plans", biennium="2012-13") == {plan.pk}
    assert _codes(admin, "strategic-plans", biennium="2018-19") == {other_plan.pk}
    assert _codes(admin, "strategic-objectives", plan=plan.pk) == {outcomes[0].objective_id}
    assert _codes(admin, "strategic-objectives", biennium="2018-19") == set()
    assert _codes(admin, "outcomes", plan=plan.pk) == {o.pk for o in outcomes}
    assert _codes(admin, "outcomes", biennium="2012-13", search="child") == {outcomes[0].pk}
    assert _codes(admin, "outcomes", objective=outcomes[0].objective_id) == {o.pk for o in outcomes}
    assert _codes(admin, "indicators", outcome=outcomes[0].pk) == {indicator.pk}
    assert _codes(admin, "indicators", plan=other_plan.pk) == set()
    assert _codes(admin, "indicators", biennium="2012-13") >= {indicator.pk}
    assert _codes(admin, "targets", region="americas", biennium="2012-13") == {target.pk}
    assert _codes(admin, "targets", region="africa") == set()
    assert _codes(admin, "targets", indicator=indicator.pk, outcome=outcomes[0].pk) == {target.pk}
    assert (
        len(_codes(admin, "outcome-resources", funding_source="RBSA", outcome=outcomes[1].pk)) == 1
    )
    assert _codes(admin, "outcome-resources", biennium="2014-15") == set()
    assert _codes(admin, "outcome-strategies", element="knowledge", outcome=outcomes[0].pk) == set()
    assert _codes(admin, "countries", "alpha3", region="arab-states") >= {"JOR", "LBN"}
    assert _codes(admin, "offices", country="PHL") == {world.phl.office_id}
    assert _codes(admin, "offices", kind="country_office", region="asia-pacific") >= {
        world.idn.office_id
    }


@pytest.mark.parametrize(
    ("resource", "parameter", "value"),
    [
        ("cpos", "biennium", "2012-14"),
        ("cpos", "biennium", "twenty"),
        ("cpos", "region", "asia pacific!"),
        ("cpos", "country", "INDO"),
        ("cpos", "office", "abc"),
        ("cpos", "office", "99999999999999999999999"),
        ("cpos", "outcome", "-3"),
        ("cpos", "indicator", "1.5"),
        ("cpos", "result_status", "finished"),
        ("cpos", "prioritized", "maybe"),
        ("cpos", "targeted", "2"),
        ("cpos", "updated_since", "yesterday"),
        ("cpos", "updated_since", "0001-01-01T00:00:00+05:00"),
        ("cpos", "ordering", "password"),
        ("cpos", "search", "a\x00b"),
        ("dwcps", "phase", "phase-9"),
        ("dwcps", "published", "yes please"),
        ("progress-reports", "review_state", "approved"),
        ("progress-reports", "status", "great"),
        ("progress-reports", "period", "2012 H1"),
        ("targets", "biennium", "2013-14"),
        ("strategic-plans", "biennium", "13-14"),
        ("outcomes", "plan", "x"),
        ("countries", "region", "\x00"),
        ("offices", "kind", "embassy"),
    ],
)
def test_a_bad_filter_value_is_a_400_naming_the_parameter(
    world, admin, resource, parameter, value
) -> None:
    response = admin.get(f"/api/v1/{resource}/", {parameter: value})
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert parameter in error["fields"], error


def test_progress_reports_are_listed_in_the_order_they_were_written(world, admin):
    # Given the four reports of 2012-13 in the world, of two CPOs and two periods
    response = admin.get("/api/v1/progress-reports/", {"biennium": "2012-13"})
    assert response.status_code == 200, response.content
    ids = [item["id"] for item in response.json()["results"]]
    # Then the list gives them by id, which an index gives at any size, and every one is there
    assert ids == sorted(ids)
    assert set(ids) == {
        world.idn_draft.pk,
        world.idn_submitted.pk,
        world.phl_draft.pk,
        world.phl_validated.pk,
    }
    # And ?ordering= still sorts by period
    by_period = admin.get("/api/v1/progress-reports/", {"ordering": "-period__starts_on"})
    periods = [item["period"] for item in by_period.json()["results"]]
    assert periods == sorted(periods, reverse=True)

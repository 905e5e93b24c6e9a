"""The country programme pages issue a fixed number of queries whatever the number of
programmes, CPOs, milestones, resources and reports."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dwcp.models import ReviewState
from dwcp.services import cpo_update, progress_report_submit
from rbm.models import Role
from tests import factories

pytestmark = pytest.mark.django_db

PERIODS = ["2012-H1", "2012-H2", "2013-H1", "2013-H2"]
STATES = [ReviewState.DRAFT, ReviewState.SUBMITTED, ReviewState.VALIDATED, ReviewState.RETURNED]


@pytest.fixture
def setting(reference, user_for):
    factories.framework_2012_13()
    office = factories.OfficeFactory(countries=[factories.country("IDN")])
    programme = factories.DwcpFactory(office=office, published=True)
    factories.PriorityFactory(programme=programme)
    return {
        "programme": programme,
        "office": office,
        "field": user_for(Role.FIELD_OFFICE_STAFF, office=office),
        "regional": user_for(Role.REGIONAL_PROGRAMME_OFFICER, region=reference["asia-pacific"]),
        "admin": user_for(Role.ADMINISTRATOR),
    }


def grow(setting, count, start):
    """``count`` CPOs with a milestone, two resource lines, reports in every review state
    (one submitted through the service, so that the queue and the history grow too)."""
    programme = setting["programme"]
    _plan, outcomes = factories.framework_2012_13()
    cpos = []
    for n in range(count):
        cpo = factories.CpoFactory(
            programme=programme,
            code=f"{start + n}",
            outcome=outcomes[n % 2],
            indicator=outcomes[n % 2].indicators.first(),
        )
        factories.MilestoneFactory(cpo=cpo)
        factories.CpoResourceFactory(cpo=cpo)
        factories.CpoResourceFactory(cpo=cpo, funding_source=factories.funding_source("XBTC"))
        cpo_update(user=setting["field"], cpo=cpo, version=cpo.version, title=f"Changed {n}")
        for period, state in zip(PERIODS, STATES, strict=True):
            report = factories.ProgressReportFactory(cpo=cpo, period=factories.period(period))
            if state == ReviewState.SUBMITTED:
                progress_report_submit(user=setting["field"], report=report, version=1)
            elif state != ReviewState.DRAFT:
                report.review_state = state
                report.validated_by = setting["regional"]
                report.validated_at = "2013-01-01T00:00:00Z"
                report.save()
        cpos.append(cpo)
    return cpos


def same_count(client, count_queries, setting, url_of, users=("field", "regional", "admin")):
    """The page's query count with 2 CPOs equals that with 12, for each user, and the public."""
    first = grow(setting, 2, start=100)
    url = url_of(first[0])
    small = {}
    for name in (None, *users):
        client.logout()
        if name:
            client.force_login(setting[name])
        assert client.get(url).status_code == 200
        small[name] = count_queries(lambda: client.get(url))
    grow(setting, 10, start=200)
    for name in (None, *users):
        client.logout()
        if name:
            client.force_login(setting[name])
        assert count_queries(lambda: client.get(url)) == small[name], name


def test_programme_list_queries_do_not_grow(client, count_queries, setting, reference):
    def url(_cpo):
        return reverse("dwcp:programme-list")

    def more_programmes():
        for alpha3 in ("THA", "VNM", "KHM", "LAO", "MMR"):
            factories.DwcpFactory(
                country=factories.country(alpha3), office=setting["office"], published=True
            )

    first = grow(setting, 1, start=100)
    client.force_login(setting["field"])
    small = count_queries(lambda: client.get(url(first[0]), {"scope": "all"}))
    more_programmes()
    grow(setting, 4, start=300)
    assert count_queries(lambda: client.get(url(first[0]), {"scope": "all"})) == small


def test_programme_page_queries_do_not_grow(client, count_queries, setting):
    same_count(
        client,
        count_queries,
        setting,
        lambda cpo: reverse("dwcp:programme-detail", args=[cpo.programme_id]),
    )


def test_cpo_list_queries_do_not_grow(client, count_queries, setting):
    same_count(client, count_queries, setting, lambda cpo: reverse("dwcp:cpo-list"))


def test_cpo_page_queries_do_not_grow_with_its_reports_and_changes(client, count_queries, setting):
    cpo = factories.CpoFactory(programme=setting["programme"], code="100")
    factories.MilestoneFactory(cpo=cpo)
    factories.CpoResourceFactory(cpo=cpo)
    cpo_update(user=setting["field"], cpo=cpo, version=cpo.version, title="Changed")
    report = factories.ProgressReportFactory(cpo=cpo)
    progress_report_submit(user=setting["field"], report=report, version=1)
    url = reverse("dwcp:cpo-detail", args=[cpo.pk])
    small = {}
    for name in (None, "field", "regional", "admin"):
        client.logout()
        if name:
            client.force_login(setting[name])
        small[name] = count_queries(lambda: client.get(url))
    # More reports (every one submitted: each offers the reviewer a button), milestones,
    # resources and changes
    for period in PERIODS[1:]:
        report = factories.ProgressReportFactory(cpo=cpo, period=factories.period(period))
        progress_report_submit(user=setting["field"], report=report, version=1)
    for n in range(6):
        factories.MilestoneFactory(cpo=cpo)
        cpo.refresh_from_db()
        cpo_update(user=setting["field"], cpo=cpo, version=cpo.version, title=f"Title {n}")
    for code in ("XBTC", "RBSA", "RBTC"):
        factories.CpoResourceFactory(cpo=cpo, funding_source=factories.funding_source(code))
    grow(setting, 3, start=300)
    for name in (None, "field", "regional", "admin"):
        client.logout()
        if name:
            client.force_login(setting[name])
        assert count_queries(lambda: client.get(url)) == small[name], name


def test_validation_queue_queries_do_not_grow(client, count_queries, setting):
    grow(setting, 2, start=100)
    url = reverse("dwcp:validation-queue")
    small = {}
    for name in ("regional", "admin"):
        client.force_login(setting[name])
        small[name] = count_queries(lambda: client.get(url))
    grow(setting, 10, start=200)
    for name in ("regional", "admin"):
        client.force_login(setting[name])
        assert len(client.get(url).context["page"].object_list) == 12
        assert count_queries(lambda: client.get(url)) == small[name], name


def test_home_panels_queries_do_not_grow(client, count_queries, setting):
    grow(setting, 1, start=100)
    small = {}
    for name in ("field", "regional"):
        client.force_login(setting[name])
        small[name] = count_queries(lambda: client.get(reverse("home")))
    grow(setting, 6, start=200)
    factories.DwcpFactory.create_batch(3, office=setting["office"])
    for name in ("field", "regional"):
        client.force_login(setting[name])
        assert count_queries(lambda: client.get(reverse("home"))) == small[name], name

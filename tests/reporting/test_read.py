"""The report's web version, ``/reports/snapshots/<id>/read/``: the document the DOCX and PDF
print, as a page in the snapshot's language, with its table of contents linking to every
objective and outcome, its tables and its charts (inline SVG with their alternative text)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from rbm.models import Role
from rbm.permissions import PUBLIC
from reporting.permissions import READERS

pytestmark = pytest.mark.django_db


@pytest.fixture
def snapshot(demo, compile_report):
    return compile_report().snapshot


def test_the_web_version_holds_the_contents_summary_charts_and_outcomes(client, user_for, snapshot):
    client.force_login(user_for(Role.GB_SECRETARIAT))
    page = client.get(reverse("reporting:read", args=[snapshot.pk]))
    assert page.status_code == 200
    html = page.content.decode()

    # The table of contents links to a heading of the page for each objective and outcome
    contents = html[
        html.index('class="report-contents') : html.index("</nav>", html.index("report-contents"))
    ]
    links = re.findall(r'<a href="#(s\d+)">([^<]+)</a>', contents)
    titles = [title for _anchor, title in links]
    assert "Executive summary" in titles
    assert "Outcome 16 – Child labour" in titles
    outcomes = sum(len(o["outcomes"]) for o in snapshot.content["objectives"])
    assert sum(t.startswith("Outcome ") for t in titles) == outcomes
    for anchor, title in links:
        assert re.search(rf'<h[23] id="{anchor}">{re.escape(title)}</h[23]>', html), title
    # the charts, drawn inline, each with its alternative text
    figures = re.findall(
        r'<figure class="report-chart" id="([\w-]+)" role="img" aria-label="([^"]+)"><svg', html
    )
    assert [key for key, _alt in figures] == [
        "chart-objectives",
        "chart-regions",
        "chart-resources",
        "chart-delivery",
    ]
    assert "<script" not in html[html.index("<article") :]
    # the tables of every outcome, with the figures of the content
    assert 'data-key="indicators-16"' in html
    indicator = snapshot.content["objectives"][0]["outcomes"][0]["indicators"][0]
    assert f"{indicator['code']} {indicator['text']}" in html


def test_the_web_version_is_in_the_snapshots_language(client, user_for, demo, compile_report):
    snapshot = compile_report(language="es").snapshot
    client.force_login(user_for(Role.OUTCOME_COORDINATOR))
    html = client.get(reverse("reporting:read", args=[snapshot.pk])).content.decode()
    assert 'lang="es"' in html
    assert "Resumen ejecutivo" in html
    assert "Cifras clave" in html


@pytest.mark.parametrize("role", [PUBLIC, *Role.values])
def test_who_reads_the_web_version(client, user_for, snapshot, role):
    if role != PUBLIC:
        client.force_login(user_for(role))
    response = client.get(reverse("reporting:read", args=[snapshot.pk]))
    if role == PUBLIC:
        assert response.status_code == 302
    elif role in READERS:
        assert response.status_code == 200
    else:
        assert response.status_code == 403


def test_an_unknown_snapshot_is_a_404(client, user_for, snapshot):
    client.force_login(user_for(Role.GB_SECRETARIAT))
    assert client.get(reverse("reporting:read", args=[snapshot.pk + 1000])).status_code == 404
    assert client.get(f"/reports/snapshots/{snapshot.pk}x/read/").status_code == 404


def test_the_web_version_reads_as_many_queries_for_a_small_and_a_whole_report(
    client, user_for, snapshot, compile_report
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests import factories

    small = compile_report(scope="region", region=factories.region("arab-states")).snapshot
    client.force_login(user_for(Role.GB_SECRETARIAT))
    counts = []
    for shown in (small, snapshot):
        url = reverse("reporting:read", args=[shown.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 8

"""The portal's pages: cacheable (ETag, Last-Modified, 304), indexable (titles,
descriptions, a sitemap), in a number of queries that does not grow with the data."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from portal.caching import forget_stamp
from tests import factories

pytestmark = pytest.mark.django_db


def test_pages_carry_an_etag_and_answer_304_while_the_data_holds(seeded: dict[str, Any]) -> None:
    client = Client()
    url = reverse("portal:programme-detail", args=[seeded["published"].pk])
    first = client.get(url)
    assert first.status_code == 200
    assert first["ETag"]
    assert first["Last-Modified"]
    assert "public" in first["Cache-Control"]
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    # When the programme changes, the ETag does too (once the stamp is read again).
    programme = seeded["published"]
    programme.title = "A new title"
    programme.save()
    forget_stamp()
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert "A new title" in changed.content.decode()
    assert changed["ETag"] != first["ETag"]


def test_pages_have_titles_descriptions_and_a_sitemap(seeded: dict[str, Any]) -> None:
    client = Client()
    page = client.get(reverse("portal:programme-detail", args=[seeded["published"].pk]))
    body = page.content.decode()
    assert "Programme-published · Decent work results</title>" in body
    assert '<meta name="description" content="The Decent Work Country Programme of' in body
    sitemap = client.get(reverse("portal:sitemap")).content.decode()
    assert f"/public/programmes/{seeded['published'].pk}/" in sitemap
    assert f"/public/programmes/{seeded['hidden'].pk}/" not in sitemap
    assert f"/public/outcomes/{seeded['outcome'].pk}/" in sitemap


def test_the_open_data_page_states_its_licence(seeded: dict[str, Any]) -> None:
    body = Client().get(reverse("portal:data")).content.decode()
    assert "CC BY 4.0" in body
    assert 'rel="license"' in body


def test_the_outcome_page_counts_validated_results_by_region(seeded: dict[str, Any]) -> None:
    page = Client().get(
        reverse("portal:outcome-detail", args=[seeded["outcome"].pk]), {"biennium": "2012-13"}
    )
    row = page.context["rows"][0]
    # One CPO of a published programme has a validated result; the unpublished one's does
    # not count, nor the submitted or returned claims.
    assert row["result"] == 1
    assert row["target"] == 10
    assert [e["cpo"] for e in page.context["examples"]] == ["IDN101"]


def test_portal_queries_do_not_grow_with_the_data(
    seeded: dict[str, Any], count_queries: Any
) -> None:
    client = Client()
    urls = [
        reverse("portal:home"),
        reverse("portal:programme-list"),
        reverse("portal:programme-detail", args=[seeded["published"].pk]),
        reverse("portal:outcome-detail", args=[seeded["outcome"].pk]),
        reverse("portal:report-list"),
        reverse("portal:data-cpos"),
        reverse("portal:sitemap"),
    ]
    few = [count_queries(lambda url=url: client.get(url)) for url in urls]
    for n in range(6):
        programme = factories.DwcpFactory(
            published=True, country=factories.country(("FRA", "BRA", "ZAF", "IND", "PER", "EGY")[n])
        )
        for _ in range(2):
            cpo = factories.CpoFactory(programme=programme, outcome=seeded["outcome"])
            factories.ProgressReportFactory(
                cpo=cpo,
                period=factories.period("2013-H1"),
                review_state="validated",
                result_claimed=True,
                evidence_text="Minutes.",
                validated_by=seeded["validated"].validated_by,
                validated_at=seeded["validated"].validated_at,
            )
    assert [count_queries(lambda url=url: client.get(url)) for url in urls] == few

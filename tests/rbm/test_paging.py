"""Paging sequences: what they give Django's paginator is what sorting the queryset gives."""

from __future__ import annotations

import pytest
from django.core.paginator import Paginator

from dwcp.models import CountryProgrammeOutcome
from dwcp.selectors import cpos_by_biennium
from rbm.paging import CountedRows
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def cpos():
    """CPOs of three bienniums (made newest first, so that ids do not follow the years), and
    a biennium with none in between."""
    programme = factories.DwcpFactory()
    factories.biennium("2014-15")
    for code, count in (("2016-17", 3), ("2010-11", 4), ("2012-13", 2)):
        for n in range(count):
            factories.CpoFactory(
                programme=programme, biennium=factories.biennium(code), code=f"{900 - n}"
            )
    return CountryProgrammeOutcome.objects.all()


def test_grouped_slices_give_every_window_of_the_sorted_rows(cpos, django_assert_num_queries):
    expected = list(
        cpos.order_by("biennium__start_year", "code", "pk").values_list("pk", flat=True)
    )
    assert len(expected) == 9
    with django_assert_num_queries(1):  # the bienniums' order
        rows = cpos_by_biennium(cpos, lambda page: list(page.values_list("pk", flat=True)))
    with django_assert_num_queries(1):  # the rows of each biennium, grouped
        assert len(rows) == 9
    for start in range(11):
        for stop in range(start, 12):
            assert rows[start:stop] == expected[start:stop], (start, stop)
    assert [rows[i] for i in range(9)] == expected
    assert rows[-1] == expected[-1]
    with pytest.raises(IndexError):
        rows[9]
    # A window inside one biennium is one query; one that spans two is two
    with django_assert_num_queries(1):
        rows[4:6]
    with django_assert_num_queries(2):
        rows[3:5]


def test_the_paginator_pages_grouped_slices_and_counted_rows_alike(cpos):
    ordered = cpos.order_by("biennium__start_year", "code", "pk")
    grouped = cpos_by_biennium(cpos, list)
    counted = CountedRows(ordered, ordered.values("pk"))
    for size in (1, 2, 4, 50):
        by_grouped, by_counted = Paginator(grouped, size), Paginator(counted, size)
        assert by_grouped.count == by_counted.count == 9
        for number in by_grouped.page_range:
            assert [c.pk for c in by_grouped.page(number)] == [
                row["pk"] for row in by_counted.page(number)
            ]

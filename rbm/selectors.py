"""Reads of the shared core the apps' pages and API make: reference data for choices.

The apps read regions, funding sources, bienniums and offices through these, as they read
each other's data through the owning app's selectors.
"""

from __future__ import annotations

from typing import Any

from rbm.models import Biennium, FundingSource, Office, Region


def regions() -> list[Region]:
    """The five regions, in their order."""
    return list(Region.objects.all())


def funding_sources() -> list[FundingSource]:
    """The funding sources, in their order."""
    return list(FundingSource.objects.all())


def bienniums_among(ids: Any) -> list[Biennium]:
    """The bienniums whose ids are ``ids`` (a list or a subquery), earliest first."""
    return list(Biennium.objects.filter(pk__in=ids).order_by("start_year"))


def offices_covering_any(country_ids: Any) -> list[Office]:
    """Offices covering at least one of the countries ``country_ids`` (a list or a
    subquery), by name."""
    return list(Office.objects.filter(countries__in=country_ids).distinct().order_by("name"))

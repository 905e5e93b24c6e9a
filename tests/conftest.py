"""Fixtures shared by the whole suite.

Reference data (regions, member States, funding sources) is loaded once into the test
database; tests that flush the database (live server, worker) reload it with ``reference``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rbm.models import Region, Role, User
from rbm.services import reference_data_load
from strategic_plans.services import strategy_elements_load
from tests import factories


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    with django_db_blocker.unblock():
        reference_data_load()
        strategy_elements_load()


@pytest.fixture
def reference(db: None) -> dict[str, Region]:
    """Regions by code, with member States and funding sources present (reloaded if flushed)."""
    reference_data_load()
    strategy_elements_load()
    return {region.code: region for region in Region.objects.all()}


@pytest.fixture
def user_for(db: None, reference: dict[str, Region]) -> Callable[..., User]:
    """``user_for(role, **scope)``: a user with that role (office or region made up if needed)."""

    def make(role: str, **kwargs: Any) -> User:
        if role == Role.FIELD_OFFICE_STAFF and "office" not in kwargs:
            kwargs["office"] = factories.OfficeFactory()
        if role == Role.REGIONAL_PROGRAMME_OFFICER and "region" not in kwargs:
            kwargs["region"] = reference["asia-pacific"]
        return factories.UserFactory(role=role, **kwargs)

    return make


class QueryCounter:
    def __call__(self, action: Callable[[], Any]) -> int:
        with CaptureQueriesContext(connection) as context:
            action()
        return len(context.captured_queries)


@pytest.fixture
def count_queries() -> QueryCounter:
    """``count_queries(lambda: client.get(url))`` -> number of SQL queries it ran."""
    return QueryCounter()

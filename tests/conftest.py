"""Fixtures shared by the whole suite.

Reference data (regions, member States, funding sources) is loaded once into the test
database; tests that flush the database (live server, worker) reload it with ``reference``.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from rbm.models import OfficeKind, Region, Role, User
from rbm.services import reference_data_load, system_user
from strategic_plans.services import strategy_elements_load
from tests import factories


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    with django_db_blocker.unblock():
        reference_data_load(user=system_user())
        strategy_elements_load(user=system_user())


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache (the demand-and-target table's counts)."""
    cache.clear()


@pytest.fixture
def reference(db: None) -> dict[str, Region]:
    """Regions by code, with member States and funding sources present (reloaded if flushed)."""
    reference_data_load(user=system_user())
    strategy_elements_load(user=system_user())
    return {region.code: region for region in Region.objects.all()}


@pytest.fixture
def user_for(db: None, reference: dict[str, Region]) -> Callable[..., User]:
    """``user_for(role, **scope)``: a user with that role (office or region made up if needed)."""

    def make(role: str, **kwargs: Any) -> User:
        if role == Role.FIELD_OFFICE_STAFF and "office" not in kwargs:
            kwargs["office"] = factories.OfficeFactory()
        if role == Role.HQ_TECHNICAL_UNIT and "office" not in kwargs:
            kwargs["office"] = factories.OfficeFactory(
                kind=OfficeKind.TECHNICAL_UNIT, region=None, countries=[]
            )
        if role == Role.REGIONAL_PROGRAMME_OFFICER and "region" not in kwargs:
            kwargs["region"] = reference["asia-pacific"]
        return factories.UserFactory(role=role, **kwargs)

    return make


class QueryCounter:
    def __call__(self, action: Callable[[], Any], *, cold: bool = True) -> int:
        """The queries ``action`` runs; ``cold``: from an empty cache (what is computed when
        nothing is cached, so that two counts compare the same work)."""
        if cold:
            cache.clear()
        with CaptureQueriesContext(connection) as context:
            action()
        return len(context.captured_queries)


@pytest.fixture
def count_queries() -> QueryCounter:
    """``count_queries(lambda: client.get(url))`` -> number of SQL queries it ran."""
    return QueryCounter()


# The demo data set, loaded once per session and restored where a test needs it ---------------

KEPT_TABLES = ("django_migrations", "django_content_type", "auth_permission", "django_session")


def _project_tables() -> list[str]:
    return [
        name
        for name in connection.introspection.django_table_names(only_existing=True)
        if name not in KEPT_TABLES and not name.startswith("auth_group")
    ]


def _dump(tables: list[str]) -> dict[str, bytes]:
    dump = {}
    with connection.cursor() as cursor:
        for table in tables:
            buffer = io.BytesIO()
            cursor.cursor.copy_expert(f'COPY "{table}" TO STDOUT', buffer)
            dump[table] = buffer.getvalue()
    return dump


def _restore(dump: dict[str, bytes]) -> None:
    """Replace the project's rows with the dump (foreign keys are checked at commit)."""
    tables = ", ".join(f'"{table}"' for table in dump)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
        for table, data in dump.items():
            cursor.cursor.copy_expert(f'COPY "{table}" FROM STDIN', io.BytesIO(data))
        for table in dump:
            for sequence in connection.introspection.get_sequences(cursor, table):
                column = sequence["column"]
                cursor.execute(
                    f'SELECT setval(%s, COALESCE((SELECT MAX("{column}") FROM "{table}"), 0)'
                    " + 1, false)",
                    [sequence["name"]],
                )


@pytest.fixture(scope="session")
def demo_load(django_db_setup: Any, django_db_blocker: Any) -> tuple[dict[str, bytes], str]:
    """``load_demo`` run once on an empty database: its rows (dumped) and what it printed.

    The database is left as it was.
    """
    output = io.StringIO()
    with django_db_blocker.unblock(), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE {} RESTART IDENTITY CASCADE".format(
                    ", ".join(f'"{t}"' for t in _project_tables())
                )
            )
        call_command("load_demo", stdout=output)
        dump = _dump(_project_tables())
        transaction.set_rollback(True)
    return dump, output.getvalue()


@pytest.fixture
def demo(demo_load: tuple[dict[str, bytes], str], db: None) -> str:
    """The demo data set in the database as ``load_demo`` leaves it; returns what it printed."""
    dump, output = demo_load
    _restore(dump)
    return output

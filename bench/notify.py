"""The due/overdue scan and every role's home page on scale data.

    DATABASE_URL=postgres://.../rbm_bench_10 DJANGO_SETTINGS_MODULE=rbm.settings \\
        SECRET_KEY=... .venv/bin/python -m bench.notify [--requests 200]

On a database loaded by ``python -m bench.generate_scale_data --scale N`` it
- gives the periods their default calendar (if they have none) and times
  ``dwcp.notifications.scan`` on two days: one where a period falls due in 7 days, one where
  it became overdue (each scan twice: the second finds nothing new, as a retried beat task
  would), inside a transaction rolled back, so the data stays as it was;
- times the home page of one user of each role (field office, regional officer, outcome
  coordinator, programme officer, secretariat), ``--requests`` times each, in this process
  with Django's test client (p50, p95), and counts its queries.
It prints the figures as JSON. Machines are shared and noisy: read the ratios.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rbm.settings")


def _setup() -> None:
    import django

    django.setup()


def scan_figures() -> dict[str, Any]:
    from django.db import connection, transaction

    from dwcp.models import ProgressReport, ReportingPeriod
    from dwcp.notifications import scan
    from dwcp.services.calendar import calendar_defaults

    figures: dict[str, Any] = {"progress_reports": ProgressReport.objects.count()}
    period = ReportingPeriod.objects.filter(biennium__start_year=2012).order_by("starts_on").last()
    assert period is not None, "no 2012-13 periods: load the scale data first"
    opens, due, locks = calendar_defaults(period)
    with transaction.atomic():
        ReportingPeriod.objects.filter(pk=period.pk).update(
            opens_on=opens, due_on=due, locks_on=locks
        )
        for name, day in (
            ("due_in_7_days", due - datetime.timedelta(days=7)),
            ("overdue", due + datetime.timedelta(days=1)),
        ):
            started = time.perf_counter()
            first = scan(day)
            first_s = time.perf_counter() - started
            started = time.perf_counter()
            again = scan(day)
            again_s = time.perf_counter() - started
            figures[name] = {
                "day": day.isoformat(),
                "notifications": first,
                "seconds": round(first_s, 3),
                "again_notifications": again,
                "again_seconds": round(again_s, 3),
            }
        transaction.set_rollback(True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM rbm_notification")
        figures["notifications_left"] = cursor.fetchone()[0]
    return figures


def _people() -> dict[str, Any]:
    from django.db.models import Count

    from rbm.models import Role, User
    from rbm.services import system_user
    from strategic_plans.models import Outcome

    def one(role: str, **extra: Any) -> Any:
        user = User.objects.filter(role=role, is_active=True, **extra).order_by("pk").first()
        if user is None:
            user = User.objects.create(username=f"bench.{role}", role=role)
        return user

    coordinator = one(Role.OUTCOME_COORDINATOR)
    # The coordinator of the outcome with the most CPOs in 2012-13.
    outcome = (
        Outcome.objects.filter(cpos__biennium__start_year=2012)
        .annotate(n=Count("cpos"))
        .order_by("-n")
        .first()
    )
    if outcome is not None:
        outcome.coordinators.add(coordinator)
    system_user()
    return {
        "field office": one(Role.FIELD_OFFICE_STAFF),
        "regional officer": one(Role.REGIONAL_PROGRAMME_OFFICER),
        "outcome coordinator": coordinator,
        "programme officer": one(Role.PROGRAMME_OFFICER),
        "secretariat": one(Role.GB_SECRETARIAT),
    }


class _Timer:
    """An execute wrapper that records each query's time (ms) and SQL."""

    def __init__(self, queries: list[tuple[float, str]]) -> None:
        self.queries = queries

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append(((time.perf_counter() - started) * 1000, sql))


def home_figures(requests: int) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client

    figures = {}
    for role, user in _people().items():
        client = Client()
        client.force_login(user)
        assert client.get("/").status_code == 200  # warm
        queries: list[tuple[float, str]] = []
        with connection.execute_wrapper(_Timer(queries)):
            client.get("/")
        times = []
        for _ in range(requests):
            started = time.perf_counter()
            response = client.get("/")
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        times.sort()
        figures[role] = {
            "queries": len(queries),
            "slowest_query_ms": round(max((t for t, _sql in queries), default=0), 1),
            "slowest_query": max(queries, default=(0, ""))[1][:160],
            "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
        }
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.notify")
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    _setup()
    os.environ.setdefault("ALLOWED_HOSTS", "*")
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    result = {
        "load_average": os.getloadavg(),
        "scan": scan_figures(),
        "home": home_figures(args.requests),
    }
    print(json.dumps(result, indent=2, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

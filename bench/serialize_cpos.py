"""Time writing one page of the CPO list (50 CPOs with their milestones and resources) with
DRF's generic serialization and with the CPO serializer's hand-written one; print the medians.

    DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/rbm_bench_100 \\
        .venv/bin/python bench/serialize_cpos.py [--biennium 2012-13] [--repeat 300]
    .venv/bin/python bench/serialize_cpos.py --demo

The page is the first of ``GET /api/v1/cpos/?biennium=2012-13`` for an administrator, read
once before timing as model instances, as the detail and the answers to writes read a CPO
(the list itself now reads rows and writes them with the same function). Each repetition makes a
new serializer and takes its ``data``, as a request does; the two ways alternate so that a
busy machine slows both alike. Nothing is rendered to JSON (the same for both) or written.

``--demo`` makes a throwaway database beside DATABASE_URL's (default the local server's
``postgres``), loads the demo data into it and drops it at the end.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rbm.settings")
os.environ.setdefault("DEBUG", "true")
os.environ.pop("CELERY_BROKER_URL", None)
if "--demo" in sys.argv:
    os.environ.setdefault("DATABASE_URL", "postgres://postgres:postgres@127.0.0.1:5432/postgres")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from rest_framework import serializers  # noqa: E402
from rest_framework.request import Request  # noqa: E402
from rest_framework.test import APIRequestFactory  # noqa: E402

from dwcp.api.serializers import CpoSerializer  # noqa: E402
from dwcp.api.views import CpoViewSet  # noqa: E402
from dwcp.models import CountryProgrammeOutcome  # noqa: E402
from rbm.models import Role, User  # noqa: E402

DEMO_DATABASE = "rbm_bench_serialize_cpos_demo"


class DrfCpoSerializer(CpoSerializer):
    """The CPO serializer with DRF's generic walk over the declared fields."""

    to_representation = serializers.Serializer.to_representation


def list_page(biennium: str) -> tuple[list[CountryProgrammeOutcome], Mapping[str, Any]]:
    """The first page of the CPO list of ``biennium`` as the endpoint reads it for an
    administrator, and the serializer context it gives."""
    request = Request(APIRequestFactory().get("/api/v1/cpos/", {"biennium": biennium}))
    request.user = User(username="bench.serializer", role=Role.ADMINISTRATOR)
    view = CpoViewSet(request=request, action="list", format_kwarg=None, kwargs={})
    page = view.paginate_queryset(view.filter_queryset(view.get_queryset()))
    assert page is not None, "the CPO list is paginated"
    return list(page), view.get_serializer_context()


def median_ms(timings: list[float]) -> float:
    return statistics.median(timings) * 1000


def measure(biennium: str, repeat: int) -> dict[str, Any]:
    page, context = list_page(biennium)
    assert page, f"no CPO in {biennium}"
    by_hand = CpoSerializer(page, many=True, context=context).data
    by_drf = DrfCpoSerializer(page, many=True, context=context).data
    assert json.dumps(by_hand) == json.dumps(by_drf), "the two ways write different pages"

    def write(serializer: type[CpoSerializer]) -> Callable[[], object]:
        return lambda: serializer(page, many=True, context=context).data

    ways = {"drf": write(DrfCpoSerializer), "by_hand": write(CpoSerializer)}
    timings: dict[str, list[float]] = {name: [] for name in ways}
    for _ in range(repeat):
        for name, way in ways.items():
            started = time.perf_counter()
            way()
            timings[name].append(time.perf_counter() - started)
    drf, hand = median_ms(timings["drf"]), median_ms(timings["by_hand"])
    return {
        "database": connection.settings_dict["NAME"],
        "cpos": CountryProgrammeOutcome.objects.count(),
        "biennium": biennium,
        "page": len(page),
        "milestones": sum(len(cpo.milestones.all()) for cpo in page),
        "resources": sum(len(cpo.resources.all()) for cpo in page),
        "repeat": repeat,
        "drf_ms": round(drf, 3),
        "by_hand_ms": round(hand, 3),
        "ratio": round(drf / hand, 1),
    }


def on_demo_data(run: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """``run`` on a throwaway database holding the demo data."""
    connection.settings_dict.setdefault("TEST", {})["NAME"] = DEMO_DATABASE
    original = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        call_command("load_demo", stdout=io.StringIO())
        return run()
    finally:
        connection.creation.destroy_test_db(original, verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--biennium", default="2012-13")
    parser.add_argument("--repeat", type=int, default=300)
    parser.add_argument("--demo", action="store_true", help="on a throwaway demo database")
    options = parser.parse_args()

    def run() -> dict[str, Any]:
        return measure(options.biennium, options.repeat)

    result = on_demo_data(run) if options.demo else run()
    print(
        f"{result['database']} ({result['cpos']:,} CPOs): a page of {result['page']} CPOs of "
        f"{result['biennium']} ({result['milestones']} milestones, {result['resources']} "
        f"resources), median of {result['repeat']}: DRF {result['drf_ms']:.2f} ms, by hand "
        f"{result['by_hand_ms']:.2f} ms ({result['ratio']:.1f}x)"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()

"""The benchmarks' scale data and SQL floor: ``bench.generate_scale_data`` makes the ILO's size at
scale 1, the same rows for the same seed, and refuses to mix with data already there; the
plain SQL that ``bench/floor.py`` times computes the figures the report prints."""

from __future__ import annotations

import io
from collections import Counter
from decimal import Decimal

import pytest
from django.db import connection

from bench.floor import QUERIES
from bench.generate_scale_data import parser, run
from bench.scale import ScaleDataError
from dwcp.models import CountryProgrammeOutcome, DecentWorkCountryProgramme, ProgressReport
from rbm.models import Biennium, Country, FundingSource, Region
from rbm.services import system_user
from reporting.services import report_run_request
from strategic_plans.models import Indicator, Outcome

# Generating runs VACUUM ANALYZE, which PostgreSQL refuses inside a transaction.
pytestmark = pytest.mark.django_db(transaction=True)

DIGEST = """
    SELECT md5(string_agg(row_text, '|' ORDER BY row_text)) FROM (
        SELECT concat_ws(',', id, code, title, biennium_id, programme_id, outcome_id,
                         indicator_id, prioritized, targeted, result_status) AS row_text
        FROM dwcp_countryprogrammeoutcome
        UNION ALL
        SELECT concat_ws(',', 'r', id, cpo_id, period_id, review_state, result_claimed,
                         women_reached, men_reached) FROM dwcp_progressreport
        UNION ALL
        SELECT concat_ws(',', 'm', cpo_id, funding_source_id, planned, spent)
        FROM dwcp_cporesource
    ) AS everything"""


def _generate(*arguments: str) -> str:
    output = io.StringIO()
    options = parser().parse_args(arguments)
    run(scale=options.scale, seed=options.seed, replace=options.replace, out=output)
    return output.getvalue()


def _digest() -> str:
    with connection.cursor() as cursor:
        cursor.execute(DIGEST)
        return str(cursor.fetchone()[0])


def test_scale_1_is_the_ilos_size_the_same_for_a_seed_and_kept_from_other_data():
    # When scale 1 is generated with a seed
    printed = _generate("--scale", "1", "--seed", "7")
    # Then it says how many rows it loaded and how long it took
    assert "Scale 1 (seed 7): " in printed
    assert " rows in " in printed
    assert " rows/s)." in printed
    # And it is the ILO's size: 187 member States in 5 regions, 130 programmes, six
    # bienniums of about 1,000 CPOs, 19 outcomes and 50 indicators per framework
    assert Country.objects.count() == 187
    assert Region.objects.count() == 5
    assert DecentWorkCountryProgramme.objects.count() == 130
    per_biennium = Counter(CountryProgrammeOutcome.objects.values_list("biennium", flat=True))
    assert len(per_biennium) == 6
    assert all(900 <= count <= 1100 for count in per_biennium.values()), per_biennium
    assert Outcome.objects.count() == 2 * 19
    assert Indicator.objects.count() == 2 * 50
    # Four progress reports per CPO, in every review state; two or three funding sources each
    cpos = CountryProgrammeOutcome.objects.count()
    assert ProgressReport.objects.count() == 4 * cpos
    assert set(ProgressReport.objects.values_list("review_state", flat=True)) == {
        "validated",
        "returned",
        "submitted",
        "draft",
    }
    sources = Counter(
        CountryProgrammeOutcome.objects.filter(resources__isnull=False).values_list("pk", flat=True)
    )
    assert set(sources.values()) == {2, 3}
    assert len(sources) == cpos
    # And a second run refuses to mix with the data there
    with pytest.raises(ScaleDataError, match="--replace"):
        _generate("--scale", "1", "--seed", "7")
    # And the same seed makes the same rows, ids included, from emptied tables (--replace
    # restarts their sequences); another seed other rows
    _generate("--scale", "1", "--seed", "7", "--replace")
    first = _digest()
    _generate("--scale", "1", "--seed", "7", "--replace")
    assert _digest() == first
    _generate("--scale", "1", "--seed", "8", "--replace")
    assert _digest() != first
    # And a scale outside 1..600 is refused with a message
    with pytest.raises(ScaleDataError, match="from 1 to 600"):
        _generate("--scale", "0", "--replace")


def test_the_sql_floor_computes_the_figures_the_report_prints():
    # Given scale data and the report of 2012-13 compiled from it (tasks in this process)
    _generate("--scale", "1", "--seed", "3")
    biennium = Biennium.objects.get(start_year=2012)
    run = report_run_request(user=system_user(), biennium=biennium)
    run.refresh_from_db()
    assert run.snapshot is not None, run.error
    totals = run.snapshot.content["totals"]
    # When the floor's queries run on the same data
    rows = {}
    with connection.cursor() as cursor:
        for name, sql in QUERIES.items():
            cursor.execute(sql, {"b": biennium.pk})
            rows[name] = cursor.fetchall()
    # Then they give the report's totals: results, targets, money by source, demand and
    # targets by region
    assert sum(count for *_key, count in rows["results"]) == totals["results"] > 0
    targets = {indicator: total for indicator, total, _region, _value in rows["targets"]}
    assert sum(targets.values()) == totals["targets"] > 0
    codes = dict(FundingSource.objects.values_list("pk", "code"))
    money: dict[str, list[Decimal]] = {}
    for _outcome, source, planned, spent in rows["resources"]:
        line = money.setdefault(codes[source], [Decimal(0), Decimal(0)])
        line[0] += planned
        line[1] += spent
    assert {
        code: {"planned": f"{planned:.2f}", "spent": f"{spent:.2f}"}
        for code, (planned, spent) in money.items()
    } == {code: dict(line) for code, line in totals["resources"].items()}
    regions = dict(Region.objects.values_list("pk", "code"))
    demand: dict[str, list[int]] = {}
    for _outcome, region, prioritized, targeted in rows["demand and targets"]:
        cell = demand.setdefault(regions[region], [0, 0])
        cell[0] += prioritized
        cell[1] += targeted
    expected = {
        code: [cell["demand"], cell["target"]]
        for code, cell in totals["demand_target"].items()
        if code != "total"
    }
    assert demand == expected
    assert [sum(cell[0] for cell in demand.values()), sum(c[1] for c in demand.values())] == [
        totals["demand_target"]["total"]["demand"],
        totals["demand_target"]["total"]["target"],
    ]

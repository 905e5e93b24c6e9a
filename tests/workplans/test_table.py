"""Demand and targets by region, computed from the CPOs; published figures compared with them."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Q
from openpyxl import load_workbook

from dwcp.models import CountryProgrammeOutcome
from dwcp.selectors import visible_cpos
from rbm.models import Biennium, Region, Role
from rbm.services import system_user
from strategic_plans.services import DATA_DIR
from tests import factories
from workplans.exports import table_csv, table_xlsx
from workplans.selectors import (
    Cell,
    compare_with_published,
    demand_target_table,
    unlisted_cpo_count,
)
from workplans.services import PublishedFiguresInvalid, published_table_record

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
PRINTED = ROOT / "workplans" / "data" / "table1-as-printed.csv"
SEED_REGION = {
    "africa": "Africa",
    "arab-states": "Arab States",
    "asia-pacific": "Asia",
    "europe-central-asia": "Europe",
    "americas": "Americas",
}


def _seed_table() -> dict:
    return json.loads((DATA_DIR / "spf_2010_15.json").read_text(encoding="utf-8"))["table1"]


def _biennium() -> Biennium:
    return Biennium.objects.get(start_year=2012)


def test_the_2012_13_table_reproduces_every_cell_of_table_1(demo) -> None:
    table = demand_target_table(_biennium())
    regions = {r.code: r for r in Region.objects.all()}
    outcomes = {o.code: o for o in table.outcomes}
    assert len(outcomes) == 19
    for cell in _seed_table()["cells"]:
        computed = table.cell(outcomes[cell["outcome"]], regions[cell["region"]])
        assert (computed.demand, computed.target) == (cell["demand"], cell["target"]), cell


def test_totals_are_the_sums_of_the_records_not_the_printed_ones(demo) -> None:
    table = demand_target_table(_biennium())
    seed = _seed_table()
    cells = seed["cells"]
    for outcome in table.outcomes:
        mine = [c for c in cells if c["outcome"] == outcome.code]
        total = table.outcome_totals[outcome.pk]
        assert total.demand == sum(c["demand"] for c in mine)
        assert total.target == sum(c["target"] for c in mine)
    assert table.grand_total.demand == sum(c["demand"] for c in cells) == 911
    assert table.grand_total.target == sum(c["target"] for c in cells) == 576
    assert seed["printed_totals"]["grand_total"] == {"demand": 902, "target": 577}


def test_cells_where_targets_exceed_demand_are_flagged(demo) -> None:
    flagged = {(o.code, r.code) for o, r, _c in demand_target_table(_biennium()).flagged_cells()}
    # The seed's own examples: child labour in Asia, HIV/AIDS in Europe
    assert ("16", "asia-pacific") in flagged
    assert ("8", "europe-central-asia") in flagged
    expected = {
        (c["outcome"], c["region"]) for c in _seed_table()["cells"] if c["target"] > c["demand"]
    }
    assert flagged == expected


def _expected_differences() -> set[tuple[str, str, str, int, int]]:
    """Independently of the code: printed totals against the sums of Table 1's own cells."""
    seed = _seed_table()
    cells = seed["cells"]
    expected = set()
    for code, printed in seed["printed_totals"]["outcome_totals"].items():
        for measure in ("demand", "target"):
            computed = sum(c[measure] for c in cells if c["outcome"] == code)
            if computed != printed[measure]:
                expected.add((code, "Total", measure, printed[measure], computed))
    for region, printed in seed["printed_totals"]["region_totals"].items():
        for measure in ("demand", "target"):
            computed = sum(c[measure] for c in cells if c["region"] == region)
            if computed != printed[measure]:
                expected.add(("Total", SEED_REGION[region], measure, printed[measure], computed))
    for measure in ("demand", "target"):
        computed = sum(c[measure] for c in cells)
        printed = seed["printed_totals"]["grand_total"][measure]
        if computed != printed:
            expected.add(("Total", "Total", measure, printed, computed))
    return expected


def test_the_comparison_lists_exactly_where_table_1_disagrees_with_itself(demo) -> None:
    published = published_table_record(
        user=system_user(),
        biennium=_biennium(),
        name="printed",
        text=PRINTED.read_text(encoding="utf-8"),
    )
    differences = compare_with_published(demand_target_table(_biennium()), published)
    found = {(d.outcome, d.region, d.measure, d.published, d.computed) for d in differences}
    expected = _expected_differences()
    assert found == expected
    assert len(expected) == 18  # 11 outcome totals, 6 region totals, the grand total twice


def test_csv_export_parses_back_to_the_table(demo) -> None:
    table = demand_target_table(_biennium())
    rows = list(csv.DictReader(io.StringIO(table_csv(table))))
    assert list(rows[0]) == ["outcome", "region", "demand", "target"]
    assert len(rows) == 19 * 5 + 19 + 5 + 1
    as_published = published_table_record(
        user=system_user(), biennium=_biennium(), name="ours", text=table_csv(table)
    )
    assert compare_with_published(table, as_published) == []
    assert rows[-1] == {"outcome": "Total", "region": "Total", "demand": "911", "target": "576"}


def test_xlsx_export_holds_the_same_numbers(demo) -> None:
    table = demand_target_table(_biennium())
    sheet = load_workbook(io.BytesIO(table_xlsx(table))).worksheets[0]
    values = list(sheet.iter_rows(min_row=3, values_only=True))
    child_labour = next(row for row in values if str(row[0]).startswith("16 "))
    outcome = next(o for o in table.outcomes if o.code == "16")
    assert child_labour[1:3] == (78 + 1, 72)  # computed, not printed: 79 and 72
    for index, region in enumerate(table.regions):
        cell = table.cell(outcome, region)
        assert child_labour[3 + 2 * index : 5 + 2 * index] == (cell.demand, cell.target)
    totals = values[len(table.outcomes)]
    assert totals[1:3] == (911, 576)


def test_a_region_filter_keeps_its_column(demo) -> None:
    asia = Region.objects.get(code="asia-pacific")
    table = demand_target_table(_biennium(), region=asia)
    assert [r.code for r in table.regions] == ["asia-pacific"]
    assert table.grand_total.demand == sum(
        c["demand"] for c in _seed_table()["cells"] if c["region"] == "asia-pacific"
    )


def test_the_table_reads_in_a_constant_number_of_queries(count_queries) -> None:
    _plan, (child_labour, _standards) = factories.framework_2012_13()
    factories.CpoFactory.create_batch(2, outcome=child_labour)
    biennium = factories.biennium("2012-13")
    few = count_queries(lambda: demand_target_table(biennium).figures())
    factories.CpoFactory.create_batch(30, outcome=child_labour)
    kenya = factories.DwcpFactory(country=factories.country("KEN"))
    factories.CpoFactory.create_batch(10, programme=kenya, outcome=child_labour)
    many = count_queries(lambda: demand_target_table(biennium).figures())
    assert many == few
    assert demand_target_table(biennium).grand_total.demand == 42


def test_the_cached_counts_follow_every_change_of_the_cpos(count_queries) -> None:
    _plan, (child_labour, _standards) = factories.framework_2012_13()
    biennium = factories.biennium("2012-13")
    first, second = factories.CpoFactory.create_batch(
        2, outcome=child_labour, prioritized=True, targeted=False
    )
    counted = count_queries(lambda: demand_target_table(biennium))
    assert demand_target_table(biennium).grand_total == Cell(demand=2, target=0)
    assert counted == count_queries(lambda: demand_target_table(biennium))  # cold again
    cached = count_queries(lambda: demand_target_table(biennium), cold=False)
    assert cached == counted - 1  # the counts come from the cache

    first.targeted = True
    first.save()
    assert demand_target_table(biennium).grand_total == Cell(demand=2, target=1)
    factories.CpoFactory(outcome=child_labour, prioritized=False, targeted=True)
    assert demand_target_table(biennium).grand_total == Cell(demand=2, target=2)
    second.delete()
    assert demand_target_table(biennium).grand_total == Cell(demand=1, target=2)


@pytest.mark.parametrize(
    ("text", "column", "message"),
    [
        ("outcome,region,demand,target\n99,Africa,1,1\n", "outcome", "not an outcome"),
        ("outcome,region,demand,target\n16,Atlantis,1,1\n", "region", "not a region"),
        ("outcome,region,demand,target\n16,Africa,-3,1\n", "demand", "whole number"),
        ("outcome,region,demand,target\n16,Africa,x,1\n", "demand", "whole number"),
        ("outcome,region,demand\n16,Africa,1\n", "target", "Missing columns"),
        ("outcome,region,demand,target\n16,Africa,1,1\n16,Africa,2,2\n", "region", "twice"),
    ],
)
def test_bad_published_figures_are_refused_with_every_error(text, column, message) -> None:
    factories.framework_2012_13()
    with pytest.raises(PublishedFiguresInvalid) as error:
        published_table_record(
            user=system_user(), biennium=factories.biennium("2012-13"), name="bad", text=text
        )
    assert any(column in e.column and message in e.message for e in error.value.errors)


def test_all_errors_of_a_file_are_listed_at_once() -> None:
    factories.framework_2012_13()
    text = "outcome,region,demand,target\n99,Africa,1,1\n16,Mars,1,1\n16,Africa,-1,x\n"
    with pytest.raises(PublishedFiguresInvalid) as error:
        published_table_record(
            user=system_user(), biennium=factories.biennium("2012-13"), name="b", text=text
        )
    assert [(e.row, e.column) for e in error.value.errors] == [
        (2, "outcome"), (3, "region"), (4, "demand"), (4, "target"),
    ]  # fmt: skip


def test_the_command_prints_the_table_and_compares(demo, capsys) -> None:
    call_command("workplan_table", "--biennium", "2012-13")
    printed = capsys.readouterr().out
    assert printed.splitlines()[0] == "outcome,region,demand,target"
    assert "Total,Total,911,576" in printed
    with pytest.raises(SystemExit) as stop:
        call_command("workplan_table", "--biennium", "2012-13", "--compare-with", str(PRINTED))
    assert stop.value.code == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "outcome,region,measure,published,computed"
    assert len(lines) == 1 + 18
    assert "Total,Total,demand,902,911" in lines


def test_the_command_exits_0_when_figures_match(demo, tmp_path, capsys) -> None:
    call_command("workplan_table", "--biennium", "2012-13")
    ours = tmp_path / "ours.csv"
    ours.write_text(capsys.readouterr().out, encoding="utf-8")
    call_command("workplan_table", "--biennium", "2012-13", "--compare-with", str(ours))
    assert capsys.readouterr().out.strip() == "outcome,region,measure,published,computed"


def test_the_command_refuses_a_bad_biennium_with_a_message() -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "workplan_table", "--biennium", "2012-14"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "not a biennium" in result.stderr


@pytest.mark.parametrize(
    "role",
    [
        None,
        Role.FIELD_OFFICE_STAFF,
        Role.REGIONAL_PROGRAMME_OFFICER,
        Role.OUTCOME_COORDINATOR,
        Role.ADMINISTRATOR,
    ],
)
def test_the_unlisted_count_is_what_the_table_counts_less_what_the_user_reads(role, user_for):
    # Given CPOs that the table counts (prioritized or targeted) and one it does not, in
    # published and unpublished programmes of the user's office's country, of another
    # country of their region, and of another region, in 2012-13 and in another biennium
    _plan, outcomes = factories.framework_2012_13()
    office = factories.OfficeFactory(countries=[factories.country("IDN")])
    biennium = factories.biennium("2012-13")
    for alpha3 in ("IDN", "PHL", "KEN"):
        for published in (True, False):
            programme = factories.DwcpFactory(
                country=factories.country(alpha3), published=published
            )
            for prioritized, targeted in ((True, False), (False, True), (False, False)):
                factories.CpoFactory(
                    programme=programme,
                    outcome=outcomes[0],
                    prioritized=prioritized,
                    targeted=targeted,
                )
            factories.CpoFactory(programme=programme, biennium=factories.biennium("2010-11"))
    scope = {"office": office} if role == Role.FIELD_OFFICE_STAFF else {}
    user = None if role is None else user_for(role, **scope)
    # When the table's note counts the CPOs the user's list does not show
    unlisted = unlisted_cpo_count(user, biennium)
    # Then it is the counted CPOs less those the user reads, whoever the user is
    counted = CountryProgrammeOutcome.objects.filter(biennium=biennium).filter(
        Q(prioritized=True) | Q(targeted=True)
    )
    readable = set(visible_cpos(user).values_list("pk", flat=True))
    expected = sum(1 for pk in counted.values_list("pk", flat=True) if pk not in readable)
    assert unlisted == expected
    assert (expected > 0) is (role not in (Role.OUTCOME_COORDINATOR, Role.ADMINISTRATOR))

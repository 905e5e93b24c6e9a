"""The report's front matter: a title page, a table of contents, the executive summary with
its key figures (targets set, met and exceeded by objective and by region; resources by
source; budget against expenditure), four charts drawn from the snapshot's content with their
alternative text, and the secretariat's introduction, typed on the request page and kept with
the run."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import docx
import pytest
from django.urls import reverse
from django.utils import translation
from docx.oxml.ns import qn
from pypdf import PdfReader

from rbm.models import Role
from reporting.exports import export_snapshot
from reporting.exports.charts import chart_png, chart_svg
from reporting.exports.layout import Chart, Table, report_document
from reporting.models import ReportRun
from tests.reporting.test_exports import pdf_text, thousands
from tests.reporting.test_printed_pdf import struct_elements

pytestmark = pytest.mark.django_db

INTRODUCTION = (
    "The Office reports on the second biennium of the Strategic Policy Framework.\n\n"
    "Results are counted only where a region validated them."
)
WP_DRAWING = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"


@pytest.fixture
def snapshot(demo, compile_report):
    return compile_report(introduction=INTRODUCTION).snapshot


def expected_targets(content, region: str | None) -> tuple[int, int, int]:
    """(set, met, exceeded) counted from the content's indicators, overall or in a region."""
    counted = [0, 0, 0]
    for objective in content["objectives"]:
        for outcome in objective["outcomes"]:
            for indicator in outcome["indicators"]:
                if region is None:
                    target, results = indicator["target"], indicator["results"]
                else:
                    target = indicator["target_by_region"][region]
                    results = indicator["results_by_region"][region]
                if target:
                    counted[0] += 1
                    counted[1] += results >= target
                    counted[2] += results > target
    return counted[0], counted[1], counted[2]


def test_the_docx_has_word_headings_a_toc_field_and_the_key_figures(snapshot):
    # When the demo's report is written as DOCX
    document = docx.Document(io.BytesIO(export_snapshot(snapshot, "docx").content))

    # Then the summary and outcomes use Word's own heading styles (navigation pane, TOC)
    styles = {p.text: p.style.name for p in document.paragraphs if p.style.name.startswith("Head")}
    assert styles["Executive summary"] == "Heading 1"
    assert styles["Key figures"] == "Heading 2"
    assert styles["Introduction by the secretariat"] == "Heading 2"
    assert styles["Outcome 16 – Child labour"] == "Heading 2"
    assert styles["Indicators and targets"] == "Heading 3"
    # and a TOC field over headings 1 and 2 that Word updates when it opens the file
    instructions = [t.text for t in document.element.body.iter(qn("w:instrText"))]
    assert any(re.match(r'\s*TOC \\o "1-2" \\h', text) for text in instructions), instructions
    assert document.settings.element.find(qn("w:updateFields")).get(qn("w:val")) == "true"
    # whose result, until a reader updates it, lists the headings of levels 1 and 2
    texts = [p.text for p in document.paragraphs]
    assert texts.count("Outcome 16 – Child labour") == 2
    assert texts.index("Executive summary") < texts.index("Outcome 1 – Employment promotion")
    # the secretariat's introduction, paragraph by paragraph, before the key figures
    texts = [p.text for p in document.paragraphs]
    first = texts.index(INTRODUCTION.split("\n\n")[0])
    assert texts[first + 1] == INTRODUCTION.split("\n\n")[1]
    assert first < len(texts) - 1 - texts[::-1].index("Key figures")  # the heading, after the TOC

    # And the targets set, met and exceeded, by objective and by region, add up as counted
    tables = {t.rows[0].cells[0].text + "|" + t.rows[0].cells[1].text: t for t in document.tables}
    by_objective = tables["Strategic objective|Targets set"]
    total = [c.text for c in by_objective.rows[-1].cells]
    set_, met, exceeded = expected_targets(snapshot.content, None)
    assert total == ["Total", str(set_), str(met), str(exceeded), str(set_ - met)]
    assert set_ == 19
    by_region = tables["Region|Targets set"]
    africa = next(r for r in by_region.rows if r.cells[0].text == "Africa")
    set_, met, exceeded = expected_targets(snapshot.content, "africa")
    assert [c.text for c in africa.cells][1:] == [
        str(set_),
        str(met),
        str(exceeded),
        str(set_ - met),
    ]
    # and the budget against expenditure by source, in USD thousands, with the delivery rate
    budget = tables["Source of funds|P&B budget (USD thousands)"]
    rb = next(r for r in budget.rows if r.cells[0].text == "Regular budget")
    budget_rb = sum(
        Decimal(o["resources"]["RB"]["budget"])
        for objective in snapshot.content["objectives"]
        for o in objective["outcomes"]
    )
    spent_rb = Decimal(snapshot.content["totals"]["resources"]["RB"]["spent"])
    assert rb.cells[1].text == thousands(budget_rb)
    assert rb.cells[2].text == thousands(spent_rb)
    assert rb.cells[3].text == f"{spent_rb / budget_rb * 100:.1f}%"


def test_the_docx_charts_are_pictures_with_alternative_text(snapshot):
    document = docx.Document(io.BytesIO(export_snapshot(snapshot, "docx").content))

    pictures = list(document.element.body.iter(f"{WP_DRAWING}docPr"))
    assert [p.get("name") for p in pictures] == [
        "chart-objectives",
        "chart-regions",
        "chart-resources",
        "chart-delivery",
    ]
    for picture in pictures:
        assert picture.get("descr").startswith("Bar chart. ")
        assert picture.get("title")
    regions = pictures[1].get("descr")
    set_africa = sum(
        i["target_by_region"]["africa"] or 0
        for o in snapshot.content["objectives"]
        for outcome in o["outcomes"]
        for i in outcome["indicators"]
    )
    assert f"Africa: target {set_africa:,}" in regions
    assert len(document.inline_shapes) == 4
    assert all(shape.width > 0 for shape in document.inline_shapes)


def test_charts_come_from_the_content_and_give_the_same_bytes(snapshot):
    with translation.override("en"):
        charts = [b for b in report_document(snapshot).blocks if isinstance(b, Chart)]
    assert 3 <= len(charts) <= 5
    by_key = {chart.key: chart for chart in charts}
    totals = snapshot.content["totals"]
    resources = by_key["chart-resources"]
    assert resources.categories == [s["code"] for s in snapshot.content["meta"]["funding_sources"]]
    planned = [
        float(round(Decimal(totals["resources"][c]["planned"]) / 10**6, 1))
        for c in resources.categories
    ]
    assert resources.series[0].values == planned
    objectives = by_key["chart-objectives"]
    assert sum(objectives.series[0].values) == totals["targets"]
    assert sum(objectives.series[1].values) == totals["results"]

    svg = chart_svg(objectives)
    assert svg.startswith("<svg")
    assert "Results against targets by strategic objective" in svg
    assert svg == chart_svg(objectives)
    assert chart_png(objectives) == chart_png(objectives)
    assert chart_png(objectives).startswith(b"\x89PNG")


def test_the_pdf_prints_the_summary_with_its_charts(snapshot):
    data = export_snapshot(snapshot, "pdf").content
    text = pdf_text(data)
    assert "Executive summary" in text
    assert INTRODUCTION.split("\n\n")[1] in text
    assert "Targets set Met Exceeded Not met" in text
    figures = struct_elements(PdfReader(io.BytesIO(data)), "/Figure")
    assert [str(f["/Alt"]).split(".")[1].strip() for f in figures] == [
        "Results against targets by strategic objective",
        "Results against targets by region",
        "Resources by funding source (USD millions)",
        "Delivery: expenditure against the P&B budget",
    ]


def test_a_regional_report_has_no_budget_table_nor_delivery_chart(demo, compile_report):
    snapshot = compile_report(scope="region", region=_africa()).snapshot
    with translation.override("en"):
        blocks = report_document(snapshot).blocks
    keys = {b.key for b in blocks if isinstance(b, (Table, Chart))}
    assert "summary-targets-regions" in keys
    assert "summary-budget" not in keys
    assert "chart-delivery" not in keys
    assert "chart-resources" in keys


def _africa():
    from rbm.models import Region

    return Region.objects.get(code="africa")


def test_the_introduction_is_typed_on_the_request_page_and_kept_with_the_run(
    demo, client, user_for, django_capture_on_commit_callbacks
):
    client.force_login(user_for(Role.GB_SECRETARIAT))
    page = client.get(reverse("reporting:index")).content.decode()
    assert 'name="introduction"' in page

    data = {"biennium": _biennium_id(), "scope": "whole", "language": "fr"}
    introduction = "Le Bureau rend compte de l'exercice.\n\nDeuxième paragraphe."
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:request"), {**data, "introduction": introduction})
    assert response.status_code == 302
    run = ReportRun.objects.order_by("-pk").first()
    assert (
        run.introduction == introduction.replace("\n", "\r\n") or run.introduction == introduction
    )
    assert run.snapshot.content["meta"]["introduction"] == run.introduction
    history = run.history.first()
    assert history.introduction == run.introduction
    document = docx.Document(io.BytesIO(export_snapshot(run.snapshot, "docx").content))
    texts = [p.text for p in document.paragraphs]
    assert "Introduction du secrétariat" in texts
    assert "Deuxième paragraphe." in texts

    # A control character is refused with the field's message, nothing is queued
    count = ReportRun.objects.count()
    refused = client.post(reverse("reporting:request"), {**data, "introduction": "bad\x07text"})
    assert refused.status_code == 400
    assert "introduction" in refused.context["form"].errors
    assert ReportRun.objects.count() == count


def test_the_api_takes_the_introduction(demo, user_for, django_capture_on_commit_callbacks):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(user_for(Role.GB_SECRETARIAT))
    with django_capture_on_commit_callbacks(execute=True):
        created = api.post(
            "/api/v1/report-runs/",
            {"biennium": "2012-13", "introduction": "An introduction."},
            format="json",
        )
    assert created.status_code == 202, created.json()
    body = api.get(f"/api/v1/report-runs/{created.json()['id']}/").json()
    assert body["introduction"] == "An introduction."
    refused = api.post(
        "/api/v1/report-runs/", {"biennium": "2012-13", "introduction": "x\x00y"}, format="json"
    )
    assert refused.status_code == 400
    assert "introduction" in refused.json()["error"]["fields"]


def test_a_snapshot_without_an_introduction_exports_as_before(snapshot):
    content = dict(snapshot.content)
    meta = dict(content["meta"])
    meta.pop("introduction")
    content["meta"] = meta
    snapshot.content = content
    with translation.override("en"):
        headings = [getattr(b, "text", "") for b in report_document(snapshot).blocks]
    assert "Introduction by the secretariat" not in headings
    assert "Key figures" in headings


def _biennium_id() -> int:
    from tests import factories

    return factories.biennium("2012-13").pk


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_every_outcome_of_the_demo_report_has_a_country_example(demo, compile_report, language):
    snapshot = compile_report(language=language).snapshot
    outcomes = [o for objective in snapshot.content["objectives"] for o in objective["outcomes"]]
    assert len(outcomes) == 19
    for outcome in outcomes:
        assert outcome["examples"], outcome["code"]
        assert all(example["narrative"] for example in outcome["examples"]), outcome["code"]


def test_featured_examples_are_spread_over_the_regions_and_bounded():
    from reporting.exports.examples import featured, others_text

    found = [
        {"region": region, "cpo": f"{country}10{n}", "country_name": country}
        for region, country, n in [
            ("africa", "Egypt", 1),
            ("africa", "Ghana", 1),
            ("africa", "Kenya", 1),
            ("africa", "Kenya", 2),
            ("americas", "Peru", 1),
            ("asia-pacific", "Viet Nam", 1),
            ("asia-pacific", "Nepal", 1),
        ]
    ]
    told, others = featured(found, limit=5)
    assert [e["cpo"] for e in told] == [
        "Egypt101",
        "Ghana101",
        "Peru101",
        "Viet Nam101",
        "Nepal101",
    ]
    assert [e["cpo"] for e in others] == ["Kenya101", "Kenya102"]
    assert others_text(others) == "Kenya (Kenya101, Kenya102)."
    assert featured(found[:2], limit=5) == (found[:2], [])

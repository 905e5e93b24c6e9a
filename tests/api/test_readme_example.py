"""The README's curl session, step by step, on the demo data set."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from rbm.models import User

pytestmark = pytest.mark.django_db


def _token(username: str) -> APIClient:
    """Log in on the pages, create a token on the account page, use its key."""
    pages = APIClient()
    pages.force_login(User.objects.get(username=username))
    page = pages.post(reverse("api-token-new"), {"name": "README"}, format="multipart")
    page = page.content.decode()
    key = page.split('<code id="new-token-key">')[1].split("</code>")[0]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_the_readme_session_works_on_the_demo_data(
    demo: Any, django_capture_on_commit_callbacks: Any
) -> None:
    field = _token("field.jakarta")
    listed = field.get("/api/v1/cpos/?biennium=2012-13&country=IDN&targeted=true").json()
    assert listed["count"] > 0
    programme = field.get("/api/v1/dwcps/?country=IDN").json()["results"][0]["id"]
    priority = field.get(f"/api/v1/priorities/?programme={programme}").json()["results"][0]["id"]
    outcome = field.get("/api/v1/outcomes/?biennium=2012-13&search=child").json()["results"][0]
    assert outcome["code"] == "16"
    indicator = field.get(f"/api/v1/indicators/?outcome={outcome['id']}").json()["results"][0]
    created = field.post(
        "/api/v1/cpos/",
        {
            "programme": programme,
            "priority": priority,
            "biennium": "2012-13",
            "outcome": outcome["id"],
            "indicator": indicator["id"],
            "code": "IDN990",
            "title": "Child labour in fisheries is reduced",
            "gender_statement": "Girls and boys are counted and consulted separately.",
            "prioritized": True,
            "targeted": True,
            "milestones": [{"due_on": "2012-12-31", "text": "Baseline survey published"}],
            "resources": [{"funding_source": "XBTC", "planned": "150000.00"}],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    report = field.post(
        "/api/v1/progress-reports/",
        {
            "cpo": created.json()["id"],
            "period": "2013-H1",
            "status": "on_track",
            "narrative": "The survey is under way with the constituents.",
        },
        format="json",
    )
    assert report.status_code == 201, report.content
    report_id = report.json()["id"]
    submitted = field.post(
        f"/api/v1/progress-reports/{report_id}/submit/", {"version": 1}, format="json"
    ).json()
    assert (submitted["review_state"], submitted["version"]) == ("submitted", 2)
    validated = _token("rpo.asia").post(
        f"/api/v1/progress-reports/{report_id}/validate/", {"version": 2}, format="json"
    )
    assert validated.json()["review_state"] == "validated"

    secretariat = _token("gb.secretariat")
    with django_capture_on_commit_callbacks(execute=True):
        requested = secretariat.post("/api/v1/report-runs/", {"biennium": "2012-13"}, format="json")
    assert requested.status_code == 202, requested.content
    run = secretariat.get(f"/api/v1/report-runs/{requested.json()['id']}/").json()
    assert run["status"] == "succeeded", run["error"]
    download = secretariat.get(f"/api/v1/report-snapshots/{run['snapshot']}/download/xlsx/")
    assert download.status_code == 200
    assert download["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    workbook = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert "2012-13" in workbook.properties.title
    cells = " ".join(
        str(cell)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    )
    assert "child labour" in cells.lower()
    assert "Indonesia" in cells

"""Every public page and download shows only published and validated data: no draft,
submitted or returned report, no comment on a return, no internal warning, no stored file,
no name of who wrote, reviewed or finalized anything."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.portal.conftest import PUBLIC_NARRATIVE, SECRETS

pytestmark = pytest.mark.django_db

AS_SUBMITTED = {"unpublished programme", "unpublished CPO", "target warning text"}

AS_SUBMITTED = {"unpublished programme", "unpublished CPO", "target warning text"}


def _text(response: Any) -> str:
    """What a visitor reads in an answer: the page, or every member of a zipped file."""
    content = response.content if not response.streaming else b"".join(response.streaming_content)
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "\n".join(
                archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
            )
    return content.decode("utf-8", "replace")


def _portal_addresses(seeded: dict[str, Any]) -> list[str]:
    snapshot = seeded["snapshot"]
    return [
        reverse("portal:home"),
        reverse("portal:home") + "?biennium=2012-13",
        reverse("portal:programme-list"),
        reverse("portal:programme-detail", args=[seeded["published"].pk]),
        reverse("portal:outcome-detail", args=[seeded["outcome"].pk]) + "?biennium=2012-13",
        reverse("portal:report-list"),
        *(
            reverse("portal:report-download", args=[snapshot.pk, fmt])
            for fmt in ("csv", "xlsx", "docx")
        ),
        reverse("portal:data"),
        reverse("portal:data-cpos"),
        reverse("portal:data-iati"),
        reverse("portal:sitemap"),
    ]


def _internal_public_addresses(seeded: dict[str, Any]) -> list[str]:
    """The pages of the application a visitor may open without signing in."""
    return [
        reverse("plan-detail", args=[seeded["plan"].pk]) + "?biennium=2012-13",
        reverse("outcome-detail", args=[seeded["outcome"].pk]),
        reverse("dwcp:programme-list"),
        reverse("dwcp:programme-detail", args=[seeded["published"].pk]),
        reverse("dwcp:cpo-list"),
        reverse("dwcp:cpo-detail", args=[seeded["cpo"].pk]),
        "/api/v1/progress-reports/",
        "/api/v1/cpos/",
        "/api/v1/dwcps/",
    ]


def test_the_portal_shows_nothing_unpublished_or_unvalidated(seeded: dict[str, Any]) -> None:
    client = Client()
    seen = ""
    snapshot = seeded["snapshot"]
    from_final_report = {
        *(
            reverse("portal:report-download", args=[snapshot.pk, f])
            for f in ("csv", "xlsx", "docx")
        ),
        reverse("portal:data-iati"),
    }
    for address in _portal_addresses(seeded):
        response = client.get(address)
        assert response.status_code == 200, address
        text = _text(response)
        for why, secret in SECRETS.items():
            if why in AS_SUBMITTED and address in from_final_report:
                # The final report is the Governing Body's document, published as it was
                # submitted: every programme it counts, its notes on targets whose regions
                # do not add up (ADR 0020); still nothing unvalidated and no names.
                continue
            assert secret not in text, f"{address} shows the {why}"
        assert "/evidence/" not in text, address
        seen += text
    # What was validated in a published programme is there, in pages and downloads.
    assert seen.count(PUBLIC_NARRATIVE) >= 3
    assert "IDN101" in _text(client.get(reverse("portal:data-cpos")))


def test_the_applications_public_pages_hide_what_is_not_validated(seeded: dict[str, Any]) -> None:
    client = Client()
    for address in _internal_public_addresses(seeded):
        response = client.get(address)
        assert response.status_code == 200, address
        text = _text(response)
        for why, secret in SECRETS.items():
            if why == "private file":
                continue  # a validated report's evidence is the programme's, read by all
            assert secret not in text, f"{address} shows the {why}"


def test_unpublished_programmes_and_draft_reports_are_not_found(seeded: dict[str, Any]) -> None:
    client = Client()
    assert (
        client.get(reverse("portal:programme-detail", args=[seeded["hidden"].pk])).status_code
        == 404
    )
    assert client.get(reverse("portal:programme-detail", args=["x1"])).status_code == 404
    assert client.get(reverse("portal:outcome-detail", args=["999999"])).status_code == 404
    snapshot = seeded["snapshot"]
    assert (
        client.get(reverse("portal:report-download", args=[snapshot.pk, "exe"])).status_code == 404
    )


def test_a_draft_report_is_not_public(seeded: dict[str, Any], compile_report: Any) -> None:
    draft = compile_report().snapshot
    client = Client()
    assert client.get(reverse("portal:report-download", args=[draft.pk, "csv"])).status_code == 404
    listed = client.get(reverse("portal:report-list")).content.decode()
    assert f"/public/reports/{seeded['snapshot'].pk}/pdf/" in listed
    assert f"/public/reports/{draft.pk}/" not in listed

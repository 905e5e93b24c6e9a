"""Stored files (signed programme documents, evidence of progress reports) are served only
by views that check the reader's permission, as attachments with safe names; nothing serves
the media folder itself, with DEBUG on (the demo) or off (production)."""

from __future__ import annotations

import importlib

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import clear_url_caches, reverse
from django.utils import timezone

from rbm.models import Role
from tests import factories

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 signed by the tripartite constituents"
ANONYMOUS, ELSEWHERE, OWNER = "anonymous", "field staff of another office", "the office"


@pytest.fixture(params=[False, True], ids=["DEBUG off", "DEBUG on"])
def debug(request, settings):
    """Run the test with DEBUG off and on, with the URLs built as the server would build them."""
    import rbm.urls

    settings.DEBUG = request.param
    importlib.reload(rbm.urls)
    clear_url_caches()
    yield request.param
    settings.DEBUG = False
    importlib.reload(rbm.urls)
    clear_url_caches()


@pytest.fixture
def files(user_for):
    _plan, (outcome16, _outcome18) = factories.framework_2012_13()
    office = factories.OfficeFactory(countries=[factories.country("IDN")])
    other = factories.OfficeFactory(countries=[factories.country("KEN")])
    programmes = {}
    for published in (False, True):
        programme = factories.DwcpFactory(office=office, published=published)
        programme.signed_document = SimpleUploadedFile('signed "final" <v2>.pdf', PDF)
        programme.save()
        programmes[published] = programme
    cpo = factories.CpoFactory(programme=programmes[True], outcome=outcome16, code="IDN101")
    validator = user_for(Role.ADMINISTRATOR)
    reports = {}
    for state, period in (("draft", "2012-H1"), ("submitted", "2012-H2"), ("validated", "2013-H1")):
        validated = (
            {"validated_by": validator, "validated_at": timezone.now()}
            if state == "validated"
            else {}
        )
        report = factories.ProgressReportFactory(
            cpo=cpo, period=factories.period(period), review_state=state, **validated
        )
        report.evidence_file = SimpleUploadedFile(f"minutes {state}.pdf", PDF + state.encode())
        report.save()
        reports[state] = report
    return {
        "programmes": programmes,
        "reports": reports,
        ANONYMOUS: AnonymousUser(),
        ELSEWHERE: user_for(Role.FIELD_OFFICE_STAFF, office=other),
        OWNER: user_for(Role.FIELD_OFFICE_STAFF, office=office),
    }


def _client(files, who) -> Client:
    client = Client()
    if who != ANONYMOUS:
        client.force_login(files[who])
    return client


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


# (kind, which record, who) -> may download
EXPECTED = {
    ("document", False, ANONYMOUS): False,
    ("document", False, ELSEWHERE): False,
    ("document", False, OWNER): True,
    ("document", True, ANONYMOUS): True,
    ("document", True, ELSEWHERE): True,
    ("document", True, OWNER): True,
    ("evidence", "draft", ANONYMOUS): False,
    ("evidence", "draft", ELSEWHERE): False,
    ("evidence", "draft", OWNER): True,
    ("evidence", "submitted", ANONYMOUS): False,
    ("evidence", "submitted", ELSEWHERE): False,
    ("evidence", "submitted", OWNER): True,
    ("evidence", "validated", ANONYMOUS): True,
    ("evidence", "validated", ELSEWHERE): True,
    ("evidence", "validated", OWNER): True,
}


def _record(files, kind, which):
    if kind == "document":
        programme = files["programmes"][which]
        return programme.signed_document, [
            reverse("dwcp:programme-document", args=[programme.pk]),
            reverse("api:dwcp-signed-document", args=[programme.pk]),
        ]
    report = files["reports"][which]
    return report.evidence_file, [
        reverse("dwcp:progress-evidence", args=[report.pk]),
        reverse("api:progress-report-evidence", args=[report.pk]),
    ]


@pytest.mark.parametrize(("kind", "which", "who"), list(EXPECTED))
def test_a_file_is_served_only_to_who_may_read_its_record(debug, files, kind, which, who):
    stored, urls = _record(files, kind, which)
    client = _client(files, who)
    media = client.get(f"/media/{stored.name}")
    assert media.status_code == 404  # the folder itself is never served
    for url in urls:
        response = client.get(url)
        if not EXPECTED[(kind, which, who)]:
            assert response.status_code in (401, 404), (url, response.status_code)
            continue
        assert response.status_code == 200, url
        with stored.open("rb") as handle:
            assert _body(response) == handle.read()
        disposition = response["Content-Disposition"]
        assert disposition.startswith("attachment; filename=")
        assert '"' not in disposition.removeprefix('attachment; filename="').removesuffix('"')
        assert "<" not in disposition
        assert "/" not in disposition
        assert response["Cache-Control"] == "private, no-store"
        assert response["X-Content-Type-Options"] == "nosniff"


def test_a_file_a_reader_may_not_read_is_a_404_like_a_missing_one(files) -> None:
    client = _client(files, ELSEWHERE)
    hidden = files["programmes"][False]
    refused = client.get(reverse("dwcp:programme-document", args=[hidden.pk]))
    missing = client.get(reverse("dwcp:programme-document", args=[hidden.pk + 1000]))
    assert refused.status_code == missing.status_code == 404


def test_a_record_without_a_file_answers_404(files) -> None:
    programme = files["programmes"][True]
    programme.signed_document = ""
    programme.save()
    response = _client(files, OWNER).get(reverse("dwcp:programme-document", args=[programme.pk]))
    assert response.status_code == 404


def test_pages_and_the_api_link_to_the_checked_views_not_to_media(files) -> None:
    client = _client(files, OWNER)
    programme = files["programmes"][False]
    report = files["reports"]["draft"]
    page = client.get(reverse("dwcp:programme-detail", args=[programme.pk])).content.decode()
    assert reverse("dwcp:programme-document", args=[programme.pk]) in page
    assert "/media/" not in page
    cpo_page = client.get(reverse("dwcp:cpo-detail", args=[report.cpo.pk])).content.decode()
    assert reverse("dwcp:progress-evidence", args=[report.pk]) in cpo_page
    assert "/media/" not in cpo_page
    api = client.get(reverse("api:dwcp-detail", args=[programme.pk])).json()
    assert api["signed_document"] == "http://testserver" + reverse(
        "api:dwcp-signed-document", args=[programme.pk]
    )
    api_report = client.get(reverse("api:progress-report-detail", args=[report.pk])).json()
    assert api_report["evidence_file"].endswith(
        reverse("api:progress-report-evidence", args=[report.pk])
    )

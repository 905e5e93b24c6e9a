"""Progress reports through the pages: field staff report and submit, the region validates or
returns with a comment, one by one or several at once (all or nothing)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dwcp.models import ProgressReport, ReviewState
from dwcp.services import progress_report_return, progress_report_submit, progress_report_update
from rbm.models import Role
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(reference, user_for):
    factories.framework_2012_13()
    office = factories.OfficeFactory(name="ILO Jakarta", countries=[factories.country("IDN")])
    programme = factories.DwcpFactory(office=office)
    cpo = factories.CpoFactory(programme=programme, code="126")
    return {
        "cpo": cpo,
        "field": user_for(Role.FIELD_OFFICE_STAFF, office=office),
        "regional": user_for(Role.REGIONAL_PROGRAMME_OFFICER, region=reference["asia-pacific"]),
        "regional_other": user_for(Role.REGIONAL_PROGRAMME_OFFICER, region=reference["africa"]),
    }


def report_data(**overrides):
    data = {
        "period": factories.period("2012-H1").pk,
        "status": "on_track",
        "narrative": "The national action plan was drafted with the constituents.",
        "result_claimed": "",
        "evidence_text": "",
        "evidence_url": "",
        "women_reached": "120",
        "men_reached": "80",
        "action": "draft",
    }
    data.update(overrides)
    return data


def submitted(cpo, user, period="2012-H1", **fields):
    report = factories.ProgressReportFactory(cpo=cpo, period=factories.period(period), **fields)
    return progress_report_submit(user=user, report=report, version=report.version)


def test_field_staff_save_a_draft_then_submit_it_from_the_cpo_page(client, setting):
    cpo = setting["cpo"]
    client.force_login(setting["field"])
    response = client.post(reverse("dwcp:progress-create", args=[cpo.pk]), report_data())
    assert response.status_code == 302
    report = ProgressReport.objects.get(cpo=cpo)
    assert report.review_state == ReviewState.DRAFT
    page = client.get(reverse("dwcp:cpo-detail", args=[cpo.pk])).content.decode()
    assert "The progress report was saved as a draft." in page
    assert "Submit for validation" in page
    response = client.post(
        reverse("dwcp:progress-submit", args=[report.pk]), {"version": report.version}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.review_state == ReviewState.SUBMITTED
    assert report.submitted_by == setting["field"]
    page = client.get(reverse("dwcp:cpo-detail", args=[cpo.pk])).content.decode()
    assert "Submitted</strong> by" in page


def test_save_and_submit_in_one_go(client, setting):
    client.force_login(setting["field"])
    response = client.post(
        reverse("dwcp:progress-create", args=[setting["cpo"].pk]),
        report_data(
            action="submit",
            result_claimed="on",
            evidence_url="https://example.org/decree.pdf",
        ),
    )
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert report.review_state == ReviewState.SUBMITTED
    assert report.result_claimed


def test_a_claim_without_evidence_is_refused_and_nothing_is_saved(client, setting):
    client.force_login(setting["field"])
    response = client.post(
        reverse("dwcp:progress-create", args=[setting["cpo"].pk]),
        report_data(action="submit", result_claimed="on"),
    )
    assert response.status_code == 400
    assert "A claimed result needs evidence" in response.content.decode()
    assert not ProgressReport.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("evidence.pdf", b"x" * (10 * 1024 * 1024 + 1), "The file is 10.1 MB; the limit is 10 MB."),
        ("evidence.html", b"<p>hi</p>", "File extension “html” is not allowed."),
    ],
)
def test_a_too_large_or_wrong_type_evidence_file_is_refused(
    client, setting, name, content, message
):
    client.force_login(setting["field"])
    data = report_data()
    data["evidence_file"] = SimpleUploadedFile(name, content)
    response = client.post(reverse("dwcp:progress-create", args=[setting["cpo"].pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_an_evidence_file_is_kept_and_linked(client, setting):
    client.force_login(setting["field"])
    data = report_data(result_claimed="on")
    data["evidence_file"] = SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes")
    response = client.post(reverse("dwcp:progress-create", args=[setting["cpo"].pk]), data)
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert report.evidence_file.name.endswith(".pdf")
    page = client.get(reverse("dwcp:cpo-detail", args=[setting["cpo"].pk])).content.decode()
    assert reverse("dwcp:progress-evidence", args=[report.pk]) in page


def test_periods_already_reported_are_not_offered_again(client, setting):
    factories.ProgressReportFactory(cpo=setting["cpo"])
    client.force_login(setting["field"])
    form = client.get(reverse("dwcp:progress-create", args=[setting["cpo"].pk])).context["form"]
    codes = [period.code for period in form.fields["period"].objects_by_key.values()]
    assert codes == ["2012-H2", "2013-H1", "2013-H2"]


def test_the_regional_officer_validates_a_report_from_the_queue(client, setting):
    report = submitted(setting["cpo"], setting["field"], narrative="Plan adopted by decree.")
    client.force_login(setting["regional"])
    queue = client.get(reverse("dwcp:validation-queue")).content.decode()
    assert "Plan adopted by decree." in queue
    assert "IDN126" in queue
    response = client.post(
        reverse("dwcp:validation-queue"),
        {"row_action": f"validate:{report.pk}", f"version-{report.pk}": report.version},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.review_state == ReviewState.VALIDATED
    assert report.validated_by == setting["regional"]
    assert "1 report was validated." in client.get(response["Location"]).content.decode()
    # The CPO page shows the step to the office
    client.force_login(setting["field"])
    page = client.get(reverse("dwcp:cpo-detail", args=[setting["cpo"].pk])).content.decode()
    assert "Validated</strong> by" in page


def test_returning_needs_a_comment_which_the_office_then_reads(client, setting):
    report = submitted(setting["cpo"], setting["field"])
    client.force_login(setting["regional"])
    url = reverse("dwcp:validation-queue")
    # Without a comment: refused, the report stays submitted
    response = client.post(
        url,
        {
            "row_action": f"return:{report.pk}",
            f"version-{report.pk}": report.version,
            f"comment-{report.pk}": "  ",
        },
    )
    assert response.status_code == 400
    assert "Say what to revise: a comment is required." in response.content.decode()
    report.refresh_from_db()
    assert report.review_state == ReviewState.SUBMITTED
    # With a comment: returned
    response = client.post(
        url,
        {
            "row_action": f"return:{report.pk}",
            f"version-{report.pk}": report.version,
            f"comment-{report.pk}": "Attach the signed decree.",
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.review_state == ReviewState.RETURNED
    # The office sees the comment at the top of the report's form, fixes and resubmits
    client.force_login(setting["field"])
    form = client.get(reverse("dwcp:progress-edit", args=[report.pk])).content.decode()
    assert "Attach the signed decree." in form
    assert form.index("Attach the signed decree.") < form.index('name="narrative"')
    response = client.post(
        reverse("dwcp:progress-edit", args=[report.pk]),
        report_data(
            period="",
            action="submit",
            evidence_text="Decree 12/2012 attached.",
            version=report.version,
        ),
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.review_state == ReviewState.SUBMITTED
    assert report.evidence_text == "Decree 12/2012 attached."


def test_a_stale_validation_is_a_409(client, setting):
    report = submitted(setting["cpo"], setting["field"])
    client.force_login(setting["regional"])
    response = client.post(
        reverse("dwcp:validation-queue"),
        {"row_action": f"validate:{report.pk}", f"version-{report.pk}": report.version - 1},
    )
    assert response.status_code == 409
    assert "Reload it" in response.content.decode()
    report.refresh_from_db()
    assert report.review_state == ReviewState.SUBMITTED


def test_a_stale_report_edit_is_a_409(client, setting):
    report = factories.ProgressReportFactory(cpo=setting["cpo"], narrative="First words")
    progress_report_update(
        user=setting["field"], report=report, version=1, narrative="Colleague's words"
    )
    client.force_login(setting["field"])
    response = client.post(
        reverse("dwcp:progress-edit", args=[report.pk]),
        report_data(period="", narrative="My words", version="1"),
    )
    assert response.status_code == 409
    report.refresh_from_db()
    assert report.narrative == "Colleague's words"


def test_a_submitted_report_is_no_longer_edited(client, setting):
    report = submitted(setting["cpo"], setting["field"])
    client.force_login(setting["field"])
    response = client.get(reverse("dwcp:progress-edit", args=[report.pk]))
    assert response.status_code == 302
    assert "can no longer be edited" in client.get(response["Location"]).content.decode()
    response = client.post(
        reverse("dwcp:progress-edit", args=[report.pk]),
        report_data(period="", narrative="Changed after submission", version=report.version),
    )
    assert response.status_code == 400
    assert "cannot be edited" in response.content.decode()
    report.refresh_from_db()
    assert report.narrative != "Changed after submission"


def test_a_regional_officer_of_another_region_may_not_validate(client, setting):
    report = submitted(setting["cpo"], setting["field"])
    client.force_login(setting["regional_other"])
    assert "IDN126" not in client.get(reverse("dwcp:validation-queue")).content.decode()
    response = client.post(
        reverse("dwcp:validation-queue"),
        {"row_action": f"validate:{report.pk}", f"version-{report.pk}": report.version},
    )
    # They do not read another region's submitted reports: the report is not found for them
    assert response.status_code == 404
    response = client.post(
        reverse("dwcp:validation-queue"),
        {"bulk_action": "validate", "reports": [report.pk], f"version-{report.pk}": 2},
    )
    assert response.status_code == 404
    report.refresh_from_db()
    assert report.review_state == ReviewState.SUBMITTED


def test_a_report_the_reviewer_reads_but_may_not_review_is_refused_with_403(
    client, setting, reference
):
    # Given a validated report of a published programme: everyone reads it
    programme = setting["cpo"].programme
    programme.published = True
    programme.save()
    report = submitted(setting["cpo"], setting["field"])
    report.review_state = ReviewState.VALIDATED
    report.validated_by = setting["regional"]
    report.validated_at = report.submitted_at
    report.save()
    # When the officer of another region tries to return it, it is refused
    client.force_login(setting["regional_other"])
    response = client.post(
        reverse("dwcp:validation-queue"),
        {
            "row_action": f"return:{report.pk}",
            f"version-{report.pk}": report.version,
            f"comment-{report.pk}": "Why?",
        },
    )
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.review_state == ReviewState.VALIDATED


def test_bulk_validation_is_all_or_nothing(client, setting):
    cpo = setting["cpo"]
    first = submitted(cpo, setting["field"], "2012-H1")
    second = submitted(cpo, setting["field"], "2012-H2")
    returned = progress_report_return(
        user=setting["regional"],
        report=submitted(cpo, setting["field"], "2013-H1"),
        version=2,
        comment="Add the figures.",
    )
    client.force_login(setting["regional"])
    url = reverse("dwcp:validation-queue")
    versions = {f"version-{r.pk}": r.version for r in (first, second, returned)}
    # Given a returned report among the ticked ones, nothing is validated and it is named
    response = client.post(
        url, {"bulk_action": "validate", "reports": [first.pk, second.pk, returned.pk], **versions}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was changed: 1 of the reports cannot be validated." in page
    assert "IDN126 · 2013, first half: Only a submitted report can be validated" in page
    states = dict(ProgressReport.objects.values_list("pk", "review_state"))
    assert states[first.pk] == states[second.pk] == ReviewState.SUBMITTED
    assert states[returned.pk] == ReviewState.RETURNED
    # The ticks are kept for the next try
    assert f'value="{first.pk}" checked' in page
    # Without it, both are validated at once
    response = client.post(
        url, {"bulk_action": "validate", "reports": [first.pk, second.pk], **versions}
    )
    assert response.status_code == 302
    assert "2 reports were validated." in client.get(response["Location"]).content.decode()
    states = dict(ProgressReport.objects.values_list("pk", "review_state"))
    assert states[first.pk] == states[second.pk] == ReviewState.VALIDATED


def test_a_stale_report_in_a_bulk_validation_stops_all_of_them(client, setting):
    first = submitted(setting["cpo"], setting["field"], "2012-H1")
    second = submitted(setting["cpo"], setting["field"], "2012-H2")
    client.force_login(setting["regional"])
    response = client.post(
        reverse("dwcp:validation-queue"),
        {
            "bulk_action": "validate",
            "reports": [first.pk, second.pk],
            f"version-{first.pk}": first.version,
            f"version-{second.pk}": second.version - 1,
        },
    )
    assert response.status_code == 400
    assert "Someone else saved this record" in response.content.decode()
    assert set(ProgressReport.objects.values_list("review_state", flat=True)) == {
        ReviewState.SUBMITTED
    }


def test_bulk_return_uses_one_comment_and_requires_it(client, setting):
    cpo = setting["cpo"]
    first = submitted(cpo, setting["field"], "2012-H1")
    second = submitted(cpo, setting["field"], "2012-H2")
    client.force_login(setting["regional"])
    url = reverse("dwcp:validation-queue")
    data = {
        "bulk_action": "return",
        "reports": [first.pk, second.pk],
        f"version-{first.pk}": first.version,
        f"version-{second.pk}": second.version,
    }
    response = client.post(url, {**data, "comment": ""})
    assert response.status_code == 400
    assert "Say what to revise: a comment is required." in response.content.decode()
    response = client.post(url, {**data, "comment": "Give the number of people reached."})
    assert response.status_code == 302
    assert set(ProgressReport.objects.values_list("review_state", "return_comment").distinct()) == {
        (ReviewState.RETURNED, "Give the number of people reached.")
    }


def test_a_bulk_action_needs_ticked_reports(client, setting):
    client.force_login(setting["regional"])
    response = client.post(reverse("dwcp:validation-queue"), {"bulk_action": "validate"})
    assert response.status_code == 400
    assert "Tick at least one report." in response.content.decode()


def test_forged_review_posts_are_refused_without_a_500(client, setting):
    client.force_login(setting["regional"])
    url = reverse("dwcp:validation-queue")
    assert client.post(url, {}).status_code == 400
    assert client.post(url, {"row_action": "explode:1"}).status_code == 400
    assert client.post(url, {"row_action": "validate:999999"}).status_code == 404
    assert client.post(url, {"bulk_action": "validate", "reports": ["x"]}).status_code == 400

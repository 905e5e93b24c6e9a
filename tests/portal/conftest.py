"""The public portal's data: published and unpublished programmes, reports in every review
state, private files, names of the people who wrote and reviewed them, a target to check
and a final implementation report."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from portal.caching import forget_stamp
from rbm.models import Role
from rbm.services import system_user
from reporting.completeness import snapshot_gaps
from reporting.models import ReportRun, RunStatus
from reporting.services import report_run_request, snapshot_mark_final
from tests import factories

# Text that must never reach a visitor, by why.
SECRETS = {
    "draft narrative": "Narrative-of-a-DRAFT-report",
    "submitted narrative": "Narrative-of-a-SUBMITTED-report",
    "returned narrative": "Narrative-of-a-RETURNED-report",
    "return comment": "Return-comment-for-the-office",
    "unpublished programme": "Programme-NOT-published",
    "unpublished CPO": "CPO-of-an-unpublished-programme",
    "author": "Authorina",
    "reviewer": "Reviewerson",
    "finalizer": "Finalizanda",
    "private file": "evidence-private-minutes",
    "target warning": "Targets to check",
    "target warning text": "regional targets add up to",
}
PUBLIC_NARRATIVE = "Narrative-of-a-VALIDATED-report"
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def compile_report(django_capture_on_commit_callbacks: Any) -> Callable[..., ReportRun]:
    def run(**kwargs: Any) -> ReportRun:
        kwargs.setdefault("user", system_user())
        kwargs.setdefault("biennium", factories.biennium("2012-13"))
        with django_capture_on_commit_callbacks(execute=True):
            created = report_run_request(**kwargs)
        created.refresh_from_db()
        assert created.status == RunStatus.SUCCEEDED, created.error
        return created

    return run


@pytest.fixture
def seeded(
    user_for: Callable[..., Any], compile_report: Callable[..., ReportRun]
) -> dict[str, Any]:
    forget_stamp()
    _plan, (outcome16, _outcome18) = factories.framework_2012_13()
    indicator = outcome16.indicators.get()
    target = factories.TargetFactory(indicator=indicator, total=10)
    factories.RegionalTargetFactory(target=target, value=3)  # 3 != 10: a target to check
    office = factories.OfficeFactory(countries=[factories.country("IDN"), factories.country("KEN")])
    author = user_for(Role.FIELD_OFFICE_STAFF, office=office, first_name="Authorina")
    reviewer = user_for(Role.REGIONAL_PROGRAMME_OFFICER, first_name="Reviewerson")
    reviewer.last_name = "Reviewerson"
    reviewer.username = "reviewerson"
    reviewer.save()
    author.username = "authorina"
    author.last_name = "Authorina"
    author.save()
    published = factories.DwcpFactory(office=office, published=True, title="Programme-published")
    hidden = factories.DwcpFactory(
        office=office,
        published=False,
        country=factories.country("KEN"),
        title=SECRETS["unpublished programme"],
    )
    cpo = factories.CpoFactory(programme=published, outcome=outcome16, code="IDN101")
    others = [
        factories.CpoFactory(programme=published, outcome=outcome16, code=f"IDN10{n}")
        for n in (2, 3, 4)
    ]
    hidden_cpo = factories.CpoFactory(
        programme=hidden, outcome=outcome16, code="KEN101", title=SECRETS["unpublished CPO"]
    )
    when = timezone.now()
    validated = factories.ProgressReportFactory(
        cpo=cpo,
        period=factories.period("2013-H1"),
        review_state="validated",
        result_claimed=True,
        evidence_text="Minutes of the tripartite meeting.",
        narrative=PUBLIC_NARRATIVE,
        submitted_by=author,
        submitted_at=when,
        validated_by=reviewer,
        validated_at=when,
    )
    validated.evidence_file = SimpleUploadedFile("evidence-private-minutes.pdf", PDF)
    validated.save()
    for other, state, key in zip(
        others, ("draft", "submitted", "returned"), ("draft", "submitted", "returned"), strict=True
    ):
        report = factories.ProgressReportFactory(
            cpo=other,
            period=factories.period("2013-H1"),
            review_state=state,
            result_claimed=True,
            evidence_text="Minutes of the tripartite meeting.",
            narrative=SECRETS[f"{key} narrative"],
            submitted_by=author if state != "draft" else None,
            submitted_at=when if state != "draft" else None,
            return_comment=SECRETS["return comment"] if state == "returned" else "",
        )
        report.evidence_file = SimpleUploadedFile("evidence-private-minutes.pdf", PDF)
        report.save()
    factories.ProgressReportFactory(
        cpo=hidden_cpo,
        period=factories.period("2013-H1"),
        review_state="validated",
        result_claimed=True,
        evidence_text="Minutes of the tripartite meeting.",
        narrative="Validated-but-unpublished",
        validated_by=reviewer,
        validated_at=when,
    )
    run = compile_report()
    snapshot = run.snapshot
    assert snapshot is not None
    finalizer = user_for(Role.GB_SECRETARIAT, first_name="Finalizanda", last_name="Finalizanda")
    snapshot_mark_final(
        user=finalizer,
        snapshot=snapshot,
        confirm_gaps=[gap.key for gap in snapshot_gaps(snapshot.content)],
    )
    forget_stamp()
    return {
        "published": published,
        "hidden": hidden,
        "cpo": cpo,
        "hidden_cpo": hidden_cpo,
        "outcome": outcome16,
        "snapshot": snapshot,
        "validated": validated,
        "plan": _plan,
    }

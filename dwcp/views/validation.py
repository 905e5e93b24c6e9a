"""The validation queue, where progress reports are validated or returned."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from dwcp import selectors, services
from dwcp.forms import ReviewForm
from dwcp.views.common import _page, _version
from rbm.errors import ApplicationError
from rbm.models import User
from rbm.pages import FORM_METHODS, refuse, signed_in_user
from rbm.permissions import can


@require_http_methods(FORM_METHODS)
def validation_queue(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "progress.queue"):
        return refuse(request)
    user = signed_in_user(request)
    if request.method == "POST":
        return _review(request, user)
    return _queue_page(request, user)


def _queue_page(
    request: HttpRequest,
    user: User,
    *,
    status: int = 200,
    errors: list[str] | None = None,
    row_errors: dict[int, str] | None = None,
    form: ReviewForm | None = None,
) -> HttpResponse:
    page = _page(request, selectors.validation_queue(user))
    row_errors = row_errors or {}
    for report in page:
        report.error = row_errors.get(report.pk, "")
    return render(
        request,
        "dwcp/validation_queue.html",
        {
            "page": page,
            "errors": errors or [],
            "form": form,
            "ticked": set(form.cleaned_data.get("reports", []))
            if form and form.is_bound
            else set(),
        },
        status=status,
    )


def _review(request: HttpRequest, user: User) -> HttpResponse:
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _queue_page(
            request, user, status=400, errors=[str(e) for e in form.non_field_errors()], form=form
        )
    data = form.cleaned_data
    if data["row_action"]:
        action, _sep, raw_id = data["row_action"].partition(":")
        ids = [int(raw_id)]
    else:
        action, ids = data["bulk_action"], data["reports"]
    # Reports the reviewer may not read are a 404, as everywhere; the service decides the rest.
    reports = {
        r.pk: r
        for r in selectors.visible_reports(user)
        .filter(pk__in=ids)
        .select_related("cpo__programme__country", "period")
    }
    if any(pk not in reports for pk in ids):
        raise Http404
    decisions = [(reports[pk], _version(request.POST.get(f"version-{pk}"))) for pk in ids]
    try:
        if data["row_action"]:
            report, version = decisions[0]
            comment = request.POST.get(f"comment-{report.pk}", "")
            if action == "validate":
                services.progress_report_validate(user=user, report=report, version=version)
            else:
                services.progress_report_return(
                    user=user, report=report, version=version, comment=comment
                )
        else:
            services.progress_reports_review_bulk(
                user=user, decisions=decisions, action=action, comment=data["comment"]
            )
    except ValidationError as error:
        message = " ".join(error.messages)
        return _queue_page(
            request,
            user,
            status=400,
            errors=[message],
            row_errors={ids[0]: message} if data["row_action"] else {},
            form=form,
        )
    except ApplicationError as error:
        failures = error.extra.get("failures", [])
        row_errors = {f["report_id"]: f["message"] for f in failures}
        if data["row_action"]:
            row_errors = {ids[0]: error.message}
        listed = [
            f"{reports[f['report_id']].cpo.code} · {reports[f['report_id']].period}: {f['message']}"
            for f in failures
        ]
        return _queue_page(
            request,
            user,
            status=error.status_code,
            errors=[error.message, *listed],
            row_errors=row_errors,
            form=form,
        )
    if action == "validate":
        text = ngettext(
            "%(count)s report was validated.", "%(count)s reports were validated.", len(ids)
        )
    else:
        text = ngettext(
            "%(count)s report was returned for revision.",
            "%(count)s reports were returned for revision.",
            len(ids),
        )
    messages.success(request, text % {"count": len(ids)})
    return redirect("dwcp:validation-queue")

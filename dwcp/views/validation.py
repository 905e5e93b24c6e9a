"""The validation queue, where progress reports are validated or returned."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from dwcp import selectors, services
from dwcp.forms import PAGE_SIZES, SORTS, QueueFilterForm, ReviewForm
from dwcp.views.common import _version
from rbm.errors import ApplicationError
from rbm.models import User
from rbm.pages import FORM_METHODS, refuse, signed_in_user
from rbm.permissions import can

FILTERED_LIMIT = 500


@require_http_methods(FORM_METHODS)
def validation_queue(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "progress.queue"):
        return refuse(request)
    user = signed_in_user(request)
    if request.method == "POST":
        return _review(request, user)
    return _queue_page(request, user)


def _filters(
    request: HttpRequest, user: User
) -> tuple[QueueFilterForm, selectors.QueueFilters, int]:
    """The filters, order and page size of the address (a bad value is an error on the form,
    and that filter is left out)."""
    form = QueueFilterForm(request.GET, choices=selectors.queue_filter_choices(user))
    form.is_valid()
    data = {k: v for k, v in getattr(form, "cleaned_data", {}).items() if v not in (None, "")}
    sort = data.get("sort") or "waiting"
    order = SORTS[sort.lstrip("-")]
    if sort.startswith("-"):
        # The column reversed; ties still oldest first (for the waiting column, all of it).
        order = (f"-{order[0]}", *order[1:]) if sort != "-waiting" else ("-submitted_at", "-pk")
    filters = selectors.QueueFilters(
        country=data.get("country"),
        office=data.get("office"),
        period=data.get("period"),
        outcome=data.get("outcome"),
        claimed={"yes": True, "no": False}.get(data.get("claimed", "")),
        waiting_days=data.get("waiting"),
        order=order,
    )
    return form, filters, data.get("size") or PAGE_SIZES[0]


def _queue_page(
    request: HttpRequest,
    user: User,
    *,
    status: int = 200,
    errors: list[str] | None = None,
    row_errors: dict[int, str] | None = None,
    form: ReviewForm | None = None,
) -> HttpResponse:
    filter_form, filters, size = _filters(request, user)
    if filter_form.errors and status == 200:
        status = 400
    now = timezone.now()
    reports = selectors.validation_queue_filtered(user, filters, now)
    page: Any = Paginator(reports, size).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for report in page:
        report.waiting_days = (
            (today - timezone.localdate(report.submitted_at)).days if report.submitted_at else 0
        )
    sort = filter_form.cleaned_data.get("sort") if hasattr(filter_form, "cleaned_data") else ""
    columns = [
        (name, label, "-" + name if sort == name else name, sort in (name, f"-{name}"))
        for name, label in (
            ("waiting", _("Waiting since")),
            ("cpo", _("CPO")),
            ("country", _("Country")),
            ("office", _("Office")),
            ("period", _("Period")),
            ("outcome", _("Outcome")),
            ("claimed", _("Result claimed")),
        )
    ]
    row_errors = row_errors or {}
    for report in page:
        report.error = row_errors.get(report.pk, "")
    return render(
        request,
        "dwcp/validation_queue.html",
        {
            "page": page,
            "filter_form": filter_form,
            "columns": columns,
            "sort": sort or "waiting",
            "filtered": any(
                v not in (None, "")
                for k, v in request.GET.items()
                if k not in ("sort", "size", "page")
            ),
            "query": request.GET.urlencode(),
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
    elif data.get("scope") == "filtered":
        # Every report the filters select, at their current versions, if it is still the set
        # the reviewer saw (as many as they were shown), and not past one page's worth.
        _form, filters, _size = _filters(request, user)
        matching = list(
            selectors.validation_queue_filtered(user, filters, timezone.now()).values_list(
                "pk", "version"
            )[: FILTERED_LIMIT + 1]
        )
        if len(matching) != data["expected"] or len(matching) > FILTERED_LIMIT:
            return _queue_page(
                request,
                user,
                status=409,
                errors=[
                    _(
                        "The queue changed since you looked: %(count)s reports now match the "
                        "filters. Nothing was changed; look at them again."
                    )
                    % {"count": len(matching)}
                    if len(matching) <= FILTERED_LIMIT
                    else _("At most %(limit)s reports at once: narrow the filters.")
                    % {"limit": FILTERED_LIMIT}
                ],
                form=form,
            )
        action, ids = data["bulk_action"], [pk for pk, _version in matching]
        versions: dict[int, int | None] = dict(matching)
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
    if data.get("scope") != "filtered" or data["row_action"]:
        versions = {pk: _version(request.POST.get(f"version-{pk}")) for pk in ids}
    decisions = [(reports[pk], versions[pk]) for pk in ids]
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
    query = request.GET.urlencode()
    return redirect(reverse("dwcp:validation-queue") + (f"?{query}" if query else ""))

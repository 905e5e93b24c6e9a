"""Pages of the outcome-based workplans: the list, the demand-and-target table and its
exports, a workplan with its review thread, the review queue, the mid-term review and the
published figures compared with the records.

Views are thin: they read through ``workplans.selectors``, ask ``rbm.permissions``, parse with
``workplans.forms`` and write through ``workplans.services``. A refused write re-renders the
page with the service's message and its status (400 bad data or a refused step, 409 a stale
version); a step the user may not take is a 403 (or the login page for visitors who are not
signed in), and what does not exist a 404.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from rbm.errors import ApplicationError, ConflictError
from rbm.models import Biennium, FundingSource, Region, User
from rbm.permissions import can
from strategic_plans.models import Outcome, StrategyElement
from workplans import selectors, services
from workplans.exports import table_csv, table_xlsx
from workplans.forms import (
    CommentForm,
    CorrectiveActionForm,
    MidtermReviewForm,
    OpenWorkplansForm,
    PublishedTableForm,
    ReallocationForm,
    ResourcesForm,
    StepForm,
    StrategyForm,
    TableExportForm,
    TableFilterForm,
    WorkplanFilterForm,
    add_service_errors,
)
from workplans.models import (
    EventKind,
    MidTermReview,
    OutcomeWorkplan,
    PublishedTable,
    WorkplanStatus,
)
from workplans.permissions import coordinated_outcome_ids
from workplans.selectors import Cell, DemandTargetTable

FORM_METHODS = ["GET", "HEAD", "POST"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# Helpers -----------------------------------------------------------------------------------


def _user(request: HttpRequest) -> User:
    """The signed-in user (views call this after a permission check that needs one)."""
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def _refuse(request: HttpRequest) -> HttpResponse:
    """403, or the login page for a visitor who is not signed in."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied(_("You are not allowed to do this."))


def _workplan_or_404(pk: int) -> OutcomeWorkplan:
    try:
        return selectors.workplan_for_page(pk)
    except OutcomeWorkplan.DoesNotExist:
        raise Http404 from None


def _messages_of(error: ValidationError) -> str:
    return " ".join(error.messages)


def _tabs(user: Any, current: str) -> list[dict[str, Any]]:
    """The links between the workplan pages the user may open."""
    tabs = [
        ("list", _("Workplans"), "workplans:list", "workplan.view"),
        ("table", _("Demand and targets"), "workplans:table", "workplan.table"),
        ("review", _("Review queue"), "workplans:review-queue", "workplan.review"),
        ("published", _("Published figures"), "workplans:published", "workplan.table"),
    ]
    return [
        {"label": label, "url": reverse(name), "current": key == current}
        for key, label, name, action in tabs
        if can(user, action)
    ]


def flag_title() -> str:
    return _(
        "Targets exceed prioritized demand: donor resources fund work that constituents "
        "support but did not rank among their highest priorities (as for child labour in "
        "Asia, or HIV/AIDS in Europe)."
    )


# The numbers of the table, each with the CPOs behind it -------------------------------------


@dataclass
class Figure:
    """One number of the table and the address of the CPO list that counts it."""

    value: int
    url: str | None
    flagged: bool = False  # shaded: the cell's target exceeds its demand
    marked: bool = False  # the target itself carries the ▲


@dataclass
class TableRow:
    outcome: Outcome | None  # None: the totals row
    cells: list[tuple[Region, Figure, Figure]]
    total: tuple[Figure, Figure]
    workplan: OutcomeWorkplan | None = None


@dataclass
class TableView:
    table: DemandTargetTable
    rows: list[TableRow]
    totals: TableRow
    flagged: int = 0
    regions: list[Region] = field(default_factory=list)


def cpo_list_url(
    biennium: Biennium,
    measure: str,
    *,
    outcome: Outcome | None = None,
    region: Region | None = None,
) -> str:
    """The CPO list of ``dwcp:cpo-list`` counting one figure: the biennium's CPOs that are
    prioritized (demand) or targeted (target), of the outcome and region when given, in every
    office (a field officer's list otherwise shows their office only)."""
    params: dict[str, Any] = {"biennium": biennium.code}
    if outcome is not None:
        params["outcome"] = outcome.pk
    if region is not None:
        params["region"] = region.code
    params["prioritized" if measure == "demand" else "targeted"] = "yes"
    params["office"] = ""
    return f"{reverse('dwcp:cpo-list')}?{urlencode(params)}"


def _figures(
    biennium: Biennium,
    cell: Cell,
    *,
    outcome: Outcome | None,
    region: Region | None,
    flag: bool = False,
) -> tuple[Figure, Figure]:
    """Demand and target of a cell; a zero is no link (there is nothing to list)."""
    return (
        Figure(
            cell.demand,
            cpo_list_url(biennium, "demand", outcome=outcome, region=region)
            if cell.demand
            else None,
            flagged=flag and cell.flagged,
        ),
        Figure(
            cell.target,
            cpo_list_url(biennium, "target", outcome=outcome, region=region)
            if cell.target
            else None,
            flagged=flag and cell.flagged,
            marked=flag and cell.flagged,
        ),
    )


def table_view(
    table: DemandTargetTable, *, workplans: dict[int, OutcomeWorkplan] | None = None
) -> TableView:
    """The table with a link on every number (the CPO list that counts it)."""
    biennium = table.biennium
    rows = []
    flagged = 0
    for outcome, cells, total in table.rows():
        row_cells = []
        for cell_region, cell in cells:
            row_cells.append(
                (
                    cell_region,
                    *_figures(biennium, cell, outcome=outcome, region=cell_region, flag=True),
                )
            )
            flagged += cell.flagged
        rows.append(
            TableRow(
                outcome=outcome,
                cells=row_cells,
                total=_figures(biennium, total, outcome=outcome, region=None),
                workplan=(workplans or {}).get(outcome.pk),
            )
        )
    totals = TableRow(
        outcome=None,
        cells=[
            (r, *_figures(biennium, table.region_totals.get(r.pk, Cell()), outcome=None, region=r))
            for r in table.regions
        ],
        total=_figures(biennium, table.grand_total, outcome=None, region=None),
    )
    return TableView(table=table, rows=rows, totals=totals, flagged=flagged, regions=table.regions)


# The chart of demand against targets --------------------------------------------------------

BAR = 18  # px, the height of one bar
GROUP = 2 * BAR + 30  # px: the region's name above its two bars, and a gap
LEGEND = 4  # px above the first region (the legend is the figure's caption)
MAX_WIDTH = 80.0  # % of the chart's width for the longest bar, leaving room for its number


@dataclass
class Bar:
    """One bar; coordinates are strings so that no locale puts a comma in them."""

    measure: str
    label: str
    value: int
    y: str
    text_y: str
    width: str  # % of the chart's width
    text_x: str  # % of the chart's width


@dataclass
class BarGroup:
    region: Region
    y: str
    flagged: bool
    bars: list[Bar]


def chart(table: DemandTargetTable, outcome: Outcome) -> dict[str, Any]:
    """Horizontal grouped bars, demand and target for each region, drawn as inline SVG.

    Widths are percentages of the chart's width and the texts keep their size, so the chart
    reads the same on a phone and on a laptop without any script.
    """
    cells = [(region, table.cell(outcome, region)) for region in table.regions]
    largest = max([max(c.demand, c.target) for _r, c in cells] + [1])
    groups = []
    for index, (region, cell) in enumerate(cells):
        top = LEGEND + index * GROUP
        bars = []
        for offset, (measure, label, value) in enumerate(
            (
                ("demand", _("Prioritized demand"), cell.demand),
                ("target", _("Proposed target"), cell.target),
            )
        ):
            width = MAX_WIDTH * value / largest
            y = top + 22 + offset * (BAR + 2)
            bars.append(
                Bar(
                    measure=measure,
                    label=str(label),
                    value=value,
                    y=str(y),
                    text_y=str(y + BAR - 5),
                    width=f"{width:.2f}",
                    text_x=f"{width + 1.2:.2f}",
                )
            )
        groups.append(BarGroup(region=region, y=str(top + 14), flagged=cell.flagged, bars=bars))
    summary = "; ".join(
        _("%(region)s: demand %(demand)s, target %(target)s")
        % {"region": region.label, "demand": cell.demand, "target": cell.target}
        for region, cell in cells
    )
    return {
        "groups": groups,
        "height": str(LEGEND + len(groups) * GROUP),
        "summary": summary,
        "bar": str(BAR),
    }


# The list of workplans ---------------------------------------------------------------------


@require_safe
def workplan_list(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "workplan.view"):
        return _refuse(request)
    return _list_page(request, _user(request))


def _list_page(
    request: HttpRequest,
    user: User,
    *,
    status: int = 200,
    open_form: OpenWorkplansForm | None = None,
) -> HttpResponse:
    bienniums = selectors.workplan_bienniums()
    data = request.GET.copy()
    if "biennium" not in data and bienniums:
        data["biennium"] = bienniums[0].code
    form = WorkplanFilterForm(data, bienniums=bienniums)
    error = ""
    if form.is_valid():
        biennium = form.cleaned_data["biennium"]
        chosen_status = form.cleaned_data["status"]
    else:
        # A bad address is answered with what is wrong, and the page to choose again.
        status = 400
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
        biennium, chosen_status = None, ""
    workplans = list(selectors.workplan_list(biennium)) if not error else []
    if chosen_status:
        workplans = [w for w in workplans if w.status == chosen_status]
    mine = coordinated_outcome_ids(user)
    for workplan in workplans:
        workplan.is_mine = workplan.outcome_id in mine  # type: ignore[attr-defined]
    # The coordinator's own workplans come first (the sort keeps the outcomes' order).
    workplans.sort(key=lambda w: w.outcome_id not in mine)
    mine_count = sum(1 for w in workplans if w.outcome_id in mine)
    may_create = can(user, "workplan.create")
    if may_create and open_form is None:
        framework = selectors.framework_bienniums()
        open_form = OpenWorkplansForm(
            initial={"biennium": framework[0].code} if framework else {}, bienniums=framework
        )
    return render(
        request,
        "workplans/workplan_list.html",
        {
            "tabs": _tabs(user, "list"),
            "form": form,
            "error": error,
            "biennium": biennium,
            "workplans": workplans,
            "mine_count": mine_count,
            "open_form": open_form if may_create else None,
            "may_review": can(user, "workplan.review"),
            "may_manage_published": can(user, "published.manage"),
        },
        status=status,
    )


@require_POST
def workplans_open(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "workplan.create"):
        return _refuse(request)
    user = _user(request)
    form = OpenWorkplansForm(request.POST, bienniums=selectors.framework_bienniums())
    if form.is_valid():
        biennium = form.cleaned_data["biennium"]
        try:
            created = services.workplans_open(user=user, biennium=biennium)
        except ValidationError as error:
            add_service_errors(form, error)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            count = len(created)
            messages.success(
                request,
                ngettext(
                    "%(count)s workplan was opened for %(biennium)s.",
                    "%(count)s workplans were opened for %(biennium)s.",
                    count,
                )
                % {"count": count, "biennium": biennium.code}
                if count
                else _("Every outcome of %(biennium)s already has its workplan.")
                % {"biennium": biennium.code},
            )
            return redirect(f"{reverse('workplans:list')}?biennium={biennium.code}")
    return _list_page(request, user, status=400, open_form=form)


# The demand-and-target table ---------------------------------------------------------------


def _table_form(request: HttpRequest, form_class: type[TableFilterForm]) -> TableFilterForm:
    bienniums = selectors.framework_bienniums()
    data = request.GET.copy()
    if "biennium" not in data:
        with_workplans = selectors.workplan_bienniums()
        default = with_workplans[0] if with_workplans else (bienniums[0] if bienniums else None)
        if default is not None:
            data["biennium"] = default.code
    return form_class(data, bienniums=bienniums, regions=list(Region.objects.all()))


def _form_error(form: TableFilterForm) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


@require_safe
def demand_target_table(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "workplan.table"):
        return _refuse(request)
    form = _table_form(request, TableFilterForm)
    if not form.is_valid():
        return render(
            request,
            "workplans/table.html",
            {
                "tabs": _tabs(request.user, "table"),
                "form": form,
                "error": _form_error(form),
                "view": None,
            },
            status=400,
        )
    biennium, region = form.cleaned_data["biennium"], form.cleaned_data["region"]
    table = selectors.demand_target_table(biennium, region=region)
    workplans = {w.outcome_id: w for w in selectors.workplan_list(biennium)}
    export = {"biennium": biennium.code, **({"region": region.code} if region else {})}
    base = reverse("workplans:table-export")
    return render(
        request,
        "workplans/table.html",
        {
            "tabs": _tabs(request.user, "table"),
            "form": form,
            "view": table_view(table, workplans=workplans),
            "biennium": biennium,
            "region": region,
            "flag_title": flag_title(),
            "xlsx_url": f"{base}?{urlencode({**export, 'format': 'xlsx'})}",
            "csv_url": f"{base}?{urlencode({**export, 'format': 'csv'})}",
            "published_tables": list(selectors.published_tables(biennium)),
            "unlisted": selectors.unlisted_cpo_count(request.user, biennium, region=region),
        },
    )


@require_safe
def table_export(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "workplan.table"):
        return _refuse(request)
    form = _table_form(request, TableExportForm)
    if not form.is_valid():
        return render(
            request,
            "workplans/table.html",
            {
                "tabs": _tabs(request.user, "table"),
                "form": form,
                "error": _form_error(form),
                "view": None,
            },
            status=400,
        )
    biennium, region = form.cleaned_data["biennium"], form.cleaned_data["region"]
    table = selectors.demand_target_table(biennium, region=region)
    name = f"demand-and-targets-{biennium.code}" + (f"-{region.code}" if region else "")
    if form.cleaned_data["format"] == "csv":
        response = HttpResponse(table_csv(table), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    else:
        response = HttpResponse(table_xlsx(table), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


# A workplan --------------------------------------------------------------------------------


@dataclass
class PageForms:
    """The forms of a workplan page; a refused write puts its bound form here."""

    resources: ResourcesForm | None = None
    strategy: dict[int, StrategyForm] = field(default_factory=dict)
    comment: CommentForm | None = None
    step: StepForm | None = None
    step_action: str = ""


@require_safe
def workplan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not can(request.user, "workplan.view"):
        return _refuse(request)
    return _detail_page(request, _workplan_or_404(pk))


def _detail_page(
    request: HttpRequest,
    workplan: OutcomeWorkplan,
    *,
    status: int = 200,
    error: str = "",
    forms: PageForms | None = None,
) -> HttpResponse:
    user = request.user
    forms = forms or PageForms()
    detail = selectors.workplan_detail(workplan)
    editable = workplan.status in services.EDITABLE
    may_edit = editable and can(user, "workplan.edit", workplan)
    table = detail.table
    outcome = workplan.outcome
    cells = [(region, table.cell(outcome, region)) for region in table.regions]
    view = table_view(table)
    row = view.rows[0] if view.rows else None
    sources = detail.funding_sources
    if may_edit and forms.resources is None:
        forms.resources = ResourcesForm(
            initial={
                **ResourcesForm.initial_for(detail.resources, sources, detail.regions),
                "version": workplan.version,
            },
            sources=sources,
            regions=detail.regions,
        )
    columns: list[Region | None] = [*detail.regions, None]
    resource_rows = [
        (
            source,
            [detail.resources.get((source.pk, r.pk if r else None)) for r in columns],
            detail.resources_by_source.get(source.pk),
        )
        for source in sources
        if source.pk in detail.resources_by_source
    ]
    strategy = [
        {
            "element": element,
            "strategy": detail.strategies.get(element.pk),
            "form": forms.strategy.get(element.pk)
            or (
                StrategyForm(
                    initial={
                        "text": getattr(detail.strategies.get(element.pk), "text", ""),
                        "previous": getattr(detail.strategies.get(element.pk), "text", ""),
                    },
                    prefix=f"element-{element.pk}",
                )
                if may_edit
                else None
            ),
        }
        for element in detail.elements
    ]
    returned = [e for e in detail.events if e.kind == EventKind.RETURNED]
    context = {
        "workplan": workplan,
        "outcome": outcome,
        "detail": detail,
        "row": row,
        "chart": chart(table, outcome),
        "flag_title": flag_title(),
        "flagged_regions": [region for region, cell in cells if cell.flagged],
        "unlisted": selectors.unlisted_cpo_count(user, workplan.biennium, outcome=outcome),
        "table_url": f"{reverse('workplans:table')}?biennium={workplan.biennium.code}",
        "resource_columns": columns,
        "resource_rows": resource_rows,
        "resource_totals": [detail.resources_by_region.get(r.pk if r else None) for r in columns],
        "strategy": strategy,
        "written": sum(1 for item in strategy if item["strategy"]),
        "editable": editable,
        "may_edit": may_edit,
        "may_submit": may_edit,
        "may_review": workplan.status == WorkplanStatus.SUBMITTED
        and can(user, "workplan.review", workplan),
        "may_comment": can(user, "workplan.comment", workplan),
        "may_midterm": can(user, "midterm.edit", workplan),
        "last_return": returned[-1] if returned else None,
        "forms": forms,
        "comment_form": forms.comment or CommentForm(),
        "step_form": forms.step or StepForm(),
        "history": selectors.workplan_history(workplan) if can(user, "history.view") else [],
        "error": error,
        "conflict": status == 409,
    }
    return render(request, "workplans/workplan_detail.html", context, status=status)


def _write(
    request: HttpRequest, pk: int, action: str
) -> tuple[OutcomeWorkplan, User] | HttpResponse:
    """The workplan and the user for a POST, or the refusal (login page or 403)."""
    workplan = _workplan_or_404(pk)
    if not can(request.user, action, workplan):
        return _refuse(request)
    return workplan, _user(request)


def _refused(
    request: HttpRequest,
    workplan: OutcomeWorkplan,
    error: Exception,
    forms: PageForms,
    form: Any = None,
) -> HttpResponse:
    """Show the workplan again with what the service said (and what the user wrote)."""
    fresh = _workplan_or_404(workplan.pk)
    if isinstance(error, ValidationError):
        if form is not None:
            add_service_errors(form, error)
        return _detail_page(request, fresh, status=400, error=_messages_of(error), forms=forms)
    assert isinstance(error, ApplicationError)
    return _detail_page(request, fresh, status=error.status_code, error=error.message, forms=forms)


def _step(request: HttpRequest, pk: int, action: str, step: str) -> HttpResponse:
    allowed = _write(request, pk, action)
    if isinstance(allowed, HttpResponse):
        return allowed
    workplan, user = allowed
    form = StepForm(request.POST)
    forms = PageForms(step=form, step_action=step)
    if not form.is_valid():
        return _detail_page(
            request,
            workplan,
            status=400,
            error=_("The form was not complete: reload the page and try again."),
            forms=forms,
        )
    version = form.cleaned_data["version"]
    try:
        if step == "submit":
            services.workplan_submit(user=user, workplan=workplan, version=version)
            text = _("The workplan was submitted to the programme officers.")
        elif step == "approve":
            services.workplan_approve(user=user, workplan=workplan, version=version)
            text = _("The workplan was approved.")
        else:
            services.workplan_return(
                user=user,
                workplan=workplan,
                version=version,
                comment=form.cleaned_data["comment"],
            )
            text = _("The workplan was returned to its coordinator with your comment.")
    except (ValidationError, ApplicationError) as error:
        return _refused(request, workplan, error, forms, form)
    messages.success(request, text)
    return redirect("workplans:detail", workplan.pk)


@require_POST
def workplan_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, "workplan.edit", "submit")


@require_POST
def workplan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, "workplan.review", "approve")


@require_POST
def workplan_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, "workplan.review", "return")


@require_POST
def workplan_comment(request: HttpRequest, pk: int) -> HttpResponse:
    allowed = _write(request, pk, "workplan.comment")
    if isinstance(allowed, HttpResponse):
        return allowed
    workplan, user = allowed
    form = CommentForm(request.POST)
    forms = PageForms(comment=form)
    if not form.is_valid():
        return _detail_page(request, workplan, status=400, forms=forms)
    try:
        services.workplan_comment(user=user, workplan=workplan, text=form.cleaned_data["text"])
    except (ValidationError, ApplicationError) as error:
        return _refused(request, workplan, error, forms, form)
    messages.success(request, _("Your comment was added to the review thread."))
    return redirect(f"{reverse('workplans:detail', args=[workplan.pk])}#thread")


@require_POST
def workplan_strategy(request: HttpRequest, pk: int, element: int) -> HttpResponse:
    allowed = _write(request, pk, "workplan.edit")
    if isinstance(allowed, HttpResponse):
        return allowed
    workplan, user = allowed
    chosen = StrategyElement.objects.filter(pk=element).first()
    if chosen is None:
        raise Http404
    form = StrategyForm(request.POST, prefix=f"element-{chosen.pk}")
    forms = PageForms(strategy={chosen.pk: form})
    if not form.is_valid():
        return _detail_page(request, workplan, status=400, forms=forms)
    try:
        services.workplan_strategy_set(
            user=user,
            workplan=workplan,
            element=chosen,
            text=form.cleaned_data["text"],
            previous=form.cleaned_data["previous"],
        )
    except ConflictError as error:
        # Show their text, keep ours in the box, and make the next save compare with theirs.
        fresh = StrategyForm(
            initial={"text": form.cleaned_data["text"], "previous": error.extra["current_text"]},
            prefix=f"element-{chosen.pk}",
        )
        return _refused(request, workplan, error, PageForms(strategy={chosen.pk: fresh}))
    except (ValidationError, ApplicationError) as error:
        return _refused(request, workplan, error, forms, form)
    messages.success(
        request, _("The strategy element “%(element)s” was saved.") % {"element": chosen.label}
    )
    return redirect(f"{reverse('workplans:detail', args=[workplan.pk])}#element-{chosen.pk}")


@require_POST
def workplan_resources(request: HttpRequest, pk: int) -> HttpResponse:
    allowed = _write(request, pk, "workplan.edit")
    if isinstance(allowed, HttpResponse):
        return allowed
    workplan, user = allowed
    form = ResourcesForm(
        request.POST,
        sources=list(FundingSource.objects.all()),
        regions=list(Region.objects.all()),
    )
    forms = PageForms(resources=form)
    if not form.is_valid():
        return _detail_page(
            request,
            workplan,
            status=400,
            error=_("Some amounts need attention: see the messages in the table."),
            forms=forms,
        )
    try:
        services.workplan_resources_set(
            user=user,
            workplan=workplan,
            version=form.cleaned_data["version"],
            lines=form.lines(),
        )
    except (ValidationError, ApplicationError) as error:
        return _refused(request, workplan, error, forms, form)
    messages.success(request, _("The resources were saved."))
    return redirect(f"{reverse('workplans:detail', args=[workplan.pk])}#resources")


# The review queue --------------------------------------------------------------------------


@require_http_methods(FORM_METHODS)
def review_queue(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "workplan.review"):
        return _refuse(request)
    user = _user(request)
    if request.method != "POST":
        return _queue_page(request)
    form = StepForm(request.POST)
    action = request.POST.get("action", "")
    try:
        pk = int(request.POST.get("workplan", ""))
    except ValueError:
        raise Http404 from None
    workplan = _workplan_or_404(pk)
    if action not in ("approve", "return") or not form.is_valid():
        return _queue_page(
            request, status=400, row_errors={pk: _("Choose to approve or to return.")}
        )
    version = form.cleaned_data["version"]
    try:
        if action == "approve":
            services.workplan_approve(user=user, workplan=workplan, version=version)
        else:
            services.workplan_return(
                user=user, workplan=workplan, version=version, comment=form.cleaned_data["comment"]
            )
    except ValidationError as error:
        return _queue_page(
            request, status=400, row_errors={pk: _messages_of(error)}, comments={pk: form}
        )
    except ApplicationError as error:
        return _queue_page(
            request,
            status=error.status_code,
            row_errors={pk: error.message},
            comments={pk: form},
        )
    label = f"{workplan.outcome.code} – {workplan.outcome.title} ({workplan.biennium.code})"
    messages.success(
        request,
        (
            _("The workplan %(workplan)s was approved.")
            if action == "approve"
            else _("The workplan %(workplan)s was returned to its coordinator.")
        )
        % {"workplan": label},
    )
    return redirect("workplans:review-queue")


def _queue_page(
    request: HttpRequest,
    *,
    status: int = 200,
    row_errors: dict[int, str] | None = None,
    comments: dict[int, StepForm] | None = None,
) -> HttpResponse:
    row_errors, comments = row_errors or {}, comments or {}
    workplans = list(selectors.review_queue_rows())
    for workplan in workplans:
        workplan.error = row_errors.get(workplan.pk, "")  # type: ignore[attr-defined]
        form = comments.get(workplan.pk)
        workplan.comment = form.data.get("comment", "") if form else ""  # type: ignore[attr-defined]
    missing = [pk for pk in row_errors if pk not in {w.pk for w in workplans}]
    return render(
        request,
        "workplans/review_queue.html",
        {
            "tabs": _tabs(request.user, "review"),
            "workplans": workplans,
            "errors": [row_errors[pk] for pk in missing],
            "conflict": status == 409,
        },
        status=status,
    )


# The mid-term review -----------------------------------------------------------------------


@dataclass
class MidtermForms:
    review: MidtermReviewForm | None = None
    action: CorrectiveActionForm | None = None
    reallocation: ReallocationForm | None = None


@require_safe
def midterm(request: HttpRequest, pk: int) -> HttpResponse:
    if not can(request.user, "workplan.view"):
        return _refuse(request)
    return _midterm_page(request, _workplan_or_404(pk))


def _midterm_page(
    request: HttpRequest,
    workplan: OutcomeWorkplan,
    *,
    status: int = 200,
    error: str = "",
    forms: MidtermForms | None = None,
) -> HttpResponse:
    user = request.user
    forms = forms or MidtermForms()
    detail = selectors.midterm_detail(workplan)
    review = detail.review
    approved = workplan.status == WorkplanStatus.APPROVED
    may_edit = approved and can(user, "midterm.edit", workplan)
    if may_edit:
        if forms.review is None:
            forms.review = MidtermReviewForm(
                initial={
                    "review_date": review.review_date,
                    "summary": review.summary,
                    "lessons_learned": review.lessons_learned,
                    "version": review.version,
                }
                if review
                else {}
            )
        if review is not None:
            forms.action = forms.action or CorrectiveActionForm(regions=detail.regions)
            forms.reallocation = forms.reallocation or ReallocationForm(
                sources=detail.funding_sources, regions=detail.regions
            )
    return render(
        request,
        "workplans/midterm.html",
        {
            "workplan": workplan,
            "outcome": workplan.outcome,
            "detail": detail,
            "review": review,
            "approved": approved,
            "may_edit": may_edit,
            "forms": forms,
            "error": error,
            "conflict": status == 409,
            "conserved": detail.total_after - detail.total_before == detail.added,
        },
        status=status,
    )


def _midterm_refused(
    request: HttpRequest,
    workplan: OutcomeWorkplan,
    error: Exception,
    forms: MidtermForms,
    form: Any,
) -> HttpResponse:
    if isinstance(error, ValidationError):
        add_service_errors(form, error)
        return _midterm_page(request, workplan, status=400, error=_messages_of(error), forms=forms)
    assert isinstance(error, ApplicationError)
    return _midterm_page(
        request, workplan, status=error.status_code, error=error.message, forms=forms
    )


def _review_or_refuse(
    request: HttpRequest, workplan: OutcomeWorkplan, forms: MidtermForms
) -> MidTermReview | HttpResponse:
    review = MidTermReview.objects.filter(workplan=workplan).first()
    if review is None:
        return _midterm_page(
            request,
            workplan,
            status=400,
            error=_("Save the review (its date at least) before recording its decisions."),
            forms=forms,
        )
    review.workplan = workplan
    return review


@require_POST
def midterm_save(request: HttpRequest, pk: int) -> HttpResponse:
    allowed = _write(request, pk, "midterm.edit")
    if isinstance(allowed, HttpResponse):
        return allowed
    workplan, user = allowed
    form = MidtermReviewForm(request.POST)
    forms = MidtermForms(review=form)
    if not form.is_valid():
        return _midterm_page(request, workplan, status=400, forms=forms)
    data = form.cleaned_data
    try:
        services.midterm_review_save(
            user=user,
            workplan=workplan,
            review_date=data["review_date"],
            summary=data["summary"],
            lessons_learned=data["lessons_learned"],
            version=data["version"],
        )
    except (ValidationError, ApplicationError) as error:
        return _midterm_refused(request, workplan, error, forms, form)
    messages.success(request, _("The mid-term review was saved."))
    return redirect("workplans:midterm", workplan.pk)


@require_POST
def midterm_action(request: HttpRequest, pk: int) -> HttpResponse:
    allowed = _write(request, pk, "midterm.edit")
    if isinstance(allowed, HttpResponse):
        return allowed
    workplan, user = allowed
    form = CorrectiveActionForm(request.POST, regions=list(Region.objects.all()))
    forms = MidtermForms(action=form)
    review = _review_or_refuse(request, workplan, forms)
    if isinstance(review, HttpResponse):
        return review
    if not form.is_valid():
        return _midterm_page(request, workplan, status=400, forms=forms)
    try:
        services.corrective_action_add(
            user=user,
            review=review,
            text=form.cleaned_data["text"],
            region=form.cleaned_data["region"],
        )
    except (ValidationError, ApplicationError) as error:
        return _midterm_refused(request, workplan, error, forms, form)
    messages.success(request, _("The corrective action was added."))
    return redirect(f"{reverse('workplans:midterm', args=[workplan.pk])}#actions")


@require_POST
def midterm_reallocation(request: HttpRequest, pk: int) -> HttpResponse:
    allowed = _write(request, pk, "midterm.edit")
    if isinstance(allowed, HttpResponse):
        return allowed
    workplan, user = allowed
    form = ReallocationForm(
        request.POST, sources=list(FundingSource.objects.all()), regions=list(Region.objects.all())
    )
    forms = MidtermForms(reallocation=form)
    review = _review_or_refuse(request, workplan, forms)
    if isinstance(review, HttpResponse):
        return review
    if not form.is_valid():
        return _midterm_page(request, workplan, status=400, forms=forms)
    data = form.cleaned_data
    try:
        services.reallocation_record(
            user=user,
            review=review,
            kind=data["kind"],
            from_source=data["from_source"],
            from_region=data["from_region"],
            to_source=data["to_source"],
            to_region=data["to_region"],
            amount=data["amount"],
            reason=data["reason"],
        )
    except (ValidationError, ApplicationError) as error:
        return _midterm_refused(request, workplan, error, forms, form)
    messages.success(request, _("The reallocation was recorded."))
    return redirect(f"{reverse('workplans:midterm', args=[workplan.pk])}#reallocations")


# Published figures -------------------------------------------------------------------------


@require_http_methods(FORM_METHODS)
def published(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "workplan.table"):
        return _refuse(request)
    user = _user(request)
    may_manage = can(user, "published.manage")
    bienniums = selectors.framework_bienniums()
    status, errors = 200, []
    if request.method == "POST":
        if not may_manage:
            return _refuse(request)
        form = PublishedTableForm(request.POST, request.FILES, bienniums=bienniums)
        if form.is_valid():
            data = form.cleaned_data
            try:
                table = services.published_table_record(
                    user=user,
                    biennium=data["biennium"],
                    name=data["name"],
                    source=data["source"],
                    text=data["text"],
                    replace=data["replace"],
                )
            except services.PublishedFiguresInvalid as error:
                form.add_error(None, error.message)
                errors = error.errors
            except ValidationError as error:
                add_service_errors(form, error)
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("The table “%(name)s” was recorded; here is how it compares.")
                    % {"name": table.name},
                )
                return redirect("workplans:published-detail", table.pk)
        status = 400
    else:
        form = PublishedTableForm(
            initial={"biennium": bienniums[0].code} if bienniums else {}, bienniums=bienniums
        )
    return render(
        request,
        "workplans/published_list.html",
        {
            "tabs": _tabs(user, "published"),
            "tables": list(selectors.published_tables()),
            "form": form if may_manage else None,
            "row_errors": errors,
        },
        status=status,
    )


@require_safe
def published_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not can(request.user, "workplan.table"):
        return _refuse(request)
    try:
        published_table = selectors.published_table_with_figures(pk)
    except PublishedTable.DoesNotExist:
        raise Http404 from None
    biennium = published_table.biennium
    table = selectors.demand_target_table(biennium)
    differences = selectors.compare_with_published(table, published_table)
    return render(
        request,
        "workplans/published_detail.html",
        {
            "published": published_table,
            "figure_count": len(published_table.figures.all()),
            "differences": [
                {
                    "difference": d,
                    "measure": _("Prioritized demand")
                    if d.measure == "demand"
                    else _("Proposed target"),
                    "delta": d.computed - (d.published or 0),
                }
                for d in differences
            ],
            "table_url": f"{reverse('workplans:table')}?biennium={biennium.code}",
        },
    )

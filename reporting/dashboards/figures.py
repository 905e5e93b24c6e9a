"""The figures of a dashboard (the Office, a region, an outcome, a country, a programme) for
a biennium, each with the address of the records it counts.

Read from the CPOs the user may read (``dwcp.selectors.dashboard_cpos``) and the framework's
targets, in a fixed number of queries whatever the data: one grouped query over the CPOs of
the bienniums shown, one per biennium for its targets, and one each for the review states,
money and validation backlog. Development cooperation (secured, gap, delivery) and
evaluations add their sections through the slot ``reporting.dashboard`` (``rbm.ui``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import Http404
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dwcp import selectors as programmes
from rbm import selectors as reference
from rbm.models import Biennium, Country
from rbm.permissions import AnyUser, role_of
from reporting.dashboards.charts import bar_chart
from strategic_plans import selectors as framework

SCOPES = ("office", "region", "outcome", "country", "programme")
PREVIOUS_BIENNIUMS = 2


@dataclass
class Cell:
    value: int | Decimal | str | None
    url: str = ""


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[tuple[str, list[Cell]]]
    chart: str = ""
    note: str = ""


@dataclass
class Dashboard:
    scope: str
    subject: Any  # the region, outcome, country or programme; None for the Office
    title: str
    biennium: Biennium | None
    bienniums: list[Biennium]
    shown: list[Biennium]  # the biennium and the previous ones, side by side
    tables: list[Table] = field(default_factory=list)
    period: Any = None

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


def _subject(user: AnyUser | None, scope: str, pk: int | None) -> tuple[Any, str]:
    if scope == "office":
        return None, _("The Office")
    if pk is None:
        raise Http404
    if scope == "region":
        found: Any = next((r for r in reference.regions() if r.pk == pk), None)
        label = found.label if found else ""
    elif scope == "outcome":
        found = framework.outcomes().filter(pk=pk).first()
        label = (
            _("Outcome %(code)s: %(title)s") % {"code": found.code, "title": found.title}
            if found
            else ""
        )
    elif scope == "country":
        found = Country.objects.filter(pk=pk).select_related("region").first()
        label = found.label if found else ""
    else:
        found = programmes.visible_programmes(user).filter(pk=pk).first()
        label = f"{found.country.label} · {found.title}" if found else ""
    if found is None:
        raise Http404(_("Nothing to show a dashboard of has this number."))
    return found, label


def _cpo_url(biennium: Biennium, scope: str, subject: Any, **extra: Any) -> str:
    query: dict[str, Any] = {"biennium": biennium.code}
    if scope == "region":
        query["region"] = subject.code
    elif scope == "outcome":
        query["outcome"] = subject.pk
    elif scope == "country":
        query["country"] = subject.pk
    elif scope == "programme":
        query["programme"] = subject.pk
    if scope != "programme":
        query["office"] = ""  # every office, not the reader's own
    query.update(extra)
    return reverse("dwcp:cpo-list") + "?" + urlencode(query)


def reader_key(user: AnyUser | None) -> str:
    """What decides which CPOs a reader may read: their role, office and region."""
    return f"{role_of(user)}:{getattr(user, 'office_id', '')}:{getattr(user, 'region_id', '')}"


def cached_dashboard(
    user: AnyUser | None, scope: str, pk: int | None, biennium_code: str | None
) -> Dashboard:
    """``dashboard``, kept ``settings.DASHBOARD_CACHE_SECONDS`` (a minute) for readers who
    may read the same CPOs: its figures may be that old."""
    key = "dashboard:" + ":".join(
        str(part) for part in (reader_key(user), scope, pk, biennium_code or "", get_language())
    )
    board: Dashboard | None = cache.get(key)
    if board is None:
        board = dashboard(user, scope, pk, biennium_code)
        cache.set(key, board, settings.DASHBOARD_CACHE_SECONDS)
    return board


def dashboard(
    user: AnyUser | None, scope: str, pk: int | None, biennium_code: str | None
) -> Dashboard:
    if scope not in SCOPES:
        raise Http404
    subject, label = _subject(user, scope, pk)
    bienniums = list(framework.framework_bienniums())
    biennium = next((b for b in bienniums if b.code == biennium_code), None)
    if biennium is None:
        biennium = bienniums[0] if bienniums else None
    board = Dashboard(scope, subject, label, biennium, bienniums, [])
    if biennium is None:
        return board
    index = bienniums.index(biennium)
    shown = bienniums[index : index + 1 + PREVIOUS_BIENNIUMS]
    board.shown = shown
    scope_id = None if subject is None else subject.pk
    cpos = programmes.dashboard_cpos(
        user, scope=scope, scope_id=scope_id, biennium_ids=[b.pk for b in shown]
    )
    rows = programmes.cpo_figures(cpos)
    regions = reference.regions()
    # The outcomes shown: the framework's of the biennium (the one outcome for its dashboard).
    outcomes = [subject] if scope == "outcome" else list(framework.framework_outcomes(biennium))
    targets = {b.pk: _targets(b, [o.pk for o in outcomes]) for b in shown}
    region_id = subject.pk if scope == "region" else None
    with_targets = scope in ("office", "region", "outcome")

    def target_of(b: Biennium, outcome_id: int | None = None, region: int | None = None) -> Any:
        if not with_targets:
            return None
        total = 0
        for (o_id, r_id), value in targets[b.pk].items():
            if outcome_id is not None and o_id != outcome_id:
                continue
            wanted = region if region is not None else region_id
            if r_id == wanted:
                total += value
        return total

    # The grouped rows added up once: results by (biennium id, "outcome" | "objective" |
    # "region", id), and demand and targeted CPOs by region of the chosen biennium.
    achieved: dict[tuple[int, str, int], int] = defaultdict(int)
    demand: dict[tuple[str, int], int] = defaultdict(int)
    for row in rows:
        if row["indicator"] is not None:
            for key in ("outcome", "objective", "region"):
                achieved[(row["biennium"], key, row[key])] += row["achieved"]
        if row["biennium"] == biennium.pk:
            demand[("prioritized", row["region"])] += row["prioritized"]
            demand[("targeted", row["region"])] += row["targeted"]

    def results(b: Biennium, **match: int) -> int:
        ((key, value),) = match.items()
        return achieved.get((b.pk, key, value), 0)

    # Results against targets, by outcome, this biennium and the previous ones.
    columns = []
    for b in shown:
        columns += [_("Results %(b)s") % {"b": b.code}, _("Targets %(b)s") % {"b": b.code}]
    table_rows = []
    for outcome in outcomes:
        cells = []
        for b in shown:
            cells.append(
                Cell(
                    results(b, outcome=outcome.pk), _cpo_url(b, scope, subject, outcome=outcome.pk)
                )
            )
            cells.append(Cell(target_of(b, outcome.pk)))
        table_rows.append((f"{outcome.code} {outcome.title}", cells))
    board.tables.append(
        Table(
            "outcomes",
            _("Results against targets by outcome"),
            columns,
            table_rows,
            note=_(
                "A result is a CPO linked to an indicator whose validated progress report of "
                "the biennium claims it. Targets are the programme and budget's."
            ),
        )
    )

    # By strategic objective (the chosen biennium).
    by_objective: dict[int, Any] = {}
    for outcome in outcomes:
        by_objective.setdefault(outcome.objective_id, outcome.objective)
    board.tables.append(
        Table(
            "objectives",
            _("Results against targets by strategic objective, %(b)s") % {"b": biennium.code},
            [_("Results"), _("Targets")],
            [
                (
                    str(objective),
                    [
                        Cell(results(biennium, objective=objective_id)),
                        Cell(
                            None
                            if not with_targets
                            else sum(
                                target_of(biennium, o.pk) or 0
                                for o in outcomes
                                if o.objective_id == objective_id
                            )
                        ),
                    ],
                )
                for objective_id, objective in by_objective.items()
            ],
        )
    )

    # By region (the chosen biennium): results, targets, demand and targeted CPOs.
    region_rows = []
    demand_rows = []
    for region in regions:
        if scope == "region" and region.pk != subject.pk:
            continue
        region_rows.append(
            (
                region.label,
                [
                    Cell(
                        results(biennium, region=region.pk),
                        _cpo_url(biennium, "region", region)
                        if scope in ("office", "region")
                        else "",
                    ),
                    Cell(target_of(biennium, None, region.pk)),
                ],
            )
        )
        demand_rows.append(
            (
                region.label,
                [
                    Cell(
                        demand[("prioritized", region.pk)],
                        _cpo_url(biennium, scope, subject, prioritized="yes")
                        if scope != "office"
                        else _cpo_url(biennium, "region", region, prioritized="yes"),
                    ),
                    Cell(
                        demand[("targeted", region.pk)],
                        _cpo_url(biennium, scope, subject, targeted="yes")
                        if scope != "office"
                        else _cpo_url(biennium, "region", region, targeted="yes"),
                    ),
                    Cell(target_of(biennium, None, region.pk)),
                ],
            )
        )
    board.tables.append(
        Table(
            "regions",
            _("Results against targets by region, %(b)s") % {"b": biennium.code},
            [_("Results"), _("Targets")],
            region_rows,
        )
    )

    # CPOs by progress status (the office's own statement).
    statuses = programmes.result_status_choices()
    status_counts: dict[str, int] = defaultdict(int)
    for row in rows:
        if row["biennium"] == biennium.pk:
            status_counts[row["result_status"]] += row["cpos"]
    board.tables.append(
        Table(
            "status",
            _("CPOs by progress status, %(b)s") % {"b": biennium.code},
            [_("CPOs")],
            [
                (
                    str(label),
                    [
                        Cell(
                            status_counts.get(value, 0),
                            _cpo_url(biennium, scope, subject, result_status=value),
                        )
                    ],
                )
                for value, label in statuses
            ],
        )
    )

    # Reporting completeness of the current period, and CPOs by review state.
    period = programmes.current_period(biennium.pk)
    board.period = period
    if period is not None:
        this_biennium = cpos.filter(biennium_id=biennium.pk)
        states = programmes.review_states(this_biennium, period)
        total = sum(states.values())
        reported = states.get("submitted", 0) + states.get("validated", 0)
        labels = dict(programmes.review_state_choices())
        labels["none"] = _("No report")
        board.tables.append(
            Table(
                "review",
                _("CPOs by review state of their report for %(period)s") % {"period": period.name},
                [_("CPOs")],
                [
                    (str(labels[state]), [Cell(count, _cpo_url(biennium, scope, subject))])
                    for state, count in states.items()
                ],
                note=_(
                    "Reporting completeness: %(reported)s of %(total)s CPOs (%(rate)s) have a "
                    "submitted or validated report for the period."
                )
                % {
                    "reported": reported,
                    "total": total,
                    "rate": f"{(100 * reported / total) if total else 0:.0f}%",
                },
            )
        )

    board.tables.append(
        Table(
            "demand",
            _("Demand against targets by region, %(b)s") % {"b": biennium.code},
            [_("Prioritized CPOs (demand)"), _("Targeted CPOs"), _("P&B targets")],
            demand_rows,
        )
    )

    # Resources planned and spent by funding source.
    money = programmes.resources_by_source(cpos.filter(biennium_id=biennium.pk))
    sources = reference.funding_sources()
    board.tables.append(
        Table(
            "resources",
            _("Resources planned and spent by source, %(b)s (USD)") % {"b": biennium.code},
            [_("Planned"), _("Spent"), _("Delivery")],
            [
                (
                    source.code,
                    [
                        Cell(
                            money.get(source.pk, (Decimal(0), Decimal(0)))[0],
                            _cpo_url(biennium, scope, subject),
                        ),
                        Cell(money.get(source.pk, (Decimal(0), Decimal(0)))[1]),
                        Cell(_rate(*money.get(source.pk, (Decimal(0), Decimal(0))))),
                    ],
                )
                for source in sources
            ],
        )
    )

    # The validation backlog and its age.
    backlog = programmes.validation_backlog(cpos)
    ages = {
        "week": _("Waiting up to 7 days"),
        "month": _("Waiting 8 to 30 days"),
        "older": _("Waiting over 30 days"),
    }
    queue = reverse("dwcp:validation-queue")
    board.tables.append(
        Table(
            "backlog",
            _("Validation backlog"),
            [_("Reports")],
            [(str(ages[key]), [Cell(count, queue)]) for key, count in backlog.by_age],
            note=(
                _("%(n)s submitted reports wait for validation; the oldest since %(when)s.")
                % {"n": backlog.total, "when": backlog.oldest.date().isoformat()}
                if backlog.oldest
                else _("No submitted report waits for validation.")
            ),
        )
    )
    for table in board.tables:
        table.chart = _chart(table)
    return board


def _rate(planned: Decimal, spent: Decimal) -> str:
    return f"{100 * spent / planned:.0f}%" if planned else "—"


def _targets(biennium: Biennium, outcome_ids: list[int]) -> dict[tuple[int, int | None], int]:
    """Targets of the outcomes for ``biennium``: (outcome id, region id or None for the
    total) -> the sum over their indicators."""
    sums: dict[tuple[int, int | None], int] = defaultdict(int)
    for outcome_id, plan in framework.report_outcome_frameworks(outcome_ids, biennium).items():
        for info in plan.targets.values():
            sums[(outcome_id, None)] += info.total
            for region_id, value in info.by_region.items():
                sums[(outcome_id, region_id)] += value
    return sums


def _chart(table: Table) -> str:
    numeric = [
        index
        for index, _column in enumerate(table.columns)
        if all(
            isinstance(cells[index].value, int | Decimal | type(None)) for _l, cells in table.rows
        )
    ]
    if not numeric or not table.rows:
        return ""
    return bar_chart(
        f"chart-{table.key}",
        table.title,
        [table.columns[i] for i in numeric],
        [(label, [cells[i].value for i in numeric]) for label, cells in table.rows],  # type: ignore[misc]
    )


def rows_for_csv(board: Dashboard) -> list[list[Any]]:
    """Every figure of the dashboard as (table, row, column, value)."""
    out: list[list[Any]] = [["table", "row", "column", "value"]]
    for table in board.tables:
        for label, cells in table.rows:
            for column, cell in zip(table.columns, cells, strict=True):
                out.append([table.title, label, column, "" if cell.value is None else cell.value])
    return out

"""Checking typed rows against the database (step 2): what each row names, and whether it
may be written."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _

from dwcp.models import (
    MAX_PRIORITIES,
    CountryProgrammeOutcome,
    CountryProgrammePriority,
    DecentWorkCountryProgramme,
)
from dwcp.services import MilestoneData, ResourceData, priority_limit_error
from dwcp.spreadsheets.columns import CPO_SHEET, MILESTONE_SHEET, VERSION_COLUMN
from dwcp.spreadsheets.errors import RowError
from dwcp.spreadsheets.reading import CpoRow, ParsedSpreadsheet
from rbm.errors import ConflictError
from rbm.models import Biennium, Country, User
from rbm.permissions import can
from rbm.services import check_version
from strategic_plans import selectors as framework

if TYPE_CHECKING:
    from strategic_plans.models import Indicator, Outcome


@dataclass
class CpoChange:
    """A row that passed every check: the records it names and what to write."""

    row: CpoRow
    programme: DecentWorkCountryProgramme
    biennium: Biennium
    outcome: Outcome
    indicator: Indicator | None
    # None: the priority is new, created from the row's number and title before the CPO
    priority: CountryProgrammePriority | None
    resources: list[ResourceData]
    milestones: list[MilestoneData] | None
    cpo: CountryProgrammeOutcome | None = None  # the stored CPO the row updates
    unchanged: bool = False  # the row asks for what is stored: nothing to write


@dataclass
class NewPriority:
    programme: DecentWorkCountryProgramme
    number: int
    title: str
    rows: list[CpoRow]


@dataclass
class CheckedImport:
    changes: list[CpoChange]
    new_priorities: list[NewPriority]
    errors: list[RowError]
    warnings: list[RowError]


class _Lookups:
    """The records a file names, read in a fixed number of queries whatever its length."""

    def __init__(self, parsed: ParsedSpreadsheet) -> None:
        rows = parsed.cpo_rows
        starts = {int(r.biennium[:4]) for r in rows if r.biennium}
        self.bienniums = {b.code: b for b in Biennium.objects.filter(start_year__in=starts)}
        alpha3s = {r.country for r in rows if r.country}
        self.countries = {
            c.alpha3: c for c in Country.objects.filter(alpha3__in=alpha3s).select_related("region")
        }
        programme_ids = {r.programme for r in rows if r.programme is not None}
        programmes = (
            DecentWorkCountryProgramme.objects.filter(
                Q(pk__in=programme_ids) | Q(country__alpha3__in=alpha3s)
            )
            .select_related("country__region")
            .prefetch_related("priorities")
        )
        self.programmes = {p.pk: p for p in programmes}
        self.programmes_of: dict[str, list[DecentWorkCountryProgramme]] = defaultdict(list)
        for programme in self.programmes.values():
            self.programmes_of[programme.country.alpha3].append(programme)
        # Locked for the import's transaction: what is read here stays true until it ends.
        stored = (
            CountryProgrammeOutcome.objects.filter(
                code__in={r.code for r in rows if r.code}, biennium__in=self.bienniums.values()
            )
            .select_related("programme__country__region", "biennium", "priority")
            .prefetch_related("milestones", "resources")
            .select_for_update(of=("self",))
        )
        self.cpos = {(c.biennium.code, c.code): c for c in stored}
        self.outcomes = framework.outcomes_by_code({r.outcome for r in rows if r.outcome})
        self.indicators = framework.indicators_by_code({r.indicator for r in rows if r.indicator})
        self.sources = {s.code: s for s in parsed.sources}


def check_rows(*, user: User, parsed: ParsedSpreadsheet) -> CheckedImport:
    """Resolve what each row names and check what the database must answer.

    Every row is checked, whatever the errors of the others; rows without errors become
    ``CpoChange``s, marked ``unchanged`` when they ask for what is stored. A row that changes
    a CPO saved since the file was exported (its version) is an error. Run it in a transaction:
    it locks the stored CPOs the file names until the writes are done.
    """
    look = _Lookups(parsed)
    errors: list[RowError] = []
    warnings: list[RowError] = []
    milestones = _milestones_by_cpo(parsed, errors)
    changes: list[CpoChange] = []
    pending: dict[int, dict[int, list[CpoRow]]] = defaultdict(lambda: defaultdict(list))
    seen: dict[tuple[str, str], int] = {}
    for row in parsed.cpo_rows:
        refuse = _Refusals(CPO_SHEET, row.row)
        found = refuse.errors
        biennium = look.bienniums.get(row.biennium) if row.biennium else None
        if row.biennium and biennium is None:
            refuse("biennium", _("No biennium %(code)s in the system.") % {"code": row.biennium})
        if row.code and row.biennium:
            if row.key in seen:
                refuse(
                    "code",
                    _("Row %(row)s already has this code for this biennium.")
                    % {"row": seen[row.key]},
                )
            seen.setdefault(row.key, row.row)
        country = look.countries.get(row.country) if row.country else None
        if row.country and country is None:
            refuse("country", _("No member State has the code %(code)s.") % {"code": row.country})
        wrong_prefix = (
            CountryProgrammeOutcome.code_prefix_error(row.code, country)
            if country and row.code
            else None
        )
        if wrong_prefix:
            refuse("code", wrong_prefix)
        cpo = look.cpos.get(row.key)
        programme = _programme_of(row, cpo, country, biennium, look, refuse)
        if country and not can(user, "cpo.change", country):
            refuse(
                "country",
                _("Your office does not cover %(country)s: remove this row or ask its office.")
                % {"country": country},
            )
        outcome = _outcome_of(row, biennium, look, refuse)
        indicator = _indicator_of(row, outcome, look, refuse)
        priority = None
        if programme is not None and "priority" not in row.failed:
            priority = next(
                (p for p in programme.priorities.all() if p.number == row.priority), None
            )
            if priority is None:
                pending[programme.pk][row.priority].append(row)
            elif row.priority_title and differs(priority.title, row.priority_title):
                warnings.append(
                    RowError(
                        CPO_SHEET,
                        row.row,
                        "priority title",
                        _(
                            "Priority %(number)s of this programme is called “%(title)s”; the "
                            "title in the file was not used."
                        )
                        % {"number": priority.number, "title": priority.title},
                    )
                )
        if found or row.failed or programme is None or biennium is None or outcome is None:
            errors += found
            continue
        change = CpoChange(
            row=row,
            programme=programme,
            biennium=biennium,
            outcome=outcome,
            indicator=indicator,
            priority=priority,
            resources=[
                ResourceData(look.sources[code], planned, spent)
                for code, (planned, spent) in row.resources.items()
            ],
            milestones=None if milestones is None else milestones.get(row.key, []),
            cpo=cpo,
        )
        if cpo is not None:
            if priority is not None and _asks_for_stored(change, priority):
                change.unchanged = True
            else:
                # The row changes the CPO: it must be based on the stored version.
                try:
                    check_version(cpo, row.version)
                except ConflictError as error:
                    errors.append(
                        RowError(CPO_SHEET, row.row, VERSION_COLUMN.header, error.message)
                    )
                    continue
        changes.append(change)
    new_priorities = _new_priorities(pending, look, errors)
    return CheckedImport(changes, new_priorities, sorted_errors(errors), sorted_errors(warnings))


@dataclass
class _Refusals:
    """Collects a row's errors: ``refuse(column, message)``."""

    sheet: str
    row: int
    errors: list[RowError] = field(default_factory=list)

    def __call__(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.sheet, self.row, column, message))


Refuse = Callable[[str, str], None]


def _programme_of(
    row: CpoRow,
    cpo: CountryProgrammeOutcome | None,
    country: Country | None,
    biennium: Biennium | None,
    look: _Lookups,
    refuse: Refuse,
) -> DecentWorkCountryProgramme | None:
    if cpo is not None:
        if row.programme is not None and row.programme != cpo.programme_id:
            refuse(
                "programme",
                _(
                    "%(code)s belongs to programme %(programme)s; an import cannot move it to "
                    "another programme."
                )
                % {"code": cpo.code, "programme": cpo.programme_id},
            )
        return look.programmes.get(cpo.programme_id, cpo.programme)
    if row.programme is not None:
        programme = look.programmes.get(row.programme)
        if programme is None:
            refuse("programme", _("No programme has the number %(id)s.") % {"id": row.programme})
            return None
        if country is not None and programme.country_id != country.pk:
            refuse(
                "programme",
                _("Programme %(id)s is for %(country)s, not for %(other)s.")
                % {"id": programme.pk, "country": programme.country, "other": country},
            )
            return None
        if biennium is not None and not programme.covers(biennium):
            refuse(
                "biennium",
                _("The biennium %(biennium)s lies outside the programme's period %(period)s.")
                % {"biennium": biennium, "period": programme.period},
            )
        return programme
    if country is None or biennium is None:
        return None
    candidates = [p for p in look.programmes_of[country.alpha3] if p.covers(biennium)]
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        refuse(
            "programme",
            _("No programme of %(country)s covers %(biennium)s: create the programme first.")
            % {"country": country, "biennium": biennium},
        )
    else:
        refuse(
            "programme",
            _(
                "Several programmes of %(country)s cover %(biennium)s: give the number of one: "
                "%(ids)s."
            )
            % {
                "country": country,
                "biennium": biennium,
                "ids": ", ".join(str(p.pk) for p in candidates),
            },
        )
    return None


def _outcome_of(
    row: CpoRow, biennium: Biennium | None, look: _Lookups, refuse: Refuse
) -> Outcome | None:
    if "outcome" in row.failed:
        return None
    if not row.outcome:
        refuse("P&B outcome", _("Give the code of the P&B outcome, e.g. 16."))
        return None
    same_code = look.outcomes.get(row.outcome, [])
    if not same_code:
        refuse("P&B outcome", _("No outcome has the code %(code)s.") % {"code": row.outcome})
        return None
    if biennium is None:
        return None
    in_framework = [o for o in same_code if o.objective.plan.contains(biennium)]
    if not in_framework:
        refuse(
            "P&B outcome",
            _("Outcome %(code)s belongs to %(plan)s, not to the framework of %(biennium)s.")
            % {"code": row.outcome, "plan": same_code[0].objective.plan, "biennium": biennium},
        )
        return None
    return max(in_framework, key=lambda o: o.objective.plan.start_year)


def _indicator_of(
    row: CpoRow, outcome: Outcome | None, look: _Lookups, refuse: Refuse
) -> Indicator | None:
    if not row.indicator or "indicator" in row.failed:
        return None
    same_code = look.indicators.get(row.indicator, [])
    if not same_code:
        refuse("indicator", _("No indicator has the code %(code)s.") % {"code": row.indicator})
        return None
    if outcome is None:
        return None
    mine = [i for i in same_code if i.outcome_id == outcome.pk]
    if not mine:
        refuse(
            "indicator",
            _("Indicator %(indicator)s is not an indicator of outcome %(outcome)s.")
            % {"indicator": row.indicator, "outcome": outcome.code},
        )
        return None
    return mine[0]


def _milestones_by_cpo(
    parsed: ParsedSpreadsheet, errors: list[RowError]
) -> dict[tuple[str, str], list[MilestoneData]] | None:
    if parsed.milestone_rows is None:
        return None
    cpo_keys = {row.key for row in parsed.cpo_rows}
    result: dict[tuple[str, str], list[MilestoneData]] = defaultdict(list)
    for milestone in parsed.milestone_rows:
        if {"code", "biennium"} & milestone.failed:
            continue
        if milestone.key not in cpo_keys:
            errors.append(
                RowError(
                    MILESTONE_SHEET,
                    milestone.row,
                    "CPO code",
                    _("No row of the CPOs sheet has the code %(code)s for %(biennium)s.")
                    % {"code": milestone.code, "biennium": milestone.biennium},
                )
            )
            continue
        if milestone.failed or milestone.due_on is None:
            continue
        result[milestone.key].append(
            MilestoneData(due_on=milestone.due_on, text=milestone.text, reached=milestone.reached)
        )
    return result


def _new_priorities(
    pending: dict[int, dict[int, list[CpoRow]]], look: _Lookups, errors: list[RowError]
) -> list[NewPriority]:
    """Priorities the rows name that their programme lacks, created in the order the
    service numbers them (the lowest free number first, at most three)."""
    result = []
    for programme_id, by_number in pending.items():
        programme = look.programmes[programme_id]
        used = {p.number for p in programme.priorities.all()}
        free = [n for n in range(1, MAX_PRIORITIES + 1) if n not in used]
        for index, number in enumerate(sorted(by_number)):
            rows = by_number[number]
            title = next((r.priority_title for r in rows if r.priority_title), "")
            if index >= len(free):
                message = priority_limit_error().messages[0]
            elif number > MAX_PRIORITIES:
                message = _("A programme has at most three priorities: number them 1, 2 or 3.")
            elif free[index] != number:
                message = _(
                    "Programme %(programme)s has no priority %(number)s; a new priority would "
                    "be number %(next)s."
                ) % {"programme": programme.pk, "number": number, "next": free[index]}
            elif not title:
                message = _(
                    "Programme %(programme)s has no priority %(number)s yet: give its title in "
                    "the column “priority title” to create it."
                ) % {"programme": programme.pk, "number": number}
            else:
                result.append(NewPriority(programme, number, title, rows))
                continue
            errors += [RowError(CPO_SHEET, r.row, "priority", message) for r in rows]
    return result


def differs(stored: str, given: str) -> bool:
    """Texts differ beyond line endings and surrounding blanks (Excel changes those)."""
    return _same_lines(stored) != _same_lines(given)


def _same_lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def sorted_errors(errors: Iterable[RowError]) -> list[RowError]:
    sheets = {CPO_SHEET: 0, MILESTONE_SHEET: 1}
    return sorted(errors, key=lambda e: (sheets.get(e.sheet, 2), e.row))


def fields_asked(change: CpoChange, priority: CountryProgrammePriority) -> dict[str, Any]:
    """The CPO's fields as the row asks for them."""
    row, cpo = change.row, change.cpo
    assert cpo is not None

    def text(name: str) -> str:
        # Excel may change line endings and surrounding blanks: that is no change.
        stored: str = getattr(cpo, name)
        given: str = getattr(row, name)
        return stored if not differs(stored, given) else given

    return {
        "priority": priority,
        "outcome": change.outcome,
        "indicator": change.indicator,
        "title": text("title"),
        "description": text("description"),
        "gender_statement": text("gender_statement"),
        "prioritized": row.prioritized,
        "targeted": row.targeted,
        "result_status": row.result_status,
    }


def _asks_for_stored(change: CpoChange, priority: CountryProgrammePriority) -> bool:
    """The row asks for exactly what is stored (read and locked by ``_Lookups``), so that
    writing it would change nothing: the import skips the service for it."""
    cpo = change.cpo
    assert cpo is not None
    for name, value in fields_asked(change, priority).items():
        stored = (
            getattr(cpo, f"{name}_id")
            if name in ("priority", "outcome", "indicator")
            else (getattr(cpo, name))
        )
        wanted = value.pk if isinstance(value, models.Model) else value
        if stored != wanted:
            return False
    resources = {r.funding_source_id: (r.planned, r.spent) for r in cpo.resources.all()}
    if resources != {r.funding_source.pk: (r.planned, r.spent) for r in change.resources}:
        return False
    if change.milestones is None:
        return True
    stored_milestones = sorted((m.due_on, m.text, m.reached) for m in cpo.milestones.all())
    wanted_milestones = sorted(
        (m.due_on, m.text.strip(), m.reached) for m in change.milestones if m.text.strip()
    )
    return stored_milestones == wanted_milestones

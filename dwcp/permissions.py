"""Who may do what with country programmes, outcomes and progress reports.

- dwcp.view: everyone reads published programmes; field staff also their office's countries'
  programmes, regional officers their region's; HQ roles and administrators all.
- dwcp.create, dwcp.change, cpo.change: field office staff for the countries their office
  covers; administrators.
- dwcp.advance (a step of the method forward or back, closing, reopening): field office staff
  (their countries) and administrators, from the phases ``PHASE_MOVES`` leaves by such a step;
  dwcp.evaluate: regional officers (their region) and administrators, from "completed".
- dwcp.publish: field office staff (their countries), regional officers (their region),
  administrators.
- progress.edit, progress.submit: field office staff (their countries) and administrators, on
  a draft or returned report (progress.edit on a CPO: a new report).
- progress.view: drafts are the office's (and administrators'); submitted and returned
  reports are also read by the region and HQ; validated ones by everyone who reads the
  programme.
- progress.review (validate, return): regional officers (their region), administrators, on a
  submitted report.
- progress.periods: opening a biennium's default reporting periods, for those who report.
- cpo.import: the spreadsheet import page, for field office staff (each row is then checked
  with cpo.change for its country) and administrators.
- calendar.view, calendar.edit: the reporting calendar, read by every staff role, its
  dates set by programme officers and administrators; extension.request: field office staff
  for their own office; extension.grant: regional officers for offices of their region,
  administrators; reminder.send: programme officers and administrators.
- cpo_import.view: an import (its file, how it ended, running it again) is its uploader's
  and the administrators'; cpo_import.list_all: administrators see every import.

``visible_*`` in ``dwcp.selectors`` filter lists with the same rules.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from dwcp.models import PHASE_ORDER, Phase, ReviewState
from rbm.models import Country, Role, User
from rbm.permissions import (
    EVERYONE,
    covers_country,
    in_region,
    register,
    rule,
)

HQ_ROLES = {Role.OUTCOME_COORDINATOR, Role.PROGRAMME_OFFICER, Role.GB_SECRETARIAT}
FIELD = {Role.FIELD_OFFICE_STAFF}
REGIONAL = {Role.REGIONAL_PROGRAMME_OFFICER}
ADMIN = {Role.ADMINISTRATOR}


def country_of(obj: Any) -> Country | None:
    """The country an object of this app belongs to."""
    from dwcp.models import (
        CountryProgrammeOutcome,
        CountryProgrammePriority,
        DecentWorkCountryProgramme,
        ProgressReport,
    )

    if isinstance(obj, Country):
        return obj
    if isinstance(obj, DecentWorkCountryProgramme):
        return obj.country
    if isinstance(obj, CountryProgrammePriority | CountryProgrammeOutcome):
        return obj.programme.country
    if isinstance(obj, ProgressReport):
        return obj.cpo.programme.country
    return None


def programme_of(obj: Any) -> Any:
    from dwcp.models import CountryProgrammeOutcome, CountryProgrammePriority, ProgressReport

    if isinstance(obj, CountryProgrammePriority | CountryProgrammeOutcome):
        return obj.programme
    if isinstance(obj, ProgressReport):
        return obj.cpo.programme
    return obj


def _covers(user: User, obj: Any) -> bool:
    country = country_of(obj)
    return country is not None and covers_country(user, country.pk)


def _in_region(user: User, obj: Any) -> bool:
    country = country_of(obj)
    return country is not None and in_region(user, country.region_id)


def _published(user: Any, obj: Any) -> bool:
    return bool(getattr(programme_of(obj), "published", False))


def _report_state(obj: Any) -> str:
    return str(getattr(obj, "review_state", ""))


register(
    "dwcp.view",
    rule(EVERYONE, scope=_published),
    rule(FIELD, scope=_covers),
    rule(REGIONAL, scope=_in_region),
    rule(HQ_ROLES | ADMIN),
)
register("dwcp.create", rule(FIELD, scope=_covers), rule(ADMIN))
register("dwcp.change", rule(FIELD, scope=_covers), rule(ADMIN))
register("dwcp.publish", rule(FIELD, scope=_covers), rule(REGIONAL, scope=_in_region), rule(ADMIN))
register("cpo.change", rule(FIELD, scope=_covers), rule(ADMIN))


# The phases of the method: (from, to) -> the action that moves a programme. It is
# iterative: a programme may step forward or back one phase among the six, close after
# monitoring, reopen, and be evaluated once completed. The rows of dwcp.advance and
# dwcp.evaluate take their states from it.
def _phase_moves() -> dict[tuple[str, str], str]:
    six = PHASE_ORDER[:6]
    moves: dict[tuple[str, str], str] = {}
    for index, phase in enumerate(six):
        if index + 1 < len(six):
            moves[(phase, six[index + 1])] = "dwcp.advance"
            moves[(six[index + 1], phase)] = "dwcp.advance"
    moves[(Phase.MONITORING, Phase.COMPLETED)] = "dwcp.advance"
    moves[(Phase.COMPLETED, Phase.MONITORING)] = "dwcp.advance"
    moves[(Phase.COMPLETED, Phase.EVALUATED)] = "dwcp.evaluate"
    return moves


PHASE_MOVES = _phase_moves()
PHASE_REFUSAL = _("A programme in the phase “%(current)s” cannot move to “%(target)s”.")


def _leaving_by(action: str) -> set[str]:
    return {str(frm) for (frm, _to), name in PHASE_MOVES.items() if name == action}


register(
    "dwcp.advance",
    rule(FIELD, scope=_covers, states=_leaving_by("dwcp.advance")),
    rule(ADMIN, states=_leaving_by("dwcp.advance")),
    state_field="phase",
    refusal=PHASE_REFUSAL,
)
register(
    "dwcp.evaluate",
    rule(REGIONAL, scope=_in_region, states=_leaving_by("dwcp.evaluate")),
    rule(ADMIN, states=_leaving_by("dwcp.evaluate")),
    state_field="phase",
    refusal=PHASE_REFUSAL,
)

# A report changes, and its office submits it, only as a draft or returned; the region
# validates or returns a submitted one.
EDITABLE = (ReviewState.DRAFT, ReviewState.RETURNED)
OFFICE_ON_EDITABLE = (rule(FIELD, scope=_covers, states=EDITABLE), rule(ADMIN, states=EDITABLE))
register(
    "progress.edit",
    *OFFICE_ON_EDITABLE,
    state_field="review_state",
    refusal=_("A %(state)s report cannot be edited."),
)
register(
    "progress.submit",
    *OFFICE_ON_EDITABLE,
    state_field="review_state",
    refusal=_("Only a draft or returned report can be submitted; this one is %(state)s."),
)
register(
    "progress.review",
    rule(REGIONAL, scope=_in_region, states={ReviewState.SUBMITTED}),
    rule(ADMIN, states={ReviewState.SUBMITTED}),
    state_field="review_state",
    refusal=_("Only a submitted report can be %(target)s; this one is %(state)s."),
)


def _validated_and_visible(user: Any, obj: Any) -> bool:
    return _report_state(obj) == "validated" and _published(user, obj)


def _submitted_in_region(user: User, obj: Any) -> bool:
    return _report_state(obj) != "draft" and _in_region(user, obj)


def _not_draft(user: User, obj: Any) -> bool:
    return _report_state(obj) != "draft"


register(
    "progress.view",
    rule(EVERYONE, scope=_validated_and_visible),
    rule(FIELD, scope=_covers),
    rule(REGIONAL, scope=_submitted_in_region),
    rule(HQ_ROLES, scope=_not_draft),
    rule(ADMIN),
)

# Pages without an object: the lists (filtered by the scopes above) and the review queue.
register("dwcp.list", rule(EVERYONE))
register("progress.queue", rule(REGIONAL | ADMIN))
register("cpo.import", rule(FIELD | ADMIN))
# Opening a biennium's default reporting periods: whoever reports progress.
register("progress.periods", rule(FIELD | ADMIN))


def _uploaded_it(user: User, obj: Any) -> bool:
    return getattr(obj, "uploaded_by_id", None) == user.pk


register("cpo_import.view", rule(FIELD, scope=_uploaded_it), rule(ADMIN))
register("cpo_import.list_all", rule(ADMIN))

# The reporting calendar: everyone signed in reads it; programme officers (and
# administrators) set its dates; an office asks for an extension of a locked period for
# itself, and the regional officers of its region (and administrators) grant it.
PROGRAMME = {Role.PROGRAMME_OFFICER}


def _own_office(user: User, office: Any) -> bool:
    return user.office_id is not None and getattr(office, "pk", None) == user.office_id


def _office_in_region(user: User, office: Any) -> bool:
    return in_region(user, getattr(office, "region_id", None))


register("calendar.view", rule(FIELD | REGIONAL | HQ_ROLES | ADMIN))
register("calendar.edit", rule(PROGRAMME | ADMIN))
register("extension.request", rule(FIELD, scope=_own_office), rule(ADMIN))
register("extension.grant", rule(REGIONAL, scope=_office_in_region), rule(ADMIN))
# Reporting coverage per region and office, and reminders to the offices behind.
register("reminder.send", rule(PROGRAMME | ADMIN))

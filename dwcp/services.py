"""Every write to country programmes, their priorities, outcomes and progress reports.

Each service checks the permission table, validates (``full_clean``), refuses stale edits
(``version``) and writes in one transaction. Pages, the admin, the spreadsheet import and
the API all call these.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import update_change_reason

from dwcp.models import (
    MAX_PRIORITIES,
    PHASE_ORDER,
    CountryProgrammeOutcome,
    CountryProgrammePriority,
    CpoResource,
    DecentWorkCountryProgramme,
    Milestone,
    Phase,
    ProgressReport,
    ProgressReview,
    ReportingPeriod,
    ResultStatus,
    ReviewAction,
    ReviewState,
    TripartiteParty,
)
from rbm.errors import ApplicationError
from rbm.models import Biennium, Country, FundingSource, Office, User
from rbm.permissions import require
from rbm.services import check_version, save_versioned, validate
from strategic_plans.models import Indicator, Outcome

PROGRAMME_FIELDS = (
    "title",
    "start_year",
    "end_year",
    "undaf_title",
    "undaf_url",
    "national_plan_title",
    "national_plan_url",
)
CPO_FIELDS = (
    "code",
    "priority",
    "biennium",
    "outcome",
    "indicator",
    "title",
    "description",
    "gender_statement",
    "prioritized",
    "targeted",
    "result_status",
)
REPORT_FIELDS = (
    "status",
    "narrative",
    "result_claimed",
    "evidence_text",
    "evidence_url",
    "women_reached",
    "men_reached",
)


# Programmes -------------------------------------------------------------------------------


def _check_office_covers(office: Office, country: Country) -> None:
    if not office.countries.filter(pk=country.pk).exists():
        raise ValidationError(
            {
                "office": _("%(office)s does not cover %(country)s.")
                % {"office": office, "country": country}
            }
        )


@transaction.atomic
def programme_create(
    *,
    user: User,
    country: Country,
    office: Office,
    title: str,
    start_year: int,
    end_year: int,
    undaf_title: str = "",
    undaf_url: str = "",
    national_plan_title: str = "",
    national_plan_url: str = "",
    signed_document: UploadedFile[bytes] | None = None,
) -> DecentWorkCountryProgramme:
    require(user, "dwcp.create", country)
    programme = DecentWorkCountryProgramme(
        country=country,
        office=office,
        title=title,
        start_year=start_year,
        end_year=end_year,
        undaf_title=undaf_title,
        undaf_url=undaf_url,
        national_plan_title=national_plan_title,
        national_plan_url=national_plan_url,
    )
    if signed_document is not None:
        programme.signed_document = signed_document
    validate(programme)
    _check_office_covers(office, country)
    programme.save()
    return programme


@transaction.atomic
def programme_update(
    *,
    user: User,
    programme: DecentWorkCountryProgramme,
    version: int | None,
    signed_document: UploadedFile[bytes] | None = None,
    **fields: Any,
) -> DecentWorkCountryProgramme:
    require(user, "dwcp.change", programme)
    programme = DecentWorkCountryProgramme.objects.select_for_update().get(pk=programme.pk)
    check_version(programme, version)
    unknown = set(fields) - set(PROGRAMME_FIELDS) - {"office"}
    if unknown:
        raise ValueError(f"Not editable here: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(programme, name, value)
    changed = [*fields]
    if signed_document is not None:
        programme.signed_document = signed_document
        changed.append("signed_document")
    validate(programme)
    if "office" in fields:
        _check_office_covers(programme.office, programme.country)
    first_cpo = programme.cpos.order_by("biennium__start_year").select_related("biennium").first()
    last_cpo = programme.cpos.order_by("-biennium__start_year").select_related("biennium").first()
    for cpo in (first_cpo, last_cpo):
        if cpo is not None and not programme.covers(cpo.biennium):
            raise ValidationError(
                {
                    "end_year": _(
                        "Outcome %(code)s is planned for %(biennium)s: keep that biennium inside "
                        "the period."
                    )
                    % {"code": cpo.code, "biennium": cpo.biennium}
                }
            )
    save_versioned(programme, update_fields=changed)
    return programme


# Phase changes: (from, to) -> permission action. The method is iterative: a programme may
# step forward or back one phase among the six, close after monitoring, reopen, and be
# evaluated once completed.
def _phase_transitions() -> dict[tuple[str, str], str]:
    six = PHASE_ORDER[:6]
    table: dict[tuple[str, str], str] = {}
    for index, phase in enumerate(six):
        if index + 1 < len(six):
            table[(phase, six[index + 1])] = "dwcp.advance"
            table[(six[index + 1], phase)] = "dwcp.advance"
    table[(Phase.MONITORING, Phase.COMPLETED)] = "dwcp.advance"
    table[(Phase.COMPLETED, Phase.MONITORING)] = "dwcp.advance"
    table[(Phase.COMPLETED, Phase.EVALUATED)] = "dwcp.evaluate"
    return table


PHASE_TRANSITIONS = _phase_transitions()


def phase_moves(programme: DecentWorkCountryProgramme) -> list[tuple[str, str]]:
    """The phases a programme may move to from where it is, with the action each needs."""
    return [
        (to, action) for (frm, to), action in PHASE_TRANSITIONS.items() if frm == programme.phase
    ]


@transaction.atomic
def programme_move_phase(
    *, user: User, programme: DecentWorkCountryProgramme, phase: str, version: int | None
) -> DecentWorkCountryProgramme:
    programme = DecentWorkCountryProgramme.objects.select_for_update().get(pk=programme.pk)
    action = PHASE_TRANSITIONS.get((programme.phase, phase))
    if action is None:
        raise ApplicationError(
            _("A programme in the phase “%(current)s” cannot move to “%(target)s”.")
            % {"current": programme.get_phase_display(), "target": Phase(phase).label}
            if phase in Phase.values
            else _("Unknown phase %(phase)s.") % {"phase": phase}
        )
    require(user, action, programme)
    check_version(programme, version)
    previous = programme.get_phase_display()
    programme.phase = phase
    save_versioned(programme, update_fields=["phase"])
    update_change_reason(programme, f"{previous} → {programme.get_phase_display()}")
    return programme


@transaction.atomic
def programme_set_published(
    *, user: User, programme: DecentWorkCountryProgramme, published: bool, version: int | None
) -> DecentWorkCountryProgramme:
    require(user, "dwcp.publish", programme)
    programme = DecentWorkCountryProgramme.objects.select_for_update().get(pk=programme.pk)
    check_version(programme, version)
    if published and not programme.priorities.exists():
        raise ApplicationError(_("Agree at least one priority before publishing the programme."))
    programme.published = published
    programme.published_at = timezone.now() if published else None
    save_versioned(programme, update_fields=["published", "published_at"])
    return programme


@transaction.atomic
def party_set(
    *,
    user: User,
    programme: DecentWorkCountryProgramme,
    parties: Sequence[dict[str, Any]],
) -> list[TripartiteParty]:
    """Replace the programme's list of tripartite parties (kind, name, agreed_on)."""
    require(user, "dwcp.change", programme)
    kept = []
    seen = set()
    for data in parties:
        key = (data["kind"], data["name"].strip())
        if not key[1] or key in seen:
            continue
        seen.add(key)
        party = TripartiteParty.objects.filter(
            programme=programme, kind=key[0], name=key[1]
        ).first() or TripartiteParty(programme=programme, kind=key[0], name=key[1])
        if party.pk is None or party.agreed_on != data.get("agreed_on"):
            party.agreed_on = data.get("agreed_on")
            validate(party)
            party.save()
        kept.append(party)
    for party in programme.parties.exclude(pk__in=[p.pk for p in kept]):
        party.delete()
    return kept


# Priorities --------------------------------------------------------------------------------


def priority_limit_error() -> ValidationError:
    return ValidationError(
        _(
            "A Decent Work Country Programme has at most three country programme priorities; "
            "this one already has three."
        ),
        code="max_priorities",
    )


@transaction.atomic
def priority_create(
    *, user: User, programme: DecentWorkCountryProgramme, title: str, description: str = ""
) -> CountryProgrammePriority:
    require(user, "dwcp.change", programme)
    # Lock the programme so that two people adding a priority at once cannot both be third.
    DecentWorkCountryProgramme.objects.select_for_update().get(pk=programme.pk)
    used = set(programme.priorities.values_list("number", flat=True))
    free = [n for n in range(1, MAX_PRIORITIES + 1) if n not in used]
    if not free:
        raise priority_limit_error()
    priority = CountryProgrammePriority(
        programme=programme, number=free[0], title=title, description=description
    )
    validate(priority)
    priority.save()
    return priority


@transaction.atomic
def priority_update(
    *,
    user: User,
    priority: CountryProgrammePriority,
    version: int | None,
    title: str,
    description: str = "",
) -> CountryProgrammePriority:
    require(user, "dwcp.change", priority)
    priority = CountryProgrammePriority.objects.select_for_update().get(pk=priority.pk)
    check_version(priority, version)
    priority.title, priority.description = title, description
    validate(priority)
    save_versioned(priority, update_fields=["title", "description"])
    return priority


@transaction.atomic
def priority_delete(*, user: User, priority: CountryProgrammePriority) -> None:
    require(user, "dwcp.change", priority)
    if priority.cpos.exists():
        raise ApplicationError(
            _("Move or delete the outcomes of this priority before deleting it.")
        )
    priority.delete()


# Country programme outcomes -------------------------------------------------------------


@dataclass(frozen=True)
class MilestoneData:
    due_on: datetime.date
    text: str
    reached: bool = False


@dataclass(frozen=True)
class ResourceData:
    funding_source: FundingSource
    planned: Decimal
    spent: Decimal = Decimal(0)


def _milestones_wanted(milestones: Iterable[MilestoneData]) -> list[tuple[Any, str, bool]]:
    return sorted(
        ((m.due_on, m.text.strip(), bool(m.reached)) for m in milestones if m.text.strip()),
        key=lambda item: (item[0], item[1]),
    )


def _milestones_current(cpo: CountryProgrammeOutcome) -> list[tuple[Any, str, bool]]:
    return sorted(
        ((m.due_on, m.text, m.reached) for m in cpo.milestones.all()),
        key=lambda item: (item[0], item[1]),
    )


def _resources_wanted(resources: Iterable[ResourceData]) -> dict[int, tuple[Decimal, Decimal]]:
    wanted: dict[int, tuple[Decimal, Decimal]] = {}
    for data in resources:
        if data.funding_source.pk in wanted:
            raise ValidationError(
                {
                    "resources": _("%(source)s appears twice in the resources.")
                    % {"source": data.funding_source}
                }
            )
        wanted[data.funding_source.pk] = (Decimal(data.planned), Decimal(data.spent))
    return wanted


def _resources_current(cpo: CountryProgrammeOutcome) -> dict[int, tuple[Decimal, Decimal]]:
    return {r.funding_source_id: (r.planned, r.spent) for r in cpo.resources.all()}


def _write_milestones(cpo: CountryProgrammeOutcome, wanted: list[tuple[Any, str, bool]]) -> None:
    cpo.milestones.all().delete()
    for due_on, text, reached in wanted:
        milestone = Milestone(cpo=cpo, due_on=due_on, text=text, reached=reached)
        validate(milestone)
        milestone.save()


def _write_resources(
    cpo: CountryProgrammeOutcome, wanted: dict[int, tuple[Decimal, Decimal]]
) -> None:
    lines = {r.funding_source_id: r for r in cpo.resources.all()}
    for source_id, (planned, spent) in wanted.items():
        line = lines.pop(source_id, None) or CpoResource(cpo=cpo, funding_source_id=source_id)
        if line.pk is None or (line.planned, line.spent) != (planned, spent):
            line.planned, line.spent = planned, spent
            validate(line)
            line.save()
    for line in lines.values():
        line.delete()


@transaction.atomic
def cpo_create(
    *,
    user: User,
    programme: DecentWorkCountryProgramme,
    priority: CountryProgrammePriority,
    biennium: Biennium,
    outcome: Outcome,
    code: str,
    title: str,
    gender_statement: str,
    indicator: Indicator | None = None,
    description: str = "",
    prioritized: bool = False,
    targeted: bool = False,
    result_status: str = ResultStatus.PLANNED,
    milestones: Iterable[MilestoneData] = (),
    resources: Iterable[ResourceData] = (),
) -> CountryProgrammeOutcome:
    require(user, "cpo.change", programme)
    cpo = CountryProgrammeOutcome(
        programme=programme,
        priority=priority,
        biennium=biennium,
        outcome=outcome,
        indicator=indicator,
        code=code.strip().upper(),
        title=title,
        description=description,
        gender_statement=gender_statement,
        prioritized=prioritized,
        targeted=targeted,
        result_status=result_status,
    )
    validate(cpo)
    cpo.save()
    _write_milestones(cpo, _milestones_wanted(milestones))
    _write_resources(cpo, _resources_wanted(resources))
    return cpo


@transaction.atomic
def cpo_update(
    *,
    user: User,
    cpo: CountryProgrammeOutcome,
    version: int | None,
    milestones: Iterable[MilestoneData] | None = None,
    resources: Iterable[ResourceData] | None = None,
    **fields: Any,
) -> tuple[CountryProgrammeOutcome, bool]:
    """Update a CPO; returns it and whether anything changed.

    ``milestones`` and ``resources``, when given, replace the CPO's lists. An edit based on a
    stale version is refused (ConflictError) unless it asks for what is already stored, so
    that sending the same change twice changes nothing and is not an error.
    """
    require(user, "cpo.change", cpo)
    # The related rows that the comparison and clean() read come with the locked row.
    cpo = (
        CountryProgrammeOutcome.objects.select_for_update(of=("self",))
        .select_related(
            "programme__country", "biennium", "priority", "outcome__objective__plan", "indicator"
        )
        .get(pk=cpo.pk)
    )
    unknown = set(fields) - set(CPO_FIELDS)
    if unknown:
        raise ValueError(f"Not editable here: {sorted(unknown)}")
    if "code" in fields:
        fields["code"] = fields["code"].strip().upper()
    changed_fields = [name for name, value in fields.items() if getattr(cpo, name) != value]
    new_milestones = _milestones_wanted(milestones) if milestones is not None else None
    new_resources = _resources_wanted(resources) if resources is not None else None
    milestones_changed = new_milestones is not None and new_milestones != _milestones_current(cpo)
    resources_changed = new_resources is not None and new_resources != _resources_current(cpo)
    if not (changed_fields or milestones_changed or resources_changed):
        return cpo, False
    check_version(cpo, version)
    for name in changed_fields:
        setattr(cpo, name, fields[name])
    validate(cpo)
    if milestones_changed and new_milestones is not None:
        _write_milestones(cpo, new_milestones)
    if resources_changed and new_resources is not None:
        _write_resources(cpo, new_resources)
    save_versioned(cpo, update_fields=changed_fields)
    return cpo, True


# Progress reports and their review -------------------------------------------------------


def reporting_periods_ensure(biennium: Biennium) -> list[ReportingPeriod]:
    """The default periods of a biennium (each half of each year), created when missing."""
    periods = list(ReportingPeriod.objects.filter(biennium=biennium))
    if periods:
        return periods
    for year in (biennium.start_year, biennium.end_year):
        for half, (start, end) in enumerate(
            (
                (datetime.date(year, 1, 1), datetime.date(year, 6, 30)),
                (datetime.date(year, 7, 1), datetime.date(year, 12, 31)),
            ),
            start=1,
        ):
            period = ReportingPeriod(
                biennium=biennium,
                code=f"{year}-H{half}",
                name=_("%(year)s, %(half)s half")
                % {
                    "year": year,
                    "half": _("first") if half == 1 else _("second"),
                },
                starts_on=start,
                ends_on=end,
            )
            validate(period)
            period.save()
            periods.append(period)
    return periods


@transaction.atomic
def progress_report_create(
    *,
    user: User,
    cpo: CountryProgrammeOutcome,
    period: ReportingPeriod,
    status: str,
    narrative: str,
    result_claimed: bool = False,
    evidence_text: str = "",
    evidence_url: str = "",
    evidence_file: UploadedFile[bytes] | None = None,
    women_reached: int | None = None,
    men_reached: int | None = None,
) -> ProgressReport:
    require(user, "progress.edit", cpo)
    report = ProgressReport(
        cpo=cpo,
        period=period,
        status=status,
        narrative=narrative,
        result_claimed=result_claimed,
        evidence_text=evidence_text,
        evidence_url=evidence_url,
        women_reached=women_reached,
        men_reached=men_reached,
    )
    if evidence_file is not None:
        report.evidence_file = evidence_file
    validate(report)
    report.save()
    return report


EDITABLE_STATES = {ReviewState.DRAFT, ReviewState.RETURNED}


@transaction.atomic
def progress_report_update(
    *,
    user: User,
    report: ProgressReport,
    version: int | None,
    evidence_file: UploadedFile[bytes] | None = None,
    **fields: Any,
) -> ProgressReport:
    require(user, "progress.edit", report)
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    check_version(report, version)
    if report.review_state not in EDITABLE_STATES:
        raise ApplicationError(
            _("A %(state)s report cannot be edited.")
            % {"state": report.get_review_state_display().lower()}
        )
    unknown = set(fields) - set(REPORT_FIELDS)
    if unknown:
        raise ValueError(f"Not editable here: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(report, name, value)
    changed = [*fields]
    if evidence_file is not None:
        report.evidence_file = evidence_file
        changed.append("evidence_file")
    validate(report)
    save_versioned(report, update_fields=changed)
    return report


def _review(report: ProgressReport, action: str, user: User, comment: str = "") -> None:
    ProgressReview.objects.create(report=report, action=action, actor=user, comment=comment)


@transaction.atomic
def progress_report_submit(
    *, user: User, report: ProgressReport, version: int | None
) -> ProgressReport:
    require(user, "progress.edit", report)
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    check_version(report, version)
    if report.review_state not in EDITABLE_STATES:
        raise ApplicationError(
            _("Only a draft or returned report can be submitted; this one is %(state)s.")
            % {"state": report.get_review_state_display().lower()}
        )
    validate(report)
    report.review_state = ReviewState.SUBMITTED
    report.submitted_by = user
    report.submitted_at = timezone.now()
    save_versioned(report, update_fields=["review_state", "submitted_by", "submitted_at"])
    _review(report, ReviewAction.SUBMITTED, user)
    return report


@transaction.atomic
def progress_report_validate(
    *, user: User, report: ProgressReport, version: int | None
) -> ProgressReport:
    require(user, "progress.review", report)
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    check_version(report, version)
    if report.review_state != ReviewState.SUBMITTED:
        raise ApplicationError(
            _("Only a submitted report can be validated; this one is %(state)s.")
            % {"state": report.get_review_state_display().lower()}
        )
    report.review_state = ReviewState.VALIDATED
    report.validated_by = user
    report.validated_at = timezone.now()
    report.return_comment = ""
    save_versioned(
        report, update_fields=["review_state", "validated_by", "validated_at", "return_comment"]
    )
    _review(report, ReviewAction.VALIDATED, user)
    return report


@transaction.atomic
def progress_report_return(
    *, user: User, report: ProgressReport, version: int | None, comment: str
) -> ProgressReport:
    require(user, "progress.review", report)
    if not comment.strip():
        raise ValidationError({"comment": _("Say what to revise: a comment is required.")})
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    check_version(report, version)
    if report.review_state != ReviewState.SUBMITTED:
        raise ApplicationError(
            _("Only a submitted report can be returned; this one is %(state)s.")
            % {"state": report.get_review_state_display().lower()}
        )
    report.review_state = ReviewState.RETURNED
    report.return_comment = comment.strip()
    save_versioned(report, update_fields=["review_state", "return_comment"])
    _review(report, ReviewAction.RETURNED, user, comment.strip())
    return report


@dataclass(frozen=True)
class BulkFailure:
    report_id: int
    message: str


@transaction.atomic
def progress_reports_review_bulk(
    *,
    user: User,
    decisions: Sequence[tuple[ProgressReport, int | None]],
    action: str,
    comment: str = "",
) -> list[ProgressReport]:
    """Validate or return several reports at once, all or nothing.

    If any report cannot take the step, none does, and the ApplicationError lists each
    failure (``extra["failures"]``).
    """
    if action not in {"validate", "return"}:
        raise ValueError(action)
    done = []
    failures: list[BulkFailure] = []
    for report, version in decisions:
        try:
            with transaction.atomic():
                if action == "validate":
                    done.append(progress_report_validate(user=user, report=report, version=version))
                else:
                    done.append(
                        progress_report_return(
                            user=user, report=report, version=version, comment=comment
                        )
                    )
        except (ApplicationError, ValidationError, PermissionDenied) as error:
            message = getattr(error, "message", None) or "; ".join(
                getattr(error, "messages", [str(error)])
            )
            failures.append(BulkFailure(report.pk, str(message)))
    if failures:
        message = (
            _("Nothing was changed: %(count)s of the reports cannot be validated.")
            if action == "validate"
            else _("Nothing was changed: %(count)s of the reports cannot be returned.")
        )
        raise ApplicationError(
            message % {"count": len(failures)},
            extra={"failures": [f.__dict__ for f in failures]},
        )
    return done

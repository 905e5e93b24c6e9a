"""Writes to country programme outcomes, with their milestones and resources."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dwcp.models import (
    CountryProgrammeOutcome,
    CountryProgrammePriority,
    CpoResource,
    DecentWorkCountryProgramme,
    Milestone,
    ResultStatus,
)
from rbm.conflicts import unique_conflict
from rbm.models import Biennium, FundingSource, User
from rbm.permissions import require
from rbm.services import check_version, save_versioned, validate
from strategic_plans.models import Indicator, Outcome

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


# Country programme outcomes -------------------------------------------------------------


def normal_cpo_code(code: str) -> str:
    """A CPO code as it is stored: without surrounding blanks, in capitals ("idn126 " is
    IDN126). Every door (page, API, spreadsheet) hands the code as typed to the services,
    which store it in this form; the model then checks its format."""
    return code.strip().upper()


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
        code=normal_cpo_code(code),
        title=title,
        description=description,
        gender_statement=gender_statement,
        prioritized=prioritized,
        targeted=targeted,
        result_status=result_status,
    )
    validate(cpo)
    with unique_conflict(cpo):
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
        fields["code"] = normal_cpo_code(fields["code"])
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

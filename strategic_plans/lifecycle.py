"""The lifecycle of a biennium's programme and budget (ADR 0022): draft -> proposed ->
adopted; opening the next biennium from one; and, once adopted, changes recorded as
revisions while the adopted texts stay what the biennium's reports print.

The framework's records (objectives, outcomes, indicators) belong to the strategic plan and
are shared by its bienniums; what a biennium adopts is kept on its programme and budget
(``adopted_framework``: each record's texts in the three languages), so that drafting the
next biennium on the same records leaves an adopted one as it was adopted."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from rbm.conflicts import unique_conflict
from rbm.errors import ConflictError
from rbm.models import Biennium, User
from rbm.permissions import require
from rbm.services import validate
from rbm.workflow import transition
from strategic_plans import texts
from strategic_plans.models import (
    FrameworkRevision,
    Indicator,
    Outcome,
    OutcomeResource,
    OutcomeStrategy,
    ProgrammeAndBudget,
    ProgrammeStatus,
    RegionalTarget,
    StrategicObjective,
    Target,
)

FROZEN_MODELS: tuple[type[models.Model], ...] = (StrategicObjective, Outcome, Indicator)


def record_key(record: models.Model) -> str:
    """``outcome:12``: a record's key in ``adopted_framework``."""
    return f"{record._meta.model_name}:{record.pk}"


def record_label(record: models.Model) -> str:
    code = getattr(record, "code", None) or getattr(record, "number", "")
    return f"{record._meta.verbose_name} {code}"


def frozen_texts(record: models.Model) -> dict[str, str]:
    """Every language column of every translated field of ``record``."""
    return {
        texts.column(field, language): getattr(record, texts.column(field, language)) or ""
        for field in texts.translated_fields(type(record))
        for language in texts.LANGUAGES
    }


def framework_of(programme: ProgrammeAndBudget) -> dict[str, dict[str, str]]:
    """The texts of the programme's framework as they stand: objectives, outcomes and
    indicators of its plan. Three queries."""
    plan_id = programme.plan_id
    records: list[models.Model] = [
        *StrategicObjective.objects.filter(plan_id=plan_id),
        *Outcome.objects.filter(objective__plan_id=plan_id),
        *Indicator.objects.filter(outcome__objective__plan_id=plan_id),
    ]
    return {record_key(r): frozen_texts(r) for r in records}


def adopted_programme(biennium_id: int) -> ProgrammeAndBudget | None:
    return ProgrammeAndBudget.objects.filter(
        biennium_id=biennium_id, status=ProgrammeStatus.ADOPTED
    ).first()


def apply_adopted(programme: ProgrammeAndBudget | None, records: Iterable[models.Model]) -> None:
    """Put the adopted texts on ``records`` (read for a report of the programme's
    biennium), in memory: what the biennium adopted, not what later drafts say."""
    if programme is None or not programme.adopted_framework:
        return
    for record in records:
        for name, value in programme.adopted_framework.get(record_key(record), {}).items():
            setattr(record, name, value or None)


def revisions_need_reason(programme: ProgrammeAndBudget | None, reason: str) -> None:
    """An adopted programme's framework changes only with a reason (400 otherwise)."""
    if programme is not None and programme.status == ProgrammeStatus.ADOPTED and not reason:
        raise ValidationError(
            {
                "reason": _(
                    "The programme and budget %(biennium)s is adopted: say why this change "
                    "is made, it is recorded as a revision."
                )
                % {"biennium": programme.biennium}
            }
        )


def revisions_record(
    *,
    programme: ProgrammeAndBudget | None,
    user: User,
    reason: str,
    record: models.Model,
    changes: Iterable[tuple[str, Any, Any]],
) -> list[FrameworkRevision]:
    """Record ``changes`` (field, old, new) to ``record`` as revisions of an adopted
    programme, and keep its adopted texts up to date with them. Nothing for a draft."""
    if programme is None or programme.status != ProgrammeStatus.ADOPTED:
        return []
    label = record_label(record)
    revisions = [
        FrameworkRevision(
            programme=programme,
            record=label,
            field=field,
            old="" if old is None else str(old),
            new="" if new is None else str(new),
            reason=reason,
            user=user,
        )
        for field, old, new in changes
        if (old or "") != (new or "")
    ]
    FrameworkRevision.objects.bulk_create(revisions)
    if isinstance(record, FROZEN_MODELS) and revisions:
        locked = ProgrammeAndBudget.objects.select_for_update().get(pk=programme.pk)
        locked.adopted_framework[record_key(record)] = frozen_texts(record)
        locked.save(update_fields=["adopted_framework", "updated_at"])
        programme.adopted_framework = locked.adopted_framework
    return revisions


@transaction.atomic
def programme_open_next(*, user: User, programme: ProgrammeAndBudget) -> ProgrammeAndBudget:
    """Open the biennium after ``programme``'s as a draft under the same plan, with the
    framework to edit: its targets (by region), outcome budgets and strategy texts copied
    from ``programme``'s biennium. The plan must cover the next biennium (else create the
    next plan); opening a biennium twice is a 409."""
    require(user, "framework.manage")
    plan = programme.plan
    start = programme.biennium.start_year + 2
    biennium = Biennium.objects.filter(start_year=start).first()
    if biennium is None:
        # A biennium is reference data; a programme officer opening one needs it to exist.
        biennium = Biennium(start_year=start, end_year=start + 1)
        validate(biennium)
        biennium.save()
    existing = ProgrammeAndBudget.objects.filter(biennium=biennium).first()
    if existing is not None:
        raise ConflictError(
            _("The programme and budget %(biennium)s is already open.")
            % {"biennium": biennium.code},
            extra={"id": existing.pk, "version": existing.version},
        )
    draft = ProgrammeAndBudget(plan=plan, biennium=biennium, status=ProgrammeStatus.DRAFT)
    for language in texts.LANGUAGES:
        with translation.override(language):
            title = _("Programme and Budget for %(biennium)s") % {"biennium": biennium.code}
        setattr(draft, texts.column("title", language), title)
    validate(draft)
    with unique_conflict(draft):
        draft.save()
    previous = programme.biennium
    targets = Target.objects.filter(
        biennium=previous, indicator__outcome__objective__plan=plan
    ).prefetch_related("by_region")
    for target in targets:
        copy = Target.objects.create(
            indicator_id=target.indicator_id,
            biennium=biennium,
            total=target.total,
            note=target.note,
        )
        RegionalTarget.objects.bulk_create(
            RegionalTarget(target=copy, region_id=r.region_id, value=r.value)
            for r in target.by_region.all()
        )
    OutcomeResource.objects.bulk_create(
        OutcomeResource(
            outcome_id=r.outcome_id,
            biennium=biennium,
            funding_source_id=r.funding_source_id,
            amount=r.amount,
        )
        for r in OutcomeResource.objects.filter(biennium=previous, outcome__objective__plan=plan)
    )
    OutcomeStrategy.objects.bulk_create(
        OutcomeStrategy(
            outcome_id=s.outcome_id, biennium=biennium, element_id=s.element_id, text=s.text
        )
        for s in OutcomeStrategy.objects.filter(biennium=previous, outcome__objective__plan=plan)
    )
    return draft


@transaction.atomic
def programme_propose(
    *, user: User, programme: ProgrammeAndBudget, version: int | None
) -> ProgrammeAndBudget:
    return transition(
        programme,
        user=user,
        action="programme.propose",
        target=ProgrammeStatus.PROPOSED,
        version=version,
    )


@transaction.atomic
def programme_adopt(
    *, user: User, programme: ProgrammeAndBudget, version: int | None
) -> ProgrammeAndBudget:
    """Adopt a proposed programme and budget: its framework's texts are kept as adopted."""
    return transition(
        programme,
        user=user,
        action="programme.adopt",
        target=ProgrammeStatus.ADOPTED,
        version=version,
        changes={
            "adopted_at": timezone.now(),
            "adopted_by": user,
            "adopted_framework": framework_of(programme),
        },
    )

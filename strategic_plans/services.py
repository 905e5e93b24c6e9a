"""Every write to the results framework, each validated and in one transaction, by a user
the permission table allows (``framework.manage``; an outcome's strategy also its
coordinators, ``framework.strategy``)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from rbm.conflicts import unique_conflict
from rbm.models import Biennium, FundingSource, Region, User
from rbm.permissions import require
from rbm.services import biennium_get_or_create, validate
from strategic_plans import lifecycle
from strategic_plans import texts as framework_texts
from strategic_plans.models import (
    Indicator,
    Outcome,
    OutcomeResource,
    OutcomeStrategy,
    ProgrammeAndBudget,
    RegionalTarget,
    StrategicObjective,
    StrategicPlan,
    StrategyElement,
    Target,
)

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class TargetWarning:
    """Regional targets that do not add up to the stated total: shown, never "fixed"."""

    target_id: int
    indicator_code: str
    biennium: str
    total: int
    regional_sum: int

    @property
    def message(self) -> str:
        return _(
            "Indicator %(code)s, %(biennium)s: the regional targets add up to %(sum)s but the "
            "stated total is %(total)s."
        ) % {
            "code": self.indicator_code,
            "biennium": self.biennium,
            "sum": self.regional_sum,
            "total": self.total,
        }


def _save(instance: Any) -> Any:
    validate(instance)
    with unique_conflict(instance):
        instance.save()
    return instance


def _english(model: type[models.Model], **values: Any) -> Any:
    """A new record whose texts given by their field's name (``title=``) are its English
    ones, whatever the language of the request that creates it (ADR 0016)."""
    with translation.override(framework_texts.DEFAULT_LANGUAGE):
        return model(**values)


def _set_texts(record: models.Model, texts: Mapping[str, str] | None) -> list[str]:
    """Write ``{"title_fr": ..., "statement_es": ...}`` on the record's language columns.

    Returns the columns whose text changed. A column the model does not have is refused,
    and so is an empty English text where the field needs one.
    """
    fields = framework_texts.translated_fields(type(record))
    allowed = {
        framework_texts.column(f, lang): f for f in fields for lang in framework_texts.LANGUAGES
    }
    unknown = sorted(set(texts or {}) - set(allowed))
    if unknown:
        raise ValidationError(
            _("These texts cannot be translated here: %(names)s.") % {"names": ", ".join(unknown)}
        )
    changed = []
    for name, value in (texts or {}).items():
        value = (value or "").strip()
        if (getattr(record, name) or "") != value:
            setattr(record, name, value or None)
            changed.append(name)
    errors = {}
    for field in fields:
        english = framework_texts.column(field, framework_texts.DEFAULT_LANGUAGE)
        if not getattr(record._meta.get_field(field), "blank", True) and not getattr(
            record, english
        ):
            errors[english] = _("The English text is required; the other languages may wait.")
    if errors:
        raise ValidationError(errors)
    return changed


@transaction.atomic
def framework_texts_update(
    *,
    user: User,
    record: models.Model,
    texts: Mapping[str, str],
    programme: ProgrammeAndBudget | None = None,
    reason: str = "",
) -> list[str]:
    """Change a framework record's texts in any of the three languages, for ``programme``
    (the biennium being edited). Returns the columns that changed (none: nothing saved).

    For an adopted programme the change needs a reason and is recorded as a revision (old
    and new text); its adopted texts follow it."""
    require(user, "framework.manage")
    before = lifecycle.frozen_texts(record)
    try:
        changed = _set_texts(record, texts)
        if changed:
            lifecycle.revisions_need_reason(programme, reason)
            _save(record)
    except ValidationError:
        record.refresh_from_db()  # the caller's record as stored, not half-changed
        raise
    lifecycle.revisions_record(
        programme=programme,
        user=user,
        reason=reason,
        record=record,
        changes=[(name, before.get(name), getattr(record, name)) for name in changed],
    )
    return changed


@transaction.atomic
def translations_load(filename: str, *, user: User) -> int:
    """Write the French and Spanish titles of a framework's objectives and outcomes from a
    data file, where they are missing (a title someone wrote is kept). Returns how many
    records gained a text. Idempotent."""
    require(user, "framework.manage")
    data = json.loads((DATA_DIR / filename).read_text(encoding="utf-8"))
    plan = StrategicPlan.objects.get(short_name=data["plan"])
    records: list[tuple[models.Model, dict[str, str]]] = []
    objectives = {o.number: o for o in plan.objectives.all()}
    for number, texts in data.get("objectives", {}).items():
        records.append((objectives[int(number)], texts))
    outcomes = {o.code: o for o in Outcome.objects.filter(objective__plan=plan)}
    for code, texts in data.get("outcomes", {}).items():
        records.append((outcomes[code], texts))
    count = 0
    for record, texts in records:
        missing = {name: text for name, text in texts.items() if not getattr(record, name)}
        if missing and _set_texts(record, missing):
            _save(record)
            count += 1
    return count


@transaction.atomic
def plan_create(
    *,
    user: User,
    title: str,
    short_name: str,
    start_year: int,
    end_year: int,
    description: str = "",
) -> StrategicPlan:
    require(user, "framework.manage")
    return _save(
        _english(
            StrategicPlan,
            title=title,
            short_name=short_name,
            start_year=start_year,
            end_year=end_year,
            description=description,
        )
    )


@transaction.atomic
def programme_create(
    *, user: User, plan: StrategicPlan, biennium: Biennium, title: str
) -> ProgrammeAndBudget:
    require(user, "framework.manage")
    return _save(_english(ProgrammeAndBudget, plan=plan, biennium=biennium, title=title))


@transaction.atomic
def objective_create(
    *,
    user: User,
    plan: StrategicPlan,
    number: int,
    title: str,
    description: str = "",
    is_cross_cutting: bool = False,
) -> StrategicObjective:
    require(user, "framework.manage")
    return _save(
        _english(
            StrategicObjective,
            plan=plan,
            number=number,
            title=title,
            description=description,
            is_cross_cutting=is_cross_cutting,
        )
    )


@transaction.atomic
def outcome_create(
    *,
    user: User,
    objective: StrategicObjective,
    code: str,
    title: str,
    statement: str = "",
    position: int = 0,
    texts: Mapping[str, str] | None = None,
) -> Outcome:
    require(user, "framework.manage")
    outcome = _english(
        Outcome, objective=objective, code=code, title=title, statement=statement, position=position
    )
    _set_texts(outcome, texts)
    return _save(outcome)


@transaction.atomic
def indicator_create(
    *,
    user: User,
    outcome: Outcome,
    code: str,
    text: str,
    unit: str = "member States",
    measurement_criteria: str = "",
    baseline: str = "",
    position: int = 0,
    texts: Mapping[str, str] | None = None,
) -> Indicator:
    require(user, "framework.manage")
    indicator = _english(
        Indicator,
        outcome=outcome,
        code=code,
        text=text,
        unit=unit,
        measurement_criteria=measurement_criteria,
        baseline=baseline,
        position=position,
    )
    _set_texts(indicator, texts)
    return _save(indicator)


@transaction.atomic
def target_set(
    *,
    user: User,
    indicator: Indicator,
    biennium: Biennium,
    total: int,
    by_region: Mapping[Region, int] | None = None,
    note: str = "",
    reason: str = "",
) -> tuple[Target, TargetWarning | None]:
    """Set an indicator's target for a biennium, in total and by region.

    Values must be whole numbers >= 0. Regional values that do not add up to the total are
    kept as given (the seeds' own tables disagree) only with a note that says why; a warning
    still flags them. In an adopted programme and budget, the change needs a ``reason`` and
    is recorded as a revision.
    """
    require(user, "framework.manage")
    programme = ProgrammeAndBudget.objects.filter(biennium=biennium).first()
    target = (
        Target.objects.filter(indicator=indicator, biennium=biennium)
        .prefetch_related("by_region__region")
        .first()
    )
    old_values: dict[str, Any] = {}
    if target is None:
        target = Target(indicator=indicator, biennium=biennium)
    else:
        old_values = {_("total"): target.total, _("note"): target.note}
        old_values.update({str(r.region): r.value for r in target.by_region.all()})
    errors: dict[str, Any] = {}
    regional_sum = sum((by_region or {}).values())
    if by_region and regional_sum != total and not note.strip():
        errors["note"] = _(
            "The regional targets add up to %(sum)s but the total is %(total)s: correct them, "
            "or say in the note why they differ."
        ) % {"sum": regional_sum, "total": total}
    new_values: dict[str, Any] = {_("total"): total, _("note"): note}
    new_values.update({str(region): value for region, value in (by_region or {}).items()})
    if (
        target.pk is not None
        and programme is not None
        and old_values
        != {
            **old_values,
            **new_values,
        }
    ):
        try:
            lifecycle.revisions_need_reason(programme, reason)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    target.total = total
    target.note = note
    _save(target)
    for region, value in (by_region or {}).items():
        regional = RegionalTarget.objects.filter(target=target, region=region).first()
        if regional is None:
            regional = RegionalTarget(target=target, region=region)
        if regional.pk is None or regional.value != value:
            regional.value = value
            _save(regional)
    if old_values:
        lifecycle.revisions_record(
            programme=programme,
            user=user,
            reason=reason,
            record=indicator,
            changes=[
                (f"{_('target')} {biennium} – {name}", old_values.get(name), value)
                for name, value in new_values.items()
            ],
        )
    return target, target_warning(target)


def target_warning(target: Target) -> TargetWarning | None:
    values = [r.value for r in target.by_region.all()]
    if values and sum(values) != target.total:
        return TargetWarning(
            target_id=target.pk,
            indicator_code=target.indicator.code,
            biennium=str(target.biennium),
            total=target.total,
            regional_sum=sum(values),
        )
    return None


@transaction.atomic
def outcome_resource_set(
    *,
    user: User,
    outcome: Outcome,
    biennium: Biennium,
    funding_source: FundingSource,
    amount: Decimal,
) -> OutcomeResource:
    require(user, "framework.manage")
    resource = OutcomeResource.objects.filter(
        outcome=outcome, biennium=biennium, funding_source=funding_source
    ).first()
    if resource is None:
        resource = OutcomeResource(
            outcome=outcome, biennium=biennium, funding_source=funding_source
        )
    resource.amount = amount
    return _save(resource)


@transaction.atomic
def outcome_strategy_set(
    *, user: User, outcome: Outcome, biennium: Biennium, element: StrategyElement, text: str
) -> OutcomeStrategy:
    require(user, "framework.strategy", outcome)
    strategy = OutcomeStrategy.objects.filter(
        outcome=outcome, biennium=biennium, element=element
    ).first()
    if strategy is None:
        strategy = OutcomeStrategy(outcome=outcome, biennium=biennium, element=element)
    if strategy.pk is None or strategy.text != text:
        strategy.text = text
        _save(strategy)
    return strategy


@transaction.atomic
def strategy_elements_load(*, user: User) -> int:
    """Create the standard strategy elements of the seed document. Idempotent."""
    require(user, "framework.manage")
    data = json.loads((DATA_DIR / "strategy_elements.json").read_text(encoding="utf-8"))
    for position, element in enumerate(data["elements"]):
        StrategyElement.objects.get_or_create(
            code=element["code"],
            defaults={
                "title": element["title"],
                "description": element["description"],
                "position": position,
            },
        )
    return StrategyElement.objects.count()


def _get_or_create(model: Any, lookup: dict[str, Any], values: dict[str, Any]) -> Any:
    """Find by ``lookup``; create with ``values`` when missing. Never rewrites a found row."""
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        instance = _save(_english(model, **lookup, **values))
    return instance


@transaction.atomic
def framework_load(filename: str, *, user: User) -> StrategicPlan:
    """Load a framework file of ``strategic_plans/data``. Running it again changes nothing."""
    require(user, "framework.manage")
    data = json.loads((DATA_DIR / filename).read_text(encoding="utf-8"))
    plan_data = data["plan"]
    plan = _get_or_create(
        StrategicPlan,
        {"short_name": plan_data["short_name"]},
        {k: plan_data[k] for k in ("title", "start_year", "end_year", "description")},
    )
    for code in data["bienniums"]:
        biennium_get_or_create(user=user, code=code)
    if "programme" in data:
        biennium = biennium_get_or_create(user=user, code=data["programme"]["biennium"])
        _get_or_create(
            ProgrammeAndBudget,
            {"biennium": biennium},
            {"plan": plan, "title": data["programme"]["title"]},
        )
    objectives = {}
    for objective_data in data["objectives"]:
        objectives[objective_data["number"]] = _get_or_create(
            StrategicObjective,
            {"plan": plan, "number": objective_data["number"]},
            {
                "title": objective_data["title"],
                "is_cross_cutting": objective_data.get("cross_cutting", False),
            },
        )
        for position, outcome_data in enumerate(objective_data.get("outcomes", [])):
            _outcome_load(objectives[objective_data["number"]], outcome_data, position)
    for position, outcome_data in enumerate(data.get("outcomes", [])):
        _outcome_load(objectives[outcome_data["objective"]], outcome_data, position)
    return plan


def _outcome_load(objective: StrategicObjective, data: dict[str, Any], position: int) -> Outcome:
    outcome = _get_or_create(
        Outcome,
        {"objective": objective, "code": data["code"]},
        {"title": data["title"], "statement": data.get("statement", ""), "position": position},
    )
    for indicator_position, indicator_data in enumerate(data.get("indicators", [])):
        _get_or_create(
            Indicator,
            {"outcome": outcome, "code": indicator_data["code"]},
            {
                "text": indicator_data["text"],
                "unit": indicator_data.get("unit", "member States"),
                "measurement_criteria": indicator_data.get("measurement_criteria", ""),
                "baseline": indicator_data.get("baseline", ""),
                "position": indicator_position,
            },
        )
    return outcome


@transaction.atomic
def strategies_load(filename: str, *, user: User) -> int:
    """Load the example strategy texts of a framework file. Idempotent."""
    require(user, "framework.manage")
    data = json.loads((DATA_DIR / filename).read_text(encoding="utf-8"))
    plan = StrategicPlan.objects.get(short_name=data["plan"]["short_name"])
    elements = {e.code: e for e in StrategyElement.objects.all()}
    count = 0
    for item in data.get("strategies", []):
        outcome = Outcome.objects.get(objective__plan=plan, code=item["outcome"])
        start, _end = Biennium.parse_code(data["programme"]["biennium"])
        biennium = Biennium.objects.get(start_year=start)
        try:
            element = elements[item["element"]]
        except KeyError:
            raise ValidationError(
                _("Unknown strategy element %(code)s.") % {"code": item["element"]}
            ) from None
        existing = OutcomeStrategy.objects.filter(
            outcome=outcome, biennium=biennium, element=element
        ).first()
        if existing is None:
            outcome_strategy_set(
                user=user, outcome=outcome, biennium=biennium, element=element, text=item["text"]
            )
        count += 1
    return count

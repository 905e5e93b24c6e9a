"""``load_demo``: loads the seed documents, and running it twice leaves the same rows."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command

from rbm.models import Role, User
from strategic_plans.models import Indicator, Outcome, StrategicObjective, StrategicPlan

pytestmark = pytest.mark.django_db
SEEDS = Path(__file__).resolve().parent.parent / "docs" / "seeds"


def _normalise(text: str) -> str:
    return " ".join(text.split())


def _snapshot() -> dict[str, list[tuple]]:
    """Every row of every project model (history aside), without timestamps."""
    rows = {}
    for model in apps.get_models():
        if model._meta.app_label not in {
            "rbm",
            "strategic_plans",
            "dwcp",
            "workplans",
            "reporting",
        }:
            continue
        if model.__name__.startswith("Historical"):
            continue
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if f.attname not in {"created_at", "updated_at", "last_login"}
        ]
        rows[model._meta.label] = list(model.objects.order_by("pk").values_list(*fields))
    return rows


def test_load_demo_twice_leaves_the_same_rows(demo: None) -> None:
    # Given the demo as load_demo made it (restored from the session's run)
    before = _snapshot()
    # When it runs again
    out = StringIO()
    call_command("load_demo", stdout=out)
    # Then every row is as it was, and nobody's password changed
    assert _snapshot() == before
    assert "keep their passwords" in out.getvalue()


def test_a_first_load_prints_a_working_password_per_role(demo: str) -> None:
    printed = demo
    for role in Role.values:
        assert User.objects.filter(role=role).exists(), role
    for user in User.objects.filter(username__in=["field.jakarta", "admin", "rpo.asia"]):
        password = re.search(rf"{re.escape(user.username)}\s+(\S+)", printed)
        assert password, f"no password printed for {user.username}"
        assert user.check_password(password.group(1))
    # Accounts that only author demo records cannot log in until given a password
    assert not User.objects.get(username="field.co-manila").has_usable_password()


def test_reset_passwords_gives_working_new_ones(demo: None) -> None:
    out = StringIO()
    call_command("load_demo", "--reset-passwords", stdout=out)
    password = re.search(r"programme\.officer\s+(\S+)", out.getvalue())
    assert password
    assert User.objects.get(username="programme.officer").check_password(password.group(1))


def test_spf_2002_05_has_the_seed_framework_worded_as_there(demo: None) -> None:
    plan = StrategicPlan.objects.get(short_name="SPF 2002-05")
    seed = _normalise((SEEDS / "spf-2002-05.txt").read_text(encoding="utf-8"))
    objectives = StrategicObjective.objects.filter(plan=plan)
    outcomes = Outcome.objects.filter(objective__plan=plan)
    indicators = Indicator.objects.filter(outcome__objective__plan=plan)
    assert objectives.count() == 4
    assert sorted(outcomes.values_list("code", flat=True)) == [
        "1a", "1b", "1c", "2a", "2b", "2c", "3a", "3b", "4a", "4b",
    ]  # fmt: skip
    assert indicators.count() == 38  # "reduced from 46 to 38" in the seed
    for objective in objectives:
        assert f"Strategic Objective No. {objective.number}: {objective.title}" in seed
    for outcome in outcomes:
        assert outcome.title in seed
        assert outcome.statement in seed
    for indicator in indicators:
        assert indicator.text in seed, indicator.code


def test_spf_2010_15_has_the_19_outcomes_of_2012_13(demo: None) -> None:
    plan = StrategicPlan.objects.get(short_name="SPF 2010-15")
    seed = _normalise((SEEDS / "pb-2012-13-preview.txt").read_text(encoding="utf-8"))
    outcomes = Outcome.objects.filter(objective__plan=plan).order_by("position")
    assert [o.code for o in outcomes] == [str(n) for n in range(1, 20)]
    for outcome in outcomes:
        assert f"Outcome {int(outcome.code):02d} – {outcome.title}" in seed
    assert plan.programmes.get().biennium.code == "2012-13"
    child_labour = outcomes.get(code="16")
    assert child_labour.coordinators.filter(username="coordinator.child-labour").exists()
    forced_labour = outcomes.get(code="15")
    strategy = forced_labour.strategies.get(element__code="support-to-constituents")
    assert _normalise(strategy.text) in seed

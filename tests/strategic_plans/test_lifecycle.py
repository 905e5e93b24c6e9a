"""A biennium's programme and budget: draft -> proposed -> adopted, opening the next
biennium, revisions after adoption, the adopted texts in the reports (ADR 0022), and the
regional targets whose sum differs from the total only with a reason."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from rbm.errors import ConflictError
from rbm.models import Role
from rbm.permissions import StateRefused
from rbm.services import system_user
from strategic_plans.lifecycle import programme_adopt, programme_open_next, programme_propose
from strategic_plans.models import (
    FrameworkRevision,
    ProgrammeAndBudget,
    ProgrammeStatus,
    RegionalTarget,
    Target,
)
from strategic_plans.selectors import report_outcome_frameworks
from strategic_plans.services import framework_texts_update, target_set
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def adopted(user_for):
    """2012-13 adopted, with outcome 16's indicator targeted by region."""
    plan, outcomes = factories.framework_2012_13()
    indicator = outcomes[0].indicators.get()
    target_set(
        user=system_user(),
        indicator=indicator,
        biennium=factories.biennium("2012-13"),
        total=5,
        by_region={factories.region("africa"): 3, factories.region("asia-pacific"): 2},
    )
    programme = ProgrammeAndBudget.objects.get(plan=plan)
    officer = user_for(Role.PROGRAMME_OFFICER)
    programme = programme_propose(user=officer, programme=programme, version=programme.version)
    programme = programme_adopt(user=officer, programme=programme, version=programme.version)
    return programme, outcomes, indicator, officer


def test_opening_the_next_biennium_copies_the_framework_as_a_draft(adopted) -> None:
    programme, _outcomes, indicator, officer = adopted
    draft = programme_open_next(user=officer, programme=programme)
    assert draft.biennium.code == "2014-15"
    assert draft.status == ProgrammeStatus.DRAFT
    with translation.override("fr"):
        assert draft.title == "Programme et budget pour 2014-15"
    copied = Target.objects.get(indicator=indicator, biennium=draft.biennium)
    assert copied.total == 5
    assert sorted(
        RegionalTarget.objects.filter(target=copied).values_list("region__code", "value")
    ) == [("africa", 3), ("asia-pacific", 2)]
    # Opening it twice is a conflict, not a second draft
    with pytest.raises(ConflictError):
        programme_open_next(user=officer, programme=programme)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.PROGRAMME_OFFICER, True),
        (Role.ADMINISTRATOR, True),
        (Role.OUTCOME_COORDINATOR, False),
        (Role.FIELD_OFFICE_STAFF, False),
        (Role.GB_SECRETARIAT, False),
    ],
)
def test_who_may_propose_and_adopt(user_for, role, allowed) -> None:
    plan, _outcomes = factories.framework_2012_13()
    programme = ProgrammeAndBudget.objects.get(plan=plan)
    user = user_for(role)
    if not allowed:
        with pytest.raises(PermissionDenied):
            programme_propose(user=user, programme=programme, version=programme.version)
        return
    # A draft cannot be adopted before it is proposed (400), nor from a stale read (409)
    with pytest.raises(StateRefused):
        programme_adopt(user=user, programme=programme, version=programme.version)
    proposed = programme_propose(user=user, programme=programme, version=programme.version)
    with pytest.raises(ConflictError):
        programme_adopt(user=user, programme=proposed, version=programme.version)
    done = programme_adopt(user=user, programme=proposed, version=proposed.version)
    assert done.status == ProgrammeStatus.ADOPTED
    assert done.adopted_by == user


def test_after_adoption_a_change_is_a_revision_and_reports_print_the_adopted_text(
    adopted,
) -> None:
    programme, outcomes, _indicator, officer = adopted
    outcome = outcomes[0]
    # A change to the adopted programme needs a reason
    with pytest.raises(ValidationError) as refused:
        framework_texts_update(
            user=officer,
            record=outcome,
            texts={"title_fr": "Travail des enfants"},
            programme=programme,
        )
    assert "reason" in refused.value.message_dict
    framework_texts_update(
        user=officer,
        record=outcome,
        texts={"title_fr": "Travail des enfants"},
        programme=programme,
        reason="French version adopted by the Conference.",
    )
    revision = FrameworkRevision.objects.get(programme=programme)
    assert (revision.field, revision.old, revision.new, revision.user) == (
        "title_fr",
        "",
        "Travail des enfants",
        officer,
    )
    assert revision.reason == "French version adopted by the Conference."
    # A draft of 2014-15 edits the same outcome with no reason and no revision...
    draft = programme_open_next(user=officer, programme=programme)
    framework_texts_update(
        user=officer, record=outcome, texts={"title_en": "Child labour eliminated"}, programme=draft
    )
    assert FrameworkRevision.objects.filter(programme=draft).count() == 0
    # ...and the 2012-13 report still prints what 2012-13 adopted (and revised)
    biennium = programme.biennium
    frameworks = report_outcome_frameworks([outcome.pk], biennium)
    assert frameworks[outcome.pk].outcome.title_en == "Child labour"
    with translation.override("fr"):
        assert frameworks[outcome.pk].outcome.title == "Travail des enfants"
    latest = report_outcome_frameworks([outcome.pk], draft.biennium)
    assert latest[outcome.pk].outcome.title_en == "Child labour eliminated"


def test_regional_targets_of_an_adopted_biennium_change_with_a_reason(adopted) -> None:
    programme, _outcomes, indicator, officer = adopted
    africa, asia = factories.region("africa"), factories.region("asia-pacific")
    biennium = programme.biennium
    # A sum that differs from the total needs a note saying why; a change needs a reason
    with pytest.raises(ValidationError) as refused:
        target_set(
            user=officer,
            indicator=indicator,
            biennium=biennium,
            total=5,
            by_region={africa: 4, asia: 2},
        )
    assert set(refused.value.message_dict) == {"note", "reason"}
    target_set(
        user=officer,
        indicator=indicator,
        biennium=biennium,
        total=5,
        by_region={africa: 4, asia: 2},
        note="One more country in Africa, financed outside the regular budget.",
        reason="Mid-term review.",
    )
    fields = dict(FrameworkRevision.objects.filter(programme=programme).values_list("field", "new"))
    assert fields["target 2012-13 – Africa"] == "4"
    assert "target 2012-13 – Asia and the Pacific" not in fields


TESTED_ACTIONS = {"programme.propose", "programme.adopt"}
STEPS = {"programme.propose": ProgrammeStatus.DRAFT, "programme.adopt": ProgrammeStatus.PROPOSED}
MAY_STEP = {Role.PROGRAMME_OFFICER, Role.ADMINISTRATOR}


@pytest.mark.parametrize("action", sorted(TESTED_ACTIONS))
@pytest.mark.parametrize("role", sorted(Role.values))
@pytest.mark.parametrize("state", sorted(ProgrammeStatus.values))
def test_the_permission_table_row_by_row(user_for, action, role, state) -> None:
    from rbm.permissions import can

    programme = ProgrammeAndBudget(status=state)
    expected = role in MAY_STEP and state == STEPS[action]
    assert can(user_for(role), action, programme) is expected

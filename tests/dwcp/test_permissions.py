"""The dwcp rows of the permission table, role by role, scope by scope and state by state."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from dwcp.models import CpoImport, Phase, ReviewState
from rbm import permissions
from rbm.models import Role
from rbm.permissions import PUBLIC, can
from tests import factories

pytestmark = pytest.mark.django_db

FIELD_HERE = "field staff of the covering office"
FIELD_ELSEWHERE = "field staff of another office"
RPO_HERE = "regional officer of the region"
RPO_ELSEWHERE = "regional officer of another region"
COORD, PO, GB, ADMIN = (
    Role.OUTCOME_COORDINATOR,
    Role.PROGRAMME_OFFICER,
    Role.GB_SECRETARIAT,
    Role.ADMINISTRATOR,
)
WHO = [PUBLIC, FIELD_HERE, FIELD_ELSEWHERE, RPO_HERE, RPO_ELSEWHERE, COORD, PO, GB, ADMIN]


@pytest.fixture
def people(user_for):
    indonesia_office = factories.OfficeFactory(countries=[factories.country("IDN")])
    kenya_office = factories.OfficeFactory(
        countries=[factories.country("KEN")], region=factories.region("africa")
    )
    return {
        PUBLIC: AnonymousUser(),
        FIELD_HERE: user_for(Role.FIELD_OFFICE_STAFF, office=indonesia_office),
        FIELD_ELSEWHERE: user_for(Role.FIELD_OFFICE_STAFF, office=kenya_office),
        RPO_HERE: user_for(
            Role.REGIONAL_PROGRAMME_OFFICER, region=factories.region("asia-pacific")
        ),
        RPO_ELSEWHERE: user_for(Role.REGIONAL_PROGRAMME_OFFICER, region=factories.region("africa")),
        COORD: user_for(COORD),
        PO: user_for(PO),
        GB: user_for(GB),
        ADMIN: user_for(ADMIN),
    }


EVERYONE = set(WHO)
WRITERS = {FIELD_HERE, ADMIN}
REVIEWERS = {RPO_HERE, ADMIN}

# (action, object, published?, the object's state: a programme's phase, a report's review
# state) -> who may
ROWS = [
    ("dwcp.view", "programme", True, None, EVERYONE),
    ("dwcp.view", "programme", False, None, {FIELD_HERE, RPO_HERE, COORD, PO, GB, ADMIN}),
    ("dwcp.create", "country", False, None, WRITERS),
    ("dwcp.change", "programme", True, None, WRITERS),
    ("dwcp.advance", "programme", False, None, WRITERS),
    ("dwcp.publish", "programme", False, None, {FIELD_HERE, RPO_HERE, ADMIN}),
    ("dwcp.evaluate", "programme", True, Phase.COMPLETED, REVIEWERS),
    ("cpo.change", "cpo", True, None, WRITERS),
    ("progress.edit", "report", True, ReviewState.DRAFT, WRITERS),
    ("progress.submit", "report", True, ReviewState.DRAFT, WRITERS),
    ("progress.review", "report", True, ReviewState.SUBMITTED, REVIEWERS),
    ("progress.view", "report", True, ReviewState.DRAFT, {FIELD_HERE, ADMIN}),
    ("progress.view", "report", True, ReviewState.SUBMITTED,
     {FIELD_HERE, RPO_HERE, COORD, PO, GB, ADMIN}),
    ("progress.view", "report", True, ReviewState.RETURNED,
     {FIELD_HERE, RPO_HERE, COORD, PO, GB, ADMIN}),
    ("progress.view", "report", True, ReviewState.VALIDATED, EVERYONE),
    ("progress.view", "report", False, ReviewState.VALIDATED,
     {FIELD_HERE, RPO_HERE, COORD, PO, GB, ADMIN}),
    ("dwcp.list", None, True, None, EVERYONE),
    ("progress.queue", None, True, None, {RPO_HERE, RPO_ELSEWHERE, ADMIN}),
    ("progress.periods", None, True, None, {FIELD_HERE, FIELD_ELSEWHERE, ADMIN}),
    ("cpo.import", None, True, None, {FIELD_HERE, FIELD_ELSEWHERE, ADMIN}),
    ("cpo_import.view", "import", True, None, {FIELD_HERE, ADMIN}),
    ("cpo_import.list_all", None, True, None, {ADMIN}),
]  # fmt: skip


def _object(kind, published, state, people=None):
    programme = factories.DwcpFactory(country=factories.country("IDN"), published=published)
    if kind == "country":
        return factories.country("IDN")
    if kind == "import":
        return CpoImport(uploaded_by=people[FIELD_HERE], filename="cpos.xlsx", content=b"")
    if kind == "programme":
        if state is not None:
            programme.phase = state
        return programme
    cpo = factories.CpoFactory(programme=programme)
    if kind == "cpo":
        return cpo
    report = factories.ProgressReportFactory(cpo=cpo)
    report.review_state = state
    return report


@pytest.mark.parametrize(
    ("action", "kind", "published", "state", "allowed", "who"),
    [(*row, who) for row in ROWS for who in WHO],
    ids=lambda value: str(value) if not isinstance(value, set) else "",
)
def test_each_row_for_each_person(people, action, kind, published, state, allowed, who) -> None:
    obj = _object(kind, published, state, people) if kind else None
    assert can(people[who], action, obj) is (who in allowed)


def test_every_action_of_the_app_has_its_rows_here() -> None:
    mine = {
        a
        for a in permissions.actions()
        if a.split(".")[0] in {"dwcp", "cpo", "progress", "cpo_import"}
    }
    assert mine == {row[0] for row in ROWS} | set(STATES)


# The steps of the workflows: action -> who may, and the states (a programme's phase, a
# report's review state) it may be taken from; in any other state nobody may.
STEPS = {
    "dwcp.advance": (WRITERS, set(Phase.values) - {Phase.EVALUATED}),
    "dwcp.evaluate": (REVIEWERS, {Phase.COMPLETED}),
    "progress.edit": (WRITERS, {ReviewState.DRAFT, ReviewState.RETURNED}),
    "progress.submit": (WRITERS, {ReviewState.DRAFT, ReviewState.RETURNED}),
    "progress.review": (REVIEWERS, {ReviewState.SUBMITTED}),
}
STATES = set(STEPS)
TESTED_ACTIONS = {row[0] for row in ROWS} | set(STEPS)  # for tests/rbm's completeness test


def _states(action):
    return Phase.values if action.startswith("dwcp.") else ReviewState.values


@pytest.mark.parametrize(
    ("action", "state", "who"),
    [(action, state, who) for action in STEPS for state in _states(action) for who in WHO],
)
def test_who_may_take_each_step_in_each_state(people, action, state, who) -> None:
    kind = "programme" if action.startswith("dwcp.") else "report"
    obj = _object(kind, True, state, people)
    allowed, states = STEPS[action]
    assert can(people[who], action, obj) is (who in allowed and state in states)
    # Without the states, the table answers for the role and scope alone (what a page asks
    # before letting the service refuse a step out of order with its message).
    assert can(people[who], action, obj, states=False) is (who in allowed)


def test_the_selectors_filter_as_the_table_says(people) -> None:
    from dwcp.selectors import visible_programmes, visible_reports

    draft_programme = factories.DwcpFactory(published=False)
    cpo = factories.CpoFactory(programme=draft_programme)
    reports = {}
    for state, period in zip(
        ReviewState.values, ["2012-H1", "2012-H2", "2013-H1", "2013-H2"], strict=True
    ):
        report = factories.ProgressReportFactory(cpo=cpo, period=factories.period(period))
        validator = people[ADMIN] if state == ReviewState.VALIDATED else None
        type(report).objects.filter(pk=report.pk).update(
            review_state=state,
            validated_by=validator,
            validated_at=timezone.now() if validator else None,
        )
        reports[state] = report.pk
    for who, user in people.items():
        sees_programme = visible_programmes(user).filter(pk=draft_programme.pk).exists()
        assert sees_programme is can(user, "dwcp.view", draft_programme), who
        for report in type(cpo.progress_reports.first()).objects.filter(pk__in=reports.values()):
            seen = visible_reports(user).filter(pk=report.pk).exists()
            assert seen is can(user, "progress.view", report), (who, report.review_state)

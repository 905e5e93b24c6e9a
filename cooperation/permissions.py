"""Who may do what with donors and development cooperation projects.

- donor.view: everyone (donors' names are public with the projects they fund);
  donor.manage: administrators (reference data).
- project.view: signed-in staff read every project; the public reads approved projects
  (funded and later) that serve a CPO of a published DWCP. Appraisal notes are internal
  (appraisal.view: signed-in staff).
- project.create: field office staff (projects in the countries their office covers) and
  HQ technical units (global and interregional projects of their unit); administrators.
- project.manage (edit the project, its years, its donors' figures, its links to CPOs):
  field office staff whose office is responsible for it or covers all its countries; the
  HQ technical unit responsible for a global or interregional project or backstopping it;
  administrators. Not once it is financially closed or dropped.
- The lifecycle (``STEPS``): concept -> proposal -> appraised -> submitted to donor ->
  approved and funded -> ongoing -> operationally closed -> financially closed, or dropped
  before it is funded. Each step is an action whose rows name who takes it from which
  states: the project's managers take every step but the appraisal, which the regional
  programme officer of the project's region records (HQ programme officers for global and
  interregional projects). A proposal may be appraised again until it is submitted.
- cpo_link.service: an HQ technical unit records that it services a linked CPO of an
  outcome its unit services (``Outcome.technical_units``).

``selectors.visible_projects`` filters lists with the same rules.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from cooperation.models import HQ_GEOGRAPHIES, SECURED_STATES, Geography, ProjectStatus
from rbm.models import Role, User
from rbm.permissions import EVERYONE, SIGNED_IN, office_country_ids, register, rule

FIELD = {Role.FIELD_OFFICE_STAFF}
UNIT = {Role.HQ_TECHNICAL_UNIT}
REGIONAL = {Role.REGIONAL_PROGRAMME_OFFICER}
HQ_PROGRAMME = {Role.PROGRAMME_OFFICER}
ADMIN = {Role.ADMINISTRATOR}


def project_country_ids(project: Any) -> frozenset[int]:
    """The ids of a project's countries: those a service is about to save (``_country_ids``)
    or those stored, read once per project object."""
    ids: frozenset[int] | None = getattr(project, "_country_ids", None)
    if ids is None:
        ids = (
            frozenset(project.countries.values_list("id", flat=True)) if project.pk else frozenset()
        )
        project._country_ids = ids
    return ids


def _field_manages(user: User, project: Any) -> bool:
    if project.geography in HQ_GEOGRAPHIES or user.office_id is None:
        return False
    if project.office_id == user.office_id:
        return True
    countries = project_country_ids(project)
    return bool(countries) and countries <= office_country_ids(user)


def _unit_manages(user: User, project: Any) -> bool:
    return project.geography in HQ_GEOGRAPHIES and user.office_id in (
        project.office_id,
        project.technical_unit_id,
    )


def _in_region(user: User, project: Any) -> bool:
    return project.region_id is not None and project.region_id == user.region_id


def _hq_project(user: User, project: Any) -> bool:
    return project.geography in HQ_GEOGRAPHIES


def _public(user: Any, project: Any) -> bool:
    """Approved and serving a CPO of a published programme (``is_public`` when the selector
    annotated it, else one query)."""
    if str(project.status) not in SECURED_STATES:
        return False
    annotated = getattr(project, "is_public", None)
    if annotated is not None:
        return bool(annotated)
    return bool(project.pk) and project.cpo_links.filter(cpo__programme__published=True).exists()


def managers(states: Any = None) -> tuple[Any, ...]:
    return (
        rule(FIELD, scope=_field_manages, states=states),
        rule(UNIT, scope=_unit_manages, states=states),
        rule(ADMIN, states=states),
    )


OPEN_STATES = [s for s in ProjectStatus if s not in ("financially_closed", "dropped")]

register("donor.view", rule(EVERYONE))
register("donor.manage", rule(ADMIN))
register("project.list", rule(EVERYONE))
register("project.view", rule(EVERYONE, scope=_public), rule(SIGNED_IN))
register("appraisal.view", rule(SIGNED_IN))
register("project.create", rule(FIELD | UNIT | ADMIN))
register(
    "project.manage",
    *managers(OPEN_STATES),
    refusal=_("A %(state)s project cannot be changed."),
)
# Resource mobilization: the pipeline and the gaps, for staff.
register("funding.view", rule(SIGNED_IN))
register("project.import", rule(FIELD | UNIT | ADMIN))

# The lifecycle: target -> (action, states it may be taken from).
STEPS: dict[str, tuple[str, tuple[str, ...]]] = {
    ProjectStatus.PROPOSAL: ("project.propose", (ProjectStatus.CONCEPT,)),
    ProjectStatus.APPRAISED: (
        "project.appraise",
        (ProjectStatus.PROPOSAL, ProjectStatus.APPRAISED),
    ),
    ProjectStatus.SUBMITTED: ("project.submit", (ProjectStatus.APPRAISED,)),
    ProjectStatus.FUNDED: ("project.fund", (ProjectStatus.SUBMITTED,)),
    ProjectStatus.ONGOING: ("project.start", (ProjectStatus.FUNDED,)),
    ProjectStatus.OPERATIONALLY_CLOSED: ("project.close", (ProjectStatus.ONGOING,)),
    ProjectStatus.FINANCIALLY_CLOSED: (
        "project.close_financially",
        (ProjectStatus.OPERATIONALLY_CLOSED,),
    ),
    ProjectStatus.DROPPED: (
        "project.drop",
        (
            ProjectStatus.CONCEPT,
            ProjectStatus.PROPOSAL,
            ProjectStatus.APPRAISED,
            ProjectStatus.SUBMITTED,
        ),
    ),
}
STEP_REFUSAL = _("A project that is %(current)s cannot become %(target)s.")

for _target, (_action, _from) in STEPS.items():
    if _action == "project.appraise":
        register(
            _action,
            rule(REGIONAL, scope=_in_region, states=_from),
            rule(HQ_PROGRAMME, scope=_hq_project, states=_from),
            rule(ADMIN, states=_from),
            refusal=STEP_REFUSAL,
        )
    elif _action == "project.submit":
        register(
            _action,
            *managers(_from),
            refusal=_(
                "A proposal goes to a donor only once appraised for its DWCP relevance; "
                "this project is %(current)s."
            ),
        )
    else:
        register(_action, *managers(_from), refusal=STEP_REFUSAL)


def _unit_services(user: User, link: Any) -> bool:
    unit_ids = getattr(link, "outcome_unit_ids", None)
    if unit_ids is None:
        unit_ids = frozenset(link.cpo.outcome.technical_units.values_list("id", flat=True))
    return user.office_id in unit_ids


register("cpo_link.service", rule(UNIT, scope=_unit_services), rule(ADMIN))

# Which geographies each creating role may choose (the service checks the scope too).
GEOGRAPHIES_OF_ROLE = {
    Role.FIELD_OFFICE_STAFF: (Geography.COUNTRIES, Geography.REGIONAL),
    Role.HQ_TECHNICAL_UNIT: tuple(HQ_GEOGRAPHIES),
}

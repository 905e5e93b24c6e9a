"""Writes to country programmes: the programme, its phases, tripartite parties and priorities."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import update_change_reason

from dwcp.models import (
    MAX_PRIORITIES,
    CountryProgrammePriority,
    DecentWorkCountryProgramme,
    Phase,
    TripartiteParty,
)
from dwcp.permissions import PHASE_MOVES, PHASE_REFUSAL
from rbm import checks
from rbm.errors import ApplicationError
from rbm.models import Country, Office, User
from rbm.permissions import require
from rbm.services import check_version, save_versioned, validate
from rbm.workflow import transition

PROGRAMME_FIELDS = (
    "title",
    "start_year",
    "end_year",
    "undaf_title",
    "undaf_url",
    "national_plan_title",
    "national_plan_url",
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


# The phases' graph is the permission table's (dwcp.permissions.PHASE_MOVES).
PHASE_TRANSITIONS = PHASE_MOVES


def phase_moves(programme: DecentWorkCountryProgramme) -> list[tuple[str, str]]:
    """The phases a programme may move to from where it is, with the action each needs."""
    return [(to, action) for (frm, to), action in PHASE_MOVES.items() if frm == programme.phase]


@transaction.atomic
def programme_move_phase(
    *, user: User, programme: DecentWorkCountryProgramme, phase: str, version: int | None
) -> DecentWorkCountryProgramme:
    """Move the programme to ``phase`` through the step the method allows from where it is
    (``rbm.workflow.transition``: role 403, version 409, phase 400)."""
    if phase not in Phase.values:
        raise ApplicationError(_("Unknown phase %(phase)s.") % {"phase": phase})
    action = PHASE_MOVES.get((programme.phase, phase))
    if action is None:
        require(user, "dwcp.advance", programme, states=False)
        raise ApplicationError(
            str(PHASE_REFUSAL)
            % {"current": programme.get_phase_display(), "target": Phase(phase).label}
        )

    def check(locked: DecentWorkCountryProgramme) -> None:
        # The programme moved since the caller read it (the version said so first, unless
        # the caller sent the newer one): the step must still be one the method allows.
        if PHASE_MOVES.get((locked.phase, phase)) != action:
            raise ApplicationError(
                str(PHASE_REFUSAL)
                % {"current": locked.get_phase_display(), "target": Phase(phase).label}
            )
        # Conditions the apps above set on the step (evaluations: a completed evaluation).
        checks.run(action, locked)

    previous = programme.get_phase_display()
    programme = transition(
        programme,
        user=user,
        action=action,
        target=phase,
        version=version,
        field="phase",
        check=check,
        related=("country",),
    )
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

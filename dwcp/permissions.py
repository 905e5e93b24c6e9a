"""Who may do what with country programmes, outcomes and progress reports.

- dwcp.view: everyone reads published programmes; field staff also their office's countries'
  programmes, regional officers their region's; HQ roles and administrators all.
- dwcp.create, dwcp.change, dwcp.advance, cpo.change, progress.edit: field office staff for
  the countries their office covers; administrators.
- dwcp.publish: field office staff (their countries), regional officers (their region),
  administrators. dwcp.evaluate: regional officers (their region), administrators.
- progress.view: drafts are the office's (and administrators'); submitted and returned
  reports are also read by the region and HQ; validated ones by everyone who reads the
  programme.
- progress.review: regional officers (their region), administrators.
- cpo.import: the spreadsheet import page, for field office staff (each row is then checked
  with cpo.change for its country) and administrators.
- cpo_import.view: an import (its file, how it ended, running it again) is its uploader's
  and the administrators'; cpo_import.list_all: administrators see every import.

``visible_*`` in ``dwcp.selectors`` filter lists with the same rules.
"""

from __future__ import annotations

from typing import Any

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
register("dwcp.advance", rule(FIELD, scope=_covers), rule(ADMIN))
register("dwcp.publish", rule(FIELD, scope=_covers), rule(REGIONAL, scope=_in_region), rule(ADMIN))
register("dwcp.evaluate", rule(REGIONAL, scope=_in_region), rule(ADMIN))
register("cpo.change", rule(FIELD, scope=_covers), rule(ADMIN))
register("progress.edit", rule(FIELD, scope=_covers), rule(ADMIN))
register("progress.review", rule(REGIONAL, scope=_in_region), rule(ADMIN))


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


def _uploaded_it(user: User, obj: Any) -> bool:
    return getattr(obj, "uploaded_by_id", None) == user.pk


register("cpo_import.view", rule(FIELD, scope=_uploaded_it), rule(ADMIN))
register("cpo_import.list_all", rule(ADMIN))

"""What a user may read of programmes, CPOs, progress reports and imports, as filters."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from dwcp.models import (
    CountryProgrammeOutcome,
    CpoImport,
    DecentWorkCountryProgramme,
    ProgressReport,
    ReviewState,
)
from dwcp.permissions import ADMIN, FIELD, HQ_ROLES, REGIONAL
from rbm.models import User
from rbm.permissions import AnyUser, can, office_country_ids, role_of


def programme_scope(user: AnyUser | None, prefix: str = "") -> Q:
    """Which programmes ``user`` may read, as a filter (``prefix`` for related lookups)."""
    role = role_of(user)
    published = Q(**{f"{prefix}published": True})
    if role in HQ_ROLES or role in ADMIN:
        return Q()
    if role in FIELD:
        assert isinstance(user, User)
        return published | Q(**{f"{prefix}country_id__in": office_country_ids(user)})
    if role in REGIONAL:
        assert isinstance(user, User)
        return published | Q(**{f"{prefix}country__region_id": user.region_id})
    return published


def report_scope(user: AnyUser | None) -> Q:
    """Which progress reports ``user`` may read."""
    role = role_of(user)
    public = Q(review_state=ReviewState.VALIDATED, cpo__programme__published=True)
    if role in ADMIN:
        return Q()
    if role in HQ_ROLES:
        return public | ~Q(review_state=ReviewState.DRAFT)
    if role in FIELD:
        assert isinstance(user, User)
        return public | Q(cpo__programme__country_id__in=office_country_ids(user))
    if role in REGIONAL:
        assert isinstance(user, User)
        return public | (
            ~Q(review_state=ReviewState.DRAFT)
            & Q(cpo__programme__country__region_id=user.region_id)
        )
    return public


def visible_programmes(user: AnyUser | None) -> QuerySet[DecentWorkCountryProgramme]:
    return DecentWorkCountryProgramme.objects.filter(programme_scope(user)).select_related(
        "country__region", "office"
    )


def visible_cpos(user: AnyUser | None) -> QuerySet[CountryProgrammeOutcome]:
    return CountryProgrammeOutcome.objects.filter(programme_scope(user, "programme__"))


def visible_reports(user: AnyUser | None) -> QuerySet[ProgressReport]:
    return ProgressReport.objects.filter(report_scope(user))


def visible_imports(user: AnyUser | None) -> QuerySet[CpoImport]:
    """CPO imports, latest first, without their files: the user's own, every one for an
    administrator (``cpo_import.list_all``)."""
    imports = CpoImport.objects.select_related("uploaded_by").defer("content")
    if not can(user, "cpo_import.list_all"):
        imports = imports.filter(uploaded_by_id=getattr(user, "pk", None))
    return imports.order_by("-created_at", "-pk")

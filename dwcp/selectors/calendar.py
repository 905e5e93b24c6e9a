"""Reads of the reporting calendar: a biennium's periods and the extensions a user sees."""

from __future__ import annotations

from django.db.models import QuerySet

from dwcp.models import ReportingExtension, ReportingPeriod
from dwcp.permissions import ADMIN, FIELD, HQ_ROLES, REGIONAL
from rbm.models import Biennium, Office, User
from rbm.permissions import role_of


def calendar_bienniums() -> QuerySet[Biennium]:
    """Bienniums with reporting periods, latest first."""
    return Biennium.objects.filter(periods__isnull=False).distinct().order_by("-start_year")


def calendar_periods(biennium: Biennium) -> list[ReportingPeriod]:
    return list(ReportingPeriod.objects.filter(biennium=biennium).order_by("starts_on"))


def visible_extensions(user: User) -> QuerySet[ReportingExtension]:
    """Extensions of the user's office (field staff), of their region's offices (regional
    officers), every one (headquarters and administrators)."""
    extensions = ReportingExtension.objects.select_related(
        "period", "office", "requested_by", "granted_by"
    ).order_by("state", "period__starts_on", "office__name")
    role = role_of(user)
    if role in FIELD and user.office_id is not None:
        return extensions.filter(office_id=user.office_id)
    if role in REGIONAL and user.region_id is not None:
        return extensions.filter(office__region_id=user.region_id)
    if role in HQ_ROLES | ADMIN:
        return extensions
    return extensions.none()


def grantable_offices(user: User) -> QuerySet[Office]:
    """Offices the user may grant an extension to."""
    role = role_of(user)
    offices = Office.objects.order_by("name")
    if role in ADMIN:
        return offices
    if role in REGIONAL and user.region_id is not None:
        return offices.filter(region_id=user.region_id)
    return offices.none()

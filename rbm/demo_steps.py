"""The core's demo steps: reference data, offices covering every member State, one user per
role (more users come with the apps that need them)."""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any

from rbm.demo import DemoContext, register_step
from rbm.models import Country, Office, OfficeKind, Region, User
from rbm.services import office_create, reference_data_load, user_create

DATA = Path(__file__).resolve().parent / "data" / "demo_offices.json"


def demo_data() -> dict[str, Any]:
    return json.loads(DATA.read_text(encoding="utf-8"))


def _offices(context: DemoContext) -> None:
    data = demo_data()
    regions = {r.code: r for r in Region.objects.all()}
    countries = {c.alpha3: c for c in Country.objects.all()}
    existing = set(Office.objects.values_list("code", flat=True))
    hq = data["headquarters"]
    if hq["code"] not in existing:
        office_create(
            user=context.actor,
            code=hq["code"],
            name=hq["name"],
            kind=OfficeKind.HEADQUARTERS,
            region=None,
            countries=[],
        )
    for unit in data["technical_units"]:
        if unit["code"] not in existing:
            office_create(
                user=context.actor,
                code=unit["code"],
                name=unit["name"],
                kind=OfficeKind.TECHNICAL_UNIT,
                region=None,
                countries=[],
            )
    covered: set[str] = set()
    for office in data["field_offices"]:
        covered.update(office["countries"])
        if office["code"] not in existing:
            office_create(
                user=context.actor,
                code=office["code"],
                name=office["name"],
                kind=office["kind"],
                region=regions[office["region"]],
                countries=[countries[code] for code in office["countries"]],
            )
    for office in data["regional_offices"]:
        if office["code"] not in existing:
            region = regions[office["region"]]
            office_create(
                user=context.actor,
                code=office["code"],
                name=office["name"],
                kind=OfficeKind.REGIONAL_OFFICE,
                region=region,
                countries=[
                    c
                    for c in countries.values()
                    if c.region_id == region.pk and c.alpha3 not in covered
                ],
            )


def ensure_user(context: DemoContext, spec: dict[str, Any], *, can_log_in: bool = True) -> User:
    """Create a demo user from ``spec`` or find it; new (or reset) passwords go to the log.

    Users made only to author demo records (``can_log_in=False``) get no usable password;
    an administrator can give them one.
    """
    user = User.objects.filter(username=spec["username"]).first()
    if user is None:
        fields = {k: v for k, v in spec.items() if k in ("first_name", "last_name", "email")}
        user, password = user_create(
            user=context.actor,
            username=spec["username"],
            role=spec["role"],
            office=Office.objects.get(code=spec["office"]) if spec.get("office") else None,
            region=Region.objects.get(code=spec["region"]) if spec.get("region") else None,
            password=None if can_log_in else "",
            **fields,
        )
        if can_log_in:
            context.passwords[user.username] = password
    elif context.reset_passwords and user.has_usable_password():
        password = secrets.token_urlsafe(12)
        user.set_password(password)
        user.save(update_fields=["password"])
        context.passwords[user.username] = password
    return user


def _users(context: DemoContext) -> None:
    for spec in demo_data()["users"]:
        ensure_user(context, spec)


def _reference(context: DemoContext) -> None:
    counts = reference_data_load(user=context.actor)
    context.log.append(
        "{regions} regions, {countries} member States, {funding_sources} funding sources".format(
            **counts
        )
    )


register_step("reference data", 0, _reference)
register_step("offices", 5, _offices)
register_step("users", 6, _users)

"""Writes to the shared core: reference data, offices, users, and the version check every
edit uses. Each write takes the acting user and checks the permission table; commands and
the demo loader act as ``system_user()``."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rbm import reference
from rbm.conflicts import unique_conflict
from rbm.errors import ConflictError
from rbm.models import (
    ApiToken,
    Biennium,
    Country,
    FundingSource,
    Office,
    Region,
    Role,
    User,
    VersionedModel,
)
from rbm.permissions import require

# A background job (a report run, a CPO import) that has shown no sign of life for this long
# is taken as stalled: its worker died, or no worker took it. Its author may run it again.
STALLED_AFTER = datetime.timedelta(minutes=10)


def validate(instance: models.Model) -> None:
    """``full_clean()`` without re-reading related rows the caller already holds.

    Django's field validation checks that each foreign key points to an existing row, one
    query per key; services get related objects as instances read from the database, so that
    check is skipped for them (the database's constraint still holds). Everything else runs
    as in ``full_clean``: field validation (text without control characters, ``rbm.text``),
    ``clean()``, unique checks and constraints.
    """
    cached = instance._state.fields_cache
    held = {
        field.name
        for field in instance._meta.concrete_fields
        if field.many_to_one and getattr(cached.get(field.name), "pk", None) is not None
    }
    errors: dict[str, Any] = {}
    try:
        instance.clean_fields(exclude=held)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    try:
        instance.clean()
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    try:
        instance.validate_unique(exclude=set(errors))
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    try:
        instance.validate_constraints(exclude=set(errors))
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def check_version(instance: VersionedModel, expected: int | None) -> None:
    """Refuse a write based on a stale read (optimistic concurrency).

    ``expected`` is the version the editor read; ``None`` means the caller did not send one,
    which is refused too for an existing record: every edit states what it is based on.
    """
    if expected is None:
        raise ConflictError(_("Send the version of the record you edited."))
    if int(expected) != instance.version:
        raise ConflictError(
            _(
                "Someone else saved this record since you opened it (your version %(yours)s, "
                "now %(current)s). Reload it and make your change again."
            )
            % {"yours": expected, "current": instance.version},
            extra={"current_version": instance.version},
        )


def save_versioned(instance: VersionedModel, *, update_fields: list[str]) -> None:
    """Save ``update_fields`` and bump the version, only if nobody bumped it meanwhile."""
    model = type(instance)
    updated = model._default_manager.filter(pk=instance.pk, version=instance.version).update(
        version=models.F("version") + 1
    )
    if not updated:
        current = model._default_manager.filter(pk=instance.pk).values_list("version", flat=True)
        raise ConflictError(
            _("Someone else saved this record while you were saving it. Reload it."),
            extra={"current_version": next(iter(current), None)},
        )
    instance.version += 1
    instance.save(update_fields=[*update_fields, "version", "updated_at"])


SYSTEM_USERNAME = "system"


def system_user() -> User:
    """The account commands and the demo loader act as: an administrator who cannot sign in
    (no usable password, no access to the admin), made the first time it is asked for, so
    that every write, theirs included, names who made it and passes the permission table."""
    user = User.objects.filter(username=SYSTEM_USERNAME).first()
    if user is None:
        user = User(username=SYSTEM_USERNAME, role=Role.ADMINISTRATOR, first_name="System")
        user.set_unusable_password()
        user.full_clean()
        user.save()
    return user


@transaction.atomic
def reference_data_load(*, user: User) -> dict[str, int]:
    """Create or refresh regions, member States and funding sources. Idempotent."""
    require(user, "reference.manage")
    regions = {}
    for position, (code, name) in enumerate(reference.REGIONS):
        region, _created = Region.objects.get_or_create(
            code=code, defaults={"name": name, "position": position}
        )
        regions[code] = region
    existing = {c.alpha3: c for c in Country.objects.all()}
    for state in reference.ilo_member_states():
        region = regions[state.region_code]
        country = existing.get(state.alpha3)
        if country is None:
            Country.objects.create(
                alpha3=state.alpha3, alpha2=state.alpha2, name=state.name, region=region
            )
        elif (country.alpha2, country.name, country.region_id) != (
            state.alpha2,
            state.name,
            region.pk,
        ):
            country.alpha2, country.name, country.region = state.alpha2, state.name, region
            country.save(update_fields=["alpha2", "name", "region", "updated_at"])
    for position, (code, name) in enumerate(reference.FUNDING_SOURCES):
        FundingSource.objects.get_or_create(
            code=code, defaults={"name": name, "position": position}
        )
    return {
        "regions": Region.objects.count(),
        "countries": Country.objects.count(),
        "funding_sources": FundingSource.objects.count(),
    }


@transaction.atomic
def biennium_get_or_create(*, user: User, code: str) -> Biennium:
    require(user, "reference.manage")
    start, end = Biennium.parse_code(code)
    biennium = Biennium.objects.filter(start_year=start).first()
    if biennium is None:
        biennium = Biennium(start_year=start, end_year=end)
        biennium.full_clean()
        biennium.save()
    return biennium


@transaction.atomic
def office_create(
    *,
    user: User,
    code: str,
    name: str,
    kind: str,
    region: Region | None,
    countries: list[Country] | models.QuerySet[Country],
) -> Office:
    require(user, "reference.manage")
    office = Office(code=code, name=name, kind=kind, region=region)
    office.full_clean()
    office.save()
    office.countries.set(countries)
    return office


@transaction.atomic
def user_create(
    *,
    user: User,
    username: str,
    role: str,
    password: str | None = None,
    office: Office | None = None,
    region: Region | None = None,
    **fields: Any,
) -> tuple[User, str]:
    """Create a user with a role; returns the user and the password.

    ``password=None`` generates one; an empty string makes an account that cannot log in
    until someone sets a password. ``user`` is the administrator creating the account.
    """
    require(user, "users.manage")
    if password is None:
        password = secrets.token_urlsafe(12)
    account = User(username=username, role=role, office=office, region=region, **fields)
    if role == Role.ADMINISTRATOR:
        account.is_staff = True
        account.is_superuser = True
    if password:
        account.set_password(password)
    else:
        account.set_unusable_password()
    account.full_clean()
    account.save()
    return account, password


# What administrators change in the admin --------------------------------------------------


def _editable_fields(record: models.Model) -> list[str]:
    skip = {"id", "version", "created_at", "updated_at"}
    return [f.name for f in record._meta.concrete_fields if f.name not in skip]


@transaction.atomic
def record_save(*, user: User, record: models.Model, action: str) -> models.Model:
    """Save a record an administrator edited in the admin: the permission table's ``action``
    (403), the model's rules (``validate``), and for a record people edit the version bumped
    only if nobody saved it meanwhile (409), like every other write."""
    require(user, action, record)
    validate(record)
    if isinstance(record, VersionedModel) and not record._state.adding:
        save_versioned(record, update_fields=_editable_fields(record))
    else:
        record.save()
    return record


@transaction.atomic
def record_delete(*, user: User, record: models.Model, action: str) -> None:
    """Delete a record from the admin, if the permission table's ``action`` allows it."""
    require(user, action, record)
    record.delete()


# API tokens ----------------------------------------------------------------------------------

API_TOKEN_PREFIX = "rbm_"  # noqa: S105 - a marker that tells keys apart, not a secret
API_TOKEN_TOUCH_SECONDS = 60


def api_token_hash(key: str) -> str:
    """The stored form of a key: SHA-256 (the key is random, so no salt or slow hash is needed)."""
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token for ``user``; returns it and the key, which is never stored or shown again."""
    key = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name.strip(),
        prefix=key[: len(API_TOKEN_PREFIX) + 6],
        key_hash=api_token_hash(key),
    )
    validate(token)
    with unique_conflict(token):
        token.save()
    return token, key


@transaction.atomic
def api_token_revoke(*, user: User, token: ApiToken) -> ApiToken:
    """Revoke one of the user's own tokens; its key stops working at once."""
    if token.user_id != user.pk:
        raise PermissionDenied(_("You can only revoke your own tokens."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_touch(*, token: ApiToken) -> None:
    """Record that the token was used (at most once a minute, so reads stay reads)."""
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > (
        API_TOKEN_TOUCH_SECONDS
    ):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


@transaction.atomic
def user_preferences_set(*, user: User, language: str, email_mode: str) -> User:
    """The user's own preferences: the language of their e-mails and how they are sent."""
    user.language = language
    user.email_mode = email_mode
    user.full_clean(exclude=["password"], validate_unique=False)
    user.save(update_fields=["language", "email_mode"])
    return user

"""``POST /api/v1/cpos/bulk/``: many CPOs created or updated at once, all or nothing.

Each item is validated by the same input serializers as a single create or update and
written by the same services (``cpo_create``, ``cpo_update``), each in a savepoint; when any
item fails, every item's error is reported (by its index) and nothing is saved.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework import serializers

from dwcp import selectors, services
from dwcp.api.serializers import CpoCreateSerializer, CpoUpdateSerializer
from dwcp.models import CountryProgrammeOutcome
from rbm.api.exception_handlers import error_fields
from rbm.conflicts import retry_on_deadlock
from rbm.errors import ApplicationError, ConflictError
from rbm.models import User

MAX_ITEMS = 500


class BulkError(ApplicationError):
    """Some items could not be saved; ``extra["items"]`` holds their errors."""


@dataclass
class BulkOutcome:
    ids: list[int] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0


class CpoBulkUpdateSerializer(CpoUpdateSerializer):
    id = serializers.IntegerField(min_value=1, max_value=2**63 - 1)


def _item_error(index: int, error: Exception) -> dict[str, Any]:
    if isinstance(error, serializers.ValidationError | DjangoValidationError):
        fields = error_fields(error)
        if isinstance(fields, dict):
            return {"index": index, "code": "invalid", "fields": fields}
        return {"index": index, "code": "invalid", "message": " ".join(map(str, fields))}
    if isinstance(error, ConflictError):
        return {"index": index, "code": "conflict", "message": error.message, **error.extra}
    if isinstance(error, ApplicationError):
        return {"index": index, "code": "invalid", "message": error.message}
    if isinstance(error, PermissionDenied):
        return {
            "index": index,
            "code": "permission_denied",
            "message": str(error) or _("You are not allowed to do this."),
        }
    raise error


@retry_on_deadlock
def cpos_bulk_save(*, user: User, items: Any, context: Mapping[str, Any]) -> BulkOutcome:
    """Create (items without ``id``) or update (with ``id`` and ``version``) CPOs.

    The CPOs it updates are locked first, in the order of their ids, whatever the order of
    the items: two requests naming the same CPOs in opposite orders wait for each other
    instead of deadlocking, and the later one finds the new versions (409). A deadlock
    that still happens (with another kind of write) runs the whole request again."""
    if not isinstance(items, list):
        raise DjangoValidationError(_("Send a JSON list of country programme outcomes."))
    if len(items) > MAX_ITEMS:
        raise DjangoValidationError(
            _("Send at most %(max)s items at a time; this request has %(count)s.")
            % {"max": MAX_ITEMS, "count": len(items)}
        )
    wanted_ids = [
        item["id"]
        for item in items
        if isinstance(item, dict) and isinstance(item.get("id"), int) and 0 < item["id"] < 2**63
    ]
    existing = {
        cpo.pk: cpo
        for cpo in selectors.visible_cpos(user)
        .filter(pk__in=wanted_ids)
        .select_related("programme__country", "biennium", "outcome__objective__plan")
    }
    outcome = BulkOutcome()
    errors: list[dict[str, Any]] = []
    with transaction.atomic():
        list(
            CountryProgrammeOutcome.objects.select_for_update(of=("self",))
            .filter(pk__in=sorted(existing))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        for index, item in enumerate(items):
            try:
                with transaction.atomic():
                    _save_item(user, item, existing, context, outcome)
            except (
                serializers.ValidationError,
                DjangoValidationError,
                ApplicationError,
                PermissionDenied,
            ) as error:
                errors.append(_item_error(index, error))
        if errors:
            refusal = BulkError(
                _("Nothing was saved: %(count)s of the %(total)s items have errors.")
                % {"count": len(errors), "total": len(items)},
                extra={"items": errors},
            )
            if all(error["code"] == "conflict" for error in errors):
                refusal.status_code = ConflictError.status_code
            raise refusal
    return outcome


def _save_item(
    user: User,
    item: Any,
    existing: dict[int, CountryProgrammeOutcome],
    context: Mapping[str, Any],
    outcome: BulkOutcome,
) -> None:
    if not isinstance(item, dict):
        raise DjangoValidationError(_("Each item is a JSON object."))
    if "id" in item:
        serializer: Any = CpoBulkUpdateSerializer(data=item, context=context)
        serializer.is_valid(raise_exception=True)
        data = serializer.to_service_kwargs()
        cpo = existing.get(data.pop("id"))
        if cpo is None:
            raise DjangoValidationError(
                {"id": _("There is no such outcome, or you may not read it.")}
            )
        version = data.pop("version")
        saved, changed = services.cpo_update(user=user, cpo=cpo, version=version, **data)
        outcome.ids.append(saved.pk)
        if changed:
            outcome.updated += 1
        else:
            outcome.unchanged += 1
        return
    serializer = CpoCreateSerializer(data=item, context=context)
    serializer.is_valid(raise_exception=True)
    created = services.cpo_create(user=user, **serializer.to_service_kwargs())
    outcome.ids.append(created.pk)
    outcome.created += 1

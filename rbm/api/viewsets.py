"""What every API viewset of every app is built from.

A resource's viewset names its output serializer, its queryset (planned: a fixed number of
queries whatever the page size), its FilterSet, and the permission table's actions it needs
(``read_action``, and ``write_action`` where the service does not check one itself). Its
write methods validate the input with an input serializer, call one service, and answer
with the output serializer of the stored record.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from rbm.api.permissions import TablePermission
from rbm.models import User

ID_PATTERN = "[0-9]{1,18}"


class ApiViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    # (No docstring: the schema would show it as every operation's description.)
    permission_classes = [TablePermission]
    lookup_value_regex = ID_PATTERN
    read_action: str | None = None
    write_action: str | None = None

    def validated(
        self, serializer_class: type[serializers.Serializer[Any]], data: Any = None, **kwargs: Any
    ) -> dict[str, Any]:
        """Validate the request's body (or ``data``) with ``serializer_class``."""
        serializer = serializer_class(
            data=self.request.data if data is None else data,
            context=self.get_serializer_context(),
            **kwargs,
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def acting_user(self) -> User:
        """The signed-in user taking a write (the permission class refused anyone else)."""
        user = self.request.user
        assert isinstance(user, User)
        return user

    def answer(self, instance: Model, status_code: int = status.HTTP_200_OK) -> Response:
        """The stored record, read again with the list's planned queryset, serialized (as it
        is, should the write have taken it out of what the user may read)."""
        fresh = self.get_queryset().filter(pk=instance.pk).first()
        return Response(self.get_serializer(fresh or instance).data, status=status_code)


class ReadOnlyApiViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    pass

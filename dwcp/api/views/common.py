"""What the country programmes' viewsets share."""

from __future__ import annotations

from rest_framework import mixins

from rbm.api.viewsets import ApiViewSet

READ = "dwcp.list"


class DwcpApiViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    # Reads for everyone (filtered by scope); writes for signed-in users, checked by services.

    read_action = READ
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

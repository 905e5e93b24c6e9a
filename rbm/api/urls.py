"""The API's addresses: ``/api/v1/`` for the resources, ``/api/schema/`` and ``/api/docs/``.

Each app keeps its endpoints in ``<app>/api/urls.py`` (a ``router`` or ``urlpatterns``);
they are mounted here in the order of ``INSTALLED_APPS``, so an app adds its endpoints by
adding that module, and the core does not import the apps built on it.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.apps import apps
from django.http import HttpRequest, JsonResponse
from django.urls import Resolver404, URLPattern, URLResolver, include, path, re_path, resolve
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from rbm.api import views

router = SimpleRouter()
router.register("regions", views.RegionViewSet, basename="region")
router.register("countries", views.CountryViewSet, basename="country")
router.register("offices", views.OfficeViewSet, basename="office")
router.register("bienniums", views.BienniumViewSet, basename="biennium")
router.register("funding-sources", views.FundingSourceViewSet, basename="funding-source")


def _app_patterns() -> list[URLPattern | URLResolver]:
    patterns: list[URLPattern | URLResolver] = []
    for config in apps.get_app_configs():
        if config.name == "rbm" or config.module is None:
            continue
        if module_has_submodule(config.module, "api") and module_has_submodule(
            import_module(f"{config.name}.api"), "urls"
        ):
            module = import_module(f"{config.name}.api.urls")
            patterns += getattr(module, "urlpatterns", [])
    return patterns


@csrf_exempt
def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Any other address under /api/: a 404 in the API's error shape, not an HTML page."""
    message = _("No such address in the API.")
    if not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not not_found:
            message = _("No such address in the API: addresses end with a slash (/).")
    return JsonResponse(
        {"error": {"status": 404, "code": "not_found", "message": message}}, status=404
    )


v1_patterns: list[URLPattern | URLResolver] = [*router.urls, *_app_patterns()]

urlpatterns = [
    path("v1/", include((v1_patterns, "api"), namespace="api")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    re_path(r"^[\s\S]*$", not_found),
]

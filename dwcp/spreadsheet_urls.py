"""Addresses of the CPO spreadsheet export and import (``dwcp:`` namespace)."""

from django.urls import path

from dwcp import spreadsheet_views

urlpatterns = [
    path("cpos/export/", spreadsheet_views.cpo_export, name="cpo-export"),
    path("cpos/import/", spreadsheet_views.cpo_import, name="cpo-import"),
    path("cpos/imports/<int:pk>/", spreadsheet_views.cpo_import_detail, name="cpo-import-detail"),
    path(
        "cpos/imports/<int:pk>/status/",
        spreadsheet_views.cpo_import_status,
        name="cpo-import-status",
    ),
    path(
        "cpos/imports/<int:pk>/retry/", spreadsheet_views.cpo_import_retry, name="cpo-import-retry"
    ),
]

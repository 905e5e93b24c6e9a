"""Addresses of the CPO spreadsheet export and import (``dwcp:`` namespace)."""

from django.urls import path

from dwcp import spreadsheet_views

urlpatterns = [
    path("cpos/export/", spreadsheet_views.cpo_export, name="cpo-export"),
    path("cpos/import/", spreadsheet_views.cpo_import, name="cpo-import"),
]

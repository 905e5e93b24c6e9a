"""Addresses of the country programme pages (``dwcp:`` namespace)."""

from django.urls import include, path

app_name = "dwcp"

urlpatterns = [
    path("", include("dwcp.page_urls")),
    path("", include("dwcp.spreadsheet_urls")),
]

"""Addresses of the country programme pages (``dwcp:`` namespace)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

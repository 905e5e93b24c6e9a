"""Addresses of the CPO spreadsheet export and import (``dwcp:`` namespace)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

"""Menu links and home-page panels that each app contributes.

An app registers its links and panels from its ``AppConfig.ready``; the core shows those the
visitor's role allows. This keeps ``rbm`` free of the apps built on it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise

from rbm.permissions import can


@dataclass(frozen=True)
class MenuLink:
    key: str
    label: str | Promise
    url_name: str
    action: str
    order: int = 100


@dataclass(frozen=True)
class Panel:
    key: str
    roles: frozenset[str]
    template: str
    context: Callable[[HttpRequest], dict[str, Any]]
    order: int = 100


_LINKS: dict[str, MenuLink] = {}
_PANELS: dict[str, Panel] = {}


def register_link(link: MenuLink) -> None:
    _LINKS[link.key] = link


def register_panel(panel: Panel) -> None:
    _PANELS[panel.key] = panel


def menu_for(request: HttpRequest) -> list[dict[str, Any]]:
    user = getattr(request, "user", None)
    links = [
        (link, reverse(link.url_name))
        for link in sorted(_LINKS.values(), key=lambda link: link.order)
        if can(user, link.action)
    ]
    # The current page belongs to the link with the longest matching address (/dwcp/cpos/
    # is "Outcomes", not also "Country programmes" at /dwcp/).
    current = max(
        (url for _link, url in links if request.path.startswith(url)), key=len, default=None
    )
    return [
        {"key": link.key, "label": link.label, "url": url, "active": url == current}
        for link, url in links
    ]


def panels_for(role: str) -> list[Panel]:
    return sorted((p for p in _PANELS.values() if role in p.roles), key=lambda p: p.order)

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


# Slots: what an upper app shows on a lower app's page --------------------------------------
#
# A page of a lower app names its slots ("dwcp.cpo_detail", "dwcp.cpo_form",
# "dwcp.programme_detail", ...) and renders them with ``{% slot "name" obj %}``; an upper app
# (cooperation's funding, evaluations' lessons) fills a slot from its ``AppConfig.ready``.
# Each section reads what it shows through its own app's selectors, in a fixed number of
# queries, and decides itself whether the visitor may see it (``context`` returns None to
# show nothing).


@dataclass(frozen=True)
class SlotSection:
    slot: str
    key: str
    template: str
    # (request, the page's object) -> the section's context, or None to leave it out
    context: Callable[[HttpRequest, Any], dict[str, Any] | None]
    order: int = 100


_SLOTS: dict[str, dict[str, SlotSection]] = {}


def register_section(section: SlotSection) -> None:
    """Add a section to a slot (a second registration of the same key replaces the first)."""
    _SLOTS.setdefault(section.slot, {})[section.key] = section


def sections_for(slot: str, request: HttpRequest, obj: Any) -> list[tuple[str, dict[str, Any]]]:
    """The slot's sections the visitor sees: (template, context), in order."""
    shown = []
    for section in sorted(_SLOTS.get(slot, {}).values(), key=lambda s: (s.order, s.key)):
        context = section.context(request, obj)
        if context is not None:
            shown.append((section.template, context))
    return shown

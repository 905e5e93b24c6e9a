"""Template helpers shared by every page (registered as builtins)."""

from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """``mapping|get_item:key``: a dict lookup in templates; None when missing."""
    if not mapping:
        return None
    try:
        return mapping.get(key)
    except AttributeError:
        return None

"""Template helpers shared by every page (registered as builtins)."""

from typing import Any

from django import template
from django.template import Engine
from django.utils.safestring import mark_safe

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


@register.simple_tag(takes_context=True)
def slot(context: template.Context, name: str, obj: Any = None) -> str:
    """``{% slot "dwcp.cpo_detail" cpo %}``: the sections upper apps put on this page.

    Each section's template sees the page's context (request, user, CSRF token) and its own
    as ``section``.
    """
    from rbm.ui import sections_for

    request = context.get("request")
    if request is None:
        return ""
    engine = context.template.engine if context.template is not None else Engine.get_default()
    parts = []
    for template_name, section in sections_for(name, request, obj):
        found = engine.get_template(template_name)
        with context.push(section=section):
            parts.append(found.render(context))
    return mark_safe("".join(parts))  # noqa: S308 - each part is a template's escaped output

"""``{% link %}``: ``{% url %}`` for the routes pages link to most, without resolving the
route on every use.

``{% url 'meetings:protocol' meeting.pk %}`` reverses the route each time it is printed (about
20 microseconds; a meeting page prints thirty such links). ``{% link 'meetings:protocol'
meeting.pk %}`` reverses each route once per process and script prefix and formats the id in
(``core.links``). It takes routes with no argument or a single integer one; anything else
stays ``{% url %}``. Available in every template (a builtin, see settings.TEMPLATES).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from django import template
from django.urls import get_script_prefix, reverse

from koordinator.core.links import link_by_id

register = template.Library()


@register.simple_tag
def link(name: str, *args: object) -> str:
    prefix = get_script_prefix()
    if not args:
        return _fixed(name, prefix)
    if len(args) > 1:
        raise template.TemplateSyntaxError(f"{{% link %}} takes one id at most: {name}")
    return _by_id(name, prefix)(args[0])


@cache
def _fixed(name: str, prefix: str) -> str:
    return reverse(name)


@cache
def _by_id(name: str, prefix: str) -> Callable[[object], str]:
    return link_by_id(name)

"""The rows of long tables, rendered by Jinja2.

Django's template engine costs about 10 microseconds per printed value; a table of 50 rows of
15 values each takes 6-8 ms of a page's 20-40 ms. Jinja2 compiles a template to Python and
prints the same rows in about 1 ms. So the rows of the tables that grow with the data (the
executor's inbox, the control register, a body's composition) are a Jinja2 template of their
own, rendered here into the Django page around them::

    {{ rows_html }}   <!-- inside <tbody> of the Django template -->

Row templates live in ``<app>/jinja2/<app>/…_rows.html`` and get plain rows (dicts, with
every link and label prepared by the view: no URL reversing, no filters with side effects).
Values are HTML-escaped as in Django templates; a name that the rows do not have is an error,
not an empty string, so a typo fails the tests instead of printing nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import jinja2
from django.template import engines
from django.utils.safestring import SafeString, mark_safe


class _Environment(jinja2.Environment):
    def getattr(self, obj: Any, attribute: str) -> Any:
        # ``row.name`` on a dict: look the key up first (Jinja2 tries the attribute first and
        # pays for an AttributeError on every value).
        if type(obj) is dict and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)


def environment(**options: Any) -> jinja2.Environment:
    """The Jinja2 environment of the ``rows`` template engine (see settings.TEMPLATES)."""
    options["undefined"] = jinja2.StrictUndefined
    options.setdefault("autoescape", True)
    return _Environment(**options)


def render_rows(template_name: str, rows: Iterable[Any], **context: Any) -> SafeString:
    """The HTML of ``rows`` through the row template ``template_name`` (escaped inside)."""
    template = engines["rows"].get_template(template_name)
    return mark_safe(template.render({"rows": rows, **context}))  # noqa: S308 - autoescaped

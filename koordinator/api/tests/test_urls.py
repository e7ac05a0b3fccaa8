"""The API's routes grouped by their first segment resolve and reverse as ninja made them."""

from __future__ import annotations

import re

from django.urls import URLPattern, resolve, reverse

from koordinator.api.api import api, grouped_urls


def test_every_route_resolves_to_its_view_and_name() -> None:
    routes, _, namespace = api.urls
    patterns = [p for p in routes if isinstance(p, URLPattern)]
    assert len(patterns) == len(routes)
    first_named: dict[str, str | None] = {}
    for pattern in patterns:
        first_named.setdefault(str(pattern.pattern), pattern.name)
    for pattern in patterns:
        route = str(pattern.pattern)
        url = "/api/v1/" + re.sub(r"<[^>]+>", "7", route)
        match = resolve(url)
        assert match.url_name == first_named[route], url
        assert match.namespace == namespace
        assert match.route == "api/v1/" + route
        if pattern.name:
            kwargs = dict.fromkeys(re.findall(r"<(?:\w+:)?(\w+)>", route), "7")
            assert reverse(f"{namespace}:{pattern.name}", kwargs=kwargs) == url


def test_routes_sharing_a_segment_are_tried_under_one_prefix() -> None:
    top, _, _ = grouped_urls()
    assert len(top) < 20 < len(api.urls[0])
    assert "control/" in [str(p.pattern) for p in top]

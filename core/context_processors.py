from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from core.navigation import items_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    current = request.resolver_match.view_name if request.resolver_match else ""
    items = items_for(user)
    more = [i for i in items if i.more]
    return {
        "nav_items": [i for i in items if not i.more],
        "nav_more": more,
        # The API documentation is for whoever sets up calling systems: those who issue API tokens.
        "nav_api": any(i.url_name == "core:tokens" for i in more),
        "nav_current": current,
    }

"""Main navigation and small display helpers of the UI shell."""

import datetime

from django import template

from dui.actor import actor_of
from dui.views.shell import grouped_navigation

register = template.Library()


@register.inclusion_tag("dui/_main_nav.html", takes_context=True)
def main_navigation(context):
    """The menu of the sections the user may open (`can` decides), in groups, current page marked once."""
    request = context.get("request")
    user = getattr(request, "user", None)
    groups = grouped_navigation(actor_of(request), request.path) if request is not None else []
    current = next((group.current for group in groups if group.current), None)
    return {
        "groups": groups,
        "current": current,
        "user": user,
        "other_memberships": context.get("other_memberships"),
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def minutes(value) -> int:
    """Whole minutes of a timedelta (rounded up), 0 when empty."""
    if not isinstance(value, datetime.timedelta):
        return 0
    seconds = int(value.total_seconds())
    return max(0, -(-seconds // 60))

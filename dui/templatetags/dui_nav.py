"""Main navigation and small display helpers of the UI shell."""

import datetime

from django import template
from django.utils.html import format_html, format_html_join

from dui.views.shell import navigation

register = template.Library()


@register.simple_tag(takes_context=True)
def main_navigation(context):
    """The menu of the sections the user may open (`can` decides), current page marked."""
    request = context.get("request")
    user = getattr(request, "user", None)
    items = navigation(user)
    if not items:
        return ""
    path = request.path
    links = format_html_join(
        "",
        '<li><a href="{}"{}>{}</a></li>',
        (
            (
                item.url,
                format_html(' aria-current="{}"', "page") if path.startswith(item.url) else "",
                item.label,
            )
            for item in items
        ),
    )
    return format_html('<ul class="nav-list">{}</ul>', links)


@register.filter
def minutes(value) -> int:
    """Whole minutes of a timedelta (rounded up), 0 when empty."""
    if not isinstance(value, datetime.timedelta):
        return 0
    seconds = int(value.total_seconds())
    return max(0, -(-seconds // 60))

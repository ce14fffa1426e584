"""The user's pinned home sections, for the home page: `{% pinned_sections as pinned %}`."""

from django import template

from dui.actor import actor_of
from dui.selectors.planning import pinned_sections as pinned_sections_of

register = template.Library()


@register.simple_tag(takes_context=True)
def pinned_sections(context):
    """The (key, label, url) sections the user pinned, in their order; empty when none or not allowed."""
    request = context.get("request")
    return pinned_sections_of(actor_of(request) if request is not None else None)

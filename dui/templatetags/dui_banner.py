"""`{% patient_banner usager %}`: the banner of one person for the requesting user."""

from django import template

from dui.selectors.banner import banner_for

register = template.Library()


@register.inclusion_tag("dui/_banner.html", takes_context=True)
def patient_banner(context, usager, link=True):
    request = context.get("request")
    user = getattr(request, "user", None)
    banner = banner_for(user=user, usager=usager) if usager is not None and user is not None else None
    return {"banner": banner, "link": link}

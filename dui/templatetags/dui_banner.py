"""`{% patient_banner usager %}`: the banner of one person for the requesting user, its reads logged."""

from django import template

from dui import audit
from dui.actor import actor_of
from dui.selectors.banner import banner_for, banner_sections

register = template.Library()
BANNER_DETAIL = "bandeau patient"


@register.inclusion_tag("dui/_banner.html", takes_context=True)
def patient_banner(context, usager, link=True):
    request = context.get("request")
    user = getattr(request, "user", None)
    banner = banner_for(user, usager=usager) if usager is not None and user is not None else None
    if banner is not None:
        audit.log_reads(actor_of(request), banner_sections(banner), detail=BANNER_DETAIL)
    return {"banner": banner, "link": link}

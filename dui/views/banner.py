"""The patient banner alone, for a screen that changes person without reloading (transmission form)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dui import audit, selectors
from dui.selectors.banner import banner_for, banner_sections
from dui.templatetags.dui_banner import BANNER_DETAIL


@login_required
@require_GET
def usager_banner(request, pk: int):
    """404 for a dossier out of reach, as every page about one person."""
    usager = selectors.access_usager(request.user, pk=pk)
    banner = banner_for(user=request.user, usager=usager)
    audit.log_reads(
        request.user, [usager, *banner_sections(banner)], channel=audit.channel_of(request),
        ip=audit.client_ip(request), detail=BANNER_DETAIL,
    )  # fmt: skip
    return render(request, "dui/_banner.html", {"banner": banner, "link": True})

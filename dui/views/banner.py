"""The patient banner alone, for a screen that changes person without reloading (transmission form)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dui.actor import actor_of
from dui.selectors.banner import banner_page


@login_required
@require_GET
def usager_banner(request, pk: int):
    """404 for a dossier out of reach, as every page about one person."""
    banner = banner_page(actor_of(request), pk)
    return render(request, "dui/_banner.html", {"banner": banner, "link": True})

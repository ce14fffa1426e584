"""Pages of the continuity plan: the mode dégradé page, « Générer maintenant » and the downloads.

Thin: rights, scope and the access log are in the selectors and services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from continuity import selectors, services
from dui.actor import actor_of
from dui.selectors import access_unit


@login_required
def continuity_page(request):
    return render(request, "continuity/page.html", {"page": selectors.continuity_page(actor_of(request))})


@login_required
@require_POST
def pack_generate_now(request, unit_pk: int):
    actor = actor_of(request)
    unit = access_unit(actor, unit_pk)
    try:
        services.pack_request(actor, unit=unit)
    except PermissionDenied as error:
        messages.error(request, str(error))
        return redirect("continuity")
    messages.success(
        request, f"Plan de continuité demandé pour « {unit.name} » : il apparaît ci-dessous dès qu'il est prêt."
    )
    return redirect("continuity")


@login_required
def pack_download(request, pk: int, fmt: str):
    pack, handle = selectors.pack_download(actor_of(request), pk, fmt)
    local = timezone.localtime(pack.generated_at)
    name = f"plan-continuite-{slugify(pack.unit.name)}-{local:%Y%m%d-%H%M}.{fmt}"
    return FileResponse(handle, as_attachment=True, filename=name, content_type=selectors.FORMATS[fmt])

"""The OG's kind-based catalogue: where each event kind, evaluation grid and dossier section is
offered. Direction, cadres de santé and the OG administrator edit it; others get 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from dui.actor import actor_of
from dui.errors import NotFound
from dui.essms_kinds import DOMAIN_LABELS, EVENT, GRID, SECTION, kind_groups, kinds_summary, registered_items
from dui.permissions import active_membership
from dui.selectors.catalogue_kinds import item_kinds, og_overrides
from dui.services import catalogue_kinds as services

EDITABLE_DOMAINS = (EVENT, GRID, SECTION)


def _domains(og_id: int) -> list[dict]:
    overrides = og_overrides(og_id)
    action = reverse("catalogue-kinds-save")
    domains = []
    for domain in EDITABLE_DOMAINS:
        items = []
        for code, label in registered_items(domain):
            kinds = item_kinds(og_id, domain, code, overrides)
            items.append(
                {
                    "label": label,
                    "own": (domain, code) in overrides,
                    "action": action,
                    "hidden": (("domain", domain), ("code", code)),
                    "groups": kind_groups(kinds),
                    "summary": kinds_summary(kinds),
                }
            )
        domains.append({"label": DOMAIN_LABELS[domain], "slug": domain, "items": items})
    return domains


@login_required
@require_GET
def catalogue_kinds(request):
    actor = actor_of(request)
    if not services.can_manage_catalogue(actor):
        raise NotFound
    membership = active_membership(actor)
    context = {"domains": _domains(membership.essms.og_id), "essms": membership.essms}
    return render(request, "dui/catalogue_kinds/page.html", context)


@login_required
@require_POST
def catalogue_kinds_save(request):
    actor = actor_of(request)
    if not services.can_manage_catalogue(actor):
        raise NotFound
    try:
        services.catalogue_kinds_set(
            actor,
            domain=request.POST.get("domain", ""),
            code=request.POST.get("code", ""),
            kinds=request.POST.getlist("kinds"),
        )
    except PermissionDenied:
        raise NotFound from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Catalogue enregistré : il s'applique dès maintenant aux établissements concernés.")
    return redirect("catalogue-kinds")

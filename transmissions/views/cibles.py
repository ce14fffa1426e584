"""The cible catalogue of the organisme gestionnaire: everyone who writes transmissions reads it;
direction, cadres de santé and the OG administrator add, deactivate and reactivate entries.

The catalogue belongs to the OG (shared by its ESSMS): the cible to (de)activate is posted in
the form body and looked up in the caller's own OG only.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from dui.actor import actor_of
from dui.errors import NotFound
from dui.essms_kinds import kind_groups, kinds_summary
from dui.permissions import active_membership
from dui.views.service_errors import show_service_error
from transmissions.forms import CibleForm
from transmissions.models import Theme
from transmissions.selectors import access_cible, cibles_for_user
from transmissions.services import cibles as services


def _catalogue(actor) -> list[dict]:
    """The catalogue grouped by theme, in theme order (one query), each cible with its kinds."""
    cibles = list(cibles_for_user(actor).order_by("label"))
    membership = active_membership(actor)
    action = reverse("cible-kinds")
    groups = []
    for value, label in Theme.choices:
        rows = [
            {
                "cible": cible,
                "offered_here": membership.essms.kind in (cible.essms_kinds or ()),
                "action": action,
                "hidden": (("cible", cible.pk),),
                "groups": kind_groups(cible.essms_kinds or ()),
                "summary": kinds_summary(cible.essms_kinds or ()),
            }
            for cible in cibles
            if cible.theme == value
        ]
        if rows:
            groups.append({"theme": label, "cibles": rows})
    return groups


def _render(request, form=None, status=200):
    actor = actor_of(request)
    can_manage = services.can_manage_cibles(actor)
    context = {
        "groups": _catalogue(actor),
        "can_manage": can_manage,
        "form": (form or CibleForm()) if can_manage else None,
    }
    return render(request, "transmissions/cibles/list.html", context, status=status)


@login_required
@require_GET
def cible_list(request):
    if active_membership(actor_of(request)) is None:
        raise NotFound
    return _render(request)


@login_required
@require_POST
def cible_create(request):
    actor = actor_of(request)
    if not services.can_manage_cibles(actor):
        raise NotFound
    form = CibleForm(request.POST)
    if form.is_valid():
        try:
            cible = services.cible_create(actor, **form.cleaned_data)
        except ValidationError as error:
            show_service_error(form, error)
        except PermissionDenied:
            raise NotFound from None
        else:
            messages.success(request, f"Cible « {cible.label} » ajoutée au catalogue.")
            return redirect("cible-list")
    return _render(request, form, status=400)


def _posted_cible(request, actor):
    """The cible named in the form body, in the caller's OG, for a catalogue manager; else NotFound."""
    if not services.can_manage_cibles(actor):
        raise NotFound
    raw = request.POST.get("cible", "")
    if not raw.isdigit() or len(raw) > 18:
        raise NotFound
    return access_cible(actor, int(raw))


def _set_active(request, active: bool):
    actor = actor_of(request)
    cible = _posted_cible(request, actor)
    try:
        services.cible_set_active(actor, cible=cible, active=active)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied:
        raise NotFound from None
    else:
        state = "réactivée" if active else "désactivée : elle n'est plus proposée à l'écriture"
        messages.success(request, f"Cible « {cible.label} » {state}.")
    return redirect("cible-list")


@login_required
@require_POST
def cible_deactivate(request):
    return _set_active(request, False)


@login_required
@require_POST
def cible_reactivate(request):
    return _set_active(request, True)


@login_required
@require_POST
def cible_set_kinds(request):
    """Where the cible is offered: the kinds of establishment checked in the form."""
    actor = actor_of(request)
    cible = _posted_cible(request, actor)
    try:
        services.cible_set_kinds(actor, cible=cible, essms_kinds=request.POST.getlist("kinds"))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied:
        raise NotFound from None
    else:
        messages.success(request, f"Cible « {cible.label} » : types d'établissement enregistrés.")
    return redirect("cible-list")

"""The cible catalogue of the organisme gestionnaire: everyone who writes transmissions reads it;
direction, cadres de santé and the OG administrator add, deactivate and reactivate entries.

The catalogue belongs to the OG (shared by its ESSMS): the cible to (de)activate is posted in
the form body and looked up in the caller's own OG only.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from dui import audit
from dui.essms_kinds import kind_groups, kinds_summary
from dui.permissions import active_membership
from transmissions.forms import CibleForm
from transmissions.models import Theme
from transmissions.selectors import cibles_for_user
from transmissions.services import cibles as services


def _audit_kwargs(request) -> dict:
    return {"channel": audit.channel_of(request), "ip": audit.client_ip(request)}


def _catalogue(user) -> list[dict]:
    """The catalogue grouped by theme, in theme order (one query), each cible with its kinds."""
    cibles = list(cibles_for_user(user).order_by("label"))
    membership = active_membership(user)
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
    user = request.user
    can_manage = services.can_manage_cibles(user)
    context = {
        "groups": _catalogue(user),
        "can_manage": can_manage,
        "form": (form or CibleForm()) if can_manage else None,
    }
    return render(request, "transmissions/cibles/list.html", context, status=status)


@login_required
@require_GET
def cible_list(request):
    if active_membership(request.user) is None:
        raise Http404
    return _render(request)


@login_required
@require_POST
def cible_create(request):
    if not services.can_manage_cibles(request.user):
        raise Http404
    form = CibleForm(request.POST)
    if form.is_valid():
        try:
            cible = services.cible_create(acting_user=request.user, **form.cleaned_data, **_audit_kwargs(request))
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, f"Cible « {cible.label} » ajoutée au catalogue.")
            return redirect("cible-list")
    return _render(request, form, status=400)


def _posted_cible(request):
    """The cible named in the form body, in the caller's OG, for a catalogue manager; else 404."""
    if not services.can_manage_cibles(request.user):
        raise Http404
    raw = request.POST.get("cible", "")
    cible = cibles_for_user(request.user).filter(pk=int(raw)).first() if raw.isdigit() and len(raw) < 19 else None
    if cible is None:
        raise Http404
    return cible


def _set_active(request, active: bool):
    cible = _posted_cible(request)
    try:
        services.cible_set_active(acting_user=request.user, cible=cible, active=active, **_audit_kwargs(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied:
        raise Http404 from None
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
    cible = _posted_cible(request)
    try:
        services.cible_set_kinds(
            acting_user=request.user, cible=cible, essms_kinds=request.POST.getlist("kinds"), **_audit_kwargs(request)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied:
        raise Http404 from None
    else:
        messages.success(request, f"Cible « {cible.label} » : types d'établissement enregistrés.")
    return redirect("cible-list")

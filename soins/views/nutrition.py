"""The hydration target form of a person's evaluation page (IDE, médecin)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from dui.actor import actor_of
from dui.errors import NotFound
from soins.services import nutrition as nutrition_services
from soins.views.evaluations import _usager


@login_required
@require_POST
def hydration_target(request, pk):
    """Set the person's daily hydration target (IDE, médecin); back to the hydration section."""
    actor = actor_of(request)
    usager = _usager(actor, pk)
    if not nutrition_services.may_set_target(actor, usager):
        raise NotFound
    try:
        target = nutrition_services.hydration_target_set(
            actor,
            usager=usager,
            daily_ml=request.POST.get("daily_ml", ""),
            comment=request.POST.get("comment", ""),
        )
    except PermissionDenied:
        raise NotFound from None
    except ValidationError as error:
        messages.error(request, "Objectif non enregistré : " + " ".join(error.messages))
    else:
        messages.success(request, f"Objectif d'hydratation fixé à {target.daily_ml} mL par jour.")
    return redirect(reverse("usager-evaluations", kwargs={"pk": usager.pk}) + "#grille-hydratation")

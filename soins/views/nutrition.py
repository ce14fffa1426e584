"""The hydration target form of a person's evaluation page (IDE, médecin)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from dui import audit
from soins.services import nutrition as nutrition_services
from soins.views.evaluations import _usager


@login_required
@require_POST
def hydration_target(request, pk):
    """Set the person's daily hydration target (IDE, médecin); back to the hydration section."""
    usager = _usager(request, pk)
    if not nutrition_services.may_set_target(request.user, usager):
        raise Http404
    try:
        target = nutrition_services.hydration_target_set(
            request.user,
            usager=usager,
            daily_ml=request.POST.get("daily_ml", ""),
            comment=request.POST.get("comment", ""),
            channel=audit.channel_of(request),
            ip=audit.client_ip(request),
        )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, "Objectif non enregistré : " + " ".join(error.messages))
    else:
        messages.success(request, f"Objectif d'hydratation fixé à {target.daily_ml} mL par jour.")
    return redirect(reverse("usager-evaluations", kwargs={"pk": usager.pk}) + "#grille-hydratation")

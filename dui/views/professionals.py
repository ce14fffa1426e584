"""The professionals of the active ESSMS and their RPPS, kept by the administrator."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from dui.actor import actor_of
from dui.catalogue import WRITE
from dui.permissions import can
from dui.selectors.people import essms_professional, essms_professionals
from dui.services.people import professional_rpps_set
from dui.views.service_errors import show_service_error


class RppsForm(forms.Form):
    rpps = forms.CharField(
        label="Numéro RPPS",
        required=False,
        max_length=20,
        help_text="11 chiffres, clé de contrôle comprise (carte CPS). Laisser vide pour effacer.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}),
    )


@require_http_methods(["GET"])
@login_required
def professional_list(request):
    actor = actor_of(request)
    context = {"professionals": essms_professionals(actor), "can_edit": can(actor, WRITE, "habilitations")}
    return render(request, "dui/professionals/list.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def professional_rpps(request, pk: int):
    actor = actor_of(request)
    professional = essms_professional(actor, pk)  # first: anyone else is a 404
    actor.require(WRITE, "habilitations")
    form = RppsForm(request.POST or None, initial={"rpps": professional.rpps})
    if request.method == "POST" and form.is_valid():
        try:
            professional_rpps_set(actor, professional, form.cleaned_data["rpps"])
        except (ValidationError, PermissionDenied) as error:
            show_service_error(form, error, default_field="rpps")
        else:
            name = professional.get_full_name() or professional.username
            messages.success(request, f"Numéro RPPS de {name} enregistré.")
            return redirect("professional-list")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "dui/professionals/rpps_form.html", {"form": form, "professional": professional}, status=status
    )

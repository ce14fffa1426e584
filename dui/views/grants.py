"""Cross-ESSMS grants: open one dossier, for a limited time, to a professional of another ESSMS of the OG."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from dui import governance, services
from dui.actor import actor_of
from dui.catalogue import VALIDATE
from dui.errors import NotFound
from dui.views.service_errors import show_service_error


class GrantForm(forms.Form):
    usager = forms.ModelChoiceField(
        label="Usager",
        queryset=None,
        empty_label="— Choisir un usager —",
        error_messages={
            "required": "Choisissez un usager.",
            "invalid_choice": "Choisissez un usager de l'établissement actif.",
        },
    )
    grantee = forms.CharField(
        label="Professionnel bénéficiaire (identifiant de connexion)",
        max_length=150,
        error_messages={"required": "Indiquez l'identifiant du professionnel bénéficiaire."},
        help_text="Professionnel d'un autre établissement du même organisme gestionnaire.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}),
    )
    expires_at = forms.DateTimeField(
        label="Fin de l'accès",
        help_text=f"Au plus {governance.GRANT_MAX_DAYS} jours à compter de maintenant.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M"],
        error_messages={
            "required": "Indiquez la date et l'heure de fin de l'accès.",
            "invalid": "Date et heure invalides (format attendu : jj/mm/aaaa hh:mm).",
        },
    )
    reason = forms.CharField(label="Motif", max_length=200, error_messages={"required": "Le motif est obligatoire."})
    write = forms.BooleanField(
        label="Autoriser aussi l'écriture",
        required=False,
        help_text="Sinon, l'accès est en lecture seule. La matrice d'habilitation du bénéficiaire s'applique toujours.",
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["usager"].queryset = governance.grantable_usagers_for_user(actor)

    def clean_grantee(self):
        return governance.grantee_in_og(self.actor, username=self.cleaned_data["grantee"])

    def clean_expires_at(self):
        expires_at = self.cleaned_data["expires_at"]
        governance.validate_grant_expiry(expires_at)
        return expires_at

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError("Le motif est obligatoire.")
        return reason


@require_http_methods(["GET"])
@login_required
def grant_list(request):
    grants = governance.grants_page(actor_of(request))
    return render(request, "dui/grants/list.html", {"grants": grants})


@require_http_methods(["GET", "POST"])
@login_required
def grant_create(request):
    actor = actor_of(request)
    actor.require(VALIDATE, "identite")
    form = GrantForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.usager_grant_create(
                actor,
                usager=data["usager"],
                grantee=data["grantee"],
                expires_at=data["expires_at"],
                reason=data["reason"],
                write=data["write"],
            )
        except (ValidationError, PermissionDenied) as error:
            show_service_error(form, error)
        else:
            grantee = data["grantee"]
            messages.success(
                request,
                f"Accès exceptionnel accordé à {grantee.get_full_name() or grantee.username} "
                f"sur le dossier de {data['usager']}.",
            )
            return redirect("grant-list")
    status = 400 if request.method == "POST" else 200
    return render(request, "dui/grants/form.html", {"form": form}, status=status)


@require_POST
@login_required
def grant_revoke(request, pk: int):
    actor = actor_of(request)
    grant = governance.grant_for_user(actor, pk)  # first: another ESSMS's grant is a 404
    actor.require(VALIDATE, "identite")
    try:
        governance.usager_grant_revoke(actor, grant=grant)
    except PermissionDenied as error:
        raise NotFound from error
    messages.success(request, f"Accès de {grant.user.username} au dossier de {grant.content_object} révoqué.")
    return redirect("grant-list")

"""Cross-ESSMS grants: open one dossier, for a limited time, to a professional of another ESSMS of the OG."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from dui import audit, governance, services
from dui.catalogue import VALIDATE
from dui.permissions import require


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

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["usager"].queryset = governance.grantable_usagers_for_user(user)

    def clean_grantee(self):
        return governance.grantee_in_og(acting_user=self.user, username=self.cleaned_data["grantee"])

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
    require(request.user, VALIDATE, "identite")
    grants = list(governance.grants_for_user(request.user))
    usagers = {grant.content_object.pk: grant.content_object for grant in grants}
    audit.log_reads(
        request.user,
        usagers.values(),
        channel=audit.channel_of(request),
        detail="liste des accès exceptionnels",
        ip=audit.client_ip(request),
    )
    return render(request, "dui/grants/list.html", {"grants": grants})


@require_http_methods(["GET", "POST"])
@login_required
def grant_create(request):
    require(request.user, VALIDATE, "identite")
    form = GrantForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.usager_grant_create(
                acting_user=request.user,
                usager=data["usager"],
                grantee=data["grantee"],
                expires_at=data["expires_at"],
                reason=data["reason"],
                write=data["write"],
            )
        except ValidationError as error:
            for field, field_errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, field_errors)
        except PermissionDenied as error:
            form.add_error(None, str(error))
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
    grant = governance.grant_for_user(request.user, pk)  # first: another ESSMS's grant is a 404
    require(request.user, VALIDATE, "identite")
    try:
        governance.usager_grant_revoke(acting_user=request.user, grant=grant)
    except PermissionDenied as error:
        raise Http404 from error
    messages.success(request, f"Accès de {grant.user.username} au dossier de {grant.content_object} révoqué.")
    return redirect("grant-list")

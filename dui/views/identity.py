"""Identity screens: create, edit, INSi retrieval, validation on a document, merge of duplicates."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from dui import selectors
from dui.actor import actor_of
from dui.errors import RightRefused
from dui.forms_identity import IdentityProofForm, MergeSearchForm, UsagerIdentityForm
from dui.ins import IdentityStatus
from dui.selectors import identity as identity_selectors
from dui.services import identity as identity_services
from dui.services import merge as merge_services
from dui.views.service_errors import show_service_error

MERGE_REFUSED = (
    "Seul un professionnel habilité à l'identitovigilance (la direction par défaut) peut fusionner des dossiers."
)


def _initial(usager) -> dict:
    initial = {
        field: getattr(usager, field)
        for field in (
            "birth_name",
            "first_names",
            "used_name",
            "used_first_name",
            "birth_date",
            "sex",
            "birth_place_code",
            "identity_status",
            "identity_attribute",
        )
    }
    initial["ins_matricule"] = usager.shareable_matricule
    return initial


@login_required
def usager_create(request):
    actor = actor_of(request)
    actor.require("write", "identite")
    essms = actor.membership.essms
    form = UsagerIdentityForm(request.POST or None, essms=essms, can_validate=actor.can("validate", "identite"))
    duplicates = []
    if request.method == "POST" and form.is_valid():
        try:
            usager = identity_services.usager_create(
                actor, data=form.service_data(), confirm_duplicate=form.cleaned_data["confirm_duplicate"]
            )
        except identity_services.DuplicateSuspectedError as exc:
            duplicates = identity_selectors.duplicates_shown(actor, exc.duplicates)
        except (PermissionDenied, RightRefused, ValidationError) as exc:
            show_service_error(form, exc)
        else:
            messages.success(request, f"Dossier de {usager} créé.")
            return redirect("usager-detail", pk=usager.pk)
    return render(
        request,
        "dui/identity/form.html",
        {"form": form, "duplicates": duplicates, "creating": True, "title": "Nouveau dossier usager"},
    )


@login_required
def usager_edit(request, pk: int):
    actor = actor_of(request)
    usager = (
        selectors.access_usager(actor, pk, action="write")
        if request.method == "POST"
        else identity_selectors.identity_page(actor, pk)
    )
    hidden_matricule = bool(usager.ins_matricule) and not usager.is_qualified
    form = UsagerIdentityForm(
        request.POST or None,
        initial=_initial(usager),
        essms=usager.essms,
        can_validate=False,
        with_proof=False,
        hidden_matricule=hidden_matricule,
    )
    duplicates = []
    if request.method == "POST" and form.is_valid():
        try:
            usager = identity_services.usager_update(
                actor,
                usager=usager,
                data=form.service_data(),
                confirm_duplicate=form.cleaned_data["confirm_duplicate"],
            )
        except identity_services.DuplicateSuspectedError as exc:
            duplicates = identity_selectors.duplicates_shown(actor, exc.duplicates)
        except (PermissionDenied, RightRefused, ValidationError) as exc:
            show_service_error(form, exc)
        else:
            messages.success(request, "Identité enregistrée.")
            return redirect("usager-edit", pk=usager.pk)
    return render(
        request,
        "dui/identity/form.html",
        {
            "form": form,
            "duplicates": duplicates,
            "creating": False,
            "usager": usager,
            "title": f"Identité de {usager}",
            "proof_form": IdentityProofForm(essms=usager.essms),
            "can_validate": actor.can("validate", usager),
            "can_merge": actor.can("validate", "identitovigilance"),
            "statuses": IdentityStatus,
        },
    )


@login_required
@require_POST
def usager_validate_identity(request, pk: int):
    actor = actor_of(request)
    usager = selectors.access_usager(actor, pk, action="validate")
    form = IdentityProofForm(request.POST, essms=usager.essms)
    if not form.is_valid():
        messages.error(request, "Choisissez le justificatif d'identité contrôlé.")
        return redirect("usager-edit", pk=usager.pk)
    try:
        usager = identity_services.usager_validate_identity(actor, usager=usager, proof=form.cleaned_data["proof"])
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
    else:
        messages.success(request, f"Identité validée : statut « {usager.get_identity_status_display()} ».")
    return redirect("usager-edit", pk=usager.pk)


@login_required
@require_POST
def usager_insi(request, pk: int):
    actor = actor_of(request)
    usager = selectors.access_usager(actor, pk, action="write")
    try:
        usager = identity_services.usager_fetch_insi(actor, usager=usager)
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
    else:
        messages.success(request, f"Identité récupérée par INSi : statut « {usager.get_identity_status_display()} ».")
        if usager.validation_dropped:
            messages.warning(
                request,
                "Les traits renvoyés par INSi diffèrent de ceux validés : contrôlez à nouveau la pièce d'identité.",
            )
    return redirect("usager-edit", pk=usager.pk)


@login_required
def usager_merge(request, pk: int):
    actor = actor_of(request)
    kept = selectors.access_usager(actor, pk)
    if not actor.can("validate", "identitovigilance"):
        return render(
            request, "dui/identity/merge_refused.html", {"usager": kept, "message": MERGE_REFUSED}, status=403
        )
    other_id = request.POST.get("other") or request.GET.get("other")
    if request.method == "POST":
        other = identity_selectors.access_merge_candidate(actor, kept=kept, pk=other_id)
        try:
            merge_services.usager_merge(actor, kept=kept, merged=other)
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
            return redirect(f"{request.path}?other={other.pk}")
        messages.success(request, f"Dossier n° {other.pk} fusionné dans celui-ci : tout son contenu y est repris.")
        return redirect("usager-detail", pk=kept.pk)

    search = None
    query = ""
    if not other_id:
        search = MergeSearchForm(request.GET or None)
        query = search.cleaned_data["q"] if search.is_valid() else ""
    context = identity_selectors.merge_page(actor, kept=kept, other_id=other_id, query=query)
    if search is not None:
        context["search"] = search
    return render(request, "dui/identity/merge.html", context)

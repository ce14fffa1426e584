"""Identity screens: create, edit, INSi retrieval, validation on a document, merge of duplicates."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from dui import audit, selectors
from dui.forms_identity import IdentityProofForm, MergeSearchForm, UsagerIdentityForm
from dui.ins import IdentityStatus
from dui.models import AccessAction
from dui.permissions import can, require
from dui.selectors import identity as identity_selectors
from dui.services import identity as identity_services

MERGE_REFUSED = (
    "Seul un professionnel habilité à l'identitovigilance (la direction par défaut) peut fusionner des dossiers."
)


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _audit_kwargs(request) -> dict:
    return {"channel": audit.channel_of(request), "ip": audit.client_ip(request)}


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
    user = request.user
    require(user, "write", "identite")
    essms = user.membership.essms
    form = UsagerIdentityForm(request.POST or None, essms=essms, can_validate=can(user, "validate", "identite"))
    duplicates = []
    if request.method == "POST" and form.is_valid():
        try:
            usager = identity_services.usager_create(
                acting_user=user,
                data=form.service_data(),
                confirm_duplicate=form.cleaned_data["confirm_duplicate"],
                **_audit_kwargs(request),
            )
        except identity_services.DuplicateSuspectedError as exc:
            duplicates = exc.duplicates
            audit.log_reads(user, duplicates, detail="doublons possibles", ip=audit.client_ip(request))
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            _add_errors(form, exc)
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
    user = request.user
    usager = selectors.access_usager(user, pk=pk, action="write")
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
                acting_user=user,
                usager=usager,
                data=form.service_data(),
                confirm_duplicate=form.cleaned_data["confirm_duplicate"],
                **_audit_kwargs(request),
            )
        except identity_services.DuplicateSuspectedError as exc:
            duplicates = exc.duplicates
            audit.log_reads(user, duplicates, detail="doublons possibles", ip=audit.client_ip(request))
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "Identité enregistrée.")
            return redirect("usager-edit", pk=usager.pk)
    elif request.method != "POST":
        audit.log_access(user, AccessAction.READ, usager, detail="identité", ip=audit.client_ip(request))
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
            "can_validate": can(user, "validate", usager),
            "can_merge": can(user, "validate", "identitovigilance"),
            "statuses": IdentityStatus,
        },
    )


@login_required
@require_POST
def usager_validate_identity(request, pk: int):
    user = request.user
    usager = selectors.access_usager(user, pk=pk, action="validate")
    form = IdentityProofForm(request.POST, essms=usager.essms)
    if not form.is_valid():
        messages.error(request, "Choisissez le justificatif d'identité contrôlé.")
        return redirect("usager-edit", pk=usager.pk)
    try:
        usager = identity_services.usager_validate_identity(
            acting_user=user, usager=usager, proof=form.cleaned_data["proof"], **_audit_kwargs(request)
        )
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
    else:
        messages.success(request, f"Identité validée : statut « {usager.get_identity_status_display()} ».")
    return redirect("usager-edit", pk=usager.pk)


@login_required
@require_POST
def usager_insi(request, pk: int):
    user = request.user
    usager = selectors.access_usager(user, pk=pk, action="write")
    try:
        usager = identity_services.usager_fetch_insi(acting_user=user, usager=usager, **_audit_kwargs(request))
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
    user = request.user
    kept = selectors.access_usager(user, pk=pk)
    if not can(user, "validate", "identitovigilance"):
        return render(
            request, "dui/identity/merge_refused.html", {"usager": kept, "message": MERGE_REFUSED}, status=403
        )
    other_id = request.POST.get("other") or request.GET.get("other")
    if request.method == "POST":
        other = identity_selectors.access_merge_candidate(user=user, kept=kept, pk=other_id)
        if other is None:
            raise Http404
        try:
            identity_services.usager_merge(acting_user=user, kept=kept, merged=other, **_audit_kwargs(request))
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
            return redirect(f"{request.path}?other={other.pk}")
        messages.success(request, f"Dossier n° {other.pk} fusionné dans celui-ci : tout son contenu y est repris.")
        return redirect("usager-detail", pk=kept.pk)

    context = {"usager": kept, "kept_counts": identity_selectors.related_row_counts(kept)}
    audit.log_access(user, AccessAction.READ, kept, detail="fusion de dossiers", ip=audit.client_ip(request))
    if other_id:
        other = identity_selectors.access_merge_candidate(user=user, kept=kept, pk=other_id)
        if other is None:
            raise Http404
        audit.log_access(user, AccessAction.READ, other, detail="fusion de dossiers", ip=audit.client_ip(request))
        context.update(other=other, other_counts=identity_selectors.related_row_counts(other))
    else:
        search = MergeSearchForm(request.GET or None)
        query = search.cleaned_data["q"] if search.is_valid() else ""
        suspected = identity_selectors.find_suspected_duplicates(
            user=user,
            data={f: getattr(kept, f) for f in ("birth_name", "first_names", "birth_date", "sex", "ins_matricule")},
            exclude_pk=kept.pk,
        )
        found = list(identity_selectors.merge_candidates(user=user, kept=kept, query=query)[:20]) if query else []
        audit.log_reads(user, [*suspected, *found], detail="fusion de dossiers", ip=audit.client_ip(request))
        context.update(search=search, suspected=suspected, found=found, query=query)
    return render(request, "dui/identity/merge.html", context)

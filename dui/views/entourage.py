"""Entourage pages: contacts grouped by role, référent and suppléant. Reads audited, writes through services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from dui import audit, selectors
from dui.catalogue import WRITE
from dui.forms_entourage import ContactForm, ReferentForm
from dui.models import AccessAction, Contact, ContactRole, Referent
from dui.selectors import entourage as entourage_selectors
from dui.selectors.medical import can_section
from dui.services import entourage as entourage_services


def apply_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has it, else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def documents_url(usager) -> str | None:
    """The dossier's documents page, when that feature is installed."""
    try:
        return reverse("usager-documents", args=[usager.pk])
    except NoReverseMatch:
        return None


def dossier_context(request, usager, current: str) -> dict:
    return {"usager": usager, "current_section": current, "documents_url": documents_url(usager)}


def writable(user, usager, code: str) -> bool:
    return usager.archived_at is None and can_section(user, WRITE, usager, code)


def _require_writable(user, usager, code: str) -> None:
    if not writable(user, usager, code):
        raise Http404


@login_required
def usager_entourage(request, pk: int):
    usager = selectors.access_usager(request.user, pk=pk)
    page = entourage_selectors.entourage_page(user=request.user, usager=usager)
    audit.log_reads(
        request.user,
        [usager, *page.rows],
        channel=audit.channel_of(request),
        detail="entourage",
        ip=audit.client_ip(request),
    )
    can_write_referents = page.shows_referents and writable(request.user, usager, Referent.document_class_code)
    context = {
        **dossier_context(request, usager, "entourage"),
        "page": page,
        "can_write_contacts": page.groups is not None and writable(request.user, usager, Contact.document_class_code),
        "can_write_referents": can_write_referents,
        "referent_form": ReferentForm(candidates=entourage_selectors.referent_candidates(usager=usager))
        if can_write_referents
        else None,
    }
    return render(request, "dui/entourage/page.html", context)


@login_required
def contact_add(request, pk: int):
    usager = selectors.access_usager(request.user, pk=pk)
    _require_writable(request.user, usager, Contact.document_class_code)
    if request.method == "POST":
        form = ContactForm(request.POST)
        if form.is_valid():
            try:
                contact = entourage_services.contact_add(
                    acting_user=request.user,
                    usager=usager,
                    channel=audit.channel_of(request),
                    ip=audit.client_ip(request),
                    **form.cleaned_data,
                )
            except ValidationError as error:
                apply_errors(form, error)
            except PermissionDenied:
                raise Http404 from None
            else:
                messages.success(request, f"{contact.get_role_display()} ajouté(e) : {contact}.")
                return redirect("usager-entourage", pk=usager.pk)
    else:
        role = request.GET.get("role", "")
        form = ContactForm(initial={"role": role} if role in ContactRole.values else None)
    context = {**dossier_context(request, usager, "entourage"), "form": form, "contact": None}
    return render(request, "dui/entourage/contact_form.html", context)


@login_required
def contact_edit(request, pk: int, contact_pk: int):
    usager = selectors.access_usager(request.user, pk=pk)
    contact = entourage_selectors.contact_for(user=request.user, usager=usager, pk=contact_pk)
    _require_writable(request.user, usager, Contact.document_class_code)
    if request.method == "POST":
        form = ContactForm(request.POST, instance=Contact.objects.get(pk=contact.pk))
        if form.is_valid():
            try:
                entourage_services.contact_update(
                    acting_user=request.user,
                    contact=contact,
                    channel=audit.channel_of(request),
                    ip=audit.client_ip(request),
                    **form.cleaned_data,
                )
            except ValidationError as error:
                apply_errors(form, error)
            except PermissionDenied:
                raise Http404 from None
            else:
                messages.success(request, f"Contact modifié : {contact}.")
                return redirect("usager-entourage", pk=usager.pk)
    else:
        audit.log_access(
            request.user, AccessAction.READ, contact, channel=audit.channel_of(request), ip=audit.client_ip(request)
        )
        form = ContactForm(instance=contact)
    context = {**dossier_context(request, usager, "entourage"), "form": form, "contact": contact}
    return render(request, "dui/entourage/contact_form.html", context)


@login_required
@require_POST
def contact_end(request, pk: int, contact_pk: int):
    usager = selectors.access_usager(request.user, pk=pk)
    contact = entourage_selectors.contact_for(user=request.user, usager=usager, pk=contact_pk)
    _require_writable(request.user, usager, Contact.document_class_code)
    try:
        entourage_services.contact_end(
            acting_user=request.user, contact=contact, channel=audit.channel_of(request), ip=audit.client_ip(request)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied:
        raise Http404 from None
    else:
        messages.success(request, f"Contact clos : {contact}. Il reste dans l'historique du dossier.")
    return redirect("usager-entourage", pk=usager.pk)


@login_required
def referent_set(request, pk: int):
    usager = selectors.access_usager(request.user, pk=pk)
    _require_writable(request.user, usager, Referent.document_class_code)
    candidates = entourage_selectors.referent_candidates(usager=usager)
    if request.method == "POST":
        form = ReferentForm(request.POST, candidates=candidates)
        if form.is_valid():
            try:
                referent = entourage_services.referent_set(
                    acting_user=request.user,
                    usager=usager,
                    user=form.cleaned_data["user"],
                    role=form.cleaned_data["role"],
                    channel=audit.channel_of(request),
                    ip=audit.client_ip(request),
                )
            except ValidationError as error:
                apply_errors(form, error)
            except PermissionDenied:
                raise Http404 from None
            else:
                name = referent.user.get_full_name() or referent.user.username
                messages.success(request, f"{referent.get_role_display()} désigné(e) : {name}.")
                return redirect("usager-entourage", pk=usager.pk)
    else:
        form = ReferentForm(candidates=candidates, initial={"role": request.GET.get("role", "referent")})
    context = {**dossier_context(request, usager, "entourage"), "form": form}
    return render(request, "dui/entourage/referent_form.html", context)

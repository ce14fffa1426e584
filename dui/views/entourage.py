"""Entourage pages: contacts grouped by role, référent and suppléant. Reads audited, writes through services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from dui import selectors
from dui.actor import actor_of
from dui.catalogue import WRITE
from dui.errors import NotFound
from dui.forms_entourage import ContactForm, ReferentForm
from dui.models import Contact, ContactRole, Referent
from dui.selectors import entourage as entourage_selectors
from dui.selectors.medical import can_section
from dui.services import entourage as entourage_services
from dui.views.service_errors import show_service_error


def documents_url(usager) -> str | None:
    """The dossier's documents page, when that feature is installed."""
    try:
        return reverse("usager-documents", args=[usager.pk])
    except NoReverseMatch:
        return None


def dossier_context(request, usager, current: str) -> dict:
    return {"usager": usager, "current_section": current, "documents_url": documents_url(usager)}


def writable(actor, usager, code: str) -> bool:
    return usager.archived_at is None and can_section(actor, WRITE, usager, code)


def _require_writable(actor, usager, code: str) -> None:
    if not writable(actor, usager, code):
        raise NotFound


@login_required
def usager_entourage(request, pk: int):
    actor = actor_of(request)
    usager = selectors.access_usager(actor, pk)
    page = entourage_selectors.entourage_page(actor, usager=usager)
    can_write_referents = page.shows_referents and writable(actor, usager, Referent.document_class_code)
    context = {
        **dossier_context(request, usager, "entourage"),
        "page": page,
        "can_write_contacts": page.groups is not None and writable(actor, usager, Contact.document_class_code),
        "can_write_referents": can_write_referents,
        "referent_form": ReferentForm(candidates=entourage_selectors.referent_candidates(actor, usager=usager))
        if can_write_referents
        else None,
    }
    return render(request, "dui/entourage/page.html", context)


@login_required
def contact_add(request, pk: int):
    actor = actor_of(request)
    usager = selectors.access_usager(actor, pk)
    _require_writable(actor, usager, Contact.document_class_code)
    if request.method == "POST":
        form = ContactForm(request.POST)
        if form.is_valid():
            try:
                contact = entourage_services.contact_add(
                    actor,
                    usager=usager,
                    **form.cleaned_data,
                )
            except ValidationError as error:
                show_service_error(form, error)
            except PermissionDenied:
                raise NotFound from None
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
    actor = actor_of(request)
    usager = selectors.access_usager(actor, pk)
    if request.method == "POST":
        contact = entourage_selectors.contact_for(actor, usager=usager, pk=contact_pk)
    else:
        contact = entourage_selectors.contact_page(actor, usager=usager, pk=contact_pk)
    _require_writable(actor, usager, Contact.document_class_code)
    if request.method == "POST":
        # A copy for the form: the service compares its changes with the contact as it was.
        form = ContactForm(request.POST, instance=entourage_selectors.contact_for(actor, usager=usager, pk=contact.pk))
        if form.is_valid():
            try:
                entourage_services.contact_update(
                    actor,
                    contact=contact,
                    **form.cleaned_data,
                )
            except ValidationError as error:
                show_service_error(form, error)
            except PermissionDenied:
                raise NotFound from None
            else:
                messages.success(request, f"Contact modifié : {contact}.")
                return redirect("usager-entourage", pk=usager.pk)
    else:
        form = ContactForm(instance=contact)
    context = {**dossier_context(request, usager, "entourage"), "form": form, "contact": contact}
    return render(request, "dui/entourage/contact_form.html", context)


@login_required
@require_POST
def contact_end(request, pk: int, contact_pk: int):
    actor = actor_of(request)
    usager = selectors.access_usager(actor, pk)
    contact = entourage_selectors.contact_for(actor, usager=usager, pk=contact_pk)
    _require_writable(actor, usager, Contact.document_class_code)
    try:
        entourage_services.contact_end(actor, contact=contact)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied:
        raise NotFound from None
    else:
        messages.success(request, f"Contact clos : {contact}. Il reste dans l'historique du dossier.")
    return redirect("usager-entourage", pk=usager.pk)


@login_required
def referent_set(request, pk: int):
    actor = actor_of(request)
    usager = selectors.access_usager(actor, pk)
    _require_writable(actor, usager, Referent.document_class_code)
    candidates = entourage_selectors.referent_candidates(actor, usager=usager)
    if request.method == "POST":
        form = ReferentForm(request.POST, candidates=candidates)
        if form.is_valid():
            try:
                referent = entourage_services.referent_set(
                    actor,
                    usager=usager,
                    user=form.cleaned_data["user"],
                    role=form.cleaned_data["role"],
                )
            except ValidationError as error:
                show_service_error(form, error)
            except PermissionDenied:
                raise NotFound from None
            else:
                name = referent.user.get_full_name() or referent.user.username
                messages.success(request, f"{referent.get_role_display()} désigné(e) : {name}.")
                return redirect("usager-entourage", pk=usager.pk)
    else:
        form = ReferentForm(candidates=candidates, initial={"role": request.GET.get("role", "referent")})
    context = {**dossier_context(request, usager, "entourage"), "form": form}
    return render(request, "dui/entourage/referent_form.html", context)

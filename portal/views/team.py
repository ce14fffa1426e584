"""The dossier's « Portail famille » page: consent, invitations, accesses, shared documents, messages.

Reached through dui's access_usager (another ESSMS: 404), then the class portail_famille.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dui import selectors as dui_selectors
from dui.actor import actor_of
from dui.catalogue import WRITE
from dui.errors import RightRefused
from dui.selectors.documents import access_document
from dui.views.service_errors import show_service_error
from portal import selectors, services
from portal.forms import ConsentForm, FlagsForm, InvitationForm, MessageForm
from portal.models import PortalConsent


def _page(request, actor, usager, *, status=200, **forms):
    page = selectors.team_page(actor, usager=usager)
    writable = actor.can(WRITE, PortalConsent(essms_id=usager.essms_id, usager=usager))
    context = {"page": page, "usager": usager, "writable": writable}
    if writable:
        context["consent_form"] = forms.get("consent_form") or ConsentForm(
            representatives=selectors.legal_representatives(usager), auto_id="consent_%s"
        )
        context["invitation_form"] = forms.get("invitation_form") or InvitationForm(
            contacts=usager.contacts.filter(ended_at__isnull=True), auto_id="invite_%s"
        )
    context |= {k: v for k, v in forms.items() if k not in context}
    return render(request, "portal/team.html", context, status=status)


@require_GET
@login_required
def manage(request, pk):
    actor = actor_of(request)
    usager = dui_selectors.access_usager(actor, pk)
    return _page(request, actor, usager)


@require_POST
@login_required
def consent_record(request, pk):
    actor = actor_of(request)
    usager = dui_selectors.access_usager(actor, pk)
    representatives = selectors.legal_representatives(usager)
    form = ConsentForm(request.POST, representatives=representatives, auto_id="consent_%s")
    if form.is_valid():
        data = form.cleaned_data
        representative = representatives.filter(pk=data["representative"]).first() if data["representative"] else None
        try:
            services.consent_record(
                actor, usager=usager, given_by=data["given_by"], given_on=data["given_on"],
                representative=representative,
            )  # fmt: skip
        except (ValidationError, RightRefused) as error:
            show_service_error(form, error)
        else:
            messages.success(request, "Consentement au portail enregistré.")
            return redirect("portal-manage", pk=usager.pk)
    return _page(request, actor, usager, status=400, consent_form=form)


@require_POST
@login_required
def consent_withdraw(request, pk):
    actor = actor_of(request)
    usager = dui_selectors.access_usager(actor, pk)
    try:
        services.consent_withdraw(actor, usager=usager)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Consentement retiré : tous les accès au portail de la personne sont fermés.")
    return redirect("portal-manage", pk=usager.pk)


@require_POST
@login_required
def invite(request, pk):
    actor = actor_of(request)
    usager = dui_selectors.access_usager(actor, pk)
    contacts = usager.contacts.filter(ended_at__isnull=True)
    form = InvitationForm(request.POST, contacts=contacts, auto_id="invite_%s")
    if form.is_valid():
        data = form.cleaned_data
        contact = contacts.filter(pk=data["contact"]).first() if data["contact"] else None
        try:
            invitation, token = services.invitation_create(
                actor, usager=usager, relation=data["relation"], contact=contact, email=data["email"],
                flags=form.flags(),
            )  # fmt: skip
        except (ValidationError, RightRefused) as error:
            show_service_error(form, error, default_field=None)
        else:
            link = request.build_absolute_uri(reverse("portal-accept", kwargs={"token": token}))
            sent = services.invitation_send(invitation, link)
            # Shown once: only the token's hash is kept.
            return _page(request, actor, usager, new_link=link, new_link_sent=sent, new_invitation=invitation)
    return _page(request, actor, usager, status=400, invitation_form=form)


@require_POST
@login_required
def revoke(request, pk, access_pk):
    actor = actor_of(request)
    usager = dui_selectors.access_usager(actor, pk)
    access = selectors.access_for_team(actor, usager=usager, pk=access_pk)
    try:
        services.access_revoke(actor, access=access)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Accès de {access.account.display_name} révoqué.")
    return redirect("portal-manage", pk=usager.pk)


@require_POST
@login_required
def flags(request, pk, access_pk):
    actor = actor_of(request)
    usager = dui_selectors.access_usager(actor, pk)
    access = selectors.access_for_team(actor, usager=usager, pk=access_pk)
    form = FlagsForm(request.POST, access=access)
    if form.is_valid():
        try:
            services.access_set_flags(actor, access=access, flags=form.flags())
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Ce que voit {access.account.display_name} est enregistré.")
    return redirect("portal-manage", pk=usager.pk)


@require_POST
@login_required
def share(request, pk, document_pk):
    actor = actor_of(request)
    usager = dui_selectors.access_usager(actor, pk)
    document = access_document(actor, usager=usager, pk=document_pk)
    shared = request.POST.get("shared") == "1"
    services.document_share(actor, usager=usager, document=document, shared=shared)
    word = "partagé sur le portail" if shared else "retiré du portail"
    messages.success(request, f"Document « {document.title} » {word}.")
    return redirect(reverse("portal-manage", kwargs={"pk": usager.pk}) + "#documents")


@require_http_methods(["GET", "POST"])
@login_required
def team_thread(request, pk, access_pk):
    actor = actor_of(request)
    usager = dui_selectors.access_usager(actor, pk)
    access = selectors.access_for_team(actor, usager=usager, pk=access_pk)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.message_from_team(actor, access=access, body=form.cleaned_data["body"])
        except (ValidationError, RightRefused) as error:
            show_service_error(form, error)
        else:
            messages.success(request, "Réponse envoyée.")
            return redirect("portal-team-thread", pk=usager.pk, access_pk=access.pk)
    rows = selectors.team_thread(actor, access=access)
    services.thread_mark_read(access=access, by_team=True)
    context = {"usager": usager, "access": access, "rows": rows, "form": form}
    return render(request, "portal/team_thread.html", context, status=400 if form.errors else 200)

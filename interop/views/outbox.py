"""Pages of the outbox ("Envois"), of the dossier's DMP information and sendings, and of the MSSanté queue."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from dui import selectors
from dui.actor import actor_of
from dui.catalogue import WRITE
from dui.errors import NotFound, RightRefused
from dui.models import DmpConsent
from dui.selectors import documents as document_selectors
from dui.selectors.dmp import dmp_consent_of
from dui.services.dmp import dmp_consent_record
from dui.views.service_errors import show_service_error
from interop.forms import DeliveryFilterForm, DmpConsentForm, FileForm, SendForm
from interop.mssante.selectors import inbox_for_user, inbox_item_for_user, may_file, suggestions
from interop.mssante.services import inbox_file
from interop.outbox import rules
from interop.outbox.selectors import deliveries_for_user, delivery_for_user, logged
from interop.outbox.services import address_book, delivery_queue, delivery_retry


def _sendable(actor, usager):
    return [
        d
        for d in document_selectors.documents_page(actor, usager=usager)
        if not rules.class_refusal(d.document_class.code)
    ]


def _dossier_context(actor, usager, *, send_form=None, consent_form=None):
    consent = dmp_consent_of(usager)
    documents = _sendable(actor, usager)
    if send_form is None:
        send_form = SendForm(documents=documents, initial={"connector": "dmp", "confidentiality": "N"})
    if consent_form is None:
        initial = {}
        if consent is not None:
            initial = {f: getattr(consent, f) for f in DmpConsentForm.base_fields}
        consent_form = DmpConsentForm(initial=initial, auto_id="dmp_%s")
    return {
        "usager": usager,
        "consent": consent,
        "dmp_refusal": rules.dmp_refusal(usager),
        "deliveries": logged(actor, deliveries_for_user(actor, usager_id=usager.pk), "envois du dossier"),
        "send_form": send_form if documents and not usager.is_archived else None,
        "consent_form": consent_form if actor.can(WRITE, DmpConsent(essms_id=usager.essms_id, usager=usager)) else None,
        "address_book": address_book(usager),
    }


@require_GET
@login_required
def usager_deliveries(request, pk: int):
    actor = actor_of(request)
    usager = selectors.access_usager(actor, pk)
    return render(request, "interop/usager_deliveries.html", _dossier_context(actor, usager))


@require_POST
@login_required
def usager_send(request, pk: int):
    actor = actor_of(request)
    usager = selectors.access_usager(actor, pk)
    form = SendForm(request.POST, documents=_sendable(actor, usager))
    if form.is_valid():
        data = form.cleaned_data
        try:
            document = document_selectors.access_document(actor, usager=usager, pk=data["document"])
            delivery_queue(
                actor, document=document, connector=data["connector"], recipient=data["recipient"],
                confidentiality=data["confidentiality"], masking=data["masking"],
            )  # fmt: skip
        except (ValidationError, PermissionDenied, RightRefused) as error:
            show_service_error(form, error, field_map={"connector": "connector"})
        else:
            messages.success(request, "Document mis dans les envois : il partira dès que possible.")
            return redirect("usager-deliveries", pk=usager.pk)
    context = _dossier_context(actor, usager, send_form=form)
    return render(request, "interop/usager_deliveries.html", context, status=400)


@require_POST
@login_required
def usager_dmp_consent(request, pk: int):
    actor = actor_of(request)
    usager = selectors.access_usager(actor, pk)
    form = DmpConsentForm(request.POST, auto_id="dmp_%s")
    if form.is_valid():
        try:
            dmp_consent_record(actor, usager=usager, **form.cleaned_data)
        except (ValidationError, PermissionDenied, RightRefused) as error:
            show_service_error(form, error)
        else:
            messages.success(request, "Information et opposition DMP enregistrées.")
            return redirect("usager-deliveries", pk=usager.pk)
    context = _dossier_context(actor, usager, consent_form=form)
    return render(request, "interop/usager_deliveries.html", context, status=400)


@require_GET
@login_required
def deliveries(request):
    actor = actor_of(request)
    form = DeliveryFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    rows = deliveries_for_user(
        actor, state=data.get("state", ""), connector=data.get("connector", ""), start=data.get("start"),
        end=data.get("end"),
    )[:200]  # fmt: skip
    return render(request, "interop/deliveries.html", {"form": form, "rows": logged(actor, rows, "écran des envois")})


@require_POST
@login_required
def delivery_resend(request, pk: int):
    actor = actor_of(request)
    row = delivery_for_user(actor, pk)
    try:
        delivery_retry(actor, delivery=row)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Envoi relancé.")
    return redirect(request.POST.get("next") if request.POST.get("next", "").startswith("/") else "deliveries")


@require_GET
@login_required
def inbox_queue(request):
    actor = actor_of(request)
    if not may_file(actor):
        raise NotFound
    items = [(item, suggestions(item)) for item in inbox_for_user(actor)[:100]]
    return render(request, "interop/inbox.html", {"items": items})


@require_POST
@login_required
def inbox_file_view(request, pk: int):
    actor = actor_of(request)
    item = inbox_item_for_user(actor, pk)
    form = FileForm(request.POST)
    if form.is_valid():
        try:
            usager = selectors.access_usager(actor, form.cleaned_data["usager"])
            document = inbox_file(actor, item=item, usager=usager)
        except NotFound:
            messages.error(request, "Dossier introuvable dans votre établissement.")
        except (ValidationError, PermissionDenied, RightRefused) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, f"« {document.title} » classé dans le dossier de {usager}.")
    else:
        messages.error(request, "Indiquez un numéro de dossier valide.")
    return redirect("inbox-queue")

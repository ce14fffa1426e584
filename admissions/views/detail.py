"""Screens of one request: its page and timeline, each workflow step, the opinion, contacts, parts,
and « Créer la pré-admission » (with the choice a likely duplicate dossier asks for)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from admissions import selectors
from admissions.forms import ContactForm, DocumentForm, OpinionForm, TransitionForm
from admissions.models import CONVERTIBLE, OPINION_CLASS, TRANSITIONS, AdmissionOpinion
from admissions.services import conversion
from admissions.services import requests as services
from dui import selectors as dui_selectors
from dui.actor import actor_of
from dui.catalogue import VALIDATE, WRITE
from dui.errors import RightRefused
from dui.permissions import can
from dui.services.identity import DuplicateSuspectedError
from dui.views.documents import file_response
from dui.views.service_errors import show_service_error

ERRORS = (ValidationError, PermissionDenied, RightRefused)


def _page(request, actor, admission, *, status=200, **forms):
    can_write = can(actor, WRITE, admission)
    allowed = TRANSITIONS[admission.status]
    opinion_probe = AdmissionOpinion(essms_id=admission.essms_id, request=admission)
    context = {
        "admission": admission,
        "timeline": selectors.timeline(admission),
        "opinions": selectors.opinions_of(actor, admission),
        "documents": selectors.documents_of(actor, admission),
        "hidden_medical": selectors.hidden_medical_parts(actor, admission),
        "contacts": admission.contacts.all(),
        "can_write": can_write,
        "can_give_opinion": can(actor, VALIDATE, opinion_probe) and admission.is_open,
        "can_convert": can_write and admission.usager_id is None and admission.status in CONVERTIBLE,
        "transition_form": forms.get("transition_form") or TransitionForm(allowed=allowed),
        "opinion_form": forms.get("opinion_form") or OpinionForm(initial={"given_on": timezone.localdate()}),
        "contact_form": forms.get("contact_form") or ContactForm(),
        "document_form": forms.get("document_form") or DocumentForm(),
        "allowed": allowed,
        "opinion_required": services.settings_for(admission.essms_id).opinion_required,
    }
    return render(request, "admissions/detail.html", context, status=status)


@login_required
def request_detail(request, pk: int):
    actor = actor_of(request)
    return _page(request, actor, selectors.access_request(actor, pk))


@require_POST
@login_required
def request_transition(request, pk: int):
    actor = actor_of(request)
    admission = selectors.access_request(actor, pk, action=WRITE)
    form = TransitionForm(request.POST, allowed=TRANSITIONS[admission.status] or ("recue",))
    if form.is_valid():
        try:
            services.request_transition(actor, request=admission, **form.cleaned_data)
        except ERRORS as error:
            show_service_error(form, error, default_field="to_status")
        else:
            messages.success(request, "Statut de la demande mis à jour.")
            return redirect("admission-detail", pk=admission.pk)
    return _page(request, actor, admission, status=400, transition_form=form)


@require_POST
@login_required
def opinion_record(request, pk: int):
    actor = actor_of(request)
    admission = selectors.access_request(actor, pk)
    form = OpinionForm(request.POST)
    if form.is_valid():
        try:
            services.opinion_record(actor, request=admission, **form.cleaned_data)
        except ERRORS as error:
            show_service_error(form, error, default_field="verdict")
        else:
            messages.success(request, "Avis médical enregistré.")
            return redirect("admission-detail", pk=admission.pk)
    return _page(request, actor, admission, status=400, opinion_form=form)


@require_POST
@login_required
def contact_add(request, pk: int):
    actor = actor_of(request)
    admission = selectors.access_request(actor, pk, action=WRITE)
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            services.contact_add(actor, request=admission, data=form.cleaned_data)
        except ERRORS as error:
            show_service_error(form, error, default_field="last_name")
        else:
            messages.success(request, "Contact ajouté à la demande.")
            return redirect("admission-detail", pk=admission.pk)
    return _page(request, actor, admission, status=400, contact_form=form)


@require_POST
@login_required
def document_add(request, pk: int):
    actor = actor_of(request)
    admission = selectors.access_request(actor, pk, action=WRITE)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.document_add(actor, request=admission, **form.cleaned_data)
        except ERRORS as error:
            show_service_error(form, error, default_field="file")
        else:
            messages.success(request, "Document déposé avec la demande.")
            return redirect("admission-detail", pk=admission.pk)
    return _page(request, actor, admission, status=400, document_form=form)


@login_required
def document_download(request, pk: int, doc_pk: int):
    actor = actor_of(request)
    admission = selectors.access_request(actor, pk)
    return file_response(selectors.access_document(actor, admission, doc_pk))


@require_http_methods(["GET", "POST"])
@login_required
def request_convert(request, pk: int):
    """GET: what will be carried over and the likely duplicates; POST: do it (the choice, if one is needed)."""
    actor = actor_of(request)
    admission = selectors.access_request(actor, pk, action=WRITE)
    error_messages = []
    if request.method == "POST":
        choice = request.POST.get("choix", "")
        attach_to = None
        if choice.startswith("dossier-"):
            attach_to = dui_selectors.access_usager(actor, choice.removeprefix("dossier-"), action=WRITE)
        try:
            usager = conversion.request_convert(
                actor, request=admission, attach_to=attach_to, create_anyway=choice == "nouveau"
            )
        except DuplicateSuspectedError:
            error_messages = ["Un dossier existe peut-être déjà pour cette personne : choisissez ci-dessous."]
        except ERRORS as error:
            error_messages = getattr(error, "messages", None) or [str(error)]
        else:
            messages.success(
                request,
                "Pré-admission créée : dossier ouvert avec son séjour, ses contacts et ses documents. "
                "Identité provisoire : validez-la avec une pièce d'identité.",
            )
            return redirect("usager-detail", pk=usager.pk)
    duplicates = conversion.suspected_dossiers(actor, admission) if admission.usager_id is None else []
    context = {
        "admission": admission,
        "duplicates": duplicates,
        "errors": error_messages,
        "contacts": admission.contacts.all(),
        "documents": admission.documents.all(),
        "has_opinion": can(actor, "read", OPINION_CLASS) and admission.opinions.exists(),
        "blocked": _blocked(admission),
    }
    return render(request, "admissions/convert.html", context, status=400 if error_messages else 200)


def _blocked(admission) -> str:
    try:
        conversion.check_convertible(admission)
    except ValidationError as error:
        return error.messages[0]
    return ""

"""Séjour screens: history timeline, pré-admission, admission, changes, absences, sortie, Creton.

Thin: the dossier and the séjour are reached through the scoped selectors (404 when out of
reach), the forms parse the input, the services decide and write.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from dui import selectors
from dui.actor import actor_of
from dui.catalogue import READ, WRITE
from dui.essms_kinds import SECTION
from dui.forms_sejours import (
    AbsenceEndForm,
    AbsenceForm,
    AdmitForm,
    CretonForm,
    ExitForm,
    PlacementChangeForm,
    PreAdmissionForm,
)
from dui.models import CretonDecision, Sejour, SejourStatus
from dui.selectors import sejours as sejour_selectors
from dui.selectors.catalogue_kinds import applies_in
from dui.selectors.sejours import probe
from dui.services import creton as creton_services
from dui.services import placements as placements_services
from dui.services import sejours as services
from dui.services.common import ARCHIVED_MESSAGE
from dui.views.service_errors import show_service_error


def _dossier(actor, pk, model=Sejour):
    """The dossier, readable for this class, else 404."""
    usager = selectors.access_usager(actor, pk)
    actor.require(READ, probe(model, usager))
    return usager


def _writable_dossier(actor, pk, model=Sejour):
    usager = _dossier(actor, pk, model)
    if not actor.can(WRITE, probe(model, usager)):
        raise PermissionDenied("Vous n'avez pas le droit de modifier cette partie du dossier.")
    return usager


def _form_page(request, *, usager, form, title, submit, call, success, sejour=None, intro=""):
    if request.method == "POST" and form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, success)
            return redirect("usager-sejours", pk=usager.pk)
    return render(
        request,
        "dui/sejours/form.html",
        {"usager": usager, "sejour": sejour, "form": form, "title": title, "submit": submit, "intro": intro},
        status=400 if request.method == "POST" else 200,
    )


def _refuse_if_archived(request, usager):
    if usager.archived_at is not None:
        messages.error(request, ARCHIVED_MESSAGE)
        return redirect("usager-sejours", pk=usager.pk)
    return None


@require_GET
@login_required
def usager_sejours(request, pk: int):
    actor = actor_of(request)
    usager = _dossier(actor, pk)
    creton_enabled = applies_in(usager.essms, SECTION, CretonDecision.document_class_code) and actor.can(
        READ, probe(CretonDecision, usager)
    )
    sejours, decisions = sejour_selectors.sejours_page(actor, usager=usager, with_creton=creton_enabled)
    today = timezone.localdate()
    rows = [
        {
            "sejour": sejour,
            "events": sejour_selectors.sejour_timeline(sejour),
            "current": sejour_selectors.placement_on(sejour.placements.all(), today)
            if sejour.status == SejourStatus.ACTIVE
            else None,
            "open_absence": sejour_selectors.open_absence(sejour),
        }
        for sejour in sejours
    ]
    return render(
        request,
        "dui/sejours/history.html",
        {
            "usager": usager,
            "rows": rows,
            "open_sejour": sejour_selectors.open_sejour(sejours),
            "can_write": actor.can(WRITE, probe(Sejour, usager)),
            "creton_enabled": creton_enabled,
            "creton_decisions": decisions,
            "can_write_creton": creton_enabled and actor.can(WRITE, probe(CretonDecision, usager)),
            "today": today,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def sejour_pre_admission(request, pk: int):
    actor = actor_of(request)
    usager = _writable_dossier(actor, pk)
    readmission = usager.archived_at is not None
    form = PreAdmissionForm(request.POST or None)
    return _form_page(
        request,
        usager=usager,
        form=form,
        title="Réadmission : nouvelle pré-admission" if readmission else "Ouvrir une pré-admission",
        intro="Le dossier sera désarchivé et un nouveau séjour ouvert ; l'historique est conservé."
        if readmission
        else "Le dossier de pré-admission commence au premier contact.",
        submit="Ouvrir la pré-admission",
        success="Pré-admission ouverte." if not readmission else "Dossier désarchivé : nouvelle pré-admission ouverte.",
        call=lambda data: services.sejour_open_pre_admission(
            actor, usager=usager, first_contact_on=data["first_contact_on"]
        ),
    )


@require_http_methods(["GET", "POST"])
@login_required
def sejour_admit(request, pk: int, sejour_pk: int):
    actor = actor_of(request)
    usager = _writable_dossier(actor, pk)
    sejour = sejour_selectors.access_sejour(actor, usager=usager, pk=sejour_pk)
    if refused := _refuse_if_archived(request, usager):
        return refused
    units = sejour_selectors.units_for_sejour(actor, usager=usager)
    form = AdmitForm(request.POST or None, units=units)
    return _form_page(
        request,
        usager=usager,
        sejour=sejour,
        form=form,
        title="Admission",
        intro="L'admission a lieu à la signature du contrat de séjour : la personne entre dans la file active.",
        submit="Enregistrer l'admission",
        success="Admission enregistrée.",
        call=lambda data: services.sejour_admit(
            actor,
            sejour=sejour,
            admitted_on=data["admitted_on"],
            contract_signed_on=data["contract_signed_on"],
            unit=data["unit"],
            modality=data["modality"],
            room=data["room"],
        ),
    )


@require_http_methods(["GET", "POST"])
@login_required
def placement_change(request, pk: int, sejour_pk: int):
    actor = actor_of(request)
    usager = _writable_dossier(actor, pk)
    sejour = sejour_selectors.access_sejour(actor, usager=usager, pk=sejour_pk)
    if refused := _refuse_if_archived(request, usager):
        return refused
    current = next((p for p in sejour.placements.all() if p.ends_on is None), None)
    units = sejour_selectors.units_for_sejour(actor, usager=usager)
    form = PlacementChangeForm(request.POST or None, units=units, current=current)
    return _form_page(
        request,
        usager=usager,
        sejour=sejour,
        form=form,
        title="Changement d'unité, de chambre ou de modalité",
        intro="L'affectation actuelle est conservée dans l'historique et se termine la veille du changement.",
        submit="Enregistrer le changement",
        success="Changement d'affectation enregistré.",
        call=lambda data: placements_services.placement_change(
            actor,
            sejour=sejour,
            starts_on=data["starts_on"],
            unit=data["unit"],
            modality=data["modality"],
            room=data["room"],
        ),
    )


@require_http_methods(["GET", "POST"])
@login_required
def absence_record(request, pk: int, sejour_pk: int):
    actor = actor_of(request)
    usager = _writable_dossier(actor, pk)
    sejour = sejour_selectors.access_sejour(actor, usager=usager, pk=sejour_pk)
    if refused := _refuse_if_archived(request, usager):
        return refused
    form = AbsenceForm(request.POST or None)
    return _form_page(
        request,
        usager=usager,
        sejour=sejour,
        form=form,
        title="Déclarer une absence",
        submit="Enregistrer l'absence",
        success="Absence enregistrée.",
        call=lambda data: placements_services.absence_record(
            actor,
            sejour=sejour,
            kind=data["kind"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            comment=data["comment"],
        ),
    )


@require_http_methods(["GET", "POST"])
@login_required
def absence_end(request, pk: int, sejour_pk: int):
    actor = actor_of(request)
    usager = _writable_dossier(actor, pk)
    sejour = sejour_selectors.access_sejour(actor, usager=usager, pk=sejour_pk)
    if refused := _refuse_if_archived(request, usager):
        return refused
    absence = sejour_selectors.open_absence(sejour)
    if absence is None:
        messages.info(request, "Aucune absence en cours pour ce séjour.")
        return redirect("usager-sejours", pk=usager.pk)
    form = AbsenceEndForm(request.POST or None)
    return _form_page(
        request,
        usager=usager,
        sejour=sejour,
        form=form,
        title="Retour d'absence",
        intro=f"{absence.get_kind_display()} depuis le {absence.starts_on:%d/%m/%Y}.",
        submit="Enregistrer le retour",
        success="Retour d'absence enregistré.",
        call=lambda data: placements_services.absence_end(actor, absence=absence, ends_on=data["ends_on"]),
    )


@require_http_methods(["GET", "POST"])
@login_required
def sejour_exit(request, pk: int, sejour_pk: int):
    actor = actor_of(request)
    usager = _writable_dossier(actor, pk)
    sejour = sejour_selectors.access_sejour(actor, usager=usager, pk=sejour_pk)
    if refused := _refuse_if_archived(request, usager):
        return refused
    form = ExitForm(request.POST or None)
    if sejour.status == SejourStatus.PRE_ADMISSION:
        form.fields["ended_on"].label = "Date d'abandon"
        return _form_page(
            request,
            usager=usager,
            sejour=sejour,
            form=form,
            title="Abandonner la pré-admission",
            intro="La pré-admission est close sans admission ; elle reste dans l'historique.",
            submit="Abandonner la pré-admission",
            success="Pré-admission abandonnée.",
            call=lambda data: services.sejour_cancel(actor, sejour=sejour, **data),
        )
    return _form_page(
        request,
        usager=usager,
        sejour=sejour,
        form=form,
        title="Sortie",
        intro="L'affectation et l'absence en cours sont closes à la date de sortie. Sans autre séjour ouvert, "
        "le dossier est archivé en lecture seule.",
        submit="Enregistrer la sortie",
        success="Sortie enregistrée.",
        call=lambda data: services.sejour_exit(actor, sejour=sejour, **data),
    )


@require_http_methods(["GET", "POST"])
@login_required
def creton_record(request, pk: int):
    actor = actor_of(request)
    usager = _writable_dossier(actor, pk, CretonDecision)
    if refused := _refuse_if_archived(request, usager):
        return refused
    form = CretonForm(request.POST or None)
    return _form_page(
        request,
        usager=usager,
        form=form,
        title="Décision CDAPH — Amendement Creton",
        intro="Maintien d'un jeune adulte de 20 ans et plus dans l'établissement pour enfants, dans l'attente "
        "d'une place dans l'établissement pour adultes désigné. À renouveler chaque année.",
        submit="Enregistrer la décision",
        success="Décision Amendement Creton enregistrée.",
        call=lambda data: creton_services.creton_decision_record(actor, usager=usager, **data),
    )


@require_GET
@login_required
def creton_alerts(request):
    actor = actor_of(request)
    actor.require(READ, CretonDecision.document_class_code)
    decisions = sejour_selectors.creton_alerts_page(actor)
    return render(
        request,
        "dui/sejours/creton_alerts.html",
        {"decisions": decisions, "today": timezone.localdate(), "within_days": sejour_selectors.CRETON_ALERT_DAYS},
    )

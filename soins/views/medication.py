"""Medication screens: a person's prescriptions (lines, validation, stop, modification, pharmacist
interventions) and the day chart (plan d'administration), printable, with the "si besoin" doses."""

import datetime
import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from dui import selectors
from dui.actor import actor_of
from dui.catalogue import READ, WRITE
from dui.errors import NotFound, RightRefused
from dui.permissions import active_membership, can
from dui.selectors import drugs as drug_selectors
from dui.selectors.medical import DossierSection, allergy_status, can_section
from dui.views.service_errors import show_service_error
from soins.models import InterventionKind, OccurrenceStatus, PrescriptionKind, Route
from soins.selectors import medication as medication_selectors
from soins.services import doses as dose_services
from soins.services import medication as medication_services

WEEKDAYS = [("1", "Lun"), ("2", "Mar"), ("3", "Mer"), ("4", "Jeu"), ("5", "Ven"), ("6", "Sam"), ("7", "Dim")]


class PrescriptionLineForm(forms.Form):
    kind = forms.ChoiceField(label="Nature", choices=PrescriptionKind.choices, initial=PrescriptionKind.MEDICAMENT)
    drug = forms.CharField(
        label="Médicament (ou type de contention)",
        max_length=200,
        required=False,
        help_text="Tapez 2 lettres puis choisissez dans la liste du référentiel. "
        "Un nom libre reste possible mais sera « hors référentiel : non vérifiable ».",
        widget=forms.TextInput(attrs={"autocomplete": "off", "list": "drug-options", "data-drug-search": ""}),
    )
    drug_ref = forms.IntegerField(required=False, widget=forms.HiddenInput(attrs={"data-drug-ref": ""}))
    units_per_dose = forms.DecimalField(
        label="Unités par prise",
        required=False,
        min_value=0,
        max_digits=6,
        decimal_places=2,
        initial=1,
        help_text="Comprimés, gélules, sachets, ml… par prise : sert au contrôle du maximum journalier.",
        widget=forms.NumberInput(attrs={"step": "0.25", "inputmode": "decimal"}),
    )
    dose = forms.CharField(label="Dose", max_length=100, required=False, help_text="Ex. : 1 g, 2 comprimés, 5 gouttes.")
    route = forms.ChoiceField(
        label="Voie",
        choices=[("", "—"), *Route.choices],
        required=False,
        error_messages={"invalid_choice": "Voie d'administration inconnue."},
    )
    times = forms.CharField(
        label="Heures", required=False, max_length=200, help_text="HH:MM séparées par des virgules, ex. : 08:00, 20:00."
    )
    weekdays = forms.MultipleChoiceField(
        label="Jours",
        choices=WEEKDAYS,
        initial=[value for value, _ in WEEKDAYS],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Cochez au moins un jour."},
    )
    as_needed = forms.BooleanField(label="Si besoin", required=False)
    as_needed_condition = forms.CharField(label="Condition du si besoin", max_length=200, required=False)
    max_per_day = forms.IntegerField(label="Maximum par jour", required=False, min_value=1, max_value=24)
    starts_on = forms.DateField(
        label="Début",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "Indiquez la date de début."},
    )
    ends_on = forms.DateField(
        label="Fin", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    instructions = forms.CharField(label="Consignes", max_length=300, required=False)
    aide_a_la_prise = forms.BooleanField(
        label="Aide à la prise (CASF L.313-26)",
        required=False,
        help_text="Prise simple pouvant être donnée par un(e) aide-soignant(e) ou AES ; sinon seule l'IDE la donne.",
    )
    allergy_override_reason = forms.CharField(
        label="Motif pour prescrire malgré l'allergie",
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        """Without script, a name typed exactly as in the referential is still recognised."""
        data = super().clean()
        if not data.get("drug_ref") and data.get("drug") and data.get("kind") == PrescriptionKind.MEDICAMENT:
            found = medication_selectors.drug_named(data["drug"])
            if found is not None:
                data["drug_ref"] = found.pk
        if not data.get("drug_ref") and not data.get("drug") and "drug" not in self.errors:
            self.add_error("drug", "Indiquez le médicament (ou le type de contention).")
        return data

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["weekdays"] = "".join(data["weekdays"])
        return {name: data[name] for name in medication_services.LINE_FIELDS}


class StopForm(forms.Form):
    reason = forms.CharField(label="Motif de l'arrêt", max_length=200)


class ModifyForm(PrescriptionLineForm):
    reason = forms.CharField(label="Motif de la modification", max_length=200)


class InterventionForm(forms.Form):
    kind = forms.ChoiceField(label="Nature", choices=InterventionKind.choices)
    text = forms.CharField(
        label="Commentaire", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    substitute = forms.CharField(label="Délivré sous (substitution)", required=False, max_length=200)


class AsNeededForm(forms.Form):
    status = forms.ChoiceField(
        label="Prise",
        choices=[(OccurrenceStatus.DONE, "Donné"), (OccurrenceStatus.REFUSED, "Refusé")],
        widget=forms.RadioSelect,
        initial=OccurrenceStatus.DONE,
    )
    comment = forms.CharField(label="Commentaire (motif, évaluation)", required=False, max_length=300)
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)


def _page_url(usager_pk: int) -> str:
    return reverse("medication-prescriptions", args=[usager_pk])


def _chart_url(usager_pk: int, day: datetime.date | None = None) -> str:
    url = reverse("medication-chart", args=[usager_pk])
    return f"{url}?date={day.isoformat()}" if day else url


def _may_write(actor, usager) -> bool:
    return (
        usager.archived_at is None
        and can(actor, WRITE, medication_services.PRESCRIPTION_ACT)
        and can(actor, WRITE, DossierSection(usager, "prescriptions"))
    )


@login_required
def prescriptions(request, pk: int):
    actor = actor_of(request)
    usager = selectors.access_usager(actor, pk=pk)
    lines = medication_selectors.lines_of_usager(actor, usager)
    context = {
        "usager": usager,
        "lines": lines,
        "is_prescriber": _may_write(actor, usager),
        "is_pharmacist": usager.archived_at is None and can(actor, WRITE, medication_services.PHARMACY_ACT),
        "can_chart": medication_selectors.can_read_chart(actor, usager),
        "stop_form": StopForm(),
        "intervention_form": InterventionForm(),
    }
    return render(request, "soins/medication/prescriptions.html", context)


def _line_form_page(request, usager, form, *, line=None):
    readable = can_section(actor_of(request), READ, usager, "allergies")
    context = {
        "usager": usager,
        "form": form,
        "line": line,
        "weekdays": WEEKDAYS,
        "allergy_status": allergy_status(usager) if readable else None,
        "override_asked": bool(form.errors.get("allergy_override_reason"))
        or bool(form.data.get("allergy_override_reason")),
    }
    return render(request, "soins/medication/line_form.html", context)


@login_required
def drug_search(request):
    """Search as you type in the drug referential (public data; an active membership is enough)."""
    if active_membership(actor_of(request)) is None:
        raise NotFound
    results = [
        {
            "id": drug.pk,
            "name": drug.name,
            "substances": ", ".join(component.substance.name for component in drug.components.all()),
        }
        for drug in drug_selectors.drug_search(request.GET.get("q", ""), prefetch=True)
    ]
    return JsonResponse({"results": results})


@login_required
def line_create(request, pk: int):
    actor = actor_of(request)
    usager = selectors.access_usager(actor, pk=pk)
    if not medication_selectors.can_read_prescriptions(actor, usager):
        raise NotFound
    if not _may_write(actor, usager):
        messages.error(
            request,
            medication_services.NOT_A_PRESCRIBER
            if usager.archived_at is None
            else "Ce dossier est archivé : il est en lecture seule.",
        )
        return redirect(_page_url(usager.pk))
    kind = request.GET.get("nature", PrescriptionKind.MEDICAMENT)
    initial = {
        "kind": kind if kind in PrescriptionKind.values else PrescriptionKind.MEDICAMENT,
        "starts_on": timezone.localdate(),
    }
    form = PrescriptionLineForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            line = medication_services.prescription_create(actor, usager, **form.service_kwargs())
        except (PermissionDenied, RightRefused, ValidationError) as error:
            show_service_error(form, error)
        else:
            messages.success(request, f"Ligne « {line.drug} » enregistrée : elle attend la validation d'un médecin.")
            return redirect(_page_url(usager.pk))
    return _line_form_page(request, usager, form)


@login_required
def line_modify(request, pk: int):
    actor = actor_of(request)
    line = medication_selectors.access_line(actor, pk)
    usager = line.usager
    if not _may_write(actor, usager):
        messages.error(request, medication_services.NOT_A_PRESCRIBER)
        return redirect(_page_url(usager.pk))
    initial = {name: getattr(line, name) for name in medication_services.LINE_FIELDS}
    initial["times"] = ", ".join(line.times)
    initial["weekdays"] = list(line.weekdays)
    initial["starts_on"] = max(line.starts_on, timezone.localdate())
    initial["drug_ref"] = line.drug_ref_id
    initial["allergy_override_reason"] = ""
    form = ModifyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            new_line = medication_services.prescription_modify(
                actor, line, reason=form.cleaned_data["reason"], **form.service_kwargs()
            )
        except (PermissionDenied, RightRefused, ValidationError) as error:
            show_service_error(form, error)
        else:
            messages.success(
                request, f"Ligne modifiée : l'ancienne est arrêtée, « {new_line.drug} » attend sa validation."
            )
            return redirect(_page_url(usager.pk))
    return _line_form_page(request, usager, form, line=line)


def _refusal_text(error: PermissionDenied | RightRefused) -> str:
    return error.message if isinstance(error, RightRefused) else str(error)


def _act(request, pk: int, action) -> object:
    """Run a POST action on a line; French errors come back as messages on the prescriptions page."""
    line = medication_selectors.access_line(actor_of(request), pk)
    try:
        message = action(line)
    except (PermissionDenied, RightRefused, ValidationError) as error:
        texts = error.messages if isinstance(error, ValidationError) else [_refusal_text(error)]
        for text in texts:
            messages.error(request, text)
    else:
        messages.success(request, message)
    return redirect(_chart_url(line.usager_id) if request.POST.get("next") == "chart" else _page_url(line.usager_id))


@login_required
@require_POST
def line_validate(request, pk: int):
    def action(line):
        line = medication_services.prescription_validate(actor_of(request), line)
        return f"Ligne « {line.drug} » validée."

    return _act(request, pk, action)


@login_required
@require_POST
def line_stop(request, pk: int):
    def action(line):
        line = medication_services.prescription_stop(actor_of(request), line, reason=request.POST.get("reason", ""))
        return f"Ligne « {line.drug} » arrêtée : ses prises à venir sont retirées de la liste de soins."

    return _act(request, pk, action)


@login_required
@require_POST
def line_intervention(request, pk: int):
    def action(line):
        form = InterventionForm(request.POST)
        if not form.is_valid():
            raise ValidationError([text for texts in form.errors.values() for text in texts])
        medication_services.intervention_create(actor_of(request), line, **form.cleaned_data)
        return "Intervention pharmaceutique enregistrée."

    return _act(request, pk, action)


@login_required
@require_POST
def line_as_needed(request, pk: int):
    actor = actor_of(request)
    line = medication_selectors.access_line(actor, pk)
    form = AsNeededForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Prise incomplète : choisissez donné ou refusé.")
    else:
        try:
            _occurrence, created = dose_services.as_needed_record(actor, line, **form.cleaned_data)
        except (PermissionDenied, RightRefused) as error:
            messages.error(request, _refusal_text(error))
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            if created:
                messages.success(request, f"Prise « si besoin » de {line.drug} enregistrée.")
            else:
                messages.info(request, "Cette prise était déjà enregistrée.")
    return redirect(_chart_url(line.usager_id))


def _parse_day(raw: str | None) -> tuple[datetime.date, str]:
    try:
        return medication_selectors.parse_day(raw), ""
    except ValidationError as error:
        return timezone.localdate(), f"{error.messages[0]} Voici le plan d'aujourd'hui."


def chart_columns(chart) -> tuple[list[str], list[dict]]:
    """The times of the day as columns (as on a paper distribution sheet), each row aligned on them."""
    columns = sorted({cell.time for row in chart.scheduled for cell in row.cells})
    rows = []
    for row in chart.scheduled:
        by_time = {cell.time: cell for cell in row.cells}
        rows.append({"row": row, "cells": [by_time.get(time) for time in columns]})
    return columns, rows


@login_required
def chart(request, pk: int):
    actor = actor_of(request)
    usager = selectors.access_usager(actor, pk=pk)
    day, error = _parse_day(request.GET.get("date"))
    day_chart = medication_selectors.day_chart(actor, usager, day)
    columns, rows = chart_columns(day_chart)
    may_give = (
        usager.archived_at is None
        and day == timezone.localdate()
        and can(actor, WRITE, medication_services.AS_NEEDED_ACT)
        and can(actor, WRITE, DossierSection(usager, "administration_medicaments"))
    )
    context = {
        "usager": usager,
        "chart": day_chart,
        "columns": columns,
        "rows": rows,
        "error": error,
        "may_give": may_give,
        "as_needed_rows": [{"row": row, "key": uuid.uuid4()} for row in day_chart.as_needed],
        "can_prescriptions": medication_selectors.can_read_prescriptions(actor, usager),
        "now": timezone.localtime(),
    }
    return render(request, "soins/medication/chart.html", context)

"""Screens of the waiting list: the list with its filters, a new request, the CSV import, the ESSMS rules."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from admissions import selectors
from admissions.forms import FilterForm, ImportForm, RequestForm, SettingsForm
from admissions.models import ADMISSION_CLASS, OPINION_CLASS
from admissions.services import imports
from admissions.services import requests as services
from dui.actor import actor_of
from dui.catalogue import READ, WRITE
from dui.errors import RightRefused
from dui.permissions import can, require
from dui.views.service_errors import show_service_error


@login_required
def waiting_list(request):
    actor = actor_of(request)
    require(actor, READ, ADMISSION_CLASS)
    filters = FilterForm(request.GET or None)
    values = filters.cleaned_data if filters.is_valid() else {}
    rows = selectors.waiting_list(
        actor, status=values.get("statut", ""), source=values.get("origine", ""), priority=values.get("priorite", "")
    )
    return render(
        request,
        "admissions/list.html",
        {"rows": rows, "filters": filters, "can_write": can(actor, WRITE, ADMISSION_CLASS),
         "can_settle": can(actor, READ, OPINION_CLASS) and can(actor, WRITE, ADMISSION_CLASS)},
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@login_required
def request_create(request):
    actor = actor_of(request)
    require(actor, WRITE, ADMISSION_CLASS)
    form = RequestForm(request.POST or None, initial={"received_at": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if not k.startswith("contact_")}
        try:
            created = services.request_create(actor, data=data, contacts=form.contacts())
        except (ValidationError, PermissionDenied, RightRefused) as error:
            show_service_error(form, error)
        else:
            messages.success(request, "Demande d'admission enregistrée.")
            return redirect("admission-detail", pk=created.pk)
    return render(request, "admissions/request_form.html", {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
def request_import(request):
    actor = actor_of(request)
    require(actor, WRITE, ADMISSION_CLASS)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            result = imports.csv_import(actor, raw=form.cleaned_data["file"].read())
        except ValidationError as error:
            problems = error.messages
        else:
            messages.success(
                request,
                f"{len(result.created)} demande(s) importée(s) ; {len(result.skipped)} déjà présente(s), ignorée(s).",
            )
            return redirect("admission-list")
    context = {"form": form, "problems": problems, "columns": imports.CSV_COLUMNS}
    return render(request, "admissions/import.html", context, status=400 if problems or form.errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
def admission_settings(request):
    actor = actor_of(request)
    require(actor, WRITE, ADMISSION_CLASS)
    require(actor, READ, OPINION_CLASS)
    current = selectors.settings_in_essms(actor)
    form = SettingsForm(
        request.POST or None,
        initial={"opinion_required": current.opinion_required, "connector_enabled": current.connector_enabled},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.settings_update(actor, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            show_service_error(form, error)
        else:
            messages.success(request, "Réglages des admissions enregistrés.")
            return redirect("admission-list")
    return render(request, "admissions/settings.html", {"form": form, "current": current})

"""DLU screens: the current DLU in two taps (file active → DLU → PDF), its checklist and history,
the dossier's "Informations d'urgence" section, and the FLUDT/FLUDR on one tablet screen each."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from dui import selectors
from dui.actor import actor_of
from dui.catalogue import READ, WRITE
from dui.errors import NotFound
from dui.services.dlu import dlu_section_save
from dui.views.entourage import dossier_context
from dui.views.service_errors import show_service_error
from interop.dlu import selectors as dlu_selectors
from interop.dlu import sheets
from interop.dlu.builder import HOME_CARE_KINDS
from interop.dlu.forms import DluSectionForm, ReturnSheetForm, TransferSheetForm
from interop.dlu.models import SheetKind
from interop.dlu.selectors import DossierSection
from interop.dlu.services import dlu_generate


def _pdf(file, filename: str) -> FileResponse:
    response = FileResponse(file.open("rb"), content_type="application/pdf", filename=filename)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def dlu_page(request, pk: int):
    actor = actor_of(request)
    usager = selectors.access_usager(actor, pk)
    page = dlu_selectors.dlu_page(actor, usager=usager)
    context = {
        **dossier_context(request, usager, "dlu"),
        "page": page,
        "can_write_sheets": usager.archived_at is None and actor.can(WRITE, DossierSection(usager, sheets.SHEET_CLASS)),
        "sheets": sheets.sheets_for(actor, usager=usager)
        if actor.can(READ, DossierSection(usager, sheets.SHEET_CLASS))
        else None,
    }
    return render(request, "interop/dlu/page.html", context)


@login_required
@require_POST
def dlu_generate_view(request, pk: int):
    actor = actor_of(request)
    usager = selectors.access_usager(actor, pk)
    try:
        generation = dlu_generate(actor, usager=usager)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"DLU version {generation.version.number} généré.")
    return redirect("dlu-page", pk=usager.pk)


@login_required
def dlu_pdf(request, pk: int, generation_pk: int):
    actor = actor_of(request)
    usager = selectors.access_usager(actor, pk)
    generation = dlu_selectors.dlu_generation(actor, usager=usager, pk=generation_pk)
    return _pdf(generation.version.file, f"dlu-v{generation.version.number}.pdf")


@login_required
def dlu_current_pdf(request, pk: int):
    actor = actor_of(request)
    usager = selectors.access_usager(actor, pk)
    current = dlu_selectors.current_dlu(actor, usager=usager)
    if current is None:
        raise NotFound("Aucun DLU n'a encore été généré pour ce dossier.")
    return _pdf(current.version.file, f"dlu-v{current.version.number}.pdf")


@login_required
def dlu_section(request, pk: int):
    actor = actor_of(request)
    usager = selectors.access_usager(actor, pk)
    section = dlu_selectors.dlu_section_for(actor, usager=usager)
    actor.require(WRITE, DossierSection(usager, "dossier_dlu"))
    home_care = usager.essms.kind in HOME_CARE_KINDS
    if request.method == "POST":
        form = DluSectionForm(request.POST, instance=section, home_care=home_care)
        if form.is_valid():
            try:
                dlu_section_save(actor, usager=usager, **form.cleaned_data)
            except ValidationError as error:
                show_service_error(form, error)
            else:
                messages.success(request, "Informations d'urgence enregistrées : le DLU sera régénéré.")
                return redirect("dlu-page", pk=usager.pk)
    else:
        form = DluSectionForm(instance=section, home_care=home_care)
    context = {**dossier_context(request, usager, "dlu"), "form": form, "section": section}
    return render(request, "interop/dlu/section.html", context)


SHEET_FORMS = {SheetKind.TRANSFER: TransferSheetForm, SheetKind.RETURN: ReturnSheetForm}


@login_required
def sheet_create(request, pk: int, kind: str):
    actor = actor_of(request)
    usager = selectors.access_usager(actor, pk)
    if kind not in SHEET_FORMS:
        raise NotFound
    form_class = SHEET_FORMS[kind]
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            try:
                sheet = sheets.sheet_create(actor, usager=usager, kind=kind, **form.cleaned_data)
            except ValidationError as error:
                show_service_error(form, error)
            else:
                messages.success(request, f"{sheet.get_kind_display()} enregistrée.")
                return redirect(reverse("dlu-page", args=[usager.pk]) + "#fiches")
    else:
        initial = sheets.transfer_defaults(actor, usager=usager) if kind == SheetKind.TRANSFER else {}
        form = form_class(initial={k: v for k, v in initial.items() if k in form_class.base_fields})
    context = {**dossier_context(request, usager, "dlu"), "form": form, "kind": SheetKind(kind)}
    return render(request, "interop/dlu/sheet.html", context)


@login_required
def sheet_pdf(request, pk: int, sheet_pk: int):
    actor = actor_of(request)
    usager = selectors.access_usager(actor, pk)
    sheet = sheets.sheet_for(actor, usager=usager, pk=sheet_pk)
    return _pdf(sheet.document.versions.order_by("-number").first().file, f"{sheet.kind}-{sheet.pk}.pdf")

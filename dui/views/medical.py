"""Medical basics and life pages. A section the métier may not read is simply absent."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from dui import selectors
from dui.actor import actor_of
from dui.catalogue import READ
from dui.errors import NotFound
from dui.forms_medical import MEDICAL_FORMS, AggirForm, FlagsForm, LifeNoteForm
from dui.models import LifeNoteKind
from dui.providers import current_treatments
from dui.selectors import medical as medical_selectors
from dui.selectors.medical import FLAG_CLASSES, MEDICAL_SECTIONS
from dui.services import medical as medical_services
from dui.views.entourage import dossier_context, writable
from dui.views.service_errors import show_service_error

SECTION_TITLES = {
    "antecedents": "Antécédents",
    "allergies": "Allergies et intolérances",
    "traitements": "Traitements en cours",
    "aggir": "Évaluation AGGIR",
}
SECTION_ADD_LABELS = {
    "antecedents": "Ajouter un antécédent",
    "allergies": "Ajouter une allergie",
    "traitements": "Ajouter un traitement",
    "aggir": "Enregistrer une évaluation",
}
SECTION_ADDED = {
    "antecedents": "Antécédent ajouté.",
    "allergies": "Allergie ajoutée.",
    "traitements": "Traitement ajouté.",
    "aggir": "Évaluation AGGIR enregistrée.",
}
SECTION_SERVICES = {
    "antecedents": medical_services.antecedent_add,
    "allergies": medical_services.allergy_add,
    "traitements": medical_services.treatment_add,
    "aggir": medical_services.aggir_record,
}


def _evaluator_default(user) -> str:
    membership = getattr(user, "membership", None)
    name = user.get_full_name() or user.username
    return f"{name} ({membership.get_metier_display()})" if membership else name


def _section_form(section: str, user, data=None):
    form_class = MEDICAL_FORMS[section]
    kwargs = {"evaluator_default": _evaluator_default(user)} if form_class is AggirForm else {}
    return form_class(data, prefix=section, **kwargs)


def _writable_flags(user, usager) -> set[str]:
    return {field for field, code in FLAG_CLASSES.items() if writable(user, usager, code)}


@login_required
def usager_medical(request, pk: int):
    actor = actor_of(request)
    usager = selectors.access_usager(actor, pk)
    page = medical_selectors.medical_page(actor, usager=usager)
    sections = []
    for slug, title in SECTION_TITLES.items():
        rows = getattr(page, {"traitements": "treatments"}.get(slug, slug))
        if rows is None:
            continue
        can_write = writable(actor, usager, MEDICAL_SECTIONS[slug].document_class_code)
        sections.append(
            {
                "slug": slug,
                "title": title,
                "add_label": SECTION_ADD_LABELS[slug],
                "rows": rows,
                "can_write": can_write,
                "form": _section_form(slug, request.user) if can_write else None,
            }
        )
    flags_writable = _writable_flags(actor, usager)
    allergies_readable = medical_selectors.can_section(actor, READ, usager, "allergies")
    context = {
        **dossier_context(request, usager, "medical"),
        "page": page,
        "sections": sections,
        "allergy_status": medical_selectors.allergy_status(usager) if allergies_readable else None,
        "current_treatments": current_treatments(request.user, usager),
        "flags_form": FlagsForm(
            writable=flags_writable,
            initial={field: getattr(usager, field) for field in flags_writable},
        )
        if flags_writable
        else None,
    }
    return render(request, "dui/medical/page.html", context)


@login_required
def medical_add(request, pk: int, section: str):
    actor = actor_of(request)
    usager = selectors.access_usager(actor, pk)
    if section not in MEDICAL_SECTIONS or not writable(actor, usager, MEDICAL_SECTIONS[section].document_class_code):
        raise NotFound
    if request.method == "POST":
        form = _section_form(section, request.user, request.POST)
        if form.is_valid():
            try:
                SECTION_SERVICES[section](
                    actor,
                    usager=usager,
                    **form.cleaned_data,
                )
            except ValidationError as error:
                show_service_error(form, error)
            except PermissionDenied:
                raise NotFound from None
            else:
                messages.success(request, SECTION_ADDED[section])
                return redirect(f"{_medical_url(usager)}#{section}")
    else:
        form = _section_form(section, request.user)
    context = {
        **dossier_context(request, usager, "medical"),
        "form": form,
        "section": section,
        "title": SECTION_TITLES[section],
    }
    return render(request, "dui/medical/add.html", context)


@login_required
@require_POST
def allergy_none(request, pk: int):
    """Record the explicit, dated "aucune allergie connue"."""
    actor = actor_of(request)
    usager = selectors.access_usager(actor, pk)
    if not writable(actor, usager, "allergies"):
        raise NotFound
    _post_action(
        request,
        lambda: medical_services.allergy_none_declare(actor, usager=usager),
        "« Aucune allergie connue » enregistré, daté et signé.",
    )
    return redirect(f"{_medical_url(usager)}#allergies")


def _post_action(request, call, success: str) -> None:
    """Run a one-click service; its refusal becomes the page's message (a right missing: 404)."""
    try:
        call()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied:
        raise NotFound from None
    else:
        messages.success(request, success)


def _medical_url(usager) -> str:
    return reverse("usager-medical", args=[usager.pk])


@login_required
@require_POST
def medical_end(request, pk: int, section: str, row_pk: int):
    actor = actor_of(request)
    usager = selectors.access_usager(actor, pk)
    row = medical_selectors.entry_for(actor, usager=usager, section=section, pk=row_pk)
    if not writable(actor, usager, row.document_class_code):
        raise NotFound
    _post_action(
        request,
        lambda: medical_services.entry_end(actor, entry=row),
        "Ligne close : elle reste dans l'historique du dossier.",
    )
    return redirect(f"{_medical_url(usager)}#{section}")


@login_required
@require_POST
def medical_flags(request, pk: int):
    actor = actor_of(request)
    usager = selectors.access_usager(actor, pk)
    flags = _writable_flags(actor, usager)
    if not flags:
        raise NotFound
    form = FlagsForm(request.POST, writable=flags)
    if form.is_valid():
        try:
            medical_services.usager_set_flags(
                actor,
                usager=usager,
                **form.cleaned_data,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except PermissionDenied:
            raise NotFound from None
        else:
            messages.success(request, "Indicateurs enregistrés.")
    return redirect(f"{_medical_url(usager)}#indicateurs")


# --- Habitudes de vie, centres d'intérêt


def _writable_kinds(user, usager) -> list[str]:
    return [kind for kind in LifeNoteKind.values if writable(user, usager, kind)]


@login_required
def usager_life(request, pk: int):
    actor = actor_of(request)
    usager = selectors.access_usager(actor, pk)
    notes = medical_selectors.life_page(actor, usager=usager)
    kinds = _writable_kinds(actor, usager)
    sections = [
        {"kind": kind, "title": label, "rows": notes[kind], "can_write": kind in kinds}
        for kind, label in LifeNoteKind.choices
        if notes[kind] is not None
    ]
    context = {
        **dossier_context(request, usager, "life"),
        "sections": sections,
        "form": LifeNoteForm(kinds=kinds, prefix="vie") if kinds else None,
    }
    return render(request, "dui/medical/life.html", context)


@login_required
def life_add(request, pk: int):
    actor = actor_of(request)
    usager = selectors.access_usager(actor, pk)
    kinds = _writable_kinds(actor, usager)
    if not kinds:
        raise NotFound
    if request.method == "POST":
        form = LifeNoteForm(request.POST, kinds=kinds, prefix="vie")
        if form.is_valid():
            try:
                note = medical_services.lifenote_add(
                    actor,
                    usager=usager,
                    **form.cleaned_data,
                )
            except ValidationError as error:
                show_service_error(form, error)
            except PermissionDenied:
                raise NotFound from None
            else:
                messages.success(request, f"{note.get_kind_display()} : « {note.topic} » ajouté.")
                return redirect("usager-life", pk=usager.pk)
    else:
        kind = request.GET.get("rubrique")
        form = LifeNoteForm(kinds=kinds, prefix="vie", initial={"kind": kind} if kind in kinds else None)
    return render(request, "dui/medical/life_add.html", {**dossier_context(request, usager, "life"), "form": form})


@login_required
@require_POST
def life_end(request, pk: int, row_pk: int):
    actor = actor_of(request)
    usager = selectors.access_usager(actor, pk)
    note = medical_selectors.life_note_for(actor, usager=usager, pk=row_pk)
    if not writable(actor, usager, note.kind):
        raise NotFound
    try:
        medical_services.lifenote_end(actor, note=note)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied:
        raise NotFound from None
    else:
        messages.success(request, "Ligne close : elle reste dans l'historique du dossier.")
    return redirect("usager-life", pk=usager.pk)

"""Writes of the medical and life basics: antécédents, allergies, treatments, AGGIR, life notes, flags.

Each row belongs to a document class of the matrix, checked on the dossier before writing.
Rows are never erased: ending one sets `ended_at` and keeps it as history.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from dui import audit, providers
from dui.actor import user_of
from dui.catalogue import WRITE
from dui.models import (
    AccessAction,
    AggirEvaluation,
    Allergy,
    AllergySeverity,
    AllergyStatement,
    Antecedent,
    LifeNote,
    LifeNoteKind,
    Treatment,
    Usager,
)
from dui.permissions import can
from dui.selectors.medical import FLAG_CLASSES, DossierSection
from dui.services.common import refuse_archived
from dui.services.entourage import check_writable

REFUSED = "Votre métier ne permet pas de modifier cette rubrique du dossier."


def _required(value, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(message)
    return value


def _not_future(day: datetime.date | None, field: str, message: str) -> None:
    if day is not None and day > timezone.localdate():
        raise ValidationError({field: message})


def _save_new(actor, entry, detail: str = ""):
    """Full-clean, save and audit a new dossier row."""
    entry.full_clean(exclude=["essms", "usager", "created_by"])
    entry.save()
    audit.log_access(actor, AccessAction.CREATE, entry, detail=detail)
    return entry


def _new(model, actor, usager: Usager, **fields):
    entry = model(essms_id=usager.essms_id, usager=usager, created_by=user_of(actor), **fields)
    check_writable(actor, entry, usager, REFUSED)
    return entry


@transaction.atomic
def entry_end(actor, *, entry):
    """End (strike out) a row of a medical or life section: kept, no longer shown as current."""
    check_writable(actor, entry, entry.usager, REFUSED)
    if entry.ended_at is not None or type(entry).objects.filter(pk=entry.pk, ended_at__isnull=False).exists():
        raise ValidationError("Cette ligne est déjà close.")
    entry.ended_at = timezone.now()
    entry.save(update_fields=["ended_at"])
    audit.log_access(actor, AccessAction.UPDATE, entry, detail="ligne close")
    if isinstance(entry, Allergy):
        providers.allergies_changed(entry.usager)
    return entry


# --- Antécédents


@transaction.atomic
def antecedent_add(
    actor,
    *,
    usager: Usager,
    label: str,
    kind: str = "medical",
    year: int | None = None,
    comment: str = "",
) -> Antecedent:
    entry = _new(Antecedent, actor, usager, label=label, kind=kind, year=year, comment=(comment or "").strip())
    entry.label = _required(label, "Décrivez l'antécédent.")
    if year is not None and not 1900 <= int(year) <= timezone.localdate().year:
        raise ValidationError({"year": f"L'année doit être comprise entre 1900 et {timezone.localdate().year}."})
    return _save_new(actor, entry)


def antecedent_end(actor, *, antecedent: Antecedent) -> Antecedent:
    return entry_end(actor, entry=antecedent)


# --- Allergies


def _coding(substance_ref, substance_class):
    """The Substance / SubstanceClass rows from instances or ids; unknown ids are refused."""
    from dui.models import Substance, SubstanceClass

    found = []
    for value, model, field, label in (
        (substance_ref, Substance, "substance_ref", "Substance"),
        (substance_class, SubstanceClass, "substance_class", "Classe"),
    ):
        if value in (None, ""):
            found.append(None)
            continue
        if isinstance(value, model):
            found.append(value)
            continue
        try:
            found.append(model.objects.get(pk=int(value)))
        except (TypeError, ValueError, model.DoesNotExist) as error:
            raise ValidationError({field: f"{label} inconnue du référentiel."}) from error
    return found


@transaction.atomic
def allergy_add(
    actor,
    *,
    usager: Usager,
    substance: str = "",
    substance_ref=None,
    substance_class=None,
    reaction: str = "",
    severity: str = "",
) -> Allergy:
    """An allergy coded against a substance or a class (exactly one); it ends "aucune allergie connue".

    `substance` is the display label; empty, it takes the substance's or class's name.
    """
    entry = _new(Allergy, actor, usager, reaction=(reaction or "").strip(), severity=severity or "")
    refuse_archived(usager)
    ref, cls = _coding(substance_ref, substance_class)
    if ref is None and cls is None:
        raise ValidationError(
            {
                "substance_ref": "Choisissez la substance ou la classe en cause dans le référentiel : "
                "une allergie non codée ne peut pas être vérifiée à la prescription."
            }
        )
    if ref is not None and cls is not None:
        raise ValidationError({"substance_class": "Choisissez une substance ou une classe, pas les deux."})
    if severity not in AllergySeverity.values:
        raise ValidationError({"severity": "Indiquez la gravité : légère, modérée ou sévère."})
    entry.substance_ref, entry.substance_class = ref, cls
    entry.substance = (substance or "").strip() or (ref or cls).name
    entry = _save_new(actor, entry)
    for statement in AllergyStatement.objects.select_for_update().filter(usager=usager, ended_at__isnull=True):
        statement.ended_at = timezone.now()
        statement.save(update_fields=["ended_at"])
        audit.log_access(
            actor,
            AccessAction.UPDATE,
            statement,
            detail="fin de « aucune allergie connue »",
        )
    providers.allergies_changed(usager)
    return entry


@transaction.atomic
def allergy_none_declare(actor, *, usager: Usager) -> AllergyStatement:
    """State "aucune allergie connue" (who, when); refused while an allergy is recorded or already stated."""
    entry = _new(AllergyStatement, actor, usager)
    refuse_archived(usager)
    Usager.objects.select_for_update().filter(pk=usager.pk).first()
    if Allergy.objects.filter(usager=usager, ended_at__isnull=True).exists():
        raise ValidationError("Une allergie est enregistrée : closez-la d'abord si elle est erronée.")
    if AllergyStatement.objects.filter(usager=usager, ended_at__isnull=True).exists():
        raise ValidationError("« Aucune allergie connue » est déjà déclaré pour cette personne.")
    return _save_new(actor, entry, detail="aucune allergie connue")


def allergy_end(actor, *, allergy: Allergy) -> Allergy:
    return entry_end(actor, entry=allergy)


# --- Traitements en cours (free lines)


@transaction.atomic
def treatment_add(
    actor,
    *,
    usager: Usager,
    line: str,
    started_on: datetime.date | None = None,
) -> Treatment:
    entry = _new(Treatment, actor, usager, line=line, started_on=started_on)
    entry.line = _required(line, "Décrivez le traitement (médicament, dose, rythme).")
    _not_future(started_on, "started_on", "La date de début ne peut pas être dans le futur.")
    return _save_new(actor, entry)


def treatment_end(actor, *, treatment: Treatment) -> Treatment:
    return entry_end(actor, entry=treatment)


# --- AGGIR


@transaction.atomic
def aggir_record(
    actor,
    *,
    usager: Usager,
    gir,
    evaluated_on: datetime.date | None,
    evaluator: str,
) -> AggirEvaluation:
    entry = _new(AggirEvaluation, actor, usager, gir=gir, evaluated_on=evaluated_on, evaluator=evaluator)
    errors = {}
    try:
        gir = int(gir)
    except (TypeError, ValueError):
        gir = None
    if gir is None or not 1 <= gir <= 6:
        errors["gir"] = "Le GIR doit être un nombre entier de 1 à 6."
    if evaluated_on is None:
        errors["evaluated_on"] = "La date d'évaluation est obligatoire."
    elif evaluated_on > timezone.localdate():
        errors["evaluated_on"] = "La date d'évaluation ne peut pas être dans le futur."
    elif evaluated_on < usager.birth_date:
        errors["evaluated_on"] = "La date d'évaluation ne peut pas précéder la naissance."
    if not (evaluator or "").strip():
        errors["evaluator"] = "Indiquez l'évaluateur (nom et fonction)."
    if errors:
        raise ValidationError(errors)
    entry.gir, entry.evaluator = gir, evaluator.strip()
    return _save_new(actor, entry, detail=f"GIR {gir}")


def aggir_end(actor, *, evaluation: AggirEvaluation) -> AggirEvaluation:
    return entry_end(actor, entry=evaluation)


# --- Habitudes de vie, centres d'intérêt


@transaction.atomic
def lifenote_add(
    actor,
    *,
    usager: Usager,
    kind: str,
    topic: str,
    text: str,
) -> LifeNote:
    if kind not in LifeNoteKind.values:
        raise ValidationError({"kind": "Choisissez « habitudes de vie » ou « centres d'intérêt »."})
    entry = _new(LifeNote, actor, usager, kind=kind, topic=topic, text=text)
    entry.topic = _required(topic, "Indiquez le thème (repas, sommeil, musique…).")
    entry.text = _required(text, "La description est obligatoire.")
    return _save_new(actor, entry)


@transaction.atomic
def lifenote_update(
    actor,
    *,
    note: LifeNote,
    topic: str | None = None,
    text: str | None = None,
) -> LifeNote:
    check_writable(actor, note, note.usager, REFUSED)
    if note.ended_at is not None:
        raise ValidationError("Cette ligne est close : elle ne peut plus être modifiée.")
    changed = []
    if topic is not None:
        note.topic = _required(topic, "Indiquez le thème (repas, sommeil, musique…).")
        changed.append("topic")
    if text is not None:
        note.text = _required(text, "La description est obligatoire.")
        changed.append("text")
    if not changed:
        return note
    note.full_clean(exclude=["essms", "usager", "created_by"])
    note.save(update_fields=changed)
    audit.log_access(actor, AccessAction.UPDATE, note, detail="modifié")
    return note


def lifenote_end(actor, *, note: LifeNote) -> LifeNote:
    return entry_end(actor, entry=note)


# --- Flags held on the dossier


FLAG_LABELS = {
    "palliative_care": "soins palliatifs",
    "has_advance_directives": "directives anticipées rédigées",
    "fall_risk": "risque de chute",
    "swallowing_disorder": "troubles de la déglutition",
    "isolation_bmr": "isolement BMR",
}


@transaction.atomic
def usager_set_flags(
    actor,
    *,
    usager: Usager,
    palliative_care: bool | None = None,
    has_advance_directives: bool | None = None,
    fall_risk: bool | None = None,
    swallowing_disorder: bool | None = None,
    isolation_bmr: bool | None = None,
) -> Usager:
    """Set the flags held on the dossier (soins palliatifs, directives, banner alerts); None leaves one as it is."""
    given = {
        "palliative_care": palliative_care,
        "has_advance_directives": has_advance_directives,
        "fall_risk": fall_risk,
        "swallowing_disorder": swallowing_disorder,
        "isolation_bmr": isolation_bmr,
    }
    wanted = {field: bool(value) for field, value in given.items() if value is not None}
    for field in wanted:
        section = DossierSection(usager, FLAG_CLASSES[field])
        if not can(actor, WRITE, section):
            raise PermissionDenied(REFUSED)
    refuse_archived(usager)
    current = Usager.objects.select_for_update().get(pk=usager.pk)
    changed = [field for field, value in wanted.items() if getattr(current, field) != value]
    if not changed:
        return usager
    for field in changed:
        setattr(usager, field, wanted[field])
    usager.save(update_fields=[*changed, "updated_at"])
    for field in changed:
        audit.log_access(
            actor,
            AccessAction.UPDATE,
            DossierSection(usager, FLAG_CLASSES[field]),
            detail=f"{FLAG_LABELS[field]} : {'oui' if wanted[field] else 'non'}",
        )
    return usager

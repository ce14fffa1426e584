"""Reads of the medical and life sections of one dossier.

Each section belongs to a document class of the habilitation matrix: a section the user's
métier may not read comes back as None, and the page simply leaves it out.
"""

from dataclasses import dataclass
from types import SimpleNamespace

from django.db.models import QuerySet

from dui import audit
from dui.catalogue import READ
from dui.errors import NotFound
from dui.models import AggirEvaluation, Allergy, AllergyStatement, Antecedent, LifeNote, LifeNoteKind, Treatment, Usager
from dui.permissions import can
from dui.selectors import usagers_for_user


@dataclass(frozen=True)
class DossierSection:
    """One class of one dossier as `can` and the access log see it, without a row.

    Used for the sections held on the dossier itself (soins palliatifs, directives
    anticipées flags) and to ask "may this user read/write this section of that dossier?".
    """

    usager: Usager
    document_class_code: str
    _meta = SimpleNamespace(model_name="dossiersection", label_lower="dui.usager")

    @property
    def pk(self) -> int:
        return self.usager.pk

    @property
    def essms_id(self) -> int:
        return self.usager.essms_id

    @property
    def usager_id(self) -> int:
        return self.usager.pk


def can_section(actor, action: str, usager: Usager, code: str) -> bool:
    """May the user do `action` on class `code` of this dossier (own ESSMS or granted)?"""
    return can(actor, action, DossierSection(usager, code))


# Section slug in URLs → model. The class comes from the model.
MEDICAL_SECTIONS: dict[str, type] = {
    "antecedents": Antecedent,
    "allergies": Allergy,
    "traitements": Treatment,
    "aggir": AggirEvaluation,
}

# Each flag held on the dossier is read and written under one class of the matrix: the safety
# alerts of care (falls, isolation) under the plan de soins, swallowing under diet and textures.
FLAG_CLASSES = {
    "palliative_care": "soins_palliatifs",
    "has_advance_directives": "directives_anticipees",
    "fall_risk": "plan_soins",
    "swallowing_disorder": "regime_alimentaire",
    "isolation_bmr": "plan_soins",
}


def _active_entries(actor, usager: Usager, model, code: str | None = None) -> QuerySet | None:
    code = code or model.document_class_code
    if not can_section(actor, READ, usager, code):
        return None
    return model.objects.filter(essms_id=usager.essms_id, usager_id=usager.pk, ended_at__isnull=True).select_related(
        "created_by"
    )


def antecedents_for(actor, *, usager: Usager) -> QuerySet[Antecedent] | None:
    return _active_entries(actor, usager, Antecedent)


def allergies_for(actor, *, usager: Usager) -> QuerySet[Allergy] | None:
    return _active_entries(actor, usager, Allergy)


def treatments_for(actor, *, usager: Usager) -> QuerySet[Treatment] | None:
    return _active_entries(actor, usager, Treatment)


def aggir_for(actor, *, usager: Usager) -> QuerySet[AggirEvaluation] | None:
    """The AGGIR history, latest evaluation first (struck-out evaluations left out)."""
    return _active_entries(actor, usager, AggirEvaluation)


def life_notes_for(actor, *, usager: Usager, kind: str) -> QuerySet[LifeNote] | None:
    qs = _active_entries(actor, usager, LifeNote, code=kind)
    return None if qs is None else qs.filter(kind=kind)


def flags_for(actor, *, usager: Usager) -> dict[str, bool | None]:
    """Each flag's value, or None when the user's métier may not read its class."""
    return {
        field: getattr(usager, field) if can_section(actor, READ, usager, code) else None
        for field, code in FLAG_CLASSES.items()
    }


def entry_for(actor, *, usager: Usager, section: str, pk: int):
    """An active row of one medical section of this dossier, or 404 (missing, out of reach, not readable)."""
    model = MEDICAL_SECTIONS.get(section)
    if model is None:
        raise NotFound
    qs = _active_entries(actor, usager, model)
    row = None if qs is None else qs.filter(pk=pk).first()
    if row is None:
        raise NotFound
    return row


def life_note_for(actor, *, usager: Usager, pk: int) -> LifeNote:
    note = (
        LifeNote.objects.filter(essms_id=usager.essms_id, usager_id=usager.pk, ended_at__isnull=True, pk=pk)
        .select_related("usager")
        .first()
    )
    if note is None or not can_section(actor, READ, usager, note.kind):
        raise NotFound
    return note


def entries_for_user(actor, model, *, usager_id: int | None = None) -> QuerySet:
    """API scope: active rows of one class, on the dossiers the user reaches, if the matrix lets them read it."""
    if not can(actor, READ, model.document_class_code):
        return model.objects.none()
    qs = model.objects.filter(usager__in=usagers_for_user(actor), ended_at__isnull=True)
    if usager_id is not None:
        qs = qs.filter(usager_id=usager_id)
    return qs.select_related("created_by").order_by("usager_id", *model._meta.ordering)


@dataclass
class MedicalPage:
    antecedents: list | None
    allergies: list | None
    treatments: list | None
    aggir: list | None
    flags: dict[str, bool | None]

    @property
    def latest_aggir(self) -> AggirEvaluation | None:
        return self.aggir[0] if self.aggir else None

    @property
    def rows(self) -> list:
        return [row for rows in (self.antecedents, self.allergies, self.treatments, self.aggir) if rows for row in rows]

    @property
    def shows_flags(self) -> bool:
        return any(value is not None for value in self.flags.values())

    @property
    def shows_anything(self) -> bool:
        sections = (self.antecedents, self.allergies, self.treatments, self.aggir)
        return any(rows is not None for rows in sections) or any(v is not None for v in self.flags.values())


def _readable_flags(usager: Usager, flags: dict[str, bool | None]) -> list[DossierSection]:
    return [DossierSection(usager, FLAG_CLASSES[f]) for f, v in flags.items() if v is not None]


def flags_page(actor, usager: Usager) -> dict[str, bool | None]:
    """The flags of one dossier (None where not readable), each readable one logged as read."""
    flags = flags_for(actor, usager=usager)
    audit.log_reads(actor, _readable_flags(usager, flags))
    return flags


def medical_page(actor, *, usager: Usager) -> MedicalPage:
    """Every medical section of one dossier the user may read, evaluated: one query per section.

    What the page shows is logged as read: the dossier, each readable flag's class and every row.
    """

    def evaluate(qs):
        return None if qs is None else list(qs)

    page = MedicalPage(
        antecedents=evaluate(antecedents_for(actor, usager=usager)),
        allergies=evaluate(allergies_for(actor, usager=usager)),
        treatments=evaluate(treatments_for(actor, usager=usager)),
        aggir=evaluate(aggir_for(actor, usager=usager)),
        flags=flags_for(actor, usager=usager),
    )
    audit.log_reads(actor, [usager, *_readable_flags(usager, page.flags), *page.rows], detail="fiche médicale")
    return page


def life_page(actor, *, usager: Usager) -> dict[str, list | None]:
    """Habitudes de vie and centres d'intérêt, each None when not readable; one query for both (logged as read)."""
    readable = [kind for kind in LifeNoteKind.values if can_section(actor, READ, usager, kind)]
    notes = (
        list(
            LifeNote.objects.filter(
                essms_id=usager.essms_id, usager_id=usager.pk, ended_at__isnull=True, kind__in=readable
            ).select_related("created_by")
        )
        if readable
        else []
    )
    page = {kind: [n for n in notes if n.kind == kind] if kind in readable else None for kind in LifeNoteKind.values}
    audit.log_reads(
        actor, [usager, *(note for rows in page.values() if rows for note in rows)], detail="vie quotidienne"
    )
    return page


def allergy_status(usager: Usager) -> tuple[str, list[Allergy], AllergyStatement | None]:
    """(status, active allergies, statement) for banners and prescribing screens.

    status is "allergies" when any active allergy exists, "aucune_connue" when someone stated
    "aucune allergie connue" (the statement says who and when), else "non_renseigne".
    Callers check the reader's rights first (`allergies_for` / `can_section`).
    """
    allergies = list(
        Allergy.objects.filter(essms_id=usager.essms_id, usager_id=usager.pk, ended_at__isnull=True)
        .select_related("created_by", "substance_ref", "substance_class")
        .order_by("substance")
    )
    if allergies:
        return "allergies", allergies, None
    statement = (
        AllergyStatement.objects.filter(essms_id=usager.essms_id, usager_id=usager.pk, ended_at__isnull=True)
        .select_related("created_by")
        .first()
    )
    return ("aucune_connue" if statement else "non_renseigne"), [], statement

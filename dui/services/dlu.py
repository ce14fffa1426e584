"""Writes of the dossier's "Informations d'urgence (DLU)" section: one row per dossier, edited in place."""

from django.core.exceptions import ValidationError
from django.db import transaction

from dui import audit
from dui.actor import user_of
from dui.catalogue import WRITE
from dui.models import AccessAction, DossierDlu, Usager
from dui.models.dlu import Deficit, Mobility, MobilityRisk, Prosthesis, PsychicState, TakeAlong
from dui.permissions import require
from dui.selectors.medical import DossierSection
from dui.services.common import refuse_archived

LIST_CHOICES = {
    "psychic_states": PsychicState,
    "deficits": Deficit,
    "mobility_risks": MobilityRisk,
    "prostheses": Prosthesis,
    "take_along": TakeAlong,
}
TEXT_FIELDS = (
    "preferred_hospital",
    "active_problems",
    "psychic_comment",
    "bmr_detail",
    "vaccinations",
    "advance_directives_location",
    "blood_group",
    "housing",
    "carers",
    "pharmacist",
)
BOOL_FIELDS = ("pressure_ulcer_risk", "pressure_ulcer_present")
EDITABLE = (*TEXT_FIELDS, *BOOL_FIELDS, *LIST_CHOICES, "mobility")


def _clean_lists(fields: dict) -> None:
    for name, choices in LIST_CHOICES.items():
        if name not in fields:
            continue
        values = list(dict.fromkeys(fields[name] or ()))
        unknown = [v for v in values if v not in choices.values]
        if unknown:
            raise ValidationError({name: f"Valeur inconnue : « {unknown[0]} »."})
        fields[name] = values
    if fields.get("mobility") and fields["mobility"] not in Mobility.values:
        raise ValidationError({"mobility": f"Valeur inconnue : « {fields['mobility']} »."})


@transaction.atomic
def dlu_section_save(actor, *, usager: Usager, **fields) -> DossierDlu:
    """Create or update the section; only the given fields change. Refused input writes nothing."""
    refuse_archived(usager)
    require(actor, WRITE, DossierSection(usager, DossierDlu.document_class_code))
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValidationError(f"Champ inconnu : {', '.join(sorted(unknown))}.")
    for name in TEXT_FIELDS:
        if name in fields:
            fields[name] = (fields[name] or "").strip()
    _clean_lists(fields)
    section = DossierDlu.objects.select_for_update().filter(usager=usager).first()
    created = section is None
    if created:
        section = DossierDlu(essms_id=usager.essms_id, usager=usager)
    for name, value in fields.items():
        setattr(section, name, value)
    section.updated_by = user_of(actor)
    section.full_clean(exclude=["essms", "usager", "updated_by"])
    section.save()
    audit.log_access(
        actor,
        AccessAction.CREATE if created else AccessAction.UPDATE,
        section,
        detail="informations d'urgence (DLU) " + ("renseignées" if created else "mises à jour"),
    )
    return section

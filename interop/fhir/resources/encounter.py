"""Encounter: a séjour (pre-admission to exit), its class from the accommodation modality, its units as locations."""

from dui.models import Sejour
from dui.models.sejours import SejourStatus
from interop.fhir import codes
from interop.fhir.resources.base import ID_PARAM, Handler, Param
from interop.fhir.search import reference_id
from interop.fhir.selectors import encounters
from interop.fhir.validation import checked

STATUS = {
    SejourStatus.PRE_ADMISSION: "planned",
    SejourStatus.ACTIVE: "in-progress",
    SejourStatus.CLOSED: "finished",
    SejourStatus.CANCELLED: "cancelled",
}
# Accommodation modality → v3 ActCode: residential stays are non-acute inpatient, day care ambulatory.
CLASS = {"aj": "AMB", "semi_internat": "AMB", "externat": "AMB", "domicile": "HH"}
CLASS_LABELS = {"NONAC": "inpatient non-acute", "AMB": "ambulatory", "HH": "home health"}


def build(sejour: Sejour) -> dict:
    placements = sorted(sejour.placements.all(), key=lambda p: (p.starts_on, p.pk))
    klass = CLASS.get(placements[-1].modality, "NONAC") if placements else "NONAC"
    period = {"start": (sejour.admitted_on or sejour.first_contact_on).isoformat()}
    if sejour.ended_on:
        period["end"] = sejour.ended_on.isoformat()
    resource = {
        "resourceType": "Encounter",
        "id": str(sejour.pk),
        "status": STATUS.get(sejour.status, "unknown"),
        "class": {"system": codes.CS_ACT_CODE, "code": klass, "display": CLASS_LABELS[klass]},
        "subject": {"reference": f"Patient/{sejour.usager_id}"},
        "period": period,
        "serviceProvider": {
            "identifier": {"system": codes.FINESS_SYSTEM, "value": sejour.essms.finess},
            "display": sejour.essms.name,
        },
    }
    if placements:
        resource["location"] = [
            {
                "location": {
                    "display": placement.unit.name + (f", chambre {placement.room}" if placement.room else "")
                },
                "status": "active" if placement.ends_on is None else "completed",
                "period": {
                    "start": placement.starts_on.isoformat(),
                    **({"end": placement.ends_on.isoformat()} if placement.ends_on else {}),
                },
            }
            for placement in placements
        ]
    if sejour.exit_reason:
        resource["hospitalization"] = {"dischargeDisposition": {"text": sejour.get_exit_reason_display()}}
    return checked(resource)


def filters(queryset, search):
    for raw in search.params.get("patient", []) + search.params.get("subject", []):
        queryset = queryset.filter(usager_id=reference_id(raw, "Patient", "patient"))
    return queryset.order_by("-first_contact_on", "-pk")


ENCOUNTER = Handler(
    resource_type="Encounter",
    profile="http://hl7.org/fhir/StructureDefinition/Encounter",
    build=build,
    queryset=lambda actor: encounters(actor),
    filters=filters,
    params=(
        ID_PARAM,
        Param("patient", "reference", "Patient/<id> : les séjours d'un usager."),
        Param("subject", "reference", "Comme patient."),
    ),
    documentation="Séjours : période, classe selon la modalité d'accueil, unités en lieux.",
)

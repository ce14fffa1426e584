"""AllergyIntolerance: the allergies and intolerances of the dossier (class « allergies » of the matrix)."""

from django.utils import timezone

from dui.models import Allergy
from interop.fhir import codes
from interop.fhir.resources.base import ID_PARAM, Handler, Param
from interop.fhir.search import reference_id
from interop.fhir.selectors import allergies
from interop.fhir.validation import checked

SEVERITY = {"legere": "mild", "moderee": "moderate", "severe": "severe"}


def build(allergy: Allergy) -> dict:
    resource = {
        "resourceType": "AllergyIntolerance",
        "id": str(allergy.pk),
        "clinicalStatus": {"coding": [{"system": codes.CS_ALLERGY_CLINICAL, "code": "active"}]},
        "code": {"text": allergy.substance},
        "patient": {"reference": f"Patient/{allergy.usager_id}"},
        "recordedDate": timezone.localtime(allergy.created_at).isoformat(),
        "recorder": codes.practitioner_reference(allergy.created_by),
    }
    if allergy.reaction or allergy.severity:
        reaction = {"manifestation": [{"text": allergy.reaction or "Réaction non précisée"}]}
        if allergy.severity in SEVERITY:
            reaction["severity"] = SEVERITY[allergy.severity]
        resource["reaction"] = [reaction]
    return checked(resource)


def filters(queryset, search):
    for raw in search.params.get("patient", []):
        queryset = queryset.filter(usager_id=reference_id(raw, "Patient", "patient"))
    return queryset.order_by("usager_id", "substance", "pk")


ALLERGY = Handler(
    resource_type="AllergyIntolerance",
    profile="http://hl7.org/fhir/StructureDefinition/AllergyIntolerance",
    build=build,
    queryset=lambda actor: allergies(actor),
    filters=filters,
    params=(ID_PARAM, Param("patient", "reference", "Patient/<id>.")),
    documentation="Allergies et intolérances en cours du dossier.",
)

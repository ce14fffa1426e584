"""Condition: the antécédents (medical, surgical, family) of the dossier (class « antecedents »)."""

from django.utils import timezone

from dui.models import Antecedent
from interop.fhir import codes
from interop.fhir.resources.base import ID_PARAM, Handler, Param
from interop.fhir.search import reference_id
from interop.fhir.selectors import conditions
from interop.fhir.validation import checked


def build(antecedent: Antecedent) -> dict:
    resource = {
        "resourceType": "Condition",
        "id": str(antecedent.pk),
        "category": [
            {
                "coding": [
                    {
                        "system": codes.CS_ANTECEDENT_KIND,
                        "code": antecedent.kind,
                        "display": antecedent.get_kind_display(),
                    }
                ],
                "text": f"Antécédent {antecedent.get_kind_display().lower()}",
            }
        ],
        "code": {"text": antecedent.label},
        "subject": {"reference": f"Patient/{antecedent.usager_id}"},
        "recordedDate": timezone.localtime(antecedent.created_at).isoformat(),
        "recorder": codes.practitioner_reference(antecedent.created_by),
    }
    if antecedent.year:
        resource["onsetDateTime"] = f"{antecedent.year:04d}"
    if antecedent.comment:
        resource["note"] = [{"text": antecedent.comment}]
    return checked(resource)


def filters(queryset, search):
    for raw in search.params.get("patient", []) + search.params.get("subject", []):
        queryset = queryset.filter(usager_id=reference_id(raw, "Patient", "patient"))
    return queryset.order_by("usager_id", "-year", "label", "pk")


CONDITION = Handler(
    resource_type="Condition",
    profile="http://hl7.org/fhir/StructureDefinition/Condition",
    build=build,
    queryset=lambda actor: conditions(actor),
    filters=filters,
    params=(ID_PARAM, Param("patient", "reference", "Patient/<id>."), Param("subject", "reference", "Comme patient.")),
    documentation="Antécédents médicaux, chirurgicaux et familiaux du dossier.",
)

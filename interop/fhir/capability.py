"""The CapabilityStatement, generated from the handlers actually registered: it cannot claim more."""

from django.utils import timezone

from interop.fhir.resources import HANDLERS
from interop.fhir.search import DEFAULT_COUNT, MAX_COUNT
from interop.fhir.validation import checked
from interop.scopes import fhir_scope


def capability_statement(base_url: str) -> dict:
    resources = []
    for handler in HANDLERS:
        scopes = [fhir_scope(handler.resource_type, "read")]
        if "create" in handler.interactions:
            scopes.append(fhir_scope(handler.resource_type, "write"))
        entry = {
            "type": handler.resource_type,
            "profile": handler.profile,
            "documentation": f"{handler.documentation} Portées : {', '.join(scopes)}.",
            "interaction": [{"code": code} for code in handler.interactions],
        }
        if "search-type" in handler.interactions:
            entry["searchParam"] = [
                {"name": p.name, "type": p.type, "documentation": p.documentation} for p in handler.params
            ] + [
                {
                    "name": "_count",
                    "type": "number",
                    "documentation": f"Taille de page ({DEFAULT_COUNT} par défaut, {MAX_COUNT} au plus).",
                },
                {"name": "_offset", "type": "number", "documentation": "Décalage de la page (liens next/previous)."},
            ]
        if handler.resource_type == "Patient":
            entry["supportedProfile"] = ["https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-patient-ins"]
        resources.append(entry)
    return checked(
        {
            "resourceType": "CapabilityStatement",
            "status": "active",
            "date": timezone.now().date().isoformat(),
            "publisher": "DUI",
            "kind": "instance",
            "implementation": {"description": "DUI — API FHIR partenaires", "url": base_url},
            "fhirVersion": "4.0.1",
            "format": ["application/fhir+json"],
            "rest": [
                {
                    "mode": "server",
                    "documentation": "Paramètres de recherche inconnus ignorés, sauf avec "
                    "« Prefer: handling=strict » (400). Une ressource d'un autre ESSMS répond 404 "
                    "comme une ressource inexistante.",
                    "security": {
                        "description": "Authorization: Bearer <jeton d'API> lié à un ESSMS ; portées de type SMART "
                        "(system/<Ressource>.read|write) ; la matrice d'habilitation du métier du jeton s'applique.",
                    },
                    "resource": resources,
                }
            ],
        }
    )

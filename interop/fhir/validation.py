"""Every resource served or received is checked against the fhir.resources (R4B) models."""

import importlib

from pydantic import ValidationError as PydanticError

from interop.fhir.outcome import FhirError

_MODULES = {
    "Patient": "patient",
    "Encounter": "encounter",
    "DocumentReference": "documentreference",
    "Binary": "binary",
    "Observation": "observation",
    "AllergyIntolerance": "allergyintolerance",
    "Condition": "condition",
    "CapabilityStatement": "capabilitystatement",
    "Bundle": "bundle",
    "OperationOutcome": "operationoutcome",
}


def model_of(resource_type: str):
    module = importlib.import_module(f"fhir.resources.R4B.{_MODULES[resource_type]}")
    return getattr(module, resource_type)


def checked(resource: dict) -> dict:
    """The resource, once validated (a resource we build that does not validate is our bug: 500)."""
    model_of(resource["resourceType"]).model_validate(resource)
    return resource


def parse_incoming(body: dict, resource_type: str):
    """The received resource as a fhir.resources model, or a 400 OperationOutcome naming the faults."""
    if not isinstance(body, dict) or body.get("resourceType") != resource_type:
        raise FhirError(400, "invalid", f"Ressource {resource_type} attendue (resourceType).")
    try:
        return model_of(resource_type).model_validate(body)
    except PydanticError as error:
        faults = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}" for e in error.errors()[:5]
        )
        raise FhirError(400, "structure", f"Ressource {resource_type} invalide : {faults}"[:500]) from None

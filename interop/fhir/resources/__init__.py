"""The FHIR resources served, one module each; REGISTRY maps a resource type to its handler."""

from interop.fhir.resources.allergy import ALLERGY
from interop.fhir.resources.base import Handler
from interop.fhir.resources.binary import BINARY
from interop.fhir.resources.condition import CONDITION
from interop.fhir.resources.document_reference import DOCUMENT_REFERENCE
from interop.fhir.resources.encounter import ENCOUNTER
from interop.fhir.resources.observation import OBSERVATION
from interop.fhir.resources.patient import PATIENT

HANDLERS: tuple[Handler, ...] = (PATIENT, ENCOUNTER, DOCUMENT_REFERENCE, BINARY, OBSERVATION, ALLERGY, CONDITION)
REGISTRY = {handler.resource_type: handler for handler in HANDLERS}

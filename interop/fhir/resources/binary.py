"""Binary: the content of one version of a document, read only (created through DocumentReference)."""

import base64

from interop.fhir.resources.base import Handler
from interop.fhir.selectors import binary_version
from interop.fhir.validation import checked


def read(actor, raw_id) -> dict:
    version = binary_version(actor, raw_id)
    with version.file.open("rb") as handle:
        data = handle.read()
    return checked(
        {
            "resourceType": "Binary",
            "id": str(version.pk),
            "contentType": version.mime_type,
            "data": base64.b64encode(data).decode(),
        }
    )


BINARY = Handler(
    resource_type="Binary",
    profile="http://hl7.org/fhir/StructureDefinition/Binary",
    build=lambda row: row,
    read_fn=read,
    interactions=("read",),
    documentation="Contenu d'une version de document (base64), lisible si le document l'est.",
)

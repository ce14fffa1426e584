"""DocumentReference: a document of the dossier (its class, date, author, versions as Binary); create
files a base64 attachment into the dossier through dui's document services."""

import base64
import datetime

from django.utils import timezone

from dui.catalogue import CLASS_BY_CODE, TIER_LABELS
from dui.models import Document
from interop.fhir import codes
from interop.fhir.outcome import invalid
from interop.fhir.resources.base import ID_PARAM, Handler, Param
from interop.fhir.search import date_filter, reference_id, token
from interop.fhir.selectors import document_references
from interop.fhir.services import document_reference_create
from interop.fhir.validation import checked


def _day_instant(day: datetime.date) -> str:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time())).isoformat()


def build(document: Document) -> dict:
    spec = CLASS_BY_CODE.get(document.document_class.code)
    tier = spec.tier if spec else ""
    versions = sorted(document.versions.all(), key=lambda v: v.number)
    resource = {
        "resourceType": "DocumentReference",
        "id": str(document.pk),
        "status": "current",
        "type": {
            "coding": [
                {
                    "system": codes.CS_DOCUMENT_CLASS,
                    "code": document.document_class.code,
                    "display": document.document_class.label,
                }
            ]
        },
        "category": [
            {"coding": [{"system": codes.CS_DOCUMENT_TIER, "code": tier, "display": TIER_LABELS.get(tier, tier)}]}
        ]
        if tier
        else [],
        "subject": {"reference": f"Patient/{document.usager_id}"},
        "date": _day_instant(document.document_date),
        "author": [codes.practitioner_reference(document.created_by)],
        "description": document.title,
        "content": [
            {
                "attachment": {
                    "contentType": version.mime_type,
                    "url": f"Binary/{version.pk}",
                    "size": version.size,
                    "title": version.original_name,
                    "creation": timezone.localtime(version.uploaded_at).isoformat(),
                }
            }
            for version in reversed(versions)
        ]
        or [{"attachment": {"title": document.title}}],
    }
    if not resource["category"]:
        resource.pop("category")
    return checked(resource)


def _codes(values: list[str], system: str) -> list[str]:
    found = []
    for raw in ",".join(values).split(","):
        given_system, code = token(raw)
        if given_system in (None, "", system):
            found.append(code)
    return found


def filters(queryset, search):
    p = search.params
    for raw in p.get("patient", []) + p.get("subject", []):
        queryset = queryset.filter(usager_id=reference_id(raw, "Patient", "patient"))
    if "type" in p:
        queryset = queryset.filter(document_class__code__in=_codes(p["type"], codes.CS_DOCUMENT_CLASS))
    if "category" in p:
        tiers = set(_codes(p["category"], codes.CS_DOCUMENT_TIER))
        queryset = queryset.filter(
            document_class__code__in=[spec.code for spec in CLASS_BY_CODE.values() if spec.tier in tiers]
        )
    for raw in p.get("date", []):
        queryset = queryset.filter(**date_filter("document_date", raw, "date"))
    return queryset.order_by("-document_date", "-pk")


def create(actor, model, request) -> dict:
    """The resource checked by fhir.resources → one document with its version 1."""
    if model.subject is None or not (model.subject.reference or "").startswith("Patient/"):
        raise invalid("DocumentReference.subject : référence Patient/<id> obligatoire.")
    class_codes = [
        c.code
        for c in (model.type.coding if model.type and model.type.coding else [])
        if c.system == codes.CS_DOCUMENT_CLASS
    ]
    if not class_codes:
        raise invalid(
            f"DocumentReference.type : un code du système {codes.CS_DOCUMENT_CLASS} "
            "(classe de document) est obligatoire."
        )
    if not model.content or not model.content[0].attachment or not model.content[0].attachment.data:
        raise invalid("DocumentReference.content[0].attachment.data : le contenu (base64) est obligatoire.")
    attachment = model.content[0].attachment
    data = attachment.data
    if isinstance(data, bytes):  # the model may decode base64Binary: send the text form to the service
        data = base64.b64encode(data).decode()
    day = timezone.localtime(model.date).date() if model.date else timezone.localdate()
    document = document_reference_create(
        actor,
        usager_id=reference_id(model.subject.reference, "Patient", "subject"),
        class_code=class_codes[0],
        title=model.description or attachment.title or "Document reçu",
        document_date=day,
        data=data,
        source=getattr(actor, "token_name", "")[:200],
    )
    document = document_references(actor).get(pk=document.pk)
    return build(document)


DOCUMENT_REFERENCE = Handler(
    resource_type="DocumentReference",
    profile="http://hl7.org/fhir/StructureDefinition/DocumentReference",
    build=build,
    queryset=lambda actor: document_references(actor),
    filters=filters,
    create=create,
    params=(
        ID_PARAM,
        Param("patient", "reference", "Patient/<id>."),
        Param("subject", "reference", "Comme patient."),
        Param("type", "token", f"Classe de document ({codes.CS_DOCUMENT_CLASS}|<code>)."),
        Param("category", "token", f"Famille de classes ({codes.CS_DOCUMENT_TIER}|<code>)."),
        Param("date", "date", "Date du document (préfixes eq, ge, le, gt, lt)."),
    ),
    interactions=("read", "search-type", "create"),
    documentation="Documents du dossier (classes de la matrice d'habilitation) ; création avec une pièce jointe "
    "base64 (PDF, JPEG ou PNG, taille limitée) déposée comme un envoi de l'écran.",
)

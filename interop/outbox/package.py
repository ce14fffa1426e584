"""From an outbox row to what a connector sends: the CDA R2 N1, its XDS metadata and the PDF."""

from django.conf import settings
from lxml import etree

from interop.cda.builder import CdaInput, Person, build_cda, oid_of, type_code_of, xds_metadata
from interop.cda.xds import submit_objects_request
from interop.connectors.base import Package
from interop.outbox.models import Delivery

# Root of the local patient id (IPP) when there is no qualified INS: unconfirmed, configurable.
DEFAULT_LOCAL_ID_ROOT = "1.2.250.1.71.4.2.7"


def cda_input(delivery: Delivery, pdf: bytes) -> CdaInput:
    document, usager, essms = delivery.document, delivery.usager, delivery.essms
    author = document.created_by
    return CdaInput(
        unique_id=delivery.uid,
        class_code=document.document_class.code,
        title=document.title,
        pdf=pdf,
        created_at=delivery.version.uploaded_at,
        service_date=document.document_date,
        patient_family=usager.birth_name,
        patient_given=usager.first_names,
        patient_sex=usager.sex,
        patient_birth_date=usager.birth_date,
        patient_ins=usager.shareable_matricule,
        patient_local_id=f"{essms.finess}/{usager.pk}",
        local_id_root=getattr(settings, "CDA_LOCAL_ID_ROOT", DEFAULT_LOCAL_ID_ROOT),
        author=Person(family=author.last_name or author.username, given=author.first_name, rpps=author.rpps),
        essms_finess=essms.finess,
        essms_name=essms.name,
        essms_kind=essms.kind,
        confidentiality=delivery.confidentiality,
        masking=tuple(delivery.masking_flags),
        version_number=delivery.version.number,
    )


def package_of(delivery: Delivery) -> Package:
    with delivery.version.file.open("rb") as handle:
        pdf = handle.read()
    data = cda_input(delivery, pdf)
    metadata = submit_objects_request(xds_metadata(data), source_oid=f"1.2.250.1.71.4.2.2.1{delivery.essms.finess}")
    return Package(
        uid=oid_of(delivery.uid),
        essms_finess=delivery.essms.finess,
        essms_name=delivery.essms.name,
        title=data.title,
        type_code=type_code_of(data.class_code),
        cda=build_cda(data),
        pdf=pdf,
        pdf_name=delivery.version.original_name,
        metadata_xml=etree.tostring(metadata, encoding="UTF-8"),
        patient_family=data.patient_family,
        patient_given=data.patient_given,
        patient_birth_date=data.patient_birth_date,
        patient_ins=data.patient_ins,
        recipient=delivery.recipient,
    )

"""Builds a CDA R2 N1 document: the French header (INTEROP.md §5) and the PDF in a nonXMLBody.

The document's unique id is an OID under 2.25 derived from the outbox's UUID, so the same
delivery always carries the same id and a partner can refuse a second deposit of it."""

import base64
import datetime
import uuid
from dataclasses import dataclass, field

from django.utils import timezone
from lxml import etree

from dui.catalogue import LOINC_CODES
from interop.cda import codes

HL7 = "urn:hl7-org:v3"
XSI = "http://www.w3.org/2001/XMLSchema-instance"


class NotSendable(ValueError):  # noqa: N818 (a domain answer)
    """The document's class has no LOINC code: it cannot leave as a CDA."""


@dataclass(frozen=True)
class Person:
    family: str
    given: str
    rpps: str = ""


@dataclass(frozen=True)
class CdaInput:
    """Everything the header needs, read from the dossier by the caller (no query in here)."""

    unique_id: uuid.UUID
    class_code: str  # dui document class code
    title: str
    pdf: bytes
    created_at: datetime.datetime
    service_date: datetime.date
    patient_family: str
    patient_given: str
    patient_sex: str
    patient_birth_date: datetime.date
    patient_ins: str  # "" unless the identity is qualified
    patient_local_id: str
    local_id_root: str
    author: Person
    essms_finess: str
    essms_name: str
    essms_kind: str
    confidentiality: str = "N"
    masking: tuple[str, ...] = field(default_factory=tuple)
    version_number: int = 1


@dataclass(frozen=True)
class XdsMetadata:
    unique_id: str
    type_code: tuple[str, str]
    class_code: tuple[str, str]
    format_code: str
    confidentiality: tuple[str, ...]
    healthcare_facility_type: tuple[str, str]
    practice_setting: tuple[str, str]
    patient_id: str
    creation_time: str
    service_start: str
    title: str
    mime_type: str = "text/xml"


def oid_of(value: uuid.UUID) -> str:
    return f"2.25.{value.int}"


def hl7_time(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y%m%d%H%M%S%z")


def type_code_of(class_code: str) -> tuple[str, str]:
    if class_code not in LOINC_CODES:
        raise NotSendable(f"La classe « {class_code} » n'a pas de code LOINC : ce document ne peut pas partir en CDA.")
    return LOINC_CODES[class_code]


def _sub(parent, tag: str, text: str | None = None, **attributes):
    node = etree.SubElement(parent, f"{{{HL7}}}{tag}", {k: v for k, v in attributes.items() if v is not None})
    if text is not None:
        node.text = text
    return node


def build_cda(data: CdaInput) -> bytes:
    """The CDA R2 N1 document as UTF-8 bytes."""
    code, display = type_code_of(data.class_code)
    if data.confidentiality not in codes.CONFIDENTIALITY_LEVELS:
        raise ValueError(f"Niveau de confidentialité inconnu : {data.confidentiality}")
    root = etree.Element(f"{{{HL7}}}ClinicalDocument", nsmap={None: HL7, "xsi": XSI})
    _sub(root, "realmCode", code="FR")
    _sub(root, "typeId", root=codes.CDA_TYPE_ID[0], extension=codes.CDA_TYPE_ID[1])
    for template in (*codes.N1_TEMPLATES, *codes.EXTRA_TEMPLATES.get(data.class_code, ())):
        _sub(root, "templateId", root=template)
    _sub(root, "id", root=oid_of(data.unique_id))
    _sub(root, "code", code=code, codeSystem=codes.LOINC, codeSystemName="LOINC", displayName=display)
    _sub(root, "title", data.title)
    _sub(root, "effectiveTime", value=hl7_time(data.created_at))
    _sub(
        root,
        "confidentialityCode",
        code=data.confidentiality,
        codeSystem=codes.CONFIDENTIALITY,
        displayName=codes.CONFIDENTIALITY_LEVELS[data.confidentiality],
    )
    _sub(root, "languageCode", code="fr-FR")
    _sub(root, "setId", root=oid_of(data.unique_id))
    _sub(root, "versionNumber", value=str(data.version_number))
    _record_target(root, data)
    _author(root, data)
    _custodian(root, data)
    service = _sub(_sub(root, "documentationOf"), "serviceEvent")
    _sub(_sub(service, "effectiveTime"), "low", value=data.service_date.strftime("%Y%m%d"))
    body = _sub(_sub(root, "component"), "nonXMLBody")
    _sub(body, "text", base64.b64encode(data.pdf).decode("ascii"), mediaType="application/pdf", representation="B64")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _record_target(root, data: CdaInput) -> None:
    role = _sub(_sub(root, "recordTarget"), "patientRole")
    if data.patient_ins:
        _sub(role, "id", root=codes.INS_NIR, extension=data.patient_ins)
    _sub(role, "id", root=data.local_id_root, extension=data.patient_local_id)
    patient = _sub(role, "patient")
    name = _sub(patient, "name")
    for given in data.patient_given.split():
        _sub(name, "given", given)
    _sub(name, "family", data.patient_family, qualifier="BR")
    gender = {"F": "F", "M": "M"}.get(data.patient_sex, "UN")
    _sub(patient, "administrativeGenderCode", code=gender, codeSystem=codes.GENDER)
    _sub(patient, "birthTime", value=data.patient_birth_date.strftime("%Y%m%d"))


def _organisation(parent, tag: str, data: CdaInput):
    organisation = _sub(parent, tag)
    _sub(organisation, "id", root=codes.ID_NAT_STRUCT, extension=f"1{data.essms_finess}")
    _sub(organisation, "name", data.essms_name)
    return organisation


def _author(root, data: CdaInput) -> None:
    author = _sub(root, "author")
    _sub(author, "time", value=hl7_time(data.created_at))
    assigned = _sub(author, "assignedAuthor")
    if data.author.rpps:
        _sub(assigned, "id", root=codes.ID_NAT_PS, extension=f"8{data.author.rpps}")
    else:  # staff without RPPS: structure id + local id (TRE_G08 prefix 3)
        _sub(assigned, "id", root=codes.ID_NAT_PS, extension=f"3{data.essms_finess}/{data.author.family}")
    person = _sub(_sub(assigned, "assignedPerson"), "name")
    _sub(person, "given", data.author.given)
    _sub(person, "family", data.author.family)
    _organisation(assigned, "representedOrganization", data)


def _custodian(root, data: CdaInput) -> None:
    custodian = _sub(_sub(root, "custodian"), "assignedCustodian")
    _organisation(custodian, "representedCustodianOrganization", data)


def xds_metadata(data: CdaInput) -> XdsMetadata:
    """The XDS.b metadata of the deposit (ITI-41 DocumentEntry)."""
    class_code = codes.CLASS_CODE_OF.get(data.class_code, codes.DEFAULT_CLASS_CODE)
    facility = codes.facility_type(data.essms_kind)
    practice = codes.practice_setting(data.essms_kind)
    return XdsMetadata(
        unique_id=oid_of(data.unique_id),
        type_code=type_code_of(data.class_code),
        class_code=(class_code, codes.CLASS_LABELS[class_code]),
        format_code=codes.FORMAT_N1,
        confidentiality=(data.confidentiality, *data.masking),
        healthcare_facility_type=(facility, codes.FACILITY_LABELS[facility]),
        practice_setting=(practice, codes.PRACTICE_LABELS[practice]),
        patient_id=f"{data.patient_ins}^^^&{codes.INS_NIR}&ISO" if data.patient_ins else "",
        creation_time=timezone.localtime(data.created_at).astimezone(datetime.UTC).strftime("%Y%m%d%H%M%S"),
        service_start=data.service_date.strftime("%Y%m%d"),
        title=data.title,
    )

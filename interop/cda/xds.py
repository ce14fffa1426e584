"""The ebRIM SubmitObjectsRequest of an XDS.b deposit: used in the ITI-41 SOAP body (DMP) and as
IHE_XDM/SUBSET01/METADATA.XML in the MSSanté IHE_XDM.ZIP (ITI-32)."""

import uuid

from lxml import etree

from interop.cda import codes
from interop.cda.builder import XdsMetadata

RIM = "urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0"
LCM = "urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0"

DOCUMENT_ENTRY = "urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1"
SUBMISSION_SET = "urn:uuid:a54d6aa5-d40d-43f9-88c5-b4633d873bdd"
SCHEMES = {
    "classCode": "urn:uuid:41a5887f-8865-4c09-adf7-e362475b143a",
    "confidentialityCode": "urn:uuid:f4f85eac-e6cb-4883-b524-f2705394840f",
    "formatCode": "urn:uuid:a09d5840-386c-46f2-b5ad-9c3699a4309d",
    "healthcareFacilityTypeCode": "urn:uuid:f33fb8ac-18af-42cc-ae0e-ed0b0bdb91e1",
    "practiceSettingCode": "urn:uuid:cccf5598-8b07-4b77-a05e-ae952c785ead",
    "typeCode": "urn:uuid:f0306f51-975f-434e-a61c-c59651d33983",
}
PATIENT_ID = "urn:uuid:58a6f841-87b3-4a3e-92fd-a8ffeff98427"
UNIQUE_ID = "urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab"
SET_PATIENT_ID = "urn:uuid:6b5aea1a-874d-4603-a4bc-96a0a7b38446"
SET_UNIQUE_ID = "urn:uuid:96fdda7c-d067-4183-912e-bf5ee74998a8"
SET_SOURCE_ID = "urn:uuid:554ac39e-e3fe-47fe-b233-965d2a147832"
CODING_SCHEMES = {
    "classCode": codes.CLASS_CODES,
    "formatCode": "1.3.6.1.4.1.19376.1.2.3",
    "healthcareFacilityTypeCode": codes.FACILITY_TYPES,
    "practiceSettingCode": codes.PRACTICE_SETTINGS,
    "typeCode": codes.LOINC,
}


def _rim(parent, tag: str, **attributes):
    return etree.SubElement(parent, f"{{{RIM}}}{tag}", attributes)


def _slot(parent, name: str, *values: str) -> None:
    slot = _rim(parent, "Slot", name=name)
    value_list = _rim(slot, "ValueList")
    for value in values:
        _rim(value_list, "Value").text = value


def _name(parent, text: str) -> None:
    _rim(_rim(parent, "Name"), "LocalizedString", value=text)


def _classification(parent, scheme: str, object_id: str, code: str, label: str, coding_scheme: str) -> None:
    node = _rim(
        parent,
        "Classification",
        id=f"urn:uuid:{uuid.uuid4()}",
        classificationScheme=SCHEMES[scheme],
        classifiedObject=object_id,
        nodeRepresentation=code,
    )
    _slot(node, "codingScheme", coding_scheme)
    _name(node, label)


def submit_objects_request(meta: XdsMetadata, *, document_id: str = "Document01", source_oid: str) -> etree._Element:
    """lcm:SubmitObjectsRequest holding one DocumentEntry, its SubmissionSet and the HasMember association."""
    request = etree.Element(f"{{{LCM}}}SubmitObjectsRequest", nsmap={"lcm": LCM, "rim": RIM})
    objects = _rim(request, "RegistryObjectList")
    entry = _rim(objects, "ExtrinsicObject", id=document_id, mimeType=meta.mime_type, objectType=DOCUMENT_ENTRY)
    _slot(entry, "creationTime", meta.creation_time)
    _slot(entry, "languageCode", "fr-FR")
    _slot(entry, "serviceStartTime", meta.service_start)
    if meta.patient_id:
        _slot(entry, "sourcePatientId", meta.patient_id)
    _name(entry, meta.title)
    _classification(entry, "classCode", document_id, *meta.class_code, CODING_SCHEMES["classCode"])
    for code in meta.confidentiality:
        label = codes.CONFIDENTIALITY_LEVELS.get(code) or codes.MASKING_FLAGS.get(code, code)
        system = codes.CONFIDENTIALITY if code in codes.CONFIDENTIALITY_LEVELS else codes.MASKING
        _classification(entry, "confidentialityCode", document_id, code, label, system)
    _classification(
        entry, "formatCode", document_id, meta.format_code, "PDF/A-1 encapsulé", CODING_SCHEMES["formatCode"]
    )
    _classification(
        entry, "healthcareFacilityTypeCode", document_id, *meta.healthcare_facility_type,
        CODING_SCHEMES["healthcareFacilityTypeCode"],
    )  # fmt: skip
    _classification(
        entry, "practiceSettingCode", document_id, *meta.practice_setting, CODING_SCHEMES["practiceSettingCode"]
    )
    _classification(entry, "typeCode", document_id, *meta.type_code, CODING_SCHEMES["typeCode"])
    if meta.patient_id:
        identifier = _rim(
            entry, "ExternalIdentifier", id=f"urn:uuid:{uuid.uuid4()}", registryObject=document_id,
            identificationScheme=PATIENT_ID, value=meta.patient_id,
        )  # fmt: skip
        _name(identifier, "XDSDocumentEntry.patientId")
    identifier = _rim(
        entry, "ExternalIdentifier", id=f"urn:uuid:{uuid.uuid4()}", registryObject=document_id,
        identificationScheme=UNIQUE_ID, value=meta.unique_id,
    )  # fmt: skip
    _name(identifier, "XDSDocumentEntry.uniqueId")
    submission = _rim(objects, "RegistryPackage", id="SubmissionSet01")
    _slot(submission, "submissionTime", meta.creation_time)
    _rim(
        objects, "Classification", id=f"urn:uuid:{uuid.uuid4()}", classifiedObject="SubmissionSet01",
        classificationNode=SUBMISSION_SET,
    )  # fmt: skip
    for scheme, value in ((SET_UNIQUE_ID, f"{meta.unique_id}.1"), (SET_SOURCE_ID, source_oid)) + (
        ((SET_PATIENT_ID, meta.patient_id),) if meta.patient_id else ()
    ):
        _rim(
            submission, "ExternalIdentifier", id=f"urn:uuid:{uuid.uuid4()}", registryObject="SubmissionSet01",
            identificationScheme=scheme, value=value,
        )  # fmt: skip
    association = _rim(
        objects, "Association", id=f"urn:uuid:{uuid.uuid4()}",
        associationType="urn:oasis:names:tc:ebxml-regrep:AssociationType:HasMember",
        sourceObject="SubmissionSet01", targetObject=document_id,
    )  # fmt: skip
    _slot(association, "SubmissionSetStatus", "Original")
    return request

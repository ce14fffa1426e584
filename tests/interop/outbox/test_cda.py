"""The CDA R2 N1 header and the XDS metadata, field by field against INTEROP.md §5."""

import base64
import datetime
import uuid
from zoneinfo import ZoneInfo

import pytest
from lxml import etree

from dui.models import EssmsKind
from interop.cda.builder import CdaInput, NotSendable, Person, build_cda, oid_of, xds_metadata
from interop.cda.xds import SCHEMES, submit_objects_request
from tests.interop.outbox.conftest import MATRICULE, PDF

NS = {"h": "urn:hl7-org:v3", "rim": "urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0"}


def make(**overrides) -> CdaInput:
    values = dict(
        unique_id=uuid.UUID("12345678-1234-5678-1234-567812345678"),
        class_code="dlu",
        title="Document de liaison d'urgence",
        pdf=PDF,
        created_at=datetime.datetime(2026, 3, 1, 10, 30, tzinfo=ZoneInfo("Europe/Paris")),
        service_date=datetime.date(2026, 3, 1),
        patient_family="LEFÈVRE",
        patient_given="Éloïse Marie",
        patient_sex="F",
        patient_birth_date=datetime.date(1938, 5, 12),
        patient_ins=MATRICULE,
        patient_local_id="690000015/12",
        local_id_root="1.2.250.1.71.4.2.7",
        author=Person(family="Roux", given="Paul", rpps="10001234567"),
        essms_finess="690000015",
        essms_name="EHPAD Les Cèdres",
        essms_kind=EssmsKind.EHPAD,
    )
    values.update(overrides)
    return CdaInput(**values)


def parsed(data: CdaInput):
    return etree.fromstring(build_cda(data))


def test_header_of_a_dlu():
    doc = parsed(make())
    assert doc.tag == "{urn:hl7-org:v3}ClinicalDocument"
    assert doc.find("h:realmCode", NS).get("code") == "FR"
    assert doc.find("h:typeId", NS).attrib == {"root": "2.16.840.1.113883.1.3", "extension": "POCD_HD000040"}
    templates = [t.get("root") for t in doc.findall("h:templateId", NS)]
    assert templates == [
        "2.16.840.1.113883.2.8.2.1",
        "1.2.250.1.213.1.1.1.1",
        "1.3.6.1.4.1.19376.1.2.20",
        "1.2.250.1.213.1.1.1.22",
    ]
    code = doc.find("h:code", NS)
    assert (code.get("code"), code.get("codeSystem")) == ("74207-2", "2.16.840.1.113883.6.1")
    assert doc.find("h:id", NS).get("root") == f"2.25.{uuid.UUID('12345678-1234-5678-1234-567812345678').int}"
    assert doc.find("h:effectiveTime", NS).get("value") == "20260301103000+0100"
    assert doc.find("h:confidentialityCode", NS).get("code") == "N"
    assert doc.find("h:languageCode", NS).get("code") == "fr-FR"


def test_patient_author_custodian_and_body():
    doc = parsed(make())
    ids = [(i.get("root"), i.get("extension")) for i in doc.findall("h:recordTarget/h:patientRole/h:id", NS)]
    assert ids[0] == ("1.2.250.1.213.1.4.8", MATRICULE)
    patient = doc.find("h:recordTarget/h:patientRole/h:patient", NS)
    assert [g.text for g in patient.findall("h:name/h:given", NS)] == ["Éloïse", "Marie"]
    assert patient.find("h:name/h:family", NS).get("qualifier") == "BR"
    assert patient.find("h:birthTime", NS).get("value") == "19380512"
    author_id = doc.find("h:author/h:assignedAuthor/h:id", NS)
    assert (author_id.get("root"), author_id.get("extension")) == ("1.2.250.1.71.4.2.1", "810001234567")
    custodian = doc.find("h:custodian/h:assignedCustodian/h:representedCustodianOrganization/h:id", NS)
    assert (custodian.get("root"), custodian.get("extension")) == ("1.2.250.1.71.4.2.2", "1690000015")
    text = doc.find("h:component/h:nonXMLBody/h:text", NS)
    assert (text.get("mediaType"), text.get("representation")) == ("application/pdf", "B64")
    assert base64.b64decode(text.text) == PDF


def test_no_ins_when_identity_not_qualified():
    doc = parsed(make(patient_ins=""))
    roots = [i.get("root") for i in doc.findall("h:recordTarget/h:patientRole/h:id", NS)]
    assert roots == ["1.2.250.1.71.4.2.7"]


def test_ppa_code_and_no_dlu_template():
    doc = parsed(make(class_code="ppa", title="Projet personnalisé"))
    assert doc.find("h:code", NS).get("code") == "80788-3"
    assert "1.2.250.1.213.1.1.1.22" not in [t.get("root") for t in doc.findall("h:templateId", NS)]


def test_class_without_loinc_is_refused():
    with pytest.raises(NotSendable, match="code LOINC"):
        build_cda(make(class_code="habitudes_vie"))


@pytest.mark.parametrize(
    ("kind", "facility", "practice"),
    [(EssmsKind.EHPAD, "SA17", "ESSMS"), (EssmsKind.MAS, "SA16", "ESSMS"), (EssmsKind.SSIAD, "SA17", "SAD"),
     (EssmsKind.CHRS, "SA41", "ESSMS")],
)  # fmt: skip
def test_xds_metadata_codes_from_the_essms_kind(kind, facility, practice):
    meta = xds_metadata(make(essms_kind=kind, confidentiality="R", masking=("MASQUE_PS",)))
    assert meta.healthcare_facility_type[0] == facility
    assert meta.practice_setting[0] == practice
    assert meta.format_code == "urn:ihe:iti:xds-sd:pdf:2008"
    assert meta.type_code[0] == "74207-2"
    assert meta.confidentiality == ("R", "MASQUE_PS")
    assert meta.patient_id == f"{MATRICULE}^^^&1.2.250.1.213.1.4.8&ISO"
    assert meta.unique_id == oid_of(uuid.UUID("12345678-1234-5678-1234-567812345678"))


def test_ebrim_submission_carries_every_classification():
    meta = xds_metadata(make(masking=("INVISIBLE_PATIENT",)))
    request = submit_objects_request(meta, source_oid="1.2.250.1.71.4.2.2.1690000015")
    entry = request.find("rim:RegistryObjectList/rim:ExtrinsicObject", NS)
    schemes = [c.get("classificationScheme") for c in entry.findall("rim:Classification", NS)]
    for name in ("classCode", "formatCode", "healthcareFacilityTypeCode", "practiceSettingCode", "typeCode"):
        assert SCHEMES[name] in schemes
    confidentiality = [
        c.get("nodeRepresentation")
        for c in entry.findall("rim:Classification", NS)
        if c.get("classificationScheme") == SCHEMES["confidentialityCode"]
    ]
    assert confidentiality == ["N", "INVISIBLE_PATIENT"]
    values = {e.get("value") for e in entry.findall("rim:ExternalIdentifier", NS)}
    assert meta.unique_id in values and meta.patient_id in values

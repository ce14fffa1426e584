"""FHIR Patient, metadata and the common rules (errors, paging, scopes) through Django's test client."""

import pytest

from dui.ins import IdentityStatus
from dui.models import AccessLog
from interop.services import api_token_revoke
from tests.factories import UsagerFactory
from tests.interop.fhir_helpers import Fhir, make_token

INS = "279035121518989"


@pytest.fixture
def qualified(essms):
    return UsagerFactory(
        essms=essms, birth_name="HÉLÈNE", first_names="Zoé Anne", ins_matricule=INS,
        ins_oid="1.2.250.1.213.1.4.10", identity_status=IdentityStatus.QUALIFIEE, birth_place_code="51215",
    )  # fmt: skip


def test_metadata_is_a_capability_statement_of_what_is_served(client):
    response = client.get("/fhir/metadata")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    body = response.json()
    assert body["resourceType"] == "CapabilityStatement"
    types = {r["type"]: r for r in body["rest"][0]["resource"]}
    assert set(types) == {
        "Patient", "Encounter", "DocumentReference", "Binary", "Observation", "AllergyIntolerance", "Condition"
    }  # fmt: skip
    assert {p["name"] for p in types["Patient"]["searchParam"]} >= {"identifier", "name", "birthdate", "gender"}
    assert {i["code"] for i in types["DocumentReference"]["interaction"]} == {"read", "search-type", "create"}
    assert {i["code"] for i in types["Binary"]["interaction"]} == {"read"}


def test_patient_read_is_fr_core_ins_when_qualified(fhir, qualified):
    response = fhir.get(f"Patient/{qualified.pk}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["meta"]["profile"] == ["https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-patient-ins"]
    assert body["identifier"][0]["system"] == "urn:oid:1.2.250.1.213.1.4.10"
    assert body["identifier"][0]["value"] == INS
    assert body["identifier"][0]["type"]["coding"][0]["code"] == "INS-NIR-TEST"
    reliability = body["extension"][0]
    assert reliability["extension"][0]["valueCoding"]["code"] == "QUAL"
    birth_place = body["extension"][1]["valueAddress"]["extension"][0]["valueCoding"]["code"]
    assert birth_place == "51215"
    assert body["name"][0] == {"use": "official", "family": "HÉLÈNE", "given": ["Zoé", "Anne"]}
    assert AccessLog.objects.filter(object_id=str(qualified.pk), detail__contains="Partenaire FHIR").exists()


def test_unqualified_identity_has_no_ins(fhir, essms):
    usager = UsagerFactory(essms=essms, ins_matricule=INS, identity_status=IdentityStatus.VALIDEE)
    body = fhir.get(f"Patient/{usager.pk}").json()
    assert "identifier" not in body
    assert body["meta"]["profile"] == ["https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-patient"]


def test_search_by_name_is_accent_insensitive(fhir, qualified, essms):
    UsagerFactory(essms=essms, birth_name="MARTIN")
    body = fhir.get("Patient", {"name": "helene"}).json()
    assert body["type"] == "searchset" and body["total"] == 1
    assert body["entry"][0]["resource"]["id"] == str(qualified.pk)


def test_search_by_identifier_birthdate_gender(fhir, qualified, essms):
    UsagerFactory(essms=essms, sex="M")
    assert fhir.get("Patient", {"identifier": f"urn:oid:1.2.250.1.213.1.4.10|{INS}"}).json()["total"] == 1
    assert fhir.get("Patient", {"identifier": INS}).json()["total"] == 1
    assert fhir.get("Patient", {"birthdate": "1938-05-12"}).json()["total"] == 2
    assert fhir.get("Patient", {"birthdate": "ge1939"}).json()["total"] == 0
    assert fhir.get("Patient", {"gender": "male"}).json()["total"] == 1
    assert fhir.get("Patient", {"_id": str(qualified.pk)}).json()["total"] == 1


def test_ins_of_another_essms_finds_nothing(fhir, foreign_essms):
    UsagerFactory(essms=foreign_essms, ins_matricule=INS, identity_status=IdentityStatus.QUALIFIEE)
    body = fhir.get("Patient", {"identifier": INS}).json()
    assert body["total"] == 0 and body.get("entry", []) == []


def test_other_essms_patient_is_404_like_a_missing_one(fhir, foreign_essms):
    other = UsagerFactory(essms=foreign_essms)
    for path in (f"Patient/{other.pk}", "Patient/999999", "Patient/abc"):
        response = fhir.get(path)
        assert response.status_code == 404
        assert response.json()["resourceType"] == "OperationOutcome"
        assert response.json()["issue"][0]["code"] == "not-found"


def test_paging_has_total_and_next_link_and_is_capped(fhir, essms):
    for _ in range(5):
        UsagerFactory(essms=essms)
    body = fhir.get("Patient", {"_count": "2"}).json()
    assert body["total"] == 5 and len(body["entry"]) == 2
    next_url = next(link["url"] for link in body["link"] if link["relation"] == "next")
    page2 = fhir.client.get(next_url.replace("http://testserver", ""), **fhir.headers).json()
    assert len(page2["entry"]) == 2
    assert {e["resource"]["id"] for e in page2["entry"]}.isdisjoint({e["resource"]["id"] for e in body["entry"]})
    big = fhir.get("Patient", {"_count": "100000"}).json()
    assert "_count=100" in big["link"][0]["url"]
    assert fhir.get("Patient", {"_offset": "99999999"}).status_code == 400


def test_unknown_search_parameter_is_ignored_unless_strict(fhir, qualified):
    assert fhir.get("Patient", {"foo": "bar"}).json()["total"] == 1
    response = fhir.get("Patient", {"foo": "bar"}, HTTP_PREFER="handling=strict")
    assert response.status_code == 400
    assert "foo" in response.json()["issue"][0]["diagnostics"]


def test_unknown_resource_type_is_404_outcome(fhir):
    response = fhir.get("Spaceship")
    assert response.status_code == 404
    assert response.json()["issue"][0]["code"] == "not-supported"


def test_bad_date_is_400_outcome(fhir):
    response = fhir.get("Patient", {"birthdate": "hier"})
    assert response.status_code == 400
    assert response.json()["resourceType"] == "OperationOutcome"


def test_token_without_scope_is_403_naming_it(client, essms, qualified):
    _, raw = make_token(essms, scopes="system/Observation.read", name="Balance")
    response = Fhir(client, raw).get(f"Patient/{qualified.pk}")
    assert response.status_code == 403
    assert "system/Patient.read" in response.json()["issue"][0]["diagnostics"]


def test_revoked_and_missing_tokens_are_401(client, essms, qualified):
    row, raw = make_token(essms, name="Ancien")
    api_token_revoke(token=row)
    response = Fhir(client, raw).get(f"Patient/{qualified.pk}")
    assert response.status_code == 401
    assert response.json()["resourceType"] == "OperationOutcome"
    assert client.get(f"/fhir/Patient/{qualified.pk}").status_code == 401


def test_write_scope_does_not_give_read(client, essms, qualified):
    _, raw = make_token(essms, scopes="system/Patient.write")
    assert Fhir(client, raw).get("Patient").status_code == 403

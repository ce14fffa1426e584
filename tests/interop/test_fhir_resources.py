"""FHIR Encounter, DocumentReference/Binary (create through the document services), Observation
(search by LOINC code, device create), AllergyIntolerance and Condition; bad input writes nothing."""

import base64
import datetime

from django.utils import timezone

from dui.models import AccessLog, Allergy, Antecedent, Document, Placement, Sejour
from soins.models import Evaluation
from tests.factories import UsagerFactory, professional
from tests.interop.fhir_helpers import Fhir, make_token

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
CLASS_SYSTEM = "https://dui.essms.fr/fhir/CodeSystem/classe-document"


def document_body(usager, data: bytes = PNG, code="cr_consultation", **overrides):
    body = {
        "resourceType": "DocumentReference",
        "status": "current",
        "type": {"coding": [{"system": CLASS_SYSTEM, "code": code}]},
        "subject": {"reference": f"Patient/{usager.pk}"},
        "date": "2026-11-02T10:00:00+01:00",
        "description": "Compte rendu de consultation cardiologie",
        "content": [{"attachment": {"contentType": "image/png", "data": base64.b64encode(data).decode()}}],
    }
    body.update(overrides)
    return body


def observation_body(usager, loinc="29463-7", value=61.5, unit="kg", **overrides):
    body = {
        "resourceType": "Observation",
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": loinc}]},
        "subject": {"reference": f"Patient/{usager.pk}"},
        "effectiveDateTime": (timezone.now() - datetime.timedelta(minutes=10)).isoformat(),
        "valueQuantity": {"value": value, "unit": unit, "system": "http://unitsofmeasure.org", "code": unit},
    }
    body.update(overrides)
    return body


def test_encounter_read_and_search_by_patient(fhir, essms, usager, unit):
    nurse = professional(essms)
    sejour = Sejour.objects.create(
        essms=essms, usager=usager, status="active", first_contact_on=datetime.date(2024, 1, 2),
        admitted_on=datetime.date(2024, 2, 1), created_by=nurse,
    )  # fmt: skip
    Placement.objects.create(
        essms=essms, sejour=sejour, usager=usager, unit=unit, room="12", modality="hp",
        starts_on=datetime.date(2024, 2, 1), created_by=nurse,
    )  # fmt: skip
    body = fhir.get(f"Encounter/{sejour.pk}").json()
    assert body["status"] == "in-progress"
    assert body["class"]["code"] == "NONAC"
    assert body["period"] == {"start": "2024-02-01"}
    assert body["location"][0]["location"]["display"] == "Unité Glycine, chambre 12"
    found = fhir.get("Encounter", {"patient": f"Patient/{usager.pk}"}).json()
    assert found["total"] == 1
    assert fhir.get("Encounter", {"patient": "Patient/999999"}).json()["total"] == 0


def test_document_create_search_read_and_binary(fhir, usager):
    response = fhir.post("DocumentReference", document_body(usager))
    assert response.status_code == 201, response.content
    created = response.json()
    assert response["Location"].endswith(f"/fhir/DocumentReference/{created['id']}")
    document = Document.objects.get(pk=created["id"])
    assert document.document_class.code == "cr_consultation"
    assert document.document_date == datetime.date(2026, 11, 2)
    assert document.source == "Partenaire FHIR"
    found = fhir.get("DocumentReference", {"patient": usager.pk, "type": f"{CLASS_SYSTEM}|cr_consultation"}).json()
    assert found["total"] == 1
    assert fhir.get("DocumentReference", {"patient": usager.pk, "type": "ordonnances"}).json()["total"] == 0
    assert fhir.get("DocumentReference", {"patient": usager.pk, "category": "medical"}).json()["total"] == 1
    assert fhir.get("DocumentReference", {"patient": usager.pk, "date": "ge2026-11-01"}).json()["total"] == 1
    assert fhir.get("DocumentReference", {"patient": usager.pk, "date": "lt2026-11-01"}).json()["total"] == 0
    url = created["content"][0]["attachment"]["url"]
    binary = fhir.get(url).json()
    assert binary["contentType"] == "image/png"
    assert base64.b64decode(binary["data"]) == PNG
    assert AccessLog.objects.filter(object_id=str(document.pk), action="create", channel="api").exists()


def test_executable_attachment_is_refused_and_nothing_written(fhir, usager):
    response = fhir.post("DocumentReference", document_body(usager, data=b"MZ\x90\x00\x03" + b"\x00" * 200))
    assert response.status_code == 422
    assert response.json()["resourceType"] == "OperationOutcome"
    assert Document.objects.count() == 0


def test_too_large_attachment_is_refused(fhir, usager, settings):
    settings.DOCUMENT_MAX_BYTES = 1024
    response = fhir.post("DocumentReference", document_body(usager, data=PNG + b"\x00" * 4000))
    assert response.status_code in (413, 422)
    assert "volumineu" in response.json()["issue"][0]["diagnostics"]
    assert Document.objects.count() == 0


def test_invalid_resource_is_400_and_writes_nothing(fhir, usager):
    response = fhir.post("DocumentReference", {**document_body(usager), "status": 12, "unknownField": True})
    assert response.status_code == 400
    assert response.json()["issue"][0]["code"] == "structure"
    response = fhir.post("DocumentReference", {"resourceType": "Patient"})
    assert response.status_code == 400
    response = fhir.client.post(
        "/fhir/DocumentReference", "{not json", content_type="application/fhir+json", **fhir.headers
    )
    assert response.status_code == 400
    assert Document.objects.count() == 0


def test_document_for_another_essms_patient_is_404(fhir, foreign_essms):
    other = UsagerFactory(essms=foreign_essms)
    response = fhir.post("DocumentReference", document_body(other))
    assert response.status_code == 404
    assert Document.objects.count() == 0


def test_document_write_needs_its_scope(client, essms, usager):
    _, raw = make_token(essms, scopes="system/*.read", name="Lecteur")
    response = Fhir(client, raw).post("DocumentReference", document_body(usager))
    assert response.status_code == 403
    assert "system/DocumentReference.write" in response.json()["issue"][0]["diagnostics"]


def test_device_posts_a_weight_and_it_is_searchable_by_loinc(fhir, usager):
    response = fhir.post("Observation", observation_body(usager))
    assert response.status_code == 201, response.content
    created = response.json()
    evaluation = Evaluation.objects.get()
    assert evaluation.grid == "poids_imc" and evaluation.answers["poids"] == 61.5
    assert created["id"] == f"{evaluation.pk}-weight"
    assert created["valueQuantity"]["value"] == 61.5
    found = fhir.get("Observation", {"patient": usager.pk, "code": "http://loinc.org|29463-7"}).json()
    assert found["total"] == 1
    assert fhir.get(f"Observation/{created['id']}").json()["code"]["coding"][0]["code"] == "29463-7"
    assert fhir.get("Observation", {"patient": usager.pk, "code": "8867-4"}).json()["total"] == 0


def test_constantes_become_one_observation_per_measure(fhir, essms, usager):
    nurse = professional(essms)
    Evaluation.objects.create(
        essms=essms, usager=usager, created_by=nurse, grid="constantes",
        answers={"tas": 130, "tad": 80, "pouls": 72, "spo2": 97}, evaluated_at=timezone.now(),
    )  # fmt: skip
    body = fhir.get("Observation", {"patient": f"Patient/{usager.pk}"}).json()
    assert body["total"] == 3
    by_code = {e["resource"]["code"]["coding"][0]["code"]: e["resource"] for e in body["entry"]}
    assert set(by_code) == {"85354-9", "8867-4", "59408-5"}
    assert [c["valueQuantity"]["value"] for c in by_code["85354-9"]["component"]] == [130, 80]
    assert fhir.get("Observation", {"patient": usager.pk, "code": "85354-9"}).json()["total"] == 1
    assert fhir.get("Observation", {"patient": usager.pk, "date": "2001"}).json()["total"] == 0


def test_observation_with_a_wrong_unit_or_code_is_refused(fhir, usager):
    assert fhir.post("Observation", observation_body(usager, unit="[lb_av]")).status_code == 400
    assert fhir.post("Observation", observation_body(usager, loinc="1234-5")).status_code == 422
    response = fhir.post("Observation", observation_body(usager, value=900))
    assert response.status_code == 422
    assert Evaluation.objects.count() == 0


def test_allergy_and_condition_read_and_search(fhir, essms, usager, foreign_essms):
    nurse = professional(essms)
    nurse.rpps = "10101010101"
    nurse.save(update_fields=["rpps"])
    allergy = Allergy.objects.create(
        essms=essms, usager=usager, created_by=nurse, substance="Pénicilline", reaction="Urticaire", severity="severe"
    )
    antecedent = Antecedent.objects.create(
        essms=essms, usager=usager, created_by=nurse, label="Diabète de type 2", year=2009
    )
    other = UsagerFactory(essms=foreign_essms)
    foreign = Allergy.objects.create(essms=foreign_essms, usager=other, created_by=nurse, substance="Iode")
    body = fhir.get(f"AllergyIntolerance/{allergy.pk}").json()
    assert body["recorder"]["identifier"] == {"system": "urn:oid:1.2.250.1.71.4.2.1", "value": "810101010101"}
    assert body["code"]["text"] == "Pénicilline" and body["reaction"][0]["severity"] == "severe"
    assert fhir.get("AllergyIntolerance", {"patient": usager.pk}).json()["total"] == 1
    assert fhir.get(f"AllergyIntolerance/{foreign.pk}").status_code == 404
    condition = fhir.get(f"Condition/{antecedent.pk}").json()
    assert condition["code"]["text"] == "Diabète de type 2" and condition["onsetDateTime"] == "2009"
    assert fhir.get("Condition", {"patient": usager.pk}).json()["total"] == 1


def test_partner_metier_does_not_see_care_data(client, essms, usager):
    """Scopes open the door; the habilitation matrix of the token's métier still decides."""
    nurse = professional(essms)
    Allergy.objects.create(essms=essms, usager=usager, created_by=nurse, substance="Latex")
    _, raw = make_token(essms, metier="partenaire", name="Facturation")
    assert Fhir(client, raw).get("AllergyIntolerance", {"patient": usager.pk}).json()["total"] == 0

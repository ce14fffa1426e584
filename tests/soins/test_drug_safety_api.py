"""API of prescriptions against the referential: same rules as the web (400 on allergy_override_reason,
403 for a non-médecin, 400 on unknown drug_ref and on a daily maximum), documented in the schema."""

import pytest
from django.urls import reverse
from django.utils import timezone

from dui.models import Drug, Metier, SubstanceClass
from dui.services import medical
from soins.models import PrescriptionLine
from tests.factories import professional
from tests.soins.factories_medication import doctor


@pytest.fixture
def allergic(usager, essms):
    medical.allergy_add(
        doctor(essms),
        usager=usager,
        substance_class=SubstanceClass.objects.get(code="penicillines"),
        severity="severe",
        reaction="angio-œdème",
    )
    return usager


def body(usager, **overrides):
    return {
        "usager": usager.pk,
        "drug_ref": Drug.objects.get(name__startswith="AMOXICILLINE 1 g").pk,
        "units_per_dose": "1",
        "dose": "1 g",
        "route": "orale",
        "times": ["08:00", "20:00"],
        "starts_on": timezone.localdate().isoformat(),
    } | overrides


def post(client, user, data):
    client.force_login(user)
    return client.post(reverse("api:prescription-line-list"), data, content_type="application/json")


def test_allergy_is_a_400_on_the_reason_field(client, essms, allergic):
    response = post(client, doctor(essms), body(allergic))
    assert response.status_code == 400
    assert "Prescription arrêtée" in response.json()["allergy_override_reason"][0]
    assert not PrescriptionLine.objects.exists()


def test_a_doctor_overrides_with_a_reason(client, essms, allergic):
    response = post(client, doctor(essms), body(allergic, allergy_override_reason="Réintroduction encadrée"))
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["referentiel"] == "référentiel" and data["allergy_override_reason"] == "Réintroduction encadrée"
    assert data["allergy_matches"][0]["severity"] == "severe"


def test_a_non_doctor_override_is_403(client, essms, allergic):
    response = post(client, professional(essms, Metier.IDE), body(allergic, allergy_override_reason="moi"))
    assert response.status_code == 403
    assert not PrescriptionLine.objects.exists()


def test_unknown_drug_and_daily_maximum_are_400(client, essms, usager):
    medecin = doctor(essms)
    response = post(client, medecin, body(usager, drug_ref=987654))
    assert response.status_code == 400 and "inconnu du référentiel" in response.json()["drug_ref"][0]
    paracetamol = Drug.objects.get(name__startswith="PARACÉTAMOL 1 g").pk
    response = post(client, medecin, body(usager, drug_ref=paracetamol, units_per_dose="2"))
    assert response.status_code == 400 and "Maximum journalier" in response.json()["units_per_dose"][0]
    assert not PrescriptionLine.objects.exists()


def test_free_text_is_flagged_unverifiable(client, essms, usager):
    response = post(client, doctor(essms), body(usager, drug_ref=None, drug="Tisane maison"))
    assert response.status_code == 201 and response.json()["referentiel"] == "hors référentiel : non vérifiable"


def test_the_schema_documents_the_override(client, essms):
    client.force_login(doctor(essms))
    schema = client.get(reverse("api-schema"), {"format": "json"}).content.decode()
    assert "allergy_override_reason" in schema and "referentiel" in schema


def test_referential_routes_list_drugs_and_substances(client, essms):
    client.force_login(doctor(essms))
    drugs = client.get(reverse("api:drug-list"), {"q": "amoxi"}).json()
    assert drugs and all("AMOXICILLINE" in row["name"] for row in drugs)
    substances = client.get(reverse("api:substance-list")).json()
    rows = substances["results"] if isinstance(substances, dict) else substances
    assert any(row["name"] == "amoxicilline" and row["classes"] for row in rows)

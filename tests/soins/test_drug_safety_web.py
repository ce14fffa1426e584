"""The prescription form with the referential: ISO dates in <input type=date> (create and modify),
search as you type, allergy stop and override, unknown drug ids, markers on the list and the chart."""

import pytest
from django.urls import reverse
from django.utils import timezone

from dui.models import Drug, Metier, SubstanceClass
from dui.services import medical
from soins.models import PrescriptionLine
from soins.services import medication as medication_services
from tests.factories import professional
from tests.soins.factories_medication import doctor, line_fields


@pytest.fixture
def medecin(essms):
    return doctor(essms)


@pytest.fixture
def allergic(usager, medecin):
    medical.allergy_add(
        medecin,
        usager=usager,
        substance_class=SubstanceClass.objects.get(code="penicillines"),
        severity="severe",
        reaction="angio-œdème",
    )
    return usager


def amoxicilline() -> Drug:
    return Drug.objects.get(name__startswith="AMOXICILLINE 1 g")


def form_data(**overrides):
    return {
        "kind": "medicament",
        "drug": amoxicilline().name,
        "drug_ref": amoxicilline().pk,
        "units_per_dose": "1",
        "dose": "1 g",
        "route": "orale",
        "times": "08:00, 20:00",
        "weekdays": list("1234567"),
        "starts_on": timezone.localdate().isoformat(),
    } | overrides


def test_date_inputs_are_iso_on_create_and_modify(client, medecin, usager):
    client.force_login(medecin)
    today = timezone.localdate().isoformat()
    body = client.get(reverse("medication-line-create", args=[usager.pk])).content.decode()
    assert f'type="date" name="starts_on" value="{today}"' in body
    line = medication_services.prescription_create(
        medecin, usager, **line_fields(ends_on=timezone.localdate() + timezone.timedelta(days=9))
    )
    body = client.get(reverse("medication-line-modify", args=[line.pk])).content.decode()
    assert f'value="{today}"' in body
    assert f'value="{line.ends_on.isoformat()}"' in body
    assert "/20" not in body.split('name="starts_on"')[1][:40]


def test_search_as_you_type_returns_referential_drugs(client, medecin):
    client.force_login(medecin)
    results = client.get(reverse("medication-drug-search"), {"q": "amoxi"}).json()["results"]
    assert results and all("amoxicilline" in row["substances"] for row in results)
    assert client.get(reverse("medication-drug-search"), {"q": "a"}).json() == {"results": []}


def test_search_needs_a_login(client):
    assert client.get(reverse("medication-drug-search"), {"q": "amox"}).status_code == 302


def test_the_form_stops_an_allergenic_prescription_then_accepts_a_reason(client, medecin, allergic):
    client.force_login(medecin)
    url = reverse("medication-line-create", args=[allergic.pk])
    body = client.get(url).content.decode()
    assert "Allergies connues" in body and "Pénicillines (bêta-lactamines) (sévère)" in body
    response = client.post(url, form_data())
    body = response.content.decode()
    assert response.status_code == 200 and not PrescriptionLine.objects.exists()
    assert "Prescription arrêtée" in body and "sévère" in body and "Prescrire malgré l'allergie</button>" in body, body[
        body.find("<main") :
    ]
    response = client.post(url, form_data(allergy_override_reason="Bilan allergologique négatif en 2024"))
    assert response.status_code == 302
    line = PrescriptionLine.objects.get()
    assert line.allergy_override_reason == "Bilan allergologique négatif en 2024"
    body = client.get(reverse("medication-prescriptions", args=[allergic.pk])).content.decode()
    assert "⚠ Allergie : Pénicillines (bêta-lactamines) (sévère)" in body
    assert "Prescrit malgré l'allergie par Paul Médecin" in body


def test_an_exact_name_without_script_is_recognised(client, medecin, usager):
    client.force_login(medecin)
    client.post(
        reverse("medication-line-create", args=[usager.pk]), form_data(drug_ref="", drug=amoxicilline().name.lower())
    )
    assert PrescriptionLine.objects.get().drug_ref == amoxicilline()


def test_an_unknown_drug_id_in_the_form_writes_nothing(client, medecin, usager):
    client.force_login(medecin)
    response = client.post(reverse("medication-line-create", args=[usager.pk]), form_data(drug_ref="999999"))
    assert "inconnu du référentiel" in response.content.decode()
    assert not PrescriptionLine.objects.exists()


def test_free_text_is_marked_on_the_list_and_the_chart(client, medecin, usager):
    line = medication_services.prescription_create(medecin, usager, **line_fields(drug="Tisane maison"))
    medication_services.prescription_validate(medecin, line)
    client.force_login(medecin)
    assert (
        "hors référentiel : non vérifiable"
        in client.get(reverse("medication-prescriptions", args=[usager.pk])).content.decode()
    )
    client.force_login(professional(usager.essms, Metier.IDE))
    assert (
        "hors référentiel : non vérifiable"
        in client.get(reverse("medication-chart", args=[usager.pk])).content.decode()
    )


def test_the_chart_shows_the_allergy_match(client, medecin, allergic):
    line = medication_services.prescription_create(
        medecin,
        allergic,
        **line_fields(drug_ref=amoxicilline().pk, units_per_dose=1, allergy_override_reason="Réintroduction"),
    )
    medication_services.prescription_validate(medecin, line)
    client.force_login(professional(allergic.essms, Metier.IDE))
    body = client.get(reverse("medication-chart", args=[allergic.pk])).content.decode()
    assert "⚠ Allergie : Pénicillines (bêta-lactamines) (sévère)" in body and "Réintroduction" in body


def test_the_dossier_shows_the_lines_in_force_and_old_free_lines_as_history(client, medecin, usager):
    medication_services.prescription_create(medecin, usager, **line_fields(drug="Tisane maison"))
    medication_services.prescription_create(
        medecin, usager, **line_fields(drug_ref=amoxicilline().pk, units_per_dose=1, times=["09:00"])
    )
    medical.treatment_add(medecin, usager=usager, line="Doliprane 1 g x3/j")
    client.force_login(medecin)
    body = client.get(reverse("usager-medical", args=[usager.pk])).content.decode()
    section = body.split('id="traitements"')[1].split("</section>")[0]
    assert "Prescriptions en cours" in section and "AMOXICILLINE 1 g" in section and "Tisane maison" in section
    assert "hors référentiel : non vérifiable" in section and "historique importé" in section
    assert "Rien de renseigné" not in section


def test_a_reader_without_prescription_rights_sees_no_lines(client, medecin, usager):
    medication_services.prescription_create(medecin, usager, **line_fields(drug="Tisane maison"))
    client.force_login(professional(usager.essms, Metier.ANIMATEUR))
    assert "Tisane maison" not in client.get(reverse("usager-medical", args=[usager.pk])).content.decode()


def test_the_pharmacist_sees_the_match_when_reviewing(client, medecin, allergic):
    from tests.soins.factories_medication import pharmacist

    medication_services.prescription_create(
        medecin,
        allergic,
        **line_fields(drug_ref=amoxicilline().pk, units_per_dose=1, allergy_override_reason="Réintroduction"),
    )
    client.force_login(pharmacist(allergic.essms))
    body = client.get(reverse("medication-prescriptions", args=[allergic.pk])).content.decode()
    assert "Intervention pharmaceutique" in body and "⚠ Allergie : Pénicillines (bêta-lactamines) (sévère)" in body

"""Coded allergies and the explicit "aucune allergie connue" statement (service, selector, page, API)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dui.models import AccessLog, Allergy, AllergyStatement, Metier, Substance, SubstanceClass
from dui.selectors.medical import allergy_status
from dui.services import medical
from tests.factories import professional


@pytest.fixture
def medecin(essms):
    return professional(essms, Metier.MEDECIN, first_name="Paul", last_name="Médecin")


def test_an_allergy_without_substance_or_class_is_refused(medecin, usager):
    with pytest.raises(ValidationError) as error:
        medical.allergy_add(medecin, usager=usager, substance="Pénicilline", severity="severe")
    assert "référentiel" in error.value.message_dict["substance_ref"][0]
    with pytest.raises(ValidationError) as error:
        medical.allergy_add(medecin, usager=usager, substance_ref=999999, severity="severe")
    assert "inconnue" in error.value.message_dict["substance_ref"][0]
    with pytest.raises(ValidationError) as error:
        medical.allergy_add(
            medecin,
            usager=usager,
            substance_ref=Substance.objects.get(name="amoxicilline"),
            substance_class=SubstanceClass.objects.get(code="penicillines"),
            severity="severe",
        )
    assert "pas les deux" in error.value.message_dict["substance_class"][0]
    with pytest.raises(ValidationError) as error:
        medical.allergy_add(medecin, usager=usager, substance_ref=Substance.objects.first(), severity="")
    assert "gravité" in error.value.message_dict["severity"][0]
    assert not Allergy.objects.exists() and not AccessLog.objects.filter(object_type="dui.allergy").exists()


def test_the_label_defaults_to_the_coded_name(medecin, usager):
    row = medical.allergy_add(
        medecin,
        usager=usager,
        substance_class=SubstanceClass.objects.get(code="penicillines").pk,
        severity="severe",
        reaction="angio-œdème",
    )
    assert row.substance == "Pénicillines (bêta-lactamines)" and row.substance_class.code == "penicillines"


def test_status_goes_from_unknown_to_stated_to_allergies(medecin, usager):
    assert allergy_status(usager) == ("non_renseigne", [], None)
    statement = medical.allergy_none_declare(medecin, usager=usager)
    status, allergies, found = allergy_status(usager)
    assert (status, allergies, found) == ("aucune_connue", [], statement)
    assert found.created_by == medecin and found.created_at is not None
    with pytest.raises(ValidationError, match="déjà déclaré"):
        medical.allergy_none_declare(medecin, usager=usager)
    row = medical.allergy_add(
        medecin, usager=usager, substance_ref=Substance.objects.get(name="ibuprofène"), severity="legere"
    )
    statement.refresh_from_db()
    assert statement.ended_at is not None
    assert allergy_status(usager) == ("allergies", [row], None)
    with pytest.raises(ValidationError, match="Une allergie est enregistrée"):
        medical.allergy_none_declare(medecin, usager=usager)
    assert AllergyStatement.objects.count() == 1


def test_the_page_shows_unknown_then_the_dated_statement(client, medecin, usager):
    client.force_login(medecin)
    url = reverse("usager-medical", args=[usager.pk])
    page = client.get(url).content.decode()
    assert "Allergies non renseignées" in page and "Aucune allergie connue" not in page
    response = client.post(reverse("medical-allergy-none", args=[usager.pk]), follow=True)
    page = response.content.decode()
    assert "Aucune allergie connue" in page and "déclaré par Paul Médecin" in page


def test_the_page_form_codes_the_allergy(client, medecin, usager):
    client.force_login(medecin)
    url = reverse("medical-add", args=[usager.pk, "allergies"])
    response = client.post(url, {"allergies-substance": "Pénicilline", "allergies-severity": "severe"})
    assert response.status_code == 200 and "référentiel" in response.content.decode()
    assert not Allergy.objects.exists()
    penicillines = SubstanceClass.objects.get(code="penicillines").pk
    client.post(url, {"allergies-substance_class": penicillines, "allergies-severity": "severe"})
    assert Allergy.objects.get().substance_class_id == penicillines


def test_the_api_states_no_allergy_then_refuses_it_once_an_allergy_exists(client, medecin, usager):
    client.force_login(medecin)
    url = reverse("api:allergy-none-known")
    response = client.post(url, {"usager": usager.pk}, content_type="application/json")
    assert response.status_code == 201 and response.json()["created_by"] == medecin.pk
    assert client.post(url, {"usager": usager.pk}, content_type="application/json").status_code == 400
    response = client.post(
        reverse("api:allergy-list"),
        {"usager": usager.pk, "severity": "severe"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "substance_ref" in response.json()
    assert AllergyStatement.objects.get().ended_at is None


def test_a_reader_cannot_state_no_allergy(client, essms, usager):
    client.force_login(professional(essms, Metier.ANIMATEUR))
    assert client.post(reverse("medical-allergy-none", args=[usager.pk])).status_code == 404
    assert not AllergyStatement.objects.exists()


def test_the_page_form_takes_the_substance_by_its_typed_name(client, medecin, usager):
    """The substance box suggests the referential's names as one types (<datalist>); case is ignored."""
    client.force_login(medecin)
    url = reverse("medical-add", args=[usager.pk, "allergies"])
    page = client.get(url).content.decode()
    assert 'list="substance-options"' in page and '<option value="amoxicilline">' in page
    response = client.post(url, {"allergies-substance_ref": "Amoxicillin", "allergies-severity": "severe"})
    assert "Substance inconnue du référentiel" in response.content.decode()
    assert not Allergy.objects.exists()
    client.post(url, {"allergies-substance_ref": "Amoxicilline", "allergies-severity": "severe"})
    assert Allergy.objects.get().substance_ref.name == "amoxicilline"

"""API of contacts, référents, allergies, antécédents and traitements: scoped by the token, writes through services."""

import pytest
from django.urls import reverse

from dui.models import AccessLog, Allergy, Antecedent, Contact, Membership, Metier, Treatment
from dui.services import medical
from dui.services.entourage import contact_add, referent_set
from interop.services import api_token_create
from tests.factories import UsagerFactory, coded_allergy, professional
from tests.logged import logged_events

RPPS = "10003456789"


@pytest.fixture
def api(client, essms):
    _, raw = api_token_create(
        essms_finess=essms.finess,
        name="Logiciel de soins",
        scopes="usagers.read contacts.read contacts.write referents.read referents.write allergies.read "
        "allergies.write antecedents.read antecedents.write traitements.read traitements.write",
    )
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    return client


def as_metier(api, essms, metier):
    """Give the token's technical account another métier (the matrix then decides)."""
    Membership.objects.filter(essms=essms, user__is_partner_system=True).update(metier=metier)
    return api


@pytest.fixture
def secretaire(essms):
    return professional(essms, Metier.SECRETAIRE_MEDICALE)


def test_contacts_list_by_usager_is_scoped_and_audited(api, essms, foreign_essms, secretaire, usager):
    other = UsagerFactory(essms=essms)
    mine = contact_add(secretaire, usager=usager, role="famille", last_name="Durand")
    contact_add(secretaire, usager=other, role="famille", last_name="Autre")
    foreign = UsagerFactory(essms=foreign_essms)
    Contact.objects.create(essms=foreign_essms, usager=foreign, role="famille", last_name="ETRANGER")
    response = api.get(reverse("api:contact-list"), {"usager": usager.pk})
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [mine.pk]
    everything = api.get(reverse("api:contact-list")).json()
    assert {row["last_name"] for row in everything["results"]} == {"Durand", "Autre"}
    assert len(logged_events(action="read", channel="api", object_type="dui.contact")) == 3
    assert api.get(reverse("api:contact-list"), {"usager": "abc"}).status_code == 400


def test_contact_create_retrieve_and_patch(api, usager):
    payload = {"usager": usager.pk, "role": "medecin_traitant", "last_name": "Roux", "rpps": RPPS}
    response = api.post(reverse("api:contact-list"), payload, content_type="application/json")
    assert response.status_code == 201, response.content
    contact_id = response.json()["id"]
    log = AccessLog.objects.get(action="create", object_type="dui.contact")
    assert (log.channel, log.object_id) == ("api", str(contact_id))
    detail = reverse("api:contact-detail", args=[contact_id])
    assert api.get(detail).json()["rpps"] == RPPS
    response = api.patch(detail, {"phone": "0102030405"}, content_type="application/json")
    assert response.status_code == 200
    assert Contact.objects.get().phone == "0102030405"
    assert api.put(detail, payload, content_type="application/json").status_code == 405


def test_contact_create_bad_rpps_is_400_in_french(api, usager):
    payload = {"usager": usager.pk, "role": "medecin_traitant", "last_name": "Roux", "rpps": "1234567890"}
    response = api.post(reverse("api:contact-list"), payload, content_type="application/json")
    assert response.status_code == 400
    assert "11 chiffres" in response.json()["rpps"][0]
    assert not Contact.objects.exists()


def test_contact_create_representant_legal_without_measure_is_400(api, usager):
    payload = {"usager": usager.pk, "role": "representant_legal", "last_name": "UDAF"}
    response = api.post(reverse("api:contact-list"), payload, content_type="application/json")
    assert response.status_code == 400
    assert "mesure de protection" in response.json()["protection_measure"][0]
    assert not Contact.objects.exists()


def test_contact_create_on_a_dossier_out_of_reach_is_400(api, sibling_essms):
    payload = {"usager": UsagerFactory(essms=sibling_essms).pk, "role": "famille", "last_name": "X"}
    response = api.post(reverse("api:contact-list"), payload, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"usager": ["Dossier introuvable."]}
    assert not Contact.objects.exists()


def test_contact_patch_bad_input_changes_nothing(api, secretaire, usager):
    contact = contact_add(secretaire, usager=usager, role="medecin_traitant", last_name="R", rpps=RPPS)
    url = reverse("api:contact-detail", args=[contact.pk])
    response = api.patch(url, {"rpps": "42"}, content_type="application/json")
    assert response.status_code == 400
    assert Contact.objects.get().rpps == RPPS


def test_contact_end_and_personne_de_confiance_history(api, usager):
    url = reverse("api:contact-list")
    first = api.post(url, {"usager": usager.pk, "role": "personne_confiance", "last_name": "A"}, "application/json")
    second = api.post(url, {"usager": usager.pk, "role": "personne_confiance", "last_name": "B"}, "application/json")
    listed = api.get(url, {"usager": usager.pk}).json()["results"]
    assert [row["id"] for row in listed] == [second.json()["id"]]
    assert Contact.objects.get(pk=first.json()["id"]).ended_at is not None
    response = api.post(reverse("api:contact-end", args=[second.json()["id"]]))
    assert response.status_code == 200
    assert response.json()["ended_at"]
    assert api.get(url, {"usager": usager.pk}).json()["results"] == []


def test_contacts_closed_to_a_metier_without_the_class(api, essms, secretaire, usager):
    contact = contact_add(secretaire, usager=usager, role="famille", last_name="Durand")
    as_metier(api, essms, Metier.TECHNIQUE)
    assert api.get(reverse("api:contact-list")).json()["results"] == []
    assert api.get(reverse("api:contact-detail", args=[contact.pk])).status_code == 404


def test_contact_write_refused_to_a_reader(api, essms, usager):
    as_metier(api, essms, Metier.IDE)  # entourage: read only
    payload = {"usager": usager.pk, "role": "famille", "last_name": "X"}
    assert api.post(reverse("api:contact-list"), payload, content_type="application/json").status_code == 403
    assert not Contact.objects.exists()


def test_referents_list(api, essms, usager):
    pro = professional(essms, Metier.EDUCATEUR, first_name="Noé", last_name="Educ")
    referent_set(professional(essms, Metier.DIRECTION), usager=usager, user=pro, role="referent")
    rows = api.get(reverse("api:referent-list"), {"usager": usager.pk}).json()["results"]
    assert [(r["role"], r["user"], r["user_name"]) for r in rows] == [("referent", pro.pk, "Noé Educ")]


# --- Medical lines


@pytest.mark.parametrize(
    ("name", "model", "payload"),
    [
        ("api:allergy-list", Allergy, {"substance": "Latex", "severity": "severe"}),
        ("api:antecedent-list", Antecedent, {"label": "HTA", "year": 2010}),
        ("api:treatment-list", Treatment, {"line": "Doliprane 1 g x3/j"}),
    ],
)
def test_medical_lines_create_and_list(api, essms, usager, name, model, payload):
    as_metier(api, essms, Metier.MEDECIN)
    if model is Allergy:
        payload = payload | {"substance_class": coded_allergy()["substance_class"].pk}
    response = api.post(reverse(name), {"usager": usager.pk, **payload}, content_type="application/json")
    assert response.status_code == 201, response.content
    row = model.objects.get()
    assert row.created_by.is_partner_system
    results = api.get(reverse(name), {"usager": usager.pk}).json()["results"]
    assert [r["id"] for r in results] == [row.pk]
    assert len(logged_events(channel="api", document_class=model.document_class_code)) == 2


def test_partner_without_medical_rights_sees_and_writes_nothing(api, essms, usager):
    medical.antecedent_add(professional(essms, Metier.MEDECIN), usager=usager, label="HTA")
    # The default partner métier has no right on the medical tier.
    assert api.get(reverse("api:antecedent-list")).json()["results"] == []
    payload = {"usager": usager.pk, "label": "Diabète"}
    assert api.post(reverse("api:antecedent-list"), payload, content_type="application/json").status_code == 403
    assert Antecedent.objects.count() == 1


def test_animateur_reads_allergies_but_not_treatments(api, essms, usager):
    medecin = professional(essms, Metier.MEDECIN)
    medical.allergy_add(medecin, usager=usager, substance="Latex", **coded_allergy())
    medical.treatment_add(medecin, usager=usager, line="Doliprane")
    as_metier(api, essms, Metier.ANIMATEUR)
    assert len(api.get(reverse("api:allergy-list")).json()["results"]) == 1
    assert api.get(reverse("api:treatment-list")).json()["results"] == []


def test_treatment_in_the_future_is_400(api, essms, usager):
    as_metier(api, essms, Metier.IDE)
    payload = {"usager": usager.pk, "line": "Doliprane", "started_on": "2999-01-01"}
    response = api.post(reverse("api:treatment-list"), payload, content_type="application/json")
    assert response.status_code == 400
    assert "futur" in response.json()["started_on"][0]
    assert not Treatment.objects.exists()


def test_routes_are_in_the_openapi_schema(client, essms):
    client.force_login(professional(essms, Metier.DIRECTION))
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    for path in (
        "/api/v1/contacts/",
        "/api/v1/contacts/{id}/",
        "/api/v1/contacts/{id}/end/",
        "/api/v1/referents/",
        "/api/v1/allergies/",
        "/api/v1/antecedents/",
        "/api/v1/traitements/",
    ):
        assert path in schema["paths"], path
    assert set(schema["paths"]["/api/v1/contacts/"]) >= {"get", "post"}
    assert "patch" in schema["paths"]["/api/v1/contacts/{id}/"]

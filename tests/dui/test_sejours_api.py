"""Séjour API: lifecycle through the endpoints, 400 with French messages, scoping, audit, schema."""

import datetime

import pytest

from dui.models import AccessLog, CretonDecision, Metier, Placement, Sejour
from dui.services import sejours as services
from interop.services import api_token_create
from tests.factories import UnitFactory, UsagerFactory, professional

D = datetime.date


@pytest.fixture
def api(client, essms):
    _, raw = api_token_create(
        essms_finess=essms.finess,
        name="Logiciel de facturation",
        scopes="usagers.read sejours.read sejours.write creton-decisions.read creton-decisions.write",
    )
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    return client


def post(client, path, data):
    return client.post(path, data, content_type="application/json")


def test_lifecycle_through_the_api(api, usager, unit, essms):
    other_unit = UnitFactory(essms=essms, name="Unité Mimosa")
    response = post(api, "/api/v1/sejours/", {"usager": usager.pk, "first_contact_on": "2024-01-02"})
    assert response.status_code == 201, response.content
    sejour_id = response.json()["id"]
    assert response.json()["status"] == "pre_admission"

    response = post(
        api,
        f"/api/v1/sejours/{sejour_id}/admit/",
        {"admitted_on": "2024-01-10", "contract_signed_on": "2024-01-10", "unit": unit.pk, "modality": "hp"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "active"
    assert response.json()["placements"][0]["unit_name"] == unit.name

    response = post(api, f"/api/v1/sejours/{sejour_id}/placements/", {"starts_on": "2024-02-01", "unit": other_unit.pk})
    assert response.status_code == 201, response.content
    assert (response.json()["unit"], response.json()["modality"]) == (other_unit.pk, "hp")

    response = post(
        api, f"/api/v1/sejours/{sejour_id}/absences/", {"kind": "hospitalisation", "starts_on": "2024-03-01"}
    )
    assert response.status_code == 201, response.content
    response = post(api, f"/api/v1/sejours/{sejour_id}/absence-end/", {"ends_on": "2024-03-05"})
    assert response.status_code == 200, response.content
    assert response.json()["ends_on"] == "2024-03-05"

    response = post(
        api, f"/api/v1/sejours/{sejour_id}/exit/", {"ended_on": "2024-04-01", "exit_reason": "transfert_essms"}
    )
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["ended_on"]) == ("closed", "2024-04-01")
    usager.refresh_from_db()
    assert usager.archived_at is not None
    assert set(
        AccessLog.objects.filter(action__in=["create", "update"])
        .exclude(object_type="interop.apitoken")
        .values_list("channel", flat=True)
    ) == {"api"}

    response = api.get("/api/v1/sejours/", {"usager": usager.pk})
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [sejour_id]
    assert len(response.json()["results"][0]["placements"]) == 2
    response = api.get(f"/api/v1/sejours/{sejour_id}/")
    assert response.status_code == 200
    assert AccessLog.objects.filter(action="read", channel="api", object_type="dui.sejour").count() == 2


def test_bad_inputs_get_400_with_french_messages(api, usager, unit, essms):
    user = professional(essms, Metier.SECRETAIRE_MEDICALE)
    sejour = services.sejour_open_pre_admission(user, usager=usager, first_contact_on=D(2024, 1, 2))
    services.sejour_admit(
        user,
        sejour=sejour,
        admitted_on=D(2024, 1, 10),
        contract_signed_on=D(2024, 1, 10),
        unit=unit,
        modality="hp",
    )
    base = f"/api/v1/sejours/{sejour.pk}"
    response = post(api, f"{base}/exit/", {"ended_on": "2024-01-05", "exit_reason": "deces"})
    assert response.status_code == 400
    assert response.json() == {"ended_on": ["La date de sortie ne peut pas précéder l'admission."]}

    response = post(api, f"{base}/placements/", {"starts_on": "2024-01-10", "room": "9"})
    assert response.status_code == 400
    assert "après le début de l'affectation actuelle" in response.json()["starts_on"][0]

    response = post(api, f"{base}/placements/", {"starts_on": "2024-02-10", "unit": UnitFactory().pk})
    assert response.status_code == 400
    assert response.json()["unit"] == ["Unité inconnue ou fermée dans l'établissement du séjour."]

    response = post(api, "/api/v1/sejours/", {"usager": usager.pk, "first_contact_on": "2024-02-02"})
    assert response.status_code == 400
    assert "déjà un séjour ouvert" in response.json()["non_field_errors"][0]

    post(api, f"{base}/absences/", {"kind": "vacances", "starts_on": "2024-02-01", "ends_on": "2024-02-10"})
    response = post(api, f"{base}/absences/", {"kind": "autre", "starts_on": "2024-02-09"})
    assert response.status_code == 400
    assert "chevauche" in response.json()["starts_on"][0]

    response = post(api, f"{base}/absence-end/", {"ends_on": "2024-02-12"})
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Aucune absence en cours pour ce séjour."]}

    assert Sejour.objects.count() == 1
    assert Placement.objects.count() == 1
    assert sejour.absences.count() == 1


def test_other_essms_is_404_and_never_listed(api, foreign_essms):
    outsider_user = professional(foreign_essms, Metier.DIRECTION)
    other = UsagerFactory(essms=foreign_essms)
    sejour = services.sejour_open_pre_admission(outsider_user, usager=other, first_contact_on=D(2024, 1, 2))
    assert api.get(f"/api/v1/sejours/{sejour.pk}/").status_code == 404
    assert (
        post(api, f"/api/v1/sejours/{sejour.pk}/exit/", {"ended_on": "2024-02-01", "exit_reason": "autre"}).status_code
        == 404
    )
    assert post(api, "/api/v1/sejours/", {"usager": other.pk, "first_contact_on": "2024-01-03"}).status_code == 404
    assert api.get("/api/v1/sejours/", {"usager": other.pk}).json()["results"] == []
    assert Sejour.objects.count() == 1


def test_creton_api(client, sibling_essms, essms):
    user = professional(sibling_essms, Metier.ASSISTANT_SOCIAL)
    client.force_login(user)
    person = UsagerFactory(essms=sibling_essms, birth_date=D(2003, 4, 1))
    today = D.today()
    response = post(
        client,
        "/api/v1/creton-decisions/",
        {
            "usager": person.pk,
            "decided_on": (today - datetime.timedelta(days=300)).isoformat(),
            "valid_until": (today + datetime.timedelta(days=20)).isoformat(),
        },
    )
    assert response.status_code == 201, response.content
    due = client.get("/api/v1/creton-decisions/renewals-due/")
    assert [row["usager"] for row in due.json()] == [person.pk]
    listed = client.get("/api/v1/creton-decisions/", {"usager": person.pk}).json()["results"]
    assert [row["id"] for row in listed] == [response.json()["id"]]

    ehpad_user = professional(essms, Metier.DIRECTION)
    client.force_login(ehpad_user)
    response = post(
        client,
        "/api/v1/creton-decisions/",
        {"usager": UsagerFactory(essms=essms).pk, "decided_on": "2024-01-15", "valid_until": "2025-01-14"},
    )
    assert response.status_code == 400
    assert "établissements pour enfants" in response.json()["non_field_errors"][0]
    assert CretonDecision.objects.count() == 1


def test_schema_documents_the_sejour_routes(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    for path in (
        "/api/v1/sejours/",
        "/api/v1/sejours/{id}/",
        "/api/v1/sejours/{id}/admit/",
        "/api/v1/sejours/{id}/exit/",
        "/api/v1/sejours/{id}/placements/",
        "/api/v1/sejours/{id}/absences/",
        "/api/v1/sejours/{id}/absence-end/",
        "/api/v1/creton-decisions/",
        "/api/v1/creton-decisions/renewals-due/",
    ):
        assert path in paths, path
    assert "post" in paths["/api/v1/sejours/"]
    assert paths["/api/v1/sejours/{id}/admit/"]["post"]["requestBody"]

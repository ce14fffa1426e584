"""Technical requests API: list, create, retrieve with history, status workflow; scoped; French 400s."""

import pytest
from django.test import Client
from django.urls import reverse

from dui.models import Metier
from interop.services import api_token_create
from tests.factories import professional
from transmissions.models import MaintenanceRequest, MaintenanceStatusChange
from transmissions.services.maintenance import maintenance_request_create


@pytest.fixture
def aide_soignant(essms):
    return professional(essms, Metier.AIDE_SOIGNANT)


@pytest.fixture
def technicien(essms):
    return professional(essms, Metier.TECHNIQUE)


def session(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def writes():
    return MaintenanceRequest.objects.count(), MaintenanceStatusChange.objects.count()


def test_create_then_workflow(aide_soignant, technicien):
    requester = session(aide_soignant)
    created = post(
        requester,
        reverse("api:maintenance-request-list"),
        {"place": "Chambre 4", "category": "chauffage", "description": "Radiateur froid."},
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["status"], body["requester"], [h["status"] for h in body["history"]]) == (
        "nouvelle",
        aide_soignant.pk,
        ["nouvelle"],
    )
    pk = body["id"]
    tech = session(technicien)
    assert [row["id"] for row in tech.get(reverse("api:maintenance-request-list")).json()["results"]] == [pk]
    taken = post(tech, reverse("api:maintenance-request-status", args=[pk]), {"status": "prise_en_charge"})
    assert taken.status_code == 200 and taken.json()["status"] == "prise_en_charge"
    done = post(tech, reverse("api:maintenance-request-status", args=[pk]), {"status": "faite", "comment": "Purgé"})
    assert done.json()["history"][-1]["comment"] == "Purgé"
    seen = requester.get(reverse("api:maintenance-request-detail", args=[pk])).json()
    assert seen["status_label"] == "Faite" and len(seen["history"]) == 3
    filtered = requester.get(reverse("api:maintenance-request-list"), {"status": "nouvelle"}).json()
    assert filtered["count"] == 0


@pytest.mark.parametrize(
    ("data", "field", "text"),
    [
        ({"place": "", "category": "autre", "description": "x"}, "place", "Indiquez le lieu"),
        ({"place": "x", "category": "jardin", "description": "x"}, "category", "Choisissez une catégorie"),
        ({"place": "x", "description": "x"}, "category", "Choisissez une catégorie"),
        ({"place": "x", "category": "autre", "description": "  "}, "description", "Décrivez le problème"),
    ],
)
def test_create_bad_input(aide_soignant, data, field, text):
    response = post(session(aide_soignant), reverse("api:maintenance-request-list"), data)
    assert response.status_code == 400
    assert text in response.json()[field][0]
    assert writes() == (0, 0)


def test_bad_transition_and_non_technical_metier(aide_soignant, technicien, essms):
    item = maintenance_request_create(aide_soignant, place="x", category="autre", description="y")
    url = reverse("api:maintenance-request-status", args=[item.pk])
    bad = post(session(technicien), url, {"status": "faite"})
    assert bad.status_code == 400
    assert bad.json()["status"] == ["Passage impossible du statut « Nouvelle » au statut « Faite »."]
    assert post(session(technicien), url, {"status": "ouverte"}).json()["status"] == ["Statut inconnu."]
    refused = post(session(aide_soignant), url, {"status": "prise_en_charge"})
    assert refused.status_code == 403 and "Seuls les services techniques" in refused.json()["detail"]
    assert writes() == (1, 1)
    assert post(session(aide_soignant), url, {"status": "annulee"}).json()["status"] == "annulee"


def test_other_people_and_other_essms_get_404(aide_soignant, essms, sibling_essms):
    item = maintenance_request_create(aide_soignant, place="x", category="autre", description="y")
    for user in (professional(essms, Metier.IDE), professional(sibling_essms, Metier.TECHNIQUE)):
        client = session(user)
        assert client.get(reverse("api:maintenance-request-detail", args=[item.pk])).status_code == 404
        response = post(client, reverse("api:maintenance-request-status", args=[item.pk]), {"status": "annulee"})
        assert response.status_code == 404
        assert client.get(reverse("api:maintenance-request-list")).json()["results"] == []
    assert writes() == (1, 1)


def test_partner_token_creates_its_own_requests(client, essms):
    _, raw = api_token_create(
        essms_finess=essms.finess, name="GMAO", scopes="maintenance-requests.read maintenance-requests.write"
    )
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    data = {"place": "Cuisine", "category": "equipement", "description": "Four en panne."}
    response = client.post(reverse("api:maintenance-request-list"), data, content_type="application/json", **headers)
    assert response.status_code == 201
    assert MaintenanceRequest.objects.get().essms == essms


@pytest.mark.parametrize("count", [3, 20])
def test_list_query_count_does_not_grow(aide_soignant, technicien, count, django_assert_max_num_queries):
    for index in range(count):
        maintenance_request_create(aide_soignant, place=f"C{index}", category="autre", description="y")
    client = session(technicien)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("api:maintenance-request-list")).json()["count"] == count

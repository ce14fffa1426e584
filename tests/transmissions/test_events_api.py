"""API /api/v1/events/: scoped list with filters, retrieve, create through the services."""

import datetime

import pytest
from django.utils import timezone

from dui.models import AccessLog, Habilitation, Metier
from interop.services import api_token_create
from tests.factories import UsagerFactory, professional
from tests.kinds import offer_everywhere
from tests.logged import logged_events
from tests.transmissions.test_events_support import fall, incident, local, seizure
from transmissions.models import Event, Transmission, Visibility
from transmissions.selectors import transmissions_for_user

URL = "/api/v1/events/"


@pytest.fixture(autouse=True)
def _seizures_offered_in_the_ehpad(og):
    """These tests record seizures in the fixtures' EHPAD: its OG offers the seizure form there too
    (by default only children's and disabled adults' establishments do: tests/dui/test_essms_kinds.py)."""
    offer_everywhere(og, "event", "epilepsie")


@pytest.fixture
def nurse(essms):
    return professional(essms, Metier.IDE)


@pytest.fixture
def api(client, nurse):
    client.force_login(nurse)
    return client


def post(client, data):
    return client.post(URL, data, content_type="application/json")


def recent(**delta):
    return (timezone.now() - datetime.timedelta(minutes=10, **delta)).isoformat()


def test_list_filters_and_audits_in_bulk(api, nurse, essms, usager, foreign_essms):
    other = UsagerFactory(essms=essms)
    seizure(nurse, usager, at=local(2025, 3, 1, 10, 0))
    fall(nurse, usager, at=local(2025, 3, 5, 10, 0))
    incident(nurse, other, at=local(2025, 3, 6, 10, 0))
    response = api.get(URL)
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["kind"] for row in rows] == ["incident", "chute", "epilepsie"]
    assert rows[2]["duration_seconds"] == 150 and rows[2]["kind_label"] == "Crise d'épilepsie"
    assert rows[2]["transmission"] == Event.objects.get(kind="epilepsie").transmission_id
    assert rows[2]["author_metier"] == Metier.IDE and rows[2]["visibility"] == "care"
    assert len(logged_events(action="read", object_type="transmissions.event", channel="api")) == 3
    assert [r["kind"] for r in api.get(URL, {"usager": usager.pk}).json()["results"]] == ["chute", "epilepsie"]
    assert [r["kind"] for r in api.get(URL, {"kind": "chute"}).json()["results"]] == ["chute"]
    since = local(2025, 3, 5, 9, 0).isoformat()
    assert [r["kind"] for r in api.get(URL, {"since": since}).json()["results"]] == ["incident", "chute"]
    # Far dates are no error: everything, or nothing.
    assert len(api.get(URL, {"since": "0001-01-01T00:00:00"}).json()["results"]) == 3
    assert api.get(URL, {"since": "9999-12-31T23:59:59-12:00"}).json()["results"] == []


@pytest.mark.parametrize(
    "params", [{"usager": "abc"}, {"usager": "0"}, {"kind": "noyade"}, {"since": "hier"}, {"since": "2025-13-01"}]
)
def test_list_bad_filters_are_400(api, params):
    response = api.get(URL, params)
    assert response.status_code == 400
    assert set(response.json()) == set(params)


def test_retrieve_and_404_out_of_reach(api, nurse, essms, sibling_essms, client):
    event = fall(nurse, UsagerFactory(essms=essms))
    response = api.get(f"{URL}{event.pk}/")
    assert response.status_code == 200 and response.json()["place"] == "Salle de bain"
    assert len(logged_events(action="read", object_id=str(event.pk), channel="api")) == 1
    client.force_login(professional(sibling_essms, Metier.IDE))
    assert client.get(f"{URL}{event.pk}/").status_code == 404
    assert client.get(URL).json()["results"] == []


def test_visibility_and_matrix_apply(client, essms, usager, nurse):
    medical = fall(nurse, usager, visibility=Visibility.MEDICAL)
    care = fall(nurse, usager)
    client.force_login(professional(essms, Metier.ASH))
    assert [r["id"] for r in client.get(URL).json()["results"]] == [care.pk]
    assert client.get(f"{URL}{medical.pk}/").status_code == 404
    client.force_login(professional(essms, Metier.ANIMATEUR))
    assert client.get(URL).json()["results"] == []
    assert client.get(f"{URL}{care.pk}/").status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "epilepsie", "duration_seconds": 95, "seizure_type": "absence", "treatment_given": "Aucun"},
        {"kind": "chute", "place": "Jardin", "severity": "grave", "consequences": "Plaie"},
        {"kind": "incident", "circumstances": "Fugue", "place": "Portail"},
        {"kind": "comportement", "circumstances": "Agitation", "visibility": "all"},
    ],
)
def test_create_each_kind(api, nurse, usager, body):
    response = post(api, {"usager": usager.pk, "occurred_at": recent()} | body)
    assert response.status_code == 201, response.content
    data = response.json()
    event = Event.objects.get()
    assert (data["id"], data["kind"], data["usager"]) == (event.pk, body["kind"], usager.pk)
    assert data["visibility"] == body.get("visibility", "care")
    assert transmissions_for_user(nurse).filter(pk=data["transmission"]).exists()
    assert AccessLog.objects.filter(action="create", object_type="transmissions.event", channel="api").exists()


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"kind": "epilepsie", "duration_seconds": 0, "seizure_type": "x"}, "duration_seconds", "supérieure à zéro"),
        ({"kind": "epilepsie", "duration_seconds": 86401, "seizure_type": "x"}, "duration_seconds", "24 heures"),
        ({"kind": "epilepsie", "seizure_type": "x"}, "duration_seconds", "durée"),
        ({"kind": "epilepsie", "duration_seconds": 60}, "seizure_type", "type de crise"),
        ({"kind": "epilepsie", "duration_seconds": 60, "seizure_type": "x", "place": "Salon"}, "place", "sans objet"),
        ({"kind": "chute"}, "place", "lieu de la chute"),
        ({"kind": "chute", "place": "x", "duration_seconds": 30}, "duration_seconds", "sans objet"),
        ({"kind": "chute", "place": "x", "occurred_at": "future"}, "occurred_at", "futur"),
        (
            {"kind": "epilepsie", "duration_seconds": 5, "seizure_type": "x", "occurred_at": "future"},
            "occurred_at",
            "futur",
        ),
        ({"kind": "incident", "circumstances": ""}, "circumstances", "circonstances"),
        ({"kind": "chute", "place": "x", "occurred_at": "0001-01-01T00:00:00"}, "occurred_at", "invalides"),
        ({"kind": "chute", "place": "x", "occurred_at": "1899-12-31T10:00:00Z"}, "occurred_at", "invalides"),
        ({"kind": "chute", "place": "x", "occurred_at": "1938-05-11T10:00:00Z"}, "occurred_at", "naissance"),
        ({"kind": "noyade"}, "kind", "Type d'événement inconnu"),
        ({"kind": "chute", "place": "x", "severity": "extrême"}, "severity", ""),
        ({"kind": "chute", "place": "x", "usager": 999999}, "usager", "Personne introuvable"),
        ({"kind": "chute", "place": "x", "usager": "other-essms"}, "usager", "Personne introuvable"),
        ({"kind": "chute", "place": "x", "usager": "archived"}, "non_field_errors", "archivé"),
    ],
)
def test_bad_input_is_a_french_400_and_writes_nothing(api, essms, sibling_essms, usager, body, field, message):
    data = {"usager": usager.pk, "occurred_at": recent()} | body
    if data["occurred_at"] == "future":
        data["occurred_at"] = (timezone.now() + datetime.timedelta(hours=1)).isoformat()
    if data["usager"] == "other-essms":
        data["usager"] = UsagerFactory(essms=sibling_essms).pk
    if data["usager"] == "archived":
        data["usager"] = UsagerFactory(essms=essms, archived_at=timezone.now()).pk
    response = post(api, data)
    assert response.status_code == 400
    assert message in " ".join(response.json()[field])
    assert not Event.objects.exists() and not Transmission.objects.exists()


def test_visibility_the_metier_may_not_use_is_400(client, essms, usager):
    client.force_login(professional(essms, Metier.AIDE_SOIGNANT))
    response = post(
        client, {"usager": usager.pk, "occurred_at": recent(), "kind": "chute", "place": "x", "visibility": "medical"}
    )
    assert response.status_code == 400
    assert "visibilité" in response.json()["visibility"][0]
    assert not Event.objects.exists()


@pytest.mark.parametrize("metier", [Metier.ASH, Metier.ANIMATEUR])
def test_metier_without_the_write_right_is_403(client, essms, usager, metier):
    client.force_login(professional(essms, metier))
    response = post(client, {"usager": usager.pk, "occurred_at": recent(), "kind": "chute", "place": "x"})
    assert response.status_code == 403
    assert "événements" in response.json()["detail"]
    assert not Event.objects.exists() and not Transmission.objects.exists()


def test_partner_token_defaults_to_the_all_staff_level(client, essms, usager):
    _token, raw = api_token_create(
        essms_finess=essms.finess, name="Logiciel de soins", scopes="events.read events.write"
    )
    Habilitation.objects.filter(
        og=essms.og, metier=Metier.PARTENAIRE, document_class__code__in=["evenements", "transmissions"]
    ).update(can_read=True, can_write=True)
    response = client.post(
        URL,
        {"usager": usager.pk, "occurred_at": recent(), "kind": "chute", "place": "Hall"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 201, response.content
    assert response.json()["visibility"] == "all"
    assert Transmission.objects.get().visibility == Visibility.ALL_STAFF


def test_api_list_query_count_is_constant(api, nurse, essms, usager, django_assert_max_num_queries):
    for record in (seizure, fall, incident):
        record(nurse, usager)
    with django_assert_max_num_queries(30) as few:
        api.get(URL)
    for index in range(17):
        fall(nurse, UsagerFactory(essms=essms), place=f"Lieu {index}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(api.get(URL).json()["results"]) == 20


def test_schema_documents_events(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    assert {"get", "post"} <= set(schema["paths"]["/api/v1/events/"])
    assert "get" in schema["paths"]["/api/v1/events/{id}/"]
    names = {parameter["name"] for parameter in schema["paths"]["/api/v1/events/"]["get"]["parameters"]}
    assert {"usager", "kind", "since"} <= names

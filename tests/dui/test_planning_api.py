"""API /api/v1/appointments/: scoped list with filters, create/update/cancel through the services."""

import datetime

import pytest
from django.utils import timezone

from dui.models import AccessLog, Appointment, Metier
from interop.services import api_token_create
from tests.dui.test_planning_support import TODAY, appointment, at
from tests.factories import UsagerFactory, professional
from tests.logged import logged_events

TOKEN_TYPE = "interop.apitoken"  # the token's own creation is logged too

URL = "/api/v1/appointments/"


@pytest.fixture
def secretary(essms):
    return professional(essms, Metier.SECRETAIRE_MEDICALE)


@pytest.fixture
def api(client, secretary):
    client.force_login(secretary)
    return client


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def patch(client, url, data):
    return client.patch(url, data, content_type="application/json")


def test_list_filters_by_person_and_day_and_audits_in_bulk(api, essms, foreign_essms, secretary, usager):
    other = UsagerFactory(essms=essms)
    appointment(usager, by=secretary, starts_at=at(TODAY, 9), title="Cardiologie")
    appointment(usager, by=secretary, starts_at=at(TODAY, 23, 30), title="Tard le soir")
    appointment(usager, by=secretary, starts_at=at(TODAY + datetime.timedelta(days=1), 0, 30), title="Lendemain")
    appointment(other, by=secretary, starts_at=at(TODAY, 10), title="Autre personne")
    appointment(UsagerFactory(essms=foreign_essms), by=secretary, starts_at=at(TODAY, 10), title="Ailleurs")
    response = api.get(URL)
    assert response.status_code == 200
    assert {row["title"] for row in response.json()["results"]} == {
        "Cardiologie",
        "Tard le soir",
        "Lendemain",
        "Autre personne",
    }
    response = api.get(URL, {"usager": usager.pk, "date": TODAY.isoformat()})
    rows = response.json()["results"]
    assert [row["title"] for row in rows] == ["Cardiologie", "Tard le soir"]
    assert rows[0]["transport"] == "ambulance"
    assert rows[0]["usager"] == usager.pk
    assert len(logged_events(action="read", channel="api", object_type="dui.appointment")) == 6


@pytest.mark.parametrize("params", [{"date": "16/03/2026"}, {"usager": "abc"}])
def test_list_bad_filters_are_400(api, params):
    response = api.get(URL, params)
    assert response.status_code == 400
    assert set(response.json()) == set(params)


def test_create_then_retrieve(api, secretary, usager):
    response = post(
        api,
        URL,
        {
            "usager": usager.pk,
            "starts_at": "2026-03-20T10:30:00+01:00",
            "ends_at": "2026-03-20T11:30:00+01:00",
            "title": "Consultation ORL",
            "transport": "taxi",
            "transport_booked": True,
            "accompanied_by": "Sa fille",
        },
    )
    assert response.status_code == 201, response.json()
    row = Appointment.objects.get()
    assert response.json()["id"] == row.pk
    assert (row.usager, row.created_by, row.transport, row.transport_booked) == (usager, secretary, "taxi", True)
    assert AccessLog.objects.exclude(object_type=TOKEN_TYPE).get().action == "create"
    detail = api.get(f"{URL}{row.pk}/")
    assert detail.status_code == 200
    assert detail.json()["title"] == "Consultation ORL"
    assert len(logged_events(action="read", object_id=str(row.pk))) == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"ends_at": "2026-03-20T09:00:00+01:00"}, "ends_at", "La fin du rendez-vous doit être après son début."),
        ({"starts_at": None}, "starts_at", None),
        ({"title": ""}, "title", None),
        ({"transport": "fusee"}, "transport", None),
    ],
)
def test_create_bad_input_is_400_and_nothing_written(api, usager, data, field, message):
    body = {"usager": usager.pk, "starts_at": "2026-03-20T10:30:00+01:00", "title": "ORL", **data}
    body = {key: value for key, value in body.items() if value is not None}
    response = post(api, URL, body)
    assert response.status_code == 400
    assert field in response.json()
    if message:
        assert response.json()[field] == [message]
    assert not Appointment.objects.exists()


def test_create_on_archived_dossier_is_400(api, essms):
    archived = UsagerFactory(essms=essms, archived_at=timezone.now())
    response = post(api, URL, {"usager": archived.pk, "starts_at": "2026-03-20T10:30:00+01:00", "title": "ORL"})
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Ce dossier est archivé : il est en lecture seule."]}
    assert not Appointment.objects.exists()


def test_create_for_a_person_of_another_essms_is_400(api, foreign_essms):
    other = UsagerFactory(essms=foreign_essms)
    response = post(api, URL, {"usager": other.pk, "starts_at": "2026-03-20T10:30:00+01:00", "title": "ORL"})
    assert response.status_code == 400
    assert response.json() == {"usager": ["Personne introuvable."]}
    assert not Appointment.objects.exists()


def test_create_refused_to_ash(client, essms, usager):
    client.force_login(professional(essms, Metier.ASH))
    response = post(client, URL, {"usager": usager.pk, "starts_at": "2026-03-20T10:30:00+01:00", "title": "ORL"})
    assert response.status_code == 403
    assert not Appointment.objects.exists()


def test_partial_update_and_no_put(api, secretary, usager):
    row = appointment(usager, by=secretary, starts_at=at(TODAY, 10))
    response = patch(api, f"{URL}{row.pk}/", {"transport_booked": True, "notes": "À jeun"})
    assert response.status_code == 200
    row.refresh_from_db()
    assert (row.transport_booked, row.notes) == (True, "À jeun")
    response = api.put(f"{URL}{row.pk}/", {"title": "x"}, content_type="application/json")
    assert response.status_code == 405
    response = patch(api, f"{URL}{row.pk}/", {"ends_at": "2026-03-16T09:00:00+01:00"})
    assert response.status_code == 400
    assert response.json() == {"ends_at": ["La fin du rendez-vous doit être après son début."]}


def test_cancel(api, secretary, usager):
    row = appointment(usager, by=secretary, starts_at=at(TODAY, 10))
    response = post(api, f"{URL}{row.pk}/cancel/", {})
    assert response.status_code == 200
    assert response.json()["is_cancelled"] is True
    assert post(api, f"{URL}{row.pk}/cancel/", {}).status_code == 400
    assert patch(api, f"{URL}{row.pk}/", {"title": "Autre"}).status_code == 400


def test_other_essms_objects_are_404(client, sibling_essms, secretary, usager):
    row = appointment(usager, by=secretary, starts_at=at(TODAY, 10))
    client.force_login(professional(sibling_essms, Metier.SECRETAIRE_MEDICALE))
    assert client.get(f"{URL}{row.pk}/").status_code == 404
    assert patch(client, f"{URL}{row.pk}/", {"title": "x"}).status_code == 404
    assert post(client, f"{URL}{row.pk}/cancel/", {}).status_code == 404
    assert client.get(URL).json()["results"] == []
    row.refresh_from_db()
    assert (row.title, row.cancelled_at) == ("Consultation de cardiologie", None)


def test_partner_token_without_the_right_sees_nothing(client, essms, secretary, usager):
    appointment(usager, by=secretary, starts_at=at(TODAY, 10))
    _, raw = api_token_create(essms_finess=essms.finess, name="Transporteur")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get(URL, **headers).json()["results"] == []
    response = client.post(
        URL,
        {"usager": usager.pk, "starts_at": "2026-03-20T10:30:00+01:00", "title": "ORL"},
        content_type="application/json",
        **headers,
    )
    assert response.status_code in {400, 403}
    assert Appointment.objects.count() == 1


def test_api_list_query_count_is_constant(api, secretary, usager, django_assert_max_num_queries):
    appointment(usager, by=secretary, starts_at=at(TODAY, 10))
    with django_assert_max_num_queries(20) as few:
        api.get(URL)
    for hour in range(20):
        appointment(UsagerFactory(essms=usager.essms), by=secretary, starts_at=at(TODAY, hour % 24))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(api.get(URL).json()["results"]) == 21


def test_schema_documents_appointments(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    assert "/api/v1/appointments/" in schema["paths"]
    assert {"get", "post"} <= set(schema["paths"]["/api/v1/appointments/"])
    assert {"get", "patch"} <= set(schema["paths"]["/api/v1/appointments/{id}/"])

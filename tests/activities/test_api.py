"""API /api/v1/activities/, /activity-sessions/ (with /attendance/ and /status/), /activity-registrations/."""

import datetime

import pytest
from django.utils import timezone

from activities.models import ActivitySession, Registration, SessionStatus
from activities.services import participation, programme
from dui.models import AccessLog, Metier
from tests.activities.factories import activity, admitted, register, session
from tests.factories import UnitFactory, UsagerFactory, professional


@pytest.fixture
def animatrice(essms):
    return professional(essms, Metier.ANIMATEUR)


@pytest.fixture
def api(client, animatrice):
    client.force_login(animatrice)
    return client


@pytest.fixture
def loto(essms, animatrice):
    return activity(essms, by=animatrice)


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_activity_catalogue_create_list_patch(api, essms, foreign_essms, animatrice):
    activity(foreign_essms, by=animatrice, name="Ailleurs")
    created = post(api, "/api/v1/activities/", {"kind": "sortie", "name": "Marché", "default_place": "Place"})
    assert created.status_code == 201, created.content
    names = [row["name"] for row in api.get("/api/v1/activities/").json()["results"]]
    assert names == ["Marché"]
    patched = api.patch(
        f"/api/v1/activities/{created.json()['id']}/", {"is_active": False}, content_type="application/json"
    )
    assert patched.json()["is_active"] is False


def test_session_create_list_and_status(api, loto, unit):
    starts = (timezone.now() + datetime.timedelta(days=1)).replace(microsecond=0)
    created = post(
        api,
        "/api/v1/activity-sessions/",
        {"activity": loto.pk, "starts_at": starts.isoformat(), "units": [unit.pk]},
    )
    assert created.status_code == 201, created.content
    assert created.json()["units"] == [unit.pk]
    day = timezone.localtime(starts).date().isoformat()
    listed = api.get(f"/api/v1/activity-sessions/?start={day}&end={day}").json()["results"]
    assert [row["id"] for row in listed] == [created.json()["id"]]
    cancelled = post(api, f"/api/v1/activity-sessions/{created.json()['id']}/status/", {"status": "cancelled"})
    assert cancelled.json()["status"] == "cancelled"


def test_session_in_the_past_as_planned_is_a_400_in_french(api, loto):
    starts = timezone.now() - datetime.timedelta(days=1)
    response = post(api, "/api/v1/activity-sessions/", {"activity": loto.pk, "starts_at": starts.isoformat()})
    assert response.status_code == 400
    assert response.json() == {"status": [programme.PAST_PLANNED]}
    assert not ActivitySession.objects.exists()


def test_session_with_a_unit_of_another_essms_is_a_400(api, loto, sibling_essms):
    starts = timezone.now() + datetime.timedelta(days=1)
    response = post(
        api,
        "/api/v1/activity-sessions/",
        {"activity": loto.pk, "starts_at": starts.isoformat(), "units": [UnitFactory(essms=sibling_essms).pk]},
    )
    assert response.status_code == 400
    assert response.json() == {"units": ["Unité inconnue dans cet établissement."]}
    assert not ActivitySession.objects.exists()


def test_period_end_before_start_is_a_400(api):
    response = api.get("/api/v1/activity-sessions/?start=2026-03-02&end=2026-03-01")
    assert response.status_code == 400
    assert "précède" in response.json()["end"][0]


def test_registration_and_attendance_through_the_api(api, animatrice, loto, usager):
    admitted(usager, by=animatrice)
    sess = session(loto, by=animatrice, starts_at=timezone.now() - datetime.timedelta(minutes=10), status="held")
    created = post(api, "/api/v1/activity-registrations/", {"session": sess.pk, "usager": usager.pk})
    assert created.status_code == 201, created.content
    recorded = post(
        api,
        f"/api/v1/activity-sessions/{sess.pk}/attendance/",
        {"usager": usager.pk, "attendance": "present", "satisfaction": 5, "comment": "Très contente"},
    )
    assert recorded.status_code == 200, recorded.content
    assert (recorded.json()["attendance"], recorded.json()["satisfaction"]) == ("present", 5)
    before = AccessLog.objects.filter(object_type="activities.registration", action="read").count()
    listed = api.get(f"/api/v1/activity-registrations/?session={sess.pk}").json()["results"]
    assert [row["usager"] for row in listed] == [usager.pk]
    assert AccessLog.objects.filter(object_type="activities.registration", action="read").count() == before + 1


def test_satisfaction_of_7_is_a_400(api, animatrice, loto, usager):
    sess = session(loto, by=animatrice, starts_at=timezone.now() - datetime.timedelta(minutes=10), status="held")
    register(sess, usager, by=animatrice)
    response = post(
        api,
        f"/api/v1/activity-sessions/{sess.pk}/attendance/",
        {"usager": usager.pk, "attendance": "present", "satisfaction": 7},
    )
    assert response.status_code == 400
    assert response.json() == {"satisfaction": [participation.SCORE]}
    assert Registration.objects.get().attendance == ""


def test_attendance_of_a_person_not_registered_is_a_400(api, animatrice, loto, usager):
    sess = session(loto, by=animatrice, starts_at=timezone.now() - datetime.timedelta(minutes=10), status="held")
    response = post(
        api, f"/api/v1/activity-sessions/{sess.pk}/attendance/", {"usager": usager.pk, "attendance": "absent"}
    )
    assert response.status_code == 400
    assert response.json() == {"usager": [participation.NOT_REGISTERED]}
    assert not Registration.objects.exists()


def test_registering_a_person_of_another_essms_is_a_400(api, animatrice, loto, sibling_essms):
    sess = session(loto, by=animatrice)
    outsider = admitted(UsagerFactory(essms=sibling_essms), by=animatrice)
    response = post(api, "/api/v1/activity-registrations/", {"session": sess.pk, "usager": outsider.pk})
    assert response.status_code == 400
    assert response.json() == {"usager": ["Personne introuvable."]}
    assert not Registration.objects.exists()


def test_another_essms_session_is_a_404(api, sibling_essms):
    other = professional(sibling_essms, Metier.ANIMATEUR)
    sess = session(activity(sibling_essms, by=other), by=other)
    assert api.get(f"/api/v1/activity-sessions/{sess.pk}/").status_code == 404
    response = post(api, f"/api/v1/activity-sessions/{sess.pk}/attendance/", {"usager": 1, "attendance": "absent"})
    assert response.status_code == 404
    assert ActivitySession.objects.get().status == SessionStatus.PLANNED


def test_an_ash_may_not_record_attendance(client, essms, animatrice, loto, usager):
    sess = session(loto, by=animatrice, starts_at=timezone.now() - datetime.timedelta(minutes=10), status="held")
    register(sess, usager, by=animatrice)
    client.force_login(professional(essms, Metier.ASH))
    response = post(
        client, f"/api/v1/activity-sessions/{sess.pk}/attendance/", {"usager": usager.pk, "attendance": "present"}
    )
    assert response.status_code == 403
    assert Registration.objects.get().attendance == ""

"""Pages of the activities: the day's programme, the one-screen attendance (htmx), the person's planning and dossier."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import ActivitySession, Registration, SessionStatus
from dui.models import Metier
from tests.activities.factories import activity, admitted, register, session
from tests.factories import UsagerFactory, professional


@pytest.fixture
def animatrice(essms):
    return professional(essms, Metier.ANIMATEUR)


@pytest.fixture
def web(client, animatrice):
    client.force_login(animatrice)
    return client


@pytest.fixture
def loto(essms, animatrice):
    return activity(essms, by=animatrice)


def _now_session(loto, animatrice):
    return session(loto, by=animatrice, starts_at=timezone.now() - datetime.timedelta(minutes=10), status="held")


def test_programme_lists_the_day_sessions_with_counts(web, animatrice, loto, usager):
    sess = _now_session(loto, animatrice)
    register(sess, usager, by=animatrice, attendance="present")
    page = web.get(reverse("activity-programme"))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Loto" in body and "1 inscrit, présence saisie pour 1" in body


def test_attendance_screen_lists_every_registered_person_with_three_taps(web, animatrice, loto, essms):
    sess = _now_session(loto, animatrice)
    people = [UsagerFactory(essms=essms, birth_name=name) for name in ("ALPHA", "BRAVO", "CHARLIE")]
    for person in people:
        register(sess, person, by=animatrice)
    body = web.get(reverse("activity-session-detail", args=[sess.pk])).content.decode()
    for person in people:
        assert person.birth_name in body
    assert body.count('class="ac-tap ac-present"') == 3
    assert body.count('hx-post="') == 9


def test_one_tap_records_and_returns_the_row(web, animatrice, loto, usager):
    sess = _now_session(loto, animatrice)
    registration = register(sess, usager, by=animatrice)
    response = web.post(
        reverse("activity-attendance", args=[sess.pk]),
        {"usager": usager.pk, "attendance": "present"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert f'id="inscription-{registration.pk}"' in response.content.decode()
    assert 'aria-label="5 sur 5"' in response.content.decode()  # a present person may now rate it
    registration.refresh_from_db()
    assert registration.attendance == "present"


def test_a_tap_with_a_satisfaction_of_7_shows_the_error_and_writes_nothing(web, animatrice, loto, usager):
    sess = _now_session(loto, animatrice)
    register(sess, usager, by=animatrice)
    response = web.post(
        reverse("activity-attendance", args=[sess.pk]),
        {"usager": usager.pk, "attendance": "present", "satisfaction": "7"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200  # htmx swaps the row only on a success: the row carries the message
    assert "La satisfaction est une note de 1 à 5." in response.content.decode()
    assert Registration.objects.get().attendance == ""


def test_a_tap_for_a_person_not_registered_is_refused(web, animatrice, loto, usager):
    sess = _now_session(loto, animatrice)
    response = web.post(
        reverse("activity-attendance", args=[sess.pk]),
        {"usager": usager.pk, "attendance": "present"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "pas inscrite" in response.content.decode()
    assert not Registration.objects.exists()


def test_session_form_refuses_a_past_planned_session(web, loto):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = web.post(
        reverse("activity-session-create"),
        {"activity": loto.pk, "day": yesterday.isoformat(), "start_time": "14:00", "status": "planned"},
    )
    assert response.status_code == 200
    assert "Une séance passée ne peut pas être enregistrée comme prévue" in response.content.decode()
    assert not ActivitySession.objects.exists()


def test_session_form_creates_and_opens_the_attendance_screen(web, loto, unit):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = web.post(
        reverse("activity-session-create"),
        {
            "activity": loto.pk,
            "day": tomorrow.isoformat(),
            "start_time": "14:30",
            "status": "planned",
            "units": [unit.pk],
        },
    )
    created = ActivitySession.objects.get()
    assert response.status_code == 302 and response.url == reverse("activity-session-detail", args=[created.pk])
    assert created.status == SessionStatus.PLANNED and list(created.units.all()) == [unit]


def test_register_from_the_session_screen(web, animatrice, loto, usager):
    admitted(usager, by=animatrice)
    sess = session(loto, by=animatrice)
    page = web.get(reverse("activity-session-detail", args=[sess.pk])).content.decode()
    assert f'<option value="{usager.pk}">' in page
    web.post(reverse("activity-register", args=[sess.pk]), {"usager": usager.pk})
    assert Registration.objects.get().usager == usager


def test_the_person_planning_and_dossier_show_the_activities(client, essms, animatrice, loto, usager):
    sess = session(loto, by=animatrice, starts_at=timezone.now() + datetime.timedelta(days=1))
    register(sess, usager, by=animatrice)
    web = client
    web.force_login(professional(essms, Metier.CADRE_SANTE))
    planning = web.get(reverse("usager-planning", args=[usager.pk]))
    assert planning.status_code == 200
    assert "Loto" in planning.content.decode()
    dossier = web.get(reverse("usager-detail", args=[usager.pk])).content.decode()
    assert reverse("activities-usager", args=[usager.pk]) in dossier
    page = web.get(reverse("activities-usager", args=[usager.pk])).content.decode()
    assert "Loto" in page


def test_a_secretary_sees_no_activity_on_the_planning(client, essms, animatrice, loto, usager):
    sess = session(loto, by=animatrice, starts_at=timezone.now() + datetime.timedelta(days=1))
    register(sess, usager, by=animatrice)
    client.force_login(professional(essms, Metier.SECRETAIRE_MEDICALE))
    page = client.get(reverse("usager-planning", args=[usager.pk])).content.decode()
    assert "titre-activites" not in page


def test_withdraw_a_registration_not_yet_recorded_from_the_session_screen(web, animatrice, loto, usager, essms):
    sess = _now_session(loto, animatrice)
    pending = register(sess, usager, by=animatrice)
    done = register(sess, UsagerFactory(essms=essms), by=animatrice, attendance="present")
    page = web.get(reverse("activity-session-detail", args=[sess.pk])).content.decode()
    assert reverse("activity-registration-cancel", args=[pending.pk]) in page
    assert reverse("activity-registration-cancel", args=[done.pk]) not in page
    web.post(reverse("activity-registration-cancel", args=[pending.pk]))
    assert list(Registration.objects.all()) == [done]

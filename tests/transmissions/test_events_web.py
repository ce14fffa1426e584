"""Event screens: one tablet page per kind, the list (filters, audit in bulk, constant queries)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dui.models import Metier
from tests.factories import UsagerFactory, professional
from tests.kinds import offer_everywhere
from tests.logged import logged_events
from tests.transmissions.test_events_support import fall, incident, local, seizure
from transmissions.models import Event, EventKind, Transmission, Visibility
from transmissions.selectors import transmissions_for_user


@pytest.fixture(autouse=True)
def _seizures_offered_in_the_ehpad(og):
    """These tests record seizures in the fixtures' EHPAD: its OG offers the seizure form there too
    (by default only children's and disabled adults' establishments do: tests/dui/test_essms_kinds.py)."""
    offer_everywhere(og, "event", "epilepsie")


@pytest.fixture
def nurse(essms):
    return professional(essms, Metier.IDE)


@pytest.fixture
def web(client, nurse):
    client.force_login(nurse)
    return client


def create_url(kind, usager):
    return f"{reverse('event-create', kwargs={'kind': kind})}?usager={usager.pk}"


def when(moment=None):
    moment = timezone.localtime(moment or timezone.now() - datetime.timedelta(minutes=10))
    return {"day": moment.date().isoformat(), "time": moment.strftime("%H:%M")}


def test_each_kind_has_its_page_with_its_fields(web, usager):
    expected = {
        EventKind.EPILEPSIE: ["duration_minutes", "duration_secs", "seizure_type", "treatment_given"],
        EventKind.CHUTE: ["place", "consequences", "severity"],
        EventKind.INCIDENT: ["circumstances", "consequences", "severity"],
        EventKind.COMPORTEMENT: ["circumstances", "consequences", "severity"],
    }
    for kind, fields in expected.items():
        response = web.get(create_url(kind, usager))
        assert response.status_code == 200
        body = response.content.decode()
        for field in ["day", "time", "visibility", *fields]:
            assert f'name="{field}"' in body, (kind, field)
        assert f'<label for="id_{fields[0]}">' in body
        # Start time defaults to now.
        assert f'value="{timezone.localdate().isoformat()}"' in body
    assert "types-de-crise" in web.get(create_url(EventKind.EPILEPSIE, usager)).content.decode()
    assert 'name="treatment_given"' not in web.get(create_url(EventKind.CHUTE, usager)).content.decode()


def test_seizure_from_minutes_and_seconds(web, usager, nurse):
    data = when() | {
        "duration_minutes": "2",
        "duration_secs": "30",
        "seizure_type": "absence",
        "circumstances": "Pendant le repas",
        "treatment_given": "",
        "visibility": Visibility.CARE_STAFF,
    }
    response = web.post(create_url(EventKind.EPILEPSIE, usager), data, follow=True)
    event = Event.objects.get()
    assert (event.kind, event.duration_seconds, event.seizure_type) == ("epilepsie", 150, "absence")
    assert event.created_by == nurse
    assert response.redirect_chain[-1][0] == f"{reverse('event-list')}?usager={usager.pk}"
    assert "Crise d&#x27;épilepsie enregistrée" in response.content.decode()
    assert transmissions_for_user(nurse).filter(pk=event.transmission_id, usager=usager).exists()


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        (EventKind.CHUTE, {"place": "Couloir", "severity": "grave", "consequences": "Douleur hanche"}),
        (EventKind.INCIDENT, {"circumstances": "Vitre cassée", "severity": "faible"}),
        (EventKind.COMPORTEMENT, {"circumstances": "Agitation au coucher"}),
    ],
)
def test_other_kinds_are_recorded(web, usager, kind, data):
    response = web.post(create_url(kind, usager), when() | {"visibility": "care"} | data)
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.kind == kind
    assert Transmission.objects.get().narrative.startswith(EventKind(kind).label)


@pytest.mark.parametrize(
    ("kind", "data", "message"),
    [
        (EventKind.EPILEPSIE, {"seizure_type": "absence"}, "Indiquez la durée"),
        (EventKind.EPILEPSIE, {"duration_minutes": "0", "duration_secs": "0", "seizure_type": "x"}, "supérieure"),
        (EventKind.EPILEPSIE, {"duration_minutes": "1440", "duration_secs": "1", "seizure_type": "x"}, "24 heures"),
        (EventKind.EPILEPSIE, {"duration_minutes": "-1", "seizure_type": "x"}, "négative"),
        (EventKind.EPILEPSIE, {"duration_secs": "75", "seizure_type": "x"}, "de 0 à 59"),
        (EventKind.EPILEPSIE, {"duration_minutes": "3"}, "Type de crise : ce champ est obligatoire"),
        (EventKind.EPILEPSIE, {"duration_minutes": "3", "seizure_type": "x", "time": "future"}, "futur"),
        (EventKind.CHUTE, {"place": ""}, "Lieu : ce champ est obligatoire"),
        (EventKind.CHUTE, {"place": "Chambre", "day": "31/02/2025"}, "Jour invalide"),
        (EventKind.CHUTE, {"place": "Chambre", "day": "0001-01-01"}, "invalides"),
        (EventKind.INCIDENT, {"circumstances": ""}, "Ce qui s&#x27;est passé : ce champ est obligatoire"),
        (EventKind.COMPORTEMENT, {"circumstances": "x", "visibility": "medical", "as": "ash"}, None),
        (EventKind.CHUTE, {"place": "Chambre", "visibility": "secret"}, "Niveau de visibilité inconnu"),
    ],
)
def test_bad_input_shows_a_french_message_and_writes_nothing(client, essms, usager, kind, data, message):
    user = professional(essms, Metier.AIDE_SOIGNANT)
    client.force_login(user)
    data = when() | {"visibility": "care"} | data
    if data.get("time") == "future":
        data |= when(timezone.now() + datetime.timedelta(hours=2))
    if data.pop("as", None):
        # An aide-soignant may not choose the medical level: it is not even offered.
        message = "Niveau de visibilité inconnu"
    response = client.post(create_url(kind, usager), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Event.objects.exists() and not Transmission.objects.exists()


def test_unknown_kind_missing_person_or_person_out_of_reach_is_404(web, usager, sibling_essms, foreign_essms):
    assert web.get(create_url("noyade", usager)).status_code == 404
    assert web.get(reverse("event-create", kwargs={"kind": "chute"})).status_code == 404
    assert web.get(reverse("event-create", kwargs={"kind": "chute"}) + "?usager=abc").status_code == 404
    for other in (UsagerFactory(essms=sibling_essms), UsagerFactory(essms=foreign_essms)):
        assert web.get(create_url("chute", other)).status_code == 404
        assert web.post(create_url("chute", other), when() | {"place": "x", "visibility": "care"}).status_code == 404
    assert not Event.objects.exists()


@pytest.mark.parametrize("metier", [Metier.ASH, Metier.ANIMATEUR])
def test_metiers_without_the_write_right_get_404(client, essms, usager, metier):
    client.force_login(professional(essms, metier))
    assert client.get(create_url("chute", usager)).status_code == 404
    assert client.post(create_url("chute", usager), when() | {"place": "x", "visibility": "all"}).status_code == 404
    assert not Event.objects.exists()


def test_archived_person_is_read_only(web, essms):
    archived = UsagerFactory(essms=essms, archived_at=timezone.now())
    response = web.post(create_url("chute", archived), when() | {"place": "x", "visibility": "care"}, follow=True)
    assert "archivé" in response.content.decode()
    assert not Event.objects.exists()


def test_list_shows_readable_events_with_filters_and_bulk_audit(web, nurse, essms, usager):
    other = UsagerFactory(essms=essms, birth_name="AUTRE")
    seizure(nurse, usager, at=local(2025, 3, 10, 14, 5), seizure_type="absence")
    fall(nurse, usager, at=local(2025, 4, 1, 9, 0), place="Jardin")
    incident(nurse, other, at=local(2025, 4, 2, 9, 0), circumstances="Dispute")
    body = web.get(reverse("event-list")).content.decode()
    assert "absence" in body and "Jardin" in body and "Dispute" in body
    reads = logged_events(action="read", object_type="transmissions.event")
    assert len(reads) == 3
    assert {event.usager_id for event in reads} == {usager.pk, other.pk}
    body = web.get(reverse("event-list"), {"usager": usager.pk}).content.decode()
    assert "Jardin" in body and "Dispute" not in body
    assert f"{reverse('event-create', kwargs={'kind': 'chute'})}?usager={usager.pk}" in body
    body = web.get(reverse("event-list"), {"usager": usager.pk, "kind": "chute"}).content.decode()
    assert "Jardin" in body and "absence" not in body
    body = web.get(reverse("event-list"), {"du": "2025-03-31", "au": "2025-04-01"}).content.decode()
    assert "Jardin" in body and "absence" not in body and "Dispute" not in body


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"du": "2025-13-01"}, "Date de début invalide"),
        ({"du": "0001-01-01", "au": "9999-12-31"}, "hors limites"),
        ({"du": "2025-04-02", "au": "2025-04-01"}, "postérieure"),
        ({"kind": "noyade"}, "Type d&#x27;événement inconnu"),
    ],
)
def test_list_bad_filters_give_a_message(web, params, message):
    response = web.get(reverse("event-list"), params)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_list_respects_visibility_and_matrix(client, essms, usager, nurse):
    fall(nurse, usager, place="Escalier-medical", visibility=Visibility.MEDICAL)
    fall(nurse, usager, place="Escalier-soins", visibility=Visibility.CARE_STAFF)
    client.force_login(professional(essms, Metier.ASH))
    body = client.get(reverse("event-list")).content.decode()
    assert "Escalier-soins" in body and "Escalier-medical" not in body
    client.force_login(professional(essms, Metier.ANIMATEUR))
    body = client.get(reverse("event-list")).content.decode()
    assert "Escalier" not in body


def test_list_of_a_person_out_of_reach_is_404(web, sibling_essms):
    assert web.get(reverse("event-list"), {"usager": UsagerFactory(essms=sibling_essms).pk}).status_code == 404


def test_list_query_count_is_constant(web, nurse, essms, usager, django_assert_max_num_queries):
    fall(nurse, usager)
    incident(nurse, usager)
    seizure(nurse, usager)
    with django_assert_max_num_queries(30) as few:
        assert web.get(reverse("event-list")).status_code == 200
    for index in range(17):
        fall(nurse, UsagerFactory(essms=essms), place=f"Lieu {index}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert web.get(reverse("event-list")).content.decode().count('class="ev-item ') == 20

"""Synthèse of one person over N days: numbers on a crafted dataset, visibility, scope, errors, audit, queries."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dui.models import AccessLog, Metier
from interop.services import api_token_create
from tests.factories import UsagerFactory, professional
from tests.logged import logged_events
from transmissions.models import Cible, Event, EventKind, Theme, Visibility
from transmissions.selectors.synthese import SyntheseError, duration_text, parse_days, synthese_for_usager
from transmissions.services.transmissions import transmission_add_result, transmission_correct, transmission_create

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime.datetime(2025, 3, 20, 12, 0, tzinfo=PARIS)


def ago(days, hours=0):
    return NOW - datetime.timedelta(days=days, hours=hours)


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def douleur(og):
    return Cible.objects.create(og=og, label="Douleur", theme=Theme.DOULEUR)


@pytest.fixture
def sommeil(og):
    return Cible.objects.create(og=og, label="Sommeil", theme=Theme.SOMMEIL)


@pytest.fixture
def aide_soignant(essms):
    return professional(essms, Metier.AIDE_SOIGNANT)


@pytest.fixture
def ide(essms):
    return professional(essms, Metier.IDE)


def write(user, observed_at, **kwargs):
    with time_machine.travel(observed_at, tick=False):
        return transmission_create(user, observed_at=observed_at, **kwargs)


def event(user, transmission, kind, **kwargs):
    return Event.objects.create(
        essms_id=transmission.essms_id,
        usager_id=transmission.usager_id,
        transmission=transmission,
        kind=kind,
        occurred_at=transmission.observed_at,
        created_by=user,
        **kwargs,
    )


@pytest.fixture
def dataset(usager, aide_soignant, ide, douleur, sommeil):
    """7 days ending at NOW, the 7 days before, and older rows that count nowhere."""
    w = {}
    # Period (last 7 days).
    w["douleur_1"] = write(aide_soignant, ago(6), usager=usager, cible=douleur, donnees="Genou", actions="Glace")
    w["douleur_2"] = write(aide_soignant, ago(2), usager=usager, cible=douleur, donnees="Hanche", actions="Antalgique")
    w["douleur_2"] = transmission_add_result(ide, transmission=w["douleur_2"], resultats="Soulagée")
    w["sommeil"] = write(aide_soignant, ago(3), usager=usager, cible=sommeil, donnees="Réveils", actions="Tisane")
    w["libre"] = write(aide_soignant, ago(1), usager=usager, free_cible="Appétit", donnees="Peu mangé")
    w["note"] = write(aide_soignant, ago(1, 2), usager=usager, narrative="Visite de la fille")
    chute_1 = write(aide_soignant, ago(5), usager=usager, free_cible="Chute", donnees="Au sol", resultats="Relevée")
    event(aide_soignant, chute_1, EventKind.CHUTE)
    chute_2 = write(aide_soignant, ago(4), usager=usager, free_cible="Chute", donnees="Glissade", resultats="RAS")
    event(aide_soignant, chute_2, EventKind.CHUTE)
    crise_1 = write(ide, ago(3, 5), usager=usager, narrative="Crise tonico-clonique", theme=Theme.SOINS)
    event(ide, crise_1, EventKind.EPILEPSIE, duration_seconds=90)
    crise_2 = write(ide, ago(2, 5), usager=usager, narrative="Absence", theme=Theme.SOINS)
    event(ide, crise_2, EventKind.EPILEPSIE, duration_seconds=45)
    # Previous period (7 to 14 days ago).
    previous = write(aide_soignant, ago(9), usager=usager, cible=douleur, donnees="Dos", resultats="Mieux")
    chute_old = write(aide_soignant, ago(10), usager=usager, free_cible="Chute", donnees="Au sol", resultats="RAS")
    event(aide_soignant, chute_old, EventKind.CHUTE)
    crise_old = write(ide, ago(12), usager=usager, narrative="Crise", theme=Theme.SOINS)
    event(ide, crise_old, EventKind.EPILEPSIE, duration_seconds=30)
    w["previous"] = previous
    # Older than both periods: only its open cible shows.
    w["old_open"] = write(aide_soignant, ago(30), usager=usager, free_cible="Escarre", actions="Matelas")
    # Another person: never counted.
    write(aide_soignant, ago(1), usager=UsagerFactory(essms=usager.essms), cible=douleur, donnees="Autre")
    return w


def test_numbers_on_a_crafted_dataset(ide, usager, dataset):
    data = synthese_for_usager(ide, usager=usager, days=7)
    assert (data.start, data.end) == (ago(7), NOW)
    # 5 cible/notes + 2 falls + 2 seizures in the period; 3 in the previous one.
    assert (data.transmissions.current, data.transmissions.previous) == (9, 3)
    themes = {line.theme: (line.trend.current, line.trend.previous) for line in data.themes}
    assert themes == {
        Theme.DOULEUR: (2, 1),
        Theme.SOINS: (2, 1),
        Theme.AUTRE: (4, 1),  # free cibles and the note
        Theme.SOMMEIL: (1, 0),
    }
    events = {line.kind: (line.trend.current, line.trend.previous, line.trend.direction) for line in data.events}
    assert events == {EventKind.CHUTE: (2, 1, "hausse"), EventKind.EPILEPSIE: (2, 1, "hausse")}
    assert (data.seizure_seconds, data.seizure_seconds_previous) == (135, 30)
    assert (data.events_total.current, data.events_total.previous) == (4, 2)


def test_latest_dar_of_each_cible_is_its_current_version(ide, usager, dataset):
    data = synthese_for_usager(ide, usager=usager, days=7)
    latest = {line.label: line for line in data.latest}
    assert set(latest) == {"Douleur", "Sommeil", "Appétit", "Chute"}
    douleur = latest["Douleur"]
    assert douleur.transmission == dataset["douleur_2"]
    assert (douleur.transmission.version, douleur.transmission.resultats, douleur.count) == (2, "Soulagée", 2)
    assert not douleur.is_open
    assert latest["Sommeil"].is_open
    assert latest["Chute"].count == 2
    # Most recent first.
    assert data.latest[0].label == "Appétit"


def test_open_cibles_whatever_their_age(ide, usager, dataset):
    data = synthese_for_usager(ide, usager=usager, days=7)
    assert [(c.label, c.since) for c in data.open_cibles] == [
        ("Escarre", ago(30)),
        ("Douleur", ago(6)),
        ("Sommeil", ago(3)),
        ("Appétit", ago(1)),
    ]


def test_a_correction_keeps_only_the_current_version_counted(ide, usager, dataset, sommeil):
    transmission_correct(ide, transmission=dataset["sommeil"], donnees="Réveils fréquents")
    data = synthese_for_usager(ide, usager=usager, days=7)
    assert data.transmissions.current == 9
    assert next(line for line in data.latest if line.label == "Sommeil").transmission.donnees == "Réveils fréquents"


def test_one_day_and_ninety_days(ide, usager, dataset):
    one = synthese_for_usager(ide, usager=usager, days=1)
    # Period: "Appétit" (exactly 24 h ago); previous day: the note (26 h) and the pain (exactly 48 h).
    assert (one.transmissions.current, one.transmissions.previous) == (1, 2)
    wide = synthese_for_usager(ide, usager=usager, days=90)
    assert wide.transmissions.current == 13


def test_aide_soignant_does_not_count_medical_items(aide_soignant, ide, usager, douleur):
    medical = write(ide, ago(1), usager=usager, cible=douleur, donnees="Crise", visibility=Visibility.MEDICAL)
    event(ide, medical, EventKind.EPILEPSIE, duration_seconds=60)
    write(aide_soignant, ago(1), usager=usager, narrative="Toilette")
    data = synthese_for_usager(aide_soignant, usager=usager, days=7)
    assert (data.transmissions.current, data.events, data.seizure_seconds, data.open_cibles, data.latest) == (
        1,
        [],
        0,
        [],
        [],
    )
    assert synthese_for_usager(ide, usager=usager, days=7).seizure_seconds == 60


@pytest.mark.parametrize("raw", ["0", "91", "-3", "abc", "7.5", "²", "1000"])
def test_parse_days_refuses_out_of_range(raw):
    with pytest.raises(SyntheseError, match="entre 1 et 90"):
        parse_days(raw)


def test_parse_days_default_and_bounds():
    assert (parse_days(None), parse_days(""), parse_days("1"), parse_days("90")) == (7, 7, 1, 90)


def test_duration_text():
    assert [duration_text(s) for s in (0, 45, 135, 3605)] == ["0 s", "45 s", "2 min 15 s", "1 h 00 min 05 s"]


# ---------- Web ----------


def test_page_shows_the_synthese(client, ide, usager, dataset):
    client.force_login(ide)
    response = client.get(reverse("synthese", args=[usager.pk]), {"jours": "7"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Durée totale des crises : <strong>2 min 15 s</strong>" in body
    assert "Soulagée" in body
    assert "Escarre" in body
    assert '<span class="badge badge-alert">Chute</span>' in body


@pytest.mark.parametrize("jours", ["0", "91", "abc"])
def test_page_out_of_range_is_400_in_french(client, ide, usager, jours):
    client.force_login(ide)
    response = client.get(reverse("synthese", args=[usager.pk]), {"jours": jours})
    assert response.status_code == 400
    assert "Le nombre de jours doit être un nombre entier entre 1 et 90." in response.content.decode()


def test_person_of_another_essms_is_404(client, ide, sibling_essms, foreign_essms):
    client.force_login(ide)
    for other in (sibling_essms, foreign_essms):
        assert client.get(reverse("synthese", args=[UsagerFactory(essms=other).pk])).status_code == 404


def test_metier_without_transmissions_right_gets_the_refusal_page(client, essms, usager):
    client.force_login(professional(essms, Metier.ACCUEIL))
    assert client.get(reverse("synthese", args=[usager.pk])).status_code == 403


def test_reads_are_audited_in_bulk(client, ide, usager, dataset):
    last = AccessLog.objects.order_by("-pk").values_list("pk", flat=True).first()
    client.force_login(ide)
    client.get(reverse("synthese", args=[usager.pk]))
    rows = [event for event in logged_events(pk__gt=last, action="read") if event.detail != "bandeau patient"]
    assert {r.usager_id for r in rows} == {usager.pk}
    assert all(r.detail == "synthèse des transmissions sur 7 jours" for r in rows)
    shown = {str(t.pk) for t in (dataset["douleur_2"], dataset["old_open"], dataset["libre"])}
    assert shown <= {r.object_id for r in rows if r.document_class == "transmissions"}
    assert [(r.object_type, r.object_id) for r in rows].count(("dui.usager", str(usager.pk))) == 1


def count_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_rows(client, ide, usager, douleur):
    client.force_login(ide)
    url = reverse("synthese", args=[usager.pk])
    write(ide, ago(1), usager=usager, cible=douleur, donnees="Genou")
    few = count_queries(client, url)
    for index in range(20):
        cible = Cible.objects.create(og=usager.essms.og, label=f"Cible {index}", theme=Theme.SOINS)
        fall = write(ide, ago(index % 6, 1), usager=usager, cible=cible, donnees=f"Chute {index}")
        event(ide, fall, EventKind.CHUTE, duration_seconds=10)
    assert count_queries(client, url) == few


def test_selector_query_count_is_fixed(django_assert_num_queries, ide, usager, dataset):
    synthese_for_usager(ide, usager=usager)  # warms the per-request rights cache
    # counts by theme, cible transmissions of the period, open cibles, event counts; then the
    # registered sources: events 1, séjours 2, evaluations 1, care and doses 1, prescriptions 1
    with django_assert_num_queries(13):  # the sources' queries included (nutrition: 3)
        synthese_for_usager(ide, usager=usager)


# ---------- API ----------


def test_api_synthese(client, ide, usager, dataset):
    client.force_login(ide)
    body = client.get(reverse("api:synthese-detail", args=[usager.pk]), {"jours": 7}).json()
    assert (body["usager"], body["days"]) == (usager.pk, 7)
    assert body["transmissions"] == {"current": 9, "previous": 3, "delta": 6}
    assert {e["kind"]: e["trend"]["current"] for e in body["events"]} == {"chute": 2, "epilepsie": 2}
    assert body["seizure_seconds"] == 135
    assert [c["label"] for c in body["open_cibles"]] == ["Escarre", "Douleur", "Sommeil", "Appétit"]
    douleur = next(line for line in body["latest"] if line["cible"] == "Douleur")
    assert (douleur["resultats"], douleur["version"], douleur["open"]) == ("Soulagée", 2, False)


@pytest.mark.parametrize("jours", ["0", "91", "abc"])
def test_api_out_of_range_is_400_in_french(client, ide, usager, jours):
    client.force_login(ide)
    response = client.get(reverse("api:synthese-detail", args=[usager.pk]), {"jours": jours})
    assert response.status_code == 400
    assert response.json() == {"jours": ["Le nombre de jours doit être un nombre entier entre 1 et 90."]}


def test_api_person_of_another_essms_is_404(client, usager, foreign_essms, sibling_essms):
    for other in (foreign_essms, sibling_essms):
        _, raw = api_token_create(essms_finess=other.finess, name="Partenaire")
        url = reverse("api:synthese-detail", args=[usager.pk])
        response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {raw}")
        assert response.status_code == 404
        assert usager.birth_name not in response.content.decode()


def test_api_huge_id_is_404(client, ide):
    client.force_login(ide)
    assert client.get(reverse("api:synthese-detail", args=[2**64])).status_code == 404

"""The feed: scope and visibility, each filter, keyset pages, card content, bulk audit, constant queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dui.models import AccessLog, Metier
from tests.factories import OrganismeGestionnaireFactory, UnitFactory, UsagerFactory, professional
from tests.logged import logged_events
from transmissions.models import Cible, Event, EventKind, ReadReceipt, Theme, Transmission, Visibility
from transmissions.selectors.feed import FeedFilters, decode_cursor, encode_cursor, feed_page
from transmissions.services.transmissions import transmission_correct, transmission_create

FEED = reverse("transmission-feed")


def write(user, *, hours_ago: float = 1, **kwargs) -> Transmission:
    """A transmission written through the service, observed `hours_ago` hours ago."""
    kwargs.setdefault("narrative", "" if any(k in kwargs for k in ("donnees", "actions")) else "Journée calme.")
    observed_at = timezone.now() - datetime.timedelta(hours=hours_ago)
    return transmission_create(user, observed_at=observed_at, **kwargs)


def shown_ids(response) -> list[int]:
    return [row.pk for row in response.context["rows"]]


@pytest.fixture
def ide(essms):
    return professional(essms, Metier.IDE)


@pytest.fixture
def aide_soignant(essms):
    return professional(essms, Metier.AIDE_SOIGNANT)


@pytest.fixture
def douleur(og):
    return Cible.objects.create(og=og, label="Douleur", theme=Theme.DOULEUR)


# --- Scope and visibility -----------------------------------------------------------------------


def test_feed_shows_current_versions_newest_observation_first(client, ide, usager):
    old = write(ide, usager=usager, hours_ago=5, narrative="Matin")
    recent = write(ide, usager=usager, hours_ago=1, narrative="Midi")
    corrected = transmission_correct(ide, transmission=old, narrative="Matin (corrigé)")
    client.force_login(ide)
    response = client.get(FEED)
    assert response.status_code == 200
    assert shown_ids(response) == [recent.pk, corrected.pk]
    body = response.content.decode()
    assert "Matin (corrigé)" in body and "Corrigée (version 2)" in body
    assert ">Matin<" not in body


def test_other_essms_transmissions_never_show(client, ide, usager, sibling_essms):
    mine = write(ide, usager=usager)
    other = professional(sibling_essms, Metier.IDE)
    write(other, usager=UsagerFactory(essms=sibling_essms), narrative="ZORGLUB ailleurs")
    client.force_login(ide)
    response = client.get(FEED)
    assert shown_ids(response) == [mine.pk]
    assert "ZORGLUB" not in response.content.decode()


def test_an_aide_soignant_does_not_see_a_medical_transmission(client, ide, aide_soignant, usager):
    care = write(ide, usager=usager, narrative="Change fait", visibility=Visibility.CARE_STAFF)
    medical = write(ide, usager=usager, narrative="Sérologie positive", visibility=Visibility.MEDICAL)
    client.force_login(aide_soignant)
    response = client.get(FEED)
    assert shown_ids(response) == [care.pk]
    assert "Sérologie" not in response.content.decode()
    assert shown_ids(client.get(FEED, {"q": "serologie"})) == []
    assert client.get(reverse("transmission-detail", args=[medical.pk])).status_code == 404
    client.force_login(ide)
    assert shown_ids(client.get(FEED)) == [medical.pk, care.pk]


@pytest.mark.parametrize("metier", [Metier.TECHNIQUE, Metier.ACCUEIL])
def test_a_metier_without_the_right_sees_nothing(client, ide, usager, essms, metier):
    write(ide, usager=usager, narrative="Chute au lever")
    client.force_login(professional(essms, metier))
    response = client.get(FEED)
    assert response.status_code == 200
    assert "ne donne pas accès" in response.content.decode()
    assert "Chute au lever" not in response.content.decode()
    assert client.get(reverse("transmission-unread")).status_code == 200
    assert not AccessLog.objects.filter(document_class="transmissions", action="read").exists()


# --- Card content -------------------------------------------------------------------------------


def test_card_shows_person_cible_dar_author_times_unit_and_badges(client, ide, aide_soignant, usager, unit, douleur):
    t = write(
        ide,
        usager=usager,
        unit=unit,
        cible=douleur,
        donnees="Grimace au lever",
        actions="Antalgique",
        visibility=Visibility.CARE_STAFF,
        family_visible=True,
    )
    client.force_login(aide_soignant)
    body = client.get(FEED).content.decode()
    for text in (
        str(usager),
        "Douleur",
        "Grimace au lever",
        "Antalgique",
        "À compléter",
        ide.get_full_name(),
        "Infirmier(ère) (IDE)",
        timezone.localtime(t.observed_at).strftime("%d/%m/%Y à %H:%M"),
        "Unité Glycine",
        "Équipe soignante",
        "Lisible par la famille",
        "Non lue",
    ):
        assert text in body, text
    assert "Cible libre" not in body


def test_free_cible_is_flagged_and_a_whole_unit_note_is_named(client, ide, usager, unit):
    write(ide, usager=usager, free_cible="Appétit", donnees="A peu mangé")
    write(ide, unit=unit, narrative="Panne d'ascenseur")
    client.force_login(ide)
    body = client.get(FEED).content.decode()
    assert "Cible libre" in body and "Appétit" in body
    assert "Toute l'unité : Unité Glycine" in body


def test_event_badge_only_for_metiers_reading_events(client, ide, usager, essms):
    t = write(ide, usager=usager, narrative="Chute dans le couloir")
    Event.objects.create(
        essms=essms, usager=usager, transmission=t, kind=EventKind.CHUTE, occurred_at=t.observed_at, created_by=ide
    )
    client.force_login(ide)
    assert "Événement : Chute" in client.get(FEED).content.decode()


# --- Filters ------------------------------------------------------------------------------------


@pytest.fixture
def varied(essms, ide, aide_soignant, usager, unit, douleur, og):
    """Rows that differ by one criterion each, and the expected id for each filter."""
    other_unit = UnitFactory(essms=essms, name="Unité Lilas")
    other = UsagerFactory(essms=essms, birth_name="MARTIN", first_names="Paul")
    sommeil = Cible.objects.create(og=og, label="Sommeil", theme=Theme.SOMMEIL)
    rows = {
        "unit": write(ide, usager=other, unit=other_unit, narrative="Unité lilas", hours_ago=2),
        "usager": write(ide, usager=other, narrative="Paul", hours_ago=3),
        "cible": write(ide, usager=usager, cible=sommeil, donnees="Réveils", hours_ago=4),
        "metier": write(aide_soignant, usager=usager, narrative="Écrit par une AS", hours_ago=5),
        "old": write(ide, usager=usager, narrative="Il y a dix jours", hours_ago=24 * 10),
        "event": write(ide, usager=usager, narrative="Crise", hours_ago=6),
        "plain": write(ide, usager=usager, cible=douleur, donnees="Douleur genou", hours_ago=7),
    }
    Event.objects.create(
        essms=essms,
        usager=usager,
        transmission=rows["event"],
        kind=EventKind.EPILEPSIE,
        occurred_at=rows["event"].observed_at,
        created_by=ide,
    )
    return rows, other_unit, other, sommeil


def test_each_filter(client, ide, varied):
    rows, other_unit, other, sommeil = varied
    client.force_login(ide)
    ten_days_ago = (timezone.localtime() - datetime.timedelta(days=10)).date()

    def ids(**params):
        response = client.get(FEED, params)
        assert response.status_code == 200
        return set(shown_ids(response))

    assert ids(unite=other_unit.pk) == {rows["unit"].pk}
    assert ids(usager=other.pk) == {rows["unit"].pk, rows["usager"].pk}
    assert ids(theme=Theme.SOMMEIL) == {rows["cible"].pk}
    assert ids(cible=sommeil.pk) == {rows["cible"].pk}
    assert ids(metier=Metier.AIDE_SOIGNANT) == {rows["metier"].pk}
    assert ids(du=ten_days_ago.isoformat(), au=ten_days_ago.isoformat()) == {rows["old"].pk}
    assert rows["old"].pk not in ids(du=(ten_days_ago + datetime.timedelta(days=1)).isoformat())
    assert ids(evenement=EventKind.EPILEPSIE) == {rows["event"].pk}
    assert ids(evenement=EventKind.CHUTE) == set()
    ReadReceipt.objects.bulk_create(
        [ReadReceipt(user=ide, transmission=t, essms_id=t.essms_id) for k, t in rows.items() if k != "plain"]
    )
    assert ids(non_lues="on") == {rows["plain"].pk}
    assert ids(non_lues="on", theme=Theme.SOMMEIL) == set()


def test_event_filter_follows_a_corrected_event_transmission(client, ide, varied):
    rows = varied[0]
    corrected = transmission_correct(ide, transmission=rows["event"], narrative="Crise de 2 minutes")
    client.force_login(ide)
    assert shown_ids(client.get(FEED, {"evenement": EventKind.EPILEPSIE})) == [corrected.pk]


def test_invalid_filters_are_reported_and_ignored(client, ide, usager, foreign_essms):
    t = write(ide, usager=usager)
    foreign_unit = UnitFactory(essms=foreign_essms)
    client.force_login(ide)
    response = client.get(FEED, {"unite": foreign_unit.pk, "du": "pas une date", "theme": "inconnu"})
    assert response.status_code == 200
    assert shown_ids(response) == [t.pk]
    errors = response.context["form"].errors
    assert set(errors) == {"unite", "du", "theme"}
    assert "Sélectionnez un choix valide" in str(errors["unite"])
    response = client.get(FEED, {"du": "2025-02-10", "au": "2025-02-01"})
    assert "La date de fin précède la date de début." in response.content.decode()


def test_person_filter_of_another_essms_shows_nothing(client, ide, usager, foreign_essms):
    write(ide, usager=usager)
    foreign = UsagerFactory(essms=foreign_essms)
    client.force_login(ide)
    response = client.get(FEED, {"usager": foreign.pk})
    assert "usager" in response.context["form"].errors


# --- Pages --------------------------------------------------------------------------------------


def test_keyset_pages_cover_every_row_once_even_with_equal_times(ide, usager):
    moment = timezone.now() - datetime.timedelta(hours=1)
    same_time = [transmission_create(ide, usager=usager, narrative=f"n{i}", observed_at=moment) for i in range(5)]
    others = [write(ide, usager=usager, hours_ago=2 + i) for i in range(4)]
    seen, cursor = [], None
    while True:
        page = feed_page(ide, FeedFilters(), cursor=cursor, size=3)
        seen.extend(row.pk for row in page.rows)
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    expected = [t.pk for t in sorted(same_time, key=lambda t: -t.pk)] + [t.pk for t in others]
    assert seen == expected


def test_cursor_round_trip_and_malformed_cursor_gives_first_page(client, ide, usager):
    t = write(ide, usager=usager)
    assert decode_cursor(encode_cursor(t)) == (t.observed_at, t.pk)
    for bad in ("", "abc", "12-", "-", "9" * 30 + "-1", "1-2-3"):
        assert decode_cursor(bad) is None
    client.force_login(ide)
    assert shown_ids(client.get(FEED, {"apres": "n'importe quoi"})) == [t.pk]


def test_next_page_link_without_total(client, ide, usager):
    rows = [write(ide, usager=usager, hours_ago=i + 1) for i in range(32)]
    client.force_login(ide)
    first = client.get(FEED, {"usager": usager.pk})
    assert shown_ids(first) == [t.pk for t in rows[:30]]
    next_url = first.context["next_url"]
    assert next_url and "usager=" in next_url and "Page suivante" in first.content.decode()
    second = client.get(FEED + next_url)
    assert shown_ids(second) == [t.pk for t in rows[30:]]
    assert second.context["next_url"] is None
    assert "Retour aux plus récentes" in second.content.decode()


# --- Audit and queries --------------------------------------------------------------------------


def test_every_row_shown_is_audited_in_bulk(client, ide, usager):
    rows = [write(ide, usager=usager, hours_ago=i + 1) for i in range(3)]
    client.force_login(ide)
    client.get(FEED)
    logged = logged_events(user=ide, action="read", document_class="transmissions")
    assert sorted(int(event.object_id) for event in logged) == sorted(t.pk for t in rows)
    assert {event.usager_id for event in logged} == {usager.pk}


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "params",
    [{}, {"q": "calme"}, {"non_lues": "on", "theme": Theme.AUTRE}, {"evenement": EventKind.CHUTE}],
    ids=["plain", "search", "unread", "event"],
)
def test_feed_query_count_does_not_grow_with_rows(client, ide, essms, unit, params):
    people = [UsagerFactory(essms=essms) for _ in range(3)]
    for person in people:
        t = write(ide, usager=person, unit=unit)
    Event.objects.create(
        essms=essms, usager=person, transmission=t, kind=EventKind.CHUTE, occurred_at=t.observed_at, created_by=ide
    )
    client.force_login(ide)
    client.get(FEED)  # warm the session and caches
    few = _queries(client, FEED, params)
    for i in range(17):
        person = UsagerFactory(essms=essms)
        t = write(ide, usager=person, unit=UnitFactory(essms=essms), hours_ago=i + 2)
        if i % 3 == 0:
            Event.objects.create(
                essms=essms,
                usager=person,
                transmission=t,
                kind=EventKind.CHUTE,
                occurred_at=t.observed_at,
                created_by=ide,
            )
        if i % 4 == 0:
            transmission_correct(ide, transmission=t, narrative="Journée calme, corrigée")
    many = _queries(client, FEED, params)
    assert many == few


def test_unread_and_detail_query_counts_are_constant(client, ide, essms):
    first = write(ide, usager=UsagerFactory(essms=essms))
    client.force_login(ide)
    client.get(reverse("transmission-unread"))  # the first page of a session records its establishment
    unread_few = _queries(client, reverse("transmission-unread"))
    for i in range(15):
        write(ide, usager=UsagerFactory(essms=essms), hours_ago=i + 2)
    assert _queries(client, reverse("transmission-unread")) == unread_few
    detail = reverse("transmission-detail", args=[first.pk])
    client.get(detail)
    one_version = _queries(client, detail)
    current = first
    for i in range(5):
        current = transmission_correct(ide, transmission=current, narrative=f"Version {i + 2}")
    client.get(reverse("transmission-detail", args=[current.pk]))
    assert _queries(client, reverse("transmission-detail", args=[current.pk])) == one_version


def test_other_og_cibles_never_in_the_filters(client, ide, douleur):
    Cible.objects.create(og=OrganismeGestionnaireFactory(), label="ZORGLUB-CIBLE", theme=Theme.AUTRE)
    client.force_login(ide)
    body = client.get(FEED).content.decode()
    assert "Douleur" in body and "ZORGLUB-CIBLE" not in body

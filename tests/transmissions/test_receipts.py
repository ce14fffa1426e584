"""Read receipts and "since my last shift": unread list and count, mark one / all as read."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dui.models import Metier
from tests.factories import UsagerFactory, professional
from tests.logged import logged_events
from tests.transmissions.test_feed import shown_ids, write
from transmissions.models import ReadReceipt, Visibility
from transmissions.selectors.feed import UNREAD_WINDOW, unread_count, unread_list
from transmissions.services.receipts import transmissions_mark_read
from transmissions.services.transmissions import transmission_add_result

UNREAD = reverse("transmission-unread")
MARK_ALL = reverse("transmission-mark-all-read")


@pytest.fixture
def ide(essms):
    return professional(essms, Metier.IDE)


@pytest.fixture
def aide_soignant(essms):
    return professional(essms, Metier.AIDE_SOIGNANT)


def test_unread_is_what_i_have_not_read_in_the_window_oldest_first(ide, aide_soignant, usager):
    older = write(ide, usager=usager, hours_ago=30)
    newer = write(ide, usager=usager, hours_ago=2)
    write(ide, usager=usager, hours_ago=24 * 8)  # outside the 7-day window
    read = write(ide, usager=usager, hours_ago=5)
    transmissions_mark_read(aide_soignant, transmission_ids=[read.pk])
    assert [t.pk for t in unread_list(aide_soignant)] == [older.pk, newer.pk]
    assert unread_count(aide_soignant) == 2
    since = timezone.now() - datetime.timedelta(days=10)
    assert unread_count(aide_soignant, since=since) == 3
    assert UNREAD_WINDOW == datetime.timedelta(days=7)


def test_receipts_are_per_user(ide, aide_soignant, usager):
    t = write(ide, usager=usager)
    transmissions_mark_read(ide, transmission_ids=[t.pk])
    assert unread_count(ide) == 0
    assert unread_count(aide_soignant) == 1


def test_a_new_version_is_unread_again(ide, aide_soignant, usager):
    t = write(ide, usager=usager, donnees="Douleur", free_cible="Genou")
    transmissions_mark_read(aide_soignant, transmission_ids=[t.pk])
    assert unread_count(aide_soignant) == 0
    new = transmission_add_result(ide, transmission=t, resultats="Soulagée")
    assert [row.pk for row in unread_list(aide_soignant)] == [new.pk]


def test_unread_never_shows_what_the_user_may_not_read(ide, aide_soignant, usager, sibling_essms):
    write(ide, usager=usager, visibility=Visibility.MEDICAL)
    write(professional(sibling_essms, Metier.IDE), usager=UsagerFactory(essms=sibling_essms))
    assert unread_count(aide_soignant) == 0
    assert unread_count(professional(usager.essms, Metier.TECHNIQUE)) == 0


def test_unread_page_lists_and_audits_in_bulk(client, ide, aide_soignant, usager):
    rows = [write(ide, usager=usager, hours_ago=h) for h in (3, 2, 1)]
    client.force_login(aide_soignant)
    response = client.get(UNREAD)
    assert response.status_code == 200
    assert shown_ids(response) == [t.pk for t in rows]
    assert "3 transmissions non lues sur les 7 derniers jours" in response.content.decode()
    logged = logged_events(user=aide_soignant, action="read", document_class="transmissions")
    assert len(logged) == 3


def test_unread_page_by_person(client, ide, aide_soignant, essms, unit):
    zoe = UsagerFactory(essms=essms, birth_name="ZOLA", first_names="Zoé")
    anne = UsagerFactory(essms=essms, birth_name="ARNAUD", first_names="Anne")
    z1 = write(ide, usager=zoe, hours_ago=5)
    a1 = write(ide, usager=anne, hours_ago=3)
    z2 = write(ide, usager=zoe, hours_ago=1)
    a2 = write(ide, usager=anne, hours_ago=4)
    whole_unit = write(ide, unit=unit, hours_ago=2)
    client.force_login(aide_soignant)
    response = client.get(UNREAD, {"ordre": "personne"})
    assert shown_ids(response) == [a2.pk, a1.pk, z1.pk, z2.pk, whole_unit.pk]
    assert "Toute l'unité : Unité Glycine" in response.content.decode()


def test_mark_one_as_read(client, ide, aide_soignant, usager):
    t = write(ide, usager=usager)
    client.force_login(aide_soignant)
    response = client.post(reverse("transmission-mark-read", args=[t.pk]), {"next": reverse("transmission-feed")})
    assert response.status_code == 302 and response["Location"] == reverse("transmission-feed")
    assert ReadReceipt.objects.filter(user=aide_soignant, transmission=t).exists()
    # Twice is harmless.
    client.post(reverse("transmission-mark-read", args=[t.pk]))
    assert ReadReceipt.objects.filter(user=aide_soignant, transmission=t).count() == 1


def test_mark_read_refuses_an_unreadable_transmission_and_an_outside_next(client, ide, aide_soignant, usager):
    medical = write(ide, usager=usager, visibility=Visibility.MEDICAL)
    client.force_login(aide_soignant)
    assert client.post(reverse("transmission-mark-read", args=[medical.pk])).status_code == 404
    assert client.get(reverse("transmission-mark-read", args=[medical.pk])).status_code == 405
    assert not ReadReceipt.objects.exists()
    t = write(ide, usager=usager)
    response = client.post(reverse("transmission-mark-read", args=[t.pk]), {"next": "https://ailleurs.example/"})
    assert response["Location"] == UNREAD


def test_mark_all_read_ignores_ids_out_of_reach(client, ide, aide_soignant, usager, sibling_essms):
    mine = [write(ide, usager=usager, hours_ago=h) for h in (1, 2)]
    transmissions_mark_read(aide_soignant, transmission_ids=[mine[0].pk])
    medical = write(ide, usager=usager, visibility=Visibility.MEDICAL)
    elsewhere = write(professional(sibling_essms, Metier.IDE), usager=UsagerFactory(essms=sibling_essms))
    client.force_login(aide_soignant)
    ids = [mine[0].pk, mine[1].pk, medical.pk, elsewhere.pk, "abc", "9" * 30]
    response = client.post(MARK_ALL, {"transmission": ids})
    assert response.status_code == 302
    assert set(ReadReceipt.objects.filter(user=aide_soignant).values_list("transmission_id", flat=True)) == {
        t.pk for t in mine
    }
    assert unread_count(aide_soignant) == 0
    assert not ReadReceipt.objects.filter(transmission__in=[medical, elsewhere]).exists()
    response = client.post(MARK_ALL, {"transmission": [medical.pk]}, follow=True)
    assert "Aucune transmission à marquer comme lue." in response.content.decode()


def test_opening_a_transmission_marks_it_read(client, ide, aide_soignant, usager):
    t = write(ide, usager=usager)
    client.force_login(aide_soignant)
    assert client.get(reverse("transmission-feed")).context["rows"][0].is_read is False
    client.get(reverse("transmission-detail", args=[t.pk]))
    assert ReadReceipt.objects.filter(user=aide_soignant, transmission=t).exists()
    response = client.get(reverse("transmission-feed"))
    assert response.context["rows"][0].is_read is True
    assert "tr-badge-unread" not in response.content.decode()


def test_the_feed_shows_the_unread_count(client, ide, aide_soignant, usager):
    for h in (1, 2):
        write(ide, usager=usager, hours_ago=h)
    client.force_login(aide_soignant)
    assert "2 non lues" in client.get(reverse("transmission-feed")).content.decode()

"""The feed's person filter on demand: the search endpoint (scope, accents, room, limit, audit),
the chosen person shown again, bad ids, and the search of typed words without JavaScript."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from dui.models import AccessLog, Metier
from tests.dui.test_planning_support import admit
from tests.factories import UsagerFactory, professional
from tests.logged import logged_events
from tests.transmissions.test_feed import FEED, shown_ids, write
from transmissions.selectors.people import PERSON_SEARCH_LIMIT, UNKNOWN_PERSON

SEARCH = reverse("transmission-person-search")


@pytest.fixture
def ide(essms):
    return professional(essms, Metier.IDE)


@pytest.fixture
def people(essms, unit, ide):
    """Three admitted persons (one name with accents) and one of another establishment."""
    found = {
        "helene": UsagerFactory(essms=essms, birth_name="DUPRÉ", first_names="Hélène"),
        "henri": UsagerFactory(essms=essms, birth_name="DUPRÉ", first_names="Henri"),
        "paul": UsagerFactory(essms=essms, birth_name="MARTIN", first_names="Paul"),
    }
    for room, person in zip(("12", "14", "31"), found.values(), strict=True):
        admit(person, unit, by=ide, room=room)
    return found


def options(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_the_feed_no_longer_lists_every_person(client, ide, people):
    client.force_login(ide)
    page = client.get(FEED).content.decode()
    assert "MARTIN" not in page
    assert 'list="tr-personnes"' in page
    assert reverse("transmission-person-search") in page


def test_search_ignores_accents_and_case_and_finds_a_room(client, ide, people, foreign_essms, unit):
    outsider = UsagerFactory(essms=foreign_essms, birth_name="DUPRE", first_names="Hector")
    client.force_login(ide)
    found = options(client.get(SEARCH, {"personne": "dupre he"}))
    assert "DUPRÉ Hélène" in found and "DUPRÉ Henri" in found
    assert "MARTIN" not in found and "Hector" not in found
    assert f'data-id="{outsider.pk}"' not in found
    assert "2 personnes proposées" in found
    by_room = options(client.get(SEARCH, {"personne": "31"}))
    assert f'data-id="{people["paul"].pk}"' in by_room and "ch. 31" in by_room
    assert "DUPRÉ" not in by_room


def test_search_is_logged_and_capped(client, ide, essms, unit):
    for n in range(PERSON_SEARCH_LIMIT + 5):
        admit(UsagerFactory(essms=essms, birth_name=f"BERNARD{n}"), unit, by=ide)
    client.force_login(ide)
    before = AccessLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    found = options(client.get(SEARCH, {"personne": "bernard"}))
    assert found.count("<option") == PERSON_SEARCH_LIMIT
    shown = [event for event in logged_events(pk__gt=before) if event.object_type == "dui.usager"]
    assert len(shown) == PERSON_SEARCH_LIMIT  # each person offered is in the log, one event each


def test_empty_or_unmatched_search_offers_nothing(client, ide, people):
    client.force_login(ide)
    assert "<option" not in options(client.get(SEARCH))
    nothing = options(client.get(SEARCH, {"personne": "zzz"}))
    assert "<option" not in nothing and "Aucune personne ne correspond" in nothing


def test_a_metier_without_transmissions_gets_no_person(client, essms, people):
    client.force_login(professional(essms, Metier.DPO))
    assert "<option" not in options(client.get(SEARCH, {"personne": "dupre"}))


def test_chosen_person_filters_and_is_shown_in_the_field(client, ide, people):
    mine = write(ide, usager=people["paul"], narrative="Paul a bien dormi")
    write(ide, usager=people["helene"], narrative="Hélène")
    client.force_login(ide)
    response = client.get(FEED, {"usager": people["paul"].pk})
    assert shown_ids(response) == [mine.pk]
    page = response.content.decode()
    assert 'value="MARTIN Paul' in page
    assert f'name="usager" id="id_usager" value="{people["paul"].pk}"' in page


@pytest.mark.parametrize("value", ["foreign", "999999", "abc", "-1", "9" * 30])
def test_unknown_or_foreign_person_gives_a_message_and_no_row(client, ide, people, foreign_essms, value):
    write(ide, usager=people["paul"])
    if value == "foreign":
        value = str(UsagerFactory(essms=foreign_essms).pk)
    client.force_login(ide)
    before = AccessLog.objects.count()
    response = client.get(FEED, {"usager": value})
    assert response.status_code == 200
    assert shown_ids(response) == []
    assert escape(UNKNOWN_PERSON) in response.content.decode()
    assert AccessLog.objects.count() == before


def test_typed_words_without_javascript(client, ide, people):
    paul = write(ide, usager=people["paul"], narrative="Paul")
    helene = write(ide, usager=people["helene"], narrative="Hélène")
    client.force_login(ide)
    # One match: used as the filter.
    response = client.get(FEED, {"personne": "martin"})
    assert shown_ids(response) == [paul.pk]
    # Several: links to choose from, which keep the other filters.
    response = client.get(FEED, {"personne": "dupre", "theme": ""})
    page = response.content.decode()
    assert "Plusieurs personnes correspondent à « dupre »" in page
    assert f"?theme=&amp;usager={people['helene'].pk}" in page
    assert set(shown_ids(response)) == {paul.pk, helene.pk}
    # None: said, and no row.
    response = client.get(FEED, {"personne": "inconnu"})
    assert shown_ids(response) == []
    assert "Aucune personne de la file active ne correspond à « inconnu »" in response.content.decode()

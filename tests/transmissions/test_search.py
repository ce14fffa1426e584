"""Full-text search of the feed: accent- and case-insensitive on every database; French stemming and
the GIN expression index on PostgreSQL (run with DATABASE_URL=postgres://… to cover that part)."""

import pytest
from django.db import connection
from django.urls import reverse

from dui.models import Metier
from tests.factories import UsagerFactory, professional
from tests.transmissions.test_feed import shown_ids, write
from transmissions.models import Cible, Theme, Transmission
from transmissions.selectors.feed import FeedFilters, apply_search, feed_page, search_words

FEED = reverse("transmission-feed")
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")


@pytest.fixture
def ide(essms):
    return professional(essms, Metier.IDE)


@pytest.fixture
def rows(ide, usager, og):
    chute = Cible.objects.create(og=og, label="Chute", theme=Theme.MOBILITE)
    return {
        "genou": write(ide, usager=usager, narrative="Chute au genou gauche dans le couloir", hours_ago=1),
        "eleve": write(ide, usager=usager, free_cible="Glycémie", donnees="Taux de sucre élevé au goûter", hours_ago=2),
        "cible": write(ide, usager=usager, cible=chute, donnees="Retrouvée assise", hours_ago=3),
        "sommeil": write(ide, usager=usager, narrative="Nuit agitée, réveils fréquents", hours_ago=4),
    }


def found(user, q, **filters) -> set[int]:
    return {row.pk for row in feed_page(user, FeedFilters(q=q, **filters)).rows}


def test_words_without_accents_or_case(ide, rows):
    assert found(ide, "chute genou") == {rows["genou"].pk}
    assert found(ide, "CHUTE Genou") == {rows["genou"].pk}
    assert found(ide, "eleve") == {rows["eleve"].pk}
    assert found(ide, "élevé goûter") == {rows["eleve"].pk}
    assert found(ide, "Réveils") == {rows["sommeil"].pk}


def test_every_word_must_match(ide, rows):
    assert found(ide, "chute bras") == set()
    assert found(ide, "genou couloir gauche") == {rows["genou"].pk}


def test_the_cible_label_is_searched(ide, rows):
    assert rows["cible"].pk in found(ide, "chute")
    assert found(ide, "chute assise") == {rows["cible"].pk}


def test_punctuation_only_query_does_not_filter(ide, rows):
    assert search_words(" ,;! ") == []
    assert found(ide, " ,;! ") == {t.pk for t in rows.values()}


def test_search_combines_with_filters_and_scope(ide, rows, essms, sibling_essms):
    other = UsagerFactory(essms=essms)
    write(ide, usager=other, narrative="Chute au genou dans le jardin", hours_ago=5)
    assert found(ide, "chute genou", usager_id=rows["genou"].usager_id) == {rows["genou"].pk}
    outsider = professional(sibling_essms, Metier.IDE)
    write(outsider, usager=UsagerFactory(essms=sibling_essms), narrative="Chute genou ailleurs")
    assert len(found(ide, "chute genou")) == 2


def test_search_through_the_page(client, ide, rows):
    client.force_login(ide)
    response = client.get(FEED, {"q": "Chute genou"})
    assert shown_ids(response) == [rows["genou"].pk]
    assert 'value="Chute genou"' in response.content.decode()


def test_an_aide_soignant_does_not_find_a_medical_transmission(ide, usager, essms):
    write(ide, usager=usager, narrative="Sérologie hépatite", visibility="medical")
    assert found(professional(essms, Metier.AIDE_SOIGNANT), "serologie") == set()
    assert len(found(ide, "serologie")) == 1


@on_postgresql
def test_french_stemming_on_postgresql(ide, rows):
    assert found(ide, "chutes genou") == {rows["genou"].pk}
    assert found(ide, "réveil fréquent") == {rows["sommeil"].pk}


@on_postgresql
def test_the_search_uses_the_gin_expression_index(ide, rows):
    qs = apply_search(Transmission.objects.all(), "chute genou")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = qs.explain()
        cursor.execute("SET LOCAL enable_seqscan = on")
    assert "transmission_search_fr" in plan

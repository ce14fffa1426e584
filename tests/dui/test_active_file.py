"""The active file per unit: cards, search (accent-insensitive name, birth date, INS), archives, query count."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dui.ins import IdentityStatus, matricule_key
from dui.models import Metier, SejourStatus, UserPreference
from dui.selectors.active_file import parse_search
from tests.dui.test_planning_support import admit, searchable
from tests.factories import UnitFactory, UsagerFactory, professional
from tests.logged import logged_events

FIRST13 = "2380592123456"
MATRICULE = FIRST13 + f"{matricule_key(FIRST13):02d}"


@pytest.fixture
def nurse(essms):
    return professional(essms, Metier.IDE)


@pytest.fixture
def eloise(essms, unit, nurse):
    person = searchable(
        UsagerFactory(
            essms=essms,
            birth_name="LEFÈVRE",
            first_names="Éloïse Marie",
            used_name="DUPRÉ",
            used_first_name="Éloïse",
            birth_date=datetime.date(1938, 5, 12),
            ins_matricule=MATRICULE,
            identity_status=IdentityStatus.QUALIFIEE,
            palliative_care=True,
        )
    )
    admit(person, unit, by=nurse, room="104")
    return person


@pytest.fixture
def others(essms, unit, foreign_essms, nurse):
    """Someone of another unit, a pre-admission, a closed séjour, someone of another ESSMS."""
    mimosa = UnitFactory(essms=essms, name="Unité Mimosa")
    bernard = searchable(
        UsagerFactory(
            essms=essms, birth_name="BERNARD", first_names="Paul", sex="M", birth_date=datetime.date(1941, 2, 3)
        )
    )
    admit(bernard, mimosa, by=nurse, room="201")
    pending = searchable(UsagerFactory(essms=essms, birth_name="ATTENTE", first_names="Rose"))
    admit(pending, unit, by=nurse, status=SejourStatus.PRE_ADMISSION)
    gone = searchable(UsagerFactory(essms=essms, birth_name="SORTI", first_names="Jean", sex="M"))
    admit(gone, unit, by=nurse, status=SejourStatus.CLOSED, ends_on=datetime.date(2025, 1, 1))
    outsider = searchable(UsagerFactory(essms=foreign_essms, birth_name="AILLEURS", first_names="Éloïse"))
    admit(outsider, UnitFactory(essms=foreign_essms), by=nurse)
    return mimosa


def names(response):
    return [card.usager.birth_name for card in response.context["cards"]]


def get(client, **params):
    return client.get(reverse("active-file"), params)


def test_active_file_lists_active_sejours_as_cards(client, nurse, unit, eloise, others):
    client.force_login(nurse)
    response = get(client)
    assert response.status_code == 200
    assert names(response) == ["BERNARD", "LEFÈVRE"]  # ordered by the name in use: BERNARD, DUPRÉ
    body = response.content.decode()
    assert "DUPRÉ Éloïse" in body
    assert "Née le 12/05/1938" in body
    assert "(87 ans)" in body or "(88 ans)" in body
    assert "Chambre 104" in body
    assert "Soins palliatifs" in body
    assert reverse("usager-detail", args=[eloise.pk]) in body
    assert 'class="af-avatar"' in body  # no photo: initials
    assert ">ÉD<" in body
    assert len(logged_events(action="read", object_type="dui.usager", detail="file active")) == 2


def test_active_file_per_unit(client, nurse, unit, eloise, others):
    client.force_login(nurse)
    assert names(get(client, unite=unit.pk)) == ["LEFÈVRE"]
    assert names(get(client, unite=others.pk)) == ["BERNARD"]


def test_unit_of_another_essms_is_404(client, nurse, foreign_essms, sibling_essms):
    client.force_login(nurse)
    assert get(client, unite=UnitFactory(essms=foreign_essms).pk).status_code == 404
    assert get(client, unite=UnitFactory(essms=sibling_essms).pk).status_code == 404
    assert get(client, unite="x").status_code == 404


def test_refused_by_the_matrix_is_403(client, essms):
    client.force_login(professional(essms, Metier.TECHNIQUE))
    assert get(client).status_code == 403


@pytest.mark.parametrize("query", ["eloise", "ELOISE", "Éloïse", "eloïse dupre", "lefevre", "dupré"])
def test_name_search_is_accent_insensitive(client, nurse, eloise, others, query):
    client.force_login(nurse)
    assert names(get(client, q=query)) == ["LEFÈVRE"]


def test_name_search_without_search_text_falls_back_to_plain_names(client, nurse, unit, eloise):
    imported = UsagerFactory(essms=eloise.essms, birth_name="IMPORTE", first_names="Zoé")
    admit(imported, unit, by=nurse)
    client.force_login(nurse)
    assert names(get(client, q="importe")) == ["IMPORTE"]


@pytest.mark.parametrize("query", ["12/05/1938", "12/5/1938", "1938-05-12"])
def test_birth_date_search(client, nurse, eloise, others, query):
    client.force_login(nurse)
    response = get(client, q=query)
    assert names(response) == ["LEFÈVRE"]
    assert "née le 12/05/1938" in response.content.decode()


def test_invalid_birth_date_says_so(client, nurse, eloise):
    client.force_login(nurse)
    response = get(client, q="31/02/1938")
    assert names(response) == []
    assert "n&#x27;est pas une date valide" in response.content.decode()


def test_ins_search_is_exact_and_qualified_only(client, essms, unit, nurse, eloise, others):
    client.force_login(nurse)
    assert names(get(client, q=MATRICULE)) == ["LEFÈVRE"]
    spaced = " ".join([MATRICULE[:1], MATRICULE[1:3], MATRICULE[3:5], MATRICULE[5:7], MATRICULE[7:13], MATRICULE[13:]])
    assert names(get(client, q=spaced)) == ["LEFÈVRE"]
    assert names(get(client, q=MATRICULE[:14])) == []
    eloise.identity_status = IdentityStatus.VALIDEE
    eloise.save(update_fields=["identity_status"])
    assert names(get(client, q=MATRICULE)) == []


def test_parse_search():
    assert parse_search("").kind == ""
    assert parse_search("12/05/1938").birth_date == datetime.date(1938, 5, 12)
    assert parse_search(MATRICULE.lower()).kind == "ins"
    assert parse_search("Jean-Éloïse").words == ("jean-eloise",)


def test_archived_dossiers_only_on_request_and_greyed(client, essms, unit, nurse, eloise):
    archived = searchable(UsagerFactory(essms=essms, birth_name="ARCHIVEE", archived_at=timezone.now()))
    admit(archived, unit, by=nurse, status=SejourStatus.CLOSED, ends_on=datetime.date(2025, 6, 1), room="9")
    client.force_login(nurse)
    assert names(get(client, unite=unit.pk)) == ["LEFÈVRE"]
    response = get(client, unite=unit.pk, archives="1")
    assert names(response) == ["ARCHIVEE", "LEFÈVRE"]
    body = response.content.decode()
    assert "af-card af-card-archived" in body
    assert "Dossier archivé" in body
    assert "Chambre 9" not in body
    assert 'name="archives" value="1" checked' in body


def test_photo_and_palliative_badge_follow_the_matrix(client, essms, eloise):
    eloise.photo.name = "photos/2026/eloise.jpg"
    eloise.save(update_fields=["photo"])
    client.force_login(professional(essms, Metier.IDE))
    body = get(client).content.decode()
    assert 'class="af-photo" src="/media/photos/2026/eloise.jpg"' in body or "eloise.jpg" in body
    assert "Soins palliatifs" in body
    client.force_login(professional(essms, Metier.ASH))
    body = get(client).content.decode()
    assert "Soins palliatifs" not in body


def test_query_count_does_not_grow_with_persons(client, essms, unit, nurse, django_assert_max_num_queries):
    def fill(count):
        for _ in range(count):
            admit(searchable(UsagerFactory(essms=essms)), unit, by=nurse)

    client.force_login(nurse)
    UserPreference.objects.create(user=nurse, essms=essms, saved_filters={"Glycine": {"unite": str(unit.pk)}})
    fill(3)
    with django_assert_max_num_queries(20) as three:
        response = get(client, unite=unit.pk, q="durand")
    assert len(response.context["cards"]) == 3
    fill(17)
    with django_assert_max_num_queries(len(three.captured_queries)):
        response = get(client, unite=unit.pk, q="durand")
    assert len(response.context["cards"]) == 20


# ---------- Saved filters ----------


def test_save_a_filter_then_apply_and_delete_it(client, essms, unit, nurse, eloise):
    client.force_login(nurse)
    response = client.post(
        reverse("active-file-filter-save"),
        {"name": "  Glycine   archives ", "unite": unit.pk, "archives": "1", "q": "", "page": "3"},
        follow=True,
    )
    assert "Filtre « Glycine archives » enregistré." in response.content.decode()
    preference = UserPreference.objects.get(user=nurse, essms=essms)
    assert preference.saved_filters == {"Glycine archives": {"unite": str(unit.pk), "archives": "1"}}
    body = get(client).content.decode()
    assert f'href="{reverse("active-file")}?unite={unit.pk}&amp;archives=1">Glycine archives</a>' in body
    client.post(reverse("active-file-filter-delete"), {"name": "Glycine archives"})
    preference.refresh_from_db()
    assert preference.saved_filters == {}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "unite": "1"}, "Donnez un nom à ce filtre."),
        ({"name": "Vide"}, "Ce filtre est vide"),
        ({"name": "x" * 61, "q": "dupont"}, "Assurez-vous que cette valeur comporte au plus 60 caractères"),
    ],
)
def test_bad_filter_is_refused_with_a_message(client, essms, nurse, data, message):
    client.force_login(nurse)
    response = client.post(reverse("active-file-filter-save"), data, follow=True)
    assert message in response.content.decode().replace("&#x27;", "'")
    preference = UserPreference.objects.filter(user=nurse).first()
    assert preference is None or preference.saved_filters == {}


def test_filter_routes_are_post_only(client, nurse):
    client.force_login(nurse)
    assert client.get(reverse("active-file-filter-save")).status_code == 405
    assert client.get(reverse("active-file-filter-delete")).status_code == 405


def test_deleting_an_unknown_filter_says_so(client, nurse):
    client.force_login(nurse)
    response = client.post(reverse("active-file-filter-delete"), {"name": "Inconnu"}, follow=True)
    assert "Ce filtre n&#x27;existe pas (ou plus)." in response.content.decode()

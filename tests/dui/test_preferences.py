"""Each user's preferences per ESSMS: pinned home sections and saved filters."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from dui.models import Membership, Metier, UserPreference
from dui.selectors.planning import HOME_SECTION_KEYS, pinned_sections, saved_filters
from dui.services.planning import (
    MAX_SAVED_FILTERS,
    preference_delete_filter,
    preference_pin_sections,
    preference_save_filter,
)
from tests.factories import professional


@pytest.fixture
def nurse(essms):
    return professional(essms, Metier.IDE)


# ---------- Services ----------


def test_pin_sections_keeps_the_order_and_drops_duplicates(nurse, essms):
    preference_pin_sections(nurse, sections=["planning_jour", "file_active", "planning_jour"])
    assert UserPreference.objects.get(user=nurse, essms=essms).pinned_sections == ["planning_jour", "file_active"]
    preference_pin_sections(nurse, sections=[])
    assert UserPreference.objects.get(user=nurse, essms=essms).pinned_sections == []


@pytest.mark.parametrize("sections", [["file_active", "meteo"], ["<script>"], "file_active", None])
def test_unknown_section_is_refused_and_nothing_written(nurse, sections):
    preference_pin_sections(nurse, sections=["planning_jour"])
    with pytest.raises(ValidationError) as excinfo:
        preference_pin_sections(nurse, sections=sections)
    assert "sections" in excinfo.value.message_dict
    assert UserPreference.objects.get().pinned_sections == ["planning_jour"]


def test_unknown_section_message_is_clear(nurse):
    with pytest.raises(ValidationError) as excinfo:
        preference_pin_sections(nurse, sections=["meteo"])
    assert excinfo.value.message_dict["sections"] == ["Rubrique inconnue : « meteo »."]
    assert not UserPreference.objects.exists()


def test_known_sections():
    assert HOME_SECTION_KEYS == {"file_active", "planning_jour", "alertes_creton", "documents_recents"}


def test_preferences_need_an_active_membership(nurse):
    nurse.membership = None
    with pytest.raises(PermissionDenied):
        preference_pin_sections(nurse, sections=["file_active"])
    with pytest.raises(PermissionDenied):
        preference_save_filter(nurse, name="Glycine", params={"unite": "1"})
    assert not UserPreference.objects.exists()


def test_preferences_are_per_essms(nurse, essms, sibling_essms):
    preference_pin_sections(nurse, sections=["file_active"])
    other = Membership.objects.create(
        user=nurse, essms=sibling_essms, metier=Metier.IDE, starts_at=nurse.membership.starts_at
    )
    nurse.membership = other
    assert pinned_sections(nurse) == []
    preference_pin_sections(nurse, sections=["planning_jour"])
    assert dict(UserPreference.objects.values_list("essms_id", "pinned_sections")) == {
        essms.pk: ["file_active"],
        sibling_essms.pk: ["planning_jour"],
    }


def test_save_and_delete_filters(nurse):
    preference_save_filter(nurse, name="Glycine", params={"unite": "3", "q": "", "archives": "1"})
    preference_save_filter(nurse, name="Dupont", params={"q": "dupont"})
    preference_save_filter(nurse, name="Glycine", params={"unite": "4"})
    assert UserPreference.objects.get().saved_filters == {"Glycine": {"unite": "4"}, "Dupont": {"q": "dupont"}}
    assert [(f.name, f.url) for f in saved_filters(nurse)] == [
        ("Dupont", "/usagers/file-active/?q=dupont"),
        ("Glycine", "/usagers/file-active/?unite=4"),
    ]
    preference_delete_filter(nurse, name="Glycine")
    assert UserPreference.objects.get().saved_filters == {"Dupont": {"q": "dupont"}}


@pytest.mark.parametrize(
    ("name", "params", "field"),
    [
        ("", {"q": "dupont"}, "name"),
        ("   ", {"q": "dupont"}, "name"),
        ("x" * 61, {"q": "dupont"}, "name"),
        ("Vide", {}, "params"),
        ("Vide", {"q": "  "}, "params"),
        ("Inconnu", {"essms": "2"}, "params"),
        ("Liste", ["q"], "params"),
        ("Long", {"q": "x" * 201}, "params"),
    ],
)
def test_bad_filter_is_refused_and_nothing_written(nurse, name, params, field):
    with pytest.raises(ValidationError) as excinfo:
        preference_save_filter(nurse, name=name, params=params)
    assert field in excinfo.value.message_dict
    assert not UserPreference.objects.exists()


def test_too_many_filters(nurse):
    for number in range(MAX_SAVED_FILTERS):
        preference_save_filter(nurse, name=f"Filtre {number}", params={"q": str(number)})
    with pytest.raises(ValidationError, match="supprimez-en un"):
        preference_save_filter(nurse, name="Un de trop", params={"q": "x"})
    preference_save_filter(nurse, name="Filtre 0", params={"q": "remplacé"})
    assert len(UserPreference.objects.get().saved_filters) == MAX_SAVED_FILTERS


def test_deleting_an_unknown_filter_is_refused(nurse):
    with pytest.raises(ValidationError):
        preference_delete_filter(nurse, name="Inconnu")
    assert not UserPreference.objects.exists()


# ---------- Selector and home page ----------


def test_pinned_sections_are_key_label_url_in_the_user_order(nurse):
    preference_pin_sections(nurse, sections=["planning_jour", "file_active"])
    assert [tuple(section) for section in pinned_sections(nurse)] == [
        ("planning_jour", "Planning du jour", reverse("planning-day")),
        ("file_active", "File active", reverse("active-file")),
    ]


def test_every_known_section_has_its_page(sibling_essms):
    director = professional(sibling_essms, Metier.DIRECTION)  # an IME: Creton alerts are offered there
    preference_pin_sections(director, sections=["alertes_creton", "documents_recents", "file_active", "planning_jour"])
    assert [(section.key, section.url) for section in pinned_sections(director)] == [
        ("alertes_creton", reverse("creton-alerts")),
        ("documents_recents", reverse("documents-recent")),
        ("file_active", reverse("active-file")),
        ("planning_jour", reverse("planning-day")),
    ]


def test_pinned_creton_alerts_hidden_in_an_ehpad(essms):
    director = professional(essms, Metier.DIRECTION)
    preference_pin_sections(director, sections=["alertes_creton", "file_active"])
    assert [section.key for section in pinned_sections(director)] == ["file_active"]


def test_pinned_sections_hide_what_the_matrix_refuses(essms):
    teacher = professional(essms, Metier.ENSEIGNANT)  # reads identities, not appointments
    preference_pin_sections(teacher, sections=["planning_jour", "file_active"])
    assert [section.key for section in pinned_sections(teacher)] == ["file_active"]


def test_home_shows_the_pinned_sections(client, nurse):
    preference_pin_sections(nurse, sections=["planning_jour"])
    client.force_login(nurse)
    body = client.get(reverse("home")).content.decode()
    assert "Épinglé pour vous" in body
    assert f'<a class="tile" href="{reverse("planning-day")}"><span class="tile-title">Planning du jour</span>' in body


def test_home_without_pins_offers_the_preferences_page(client, nurse):
    client.force_login(nurse)
    body = client.get(reverse("home")).content.decode()
    assert "Épinglé pour vous" not in body
    assert reverse("preferences") in body


# ---------- Preferences page ----------


def test_preferences_page_saves_the_ticked_sections(client, nurse, essms):
    client.force_login(nurse)
    response = client.get(reverse("preferences"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="file_active"' in body
    assert 'value="planning_jour"' in body
    response = client.post(reverse("preferences"), {"sections": ["planning_jour", "file_active"]}, follow=True)
    assert "Vos rubriques d&#x27;accueil sont enregistrées." in response.content.decode()
    # Catalogue order, whatever the order of the ticks.
    assert UserPreference.objects.get(user=nurse, essms=essms).pinned_sections == ["file_active", "planning_jour"]
    assert 'value="file_active" checked' in client.get(reverse("preferences")).content.decode()


def test_preferences_page_refuses_an_unknown_section(client, nurse):
    client.force_login(nurse)
    response = client.post(reverse("preferences"), {"sections": ["meteo"]})
    assert response.status_code == 200
    assert "meteo" in response.content.decode()
    assert not UserPreference.objects.exists()


def test_preferences_page_offers_only_allowed_sections(client, essms):
    client.force_login(professional(essms, Metier.ENSEIGNANT))
    body = client.get(reverse("preferences")).content.decode()
    assert 'value="file_active"' in body
    assert 'value="planning_jour"' not in body
    client.post(reverse("preferences"), {"sections": ["planning_jour"]})
    assert all("planning_jour" not in row.pinned_sections for row in UserPreference.objects.all())


def test_preferences_page_keeps_pins_it_cannot_show(client, essms):
    teacher = professional(essms, Metier.ENSEIGNANT)
    UserPreference.objects.create(user=teacher, essms=essms, pinned_sections=["planning_jour"])
    client.force_login(teacher)
    client.post(reverse("preferences"), {"sections": ["file_active"]})
    assert UserPreference.objects.get().pinned_sections == ["file_active", "planning_jour"]


def test_preferences_page_lists_saved_filters(client, nurse):
    preference_save_filter(nurse, name="Glycine", params={"unite": "3"})
    client.force_login(nurse)
    body = client.get(reverse("preferences")).content.decode()
    assert f'href="{reverse("active-file")}?unite=3">Glycine</a>' in body


# ---------- Audit ----------


def test_each_preference_write_is_audited(nurse, essms):
    from dui.models import AccessLog

    preference_pin_sections(nurse, sections=["planning_jour", "file_active"])
    preference_save_filter(nurse, name="Glycine", params={"unite": "3"})
    preference_delete_filter(nurse, name="Glycine")
    preference = UserPreference.objects.get(user=nurse, essms=essms)
    rows = AccessLog.objects.order_by("pk")
    assert [(row.action, row.object_type, row.object_id, row.user, row.essms_id) for row in rows] == [
        ("update", "dui.userpreference", str(preference.pk), nurse, essms.pk)
    ] * 3
    assert [row.detail for row in rows] == [
        "rubriques d'accueil épinglées : planning_jour, file_active",
        "filtre enregistré : Glycine",
        "filtre supprimé : Glycine",
    ]


def test_a_refused_preference_write_is_not_audited(nurse):
    from dui.models import AccessLog

    with pytest.raises(ValidationError):
        preference_save_filter(nurse, name="Vide", params={"q": ""})
    assert not AccessLog.objects.exists()

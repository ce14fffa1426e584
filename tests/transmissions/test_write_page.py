"""The writing screen (one screen), correction and added result: French messages next to the fields,
nothing written on bad input, versions visible."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dui.models import AccessLog, Metier, Placement, Sejour
from tests.factories import OrganismeGestionnaireFactory, UnitFactory, UsagerFactory, professional
from tests.logged import logged_events
from tests.transmissions.test_feed import write
from transmissions.models import Cible, ReadReceipt, Theme, Transmission, Visibility

CREATE = reverse("transmission-create")


@pytest.fixture
def aide_soignant(essms):
    return professional(essms, Metier.AIDE_SOIGNANT)


@pytest.fixture
def ide(essms):
    return professional(essms, Metier.IDE)


@pytest.fixture
def douleur(og):
    return Cible.objects.create(og=og, label="Douleur", theme=Theme.DOULEUR)


def local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def form_data(**overrides) -> dict:
    data = {
        "mode": "dar",
        "cible": "",
        "free_cible": "",
        "theme": "",
        "donnees": "",
        "actions": "",
        "resultats": "",
        "narrative": "",
        "observed_at": local(timezone.now()),
        "visibility": Visibility.ALL_STAFF,
    }
    return data | overrides


# --- The screen ---------------------------------------------------------------------------------


def test_screen_preselects_the_person_and_offers_the_allowed_levels(client, aide_soignant, usager, douleur):
    client.force_login(aide_soignant)
    response = client.get(CREATE, {"usager": usager.pk})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["concerne"] == f"p{usager.pk}"
    assert [value for value, _ in form.fields["visibility"].choices] == [Visibility.ALL_STAFF, Visibility.CARE_STAFF]
    body = response.content.decode()
    for text in ("Transmission ciblée (DAR)", "Note", "Cible libre", "Observé le", "Peut être lue par la famille"):
        assert text in body
    assert 'name="family_visible"' in body and 'name="family_visible" checked' not in body
    assert f'<option value="{douleur.pk}">Douleur</option>' in body
    assert "js/transmissions-write.js" in body and 'id="tr-cible-themes"' in body


def test_screen_offers_the_active_file_and_whole_units(client, aide_soignant, essms, unit, usager):
    placed = UsagerFactory(essms=essms, birth_name="BERNARD", first_names="Lucie")
    director = professional(essms, Metier.DIRECTION)
    day = datetime.date(2024, 1, 2)
    sejour = Sejour.objects.create(
        essms=essms, usager=placed, status="active", first_contact_on=day, admitted_on=day, created_by=director
    )
    Placement.objects.create(
        essms=essms,
        sejour=sejour,
        usager=placed,
        unit=unit,
        room="12",
        modality="hp",
        starts_on=day,
        created_by=director,
    )
    client.force_login(aide_soignant)
    response = client.get(CREATE, {"unite": unit.pk})
    form = response.context["form"]
    assert form.initial["concerne"] == f"u{unit.pk}"
    assert set(form.people) == {f"p{placed.pk}"}  # the active file only (LEFEBVRE has no séjour)
    assert set(form.units) == {f"u{unit.pk}"}
    assert "BERNARD Lucie (Unité Glycine — ch. 12)" in response.content.decode()
    data = form_data(concerne=f"p{placed.pk}", mode="note", narrative="Bonne journée")
    assert client.post(CREATE, data).status_code == 302
    t = Transmission.objects.get()
    assert (t.usager, t.unit) == (placed, unit)  # the unit at the time of the observation


def test_screen_is_404_for_a_person_out_of_reach_or_a_metier_without_the_right(
    client, aide_soignant, essms, foreign_essms, usager
):
    client.force_login(aide_soignant)
    assert client.get(CREATE, {"usager": UsagerFactory(essms=foreign_essms).pk}).status_code == 404
    assert client.get(CREATE, {"usager": "abc"}).status_code == 404
    client.force_login(professional(essms, Metier.ASH))  # reads transmissions, does not write them
    assert client.get(CREATE, {"usager": usager.pk}).status_code == 403  # explained refusal in its own ESSMS


# --- Writing ------------------------------------------------------------------------------------


def test_a_dar_transmission_is_written(client, aide_soignant, usager, douleur):
    client.force_login(aide_soignant)
    observed = timezone.now() - datetime.timedelta(minutes=20)
    data = form_data(
        concerne=f"p{usager.pk}",
        cible=douleur.pk,
        donnees="Grimace au lever",
        actions="Antalgique donné",
        narrative="ignorée en mode DAR",
        observed_at=local(observed),
        visibility=Visibility.CARE_STAFF,
        family_visible="on",
    )
    response = client.post(f"{CREATE}?usager={usager.pk}", data)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('transmission-feed')}?usager={usager.pk}"
    t = Transmission.objects.get()
    assert (t.usager, t.cible, t.theme, t.visibility, t.family_visible) == (
        usager,
        douleur,
        Theme.DOULEUR,
        Visibility.CARE_STAFF,
        True,
    )
    assert (t.donnees, t.actions, t.narrative, t.author, t.author_metier) == (
        "Grimace au lever",
        "Antalgique donné",
        "",
        aide_soignant,
        Metier.AIDE_SOIGNANT,
    )
    assert local(t.observed_at) == local(observed)
    assert AccessLog.objects.filter(action="create", object_id=str(t.pk)).exists()


def test_a_note_for_a_whole_unit(client, aide_soignant, unit):
    client.force_login(aide_soignant)
    data = form_data(concerne=f"u{unit.pk}", mode="note", narrative="Nuit calme.", donnees="ignorées")
    response = client.post(CREATE, data)
    assert response.status_code == 302
    t = Transmission.objects.get()
    assert (t.usager, t.unit, t.narrative, t.donnees, t.theme) == (None, unit, "Nuit calme.", "", Theme.AUTRE)


def test_a_free_cible_with_its_theme(client, aide_soignant, usager):
    client.force_login(aide_soignant)
    data = form_data(concerne=f"p{usager.pk}", free_cible=" Appétit ", theme=Theme.ALIMENTATION, donnees="Peu mangé")
    assert client.post(f"{CREATE}?usager={usager.pk}", data).status_code == 302
    t = Transmission.objects.get()
    assert (t.cible, t.free_cible, t.theme) == (None, "Appétit", Theme.ALIMENTATION)


def test_next_keeps_the_caller_page_but_never_another_site(client, aide_soignant, usager):
    client.force_login(aide_soignant)
    data = form_data(concerne=f"p{usager.pk}", mode="note", narrative="x")
    url = f"{CREATE}?usager={usager.pk}"
    response = client.post(url, data | {"next": "/usagers/"})
    assert response["Location"] == "/usagers/"
    response = client.post(url, data | {"next": "https://ailleurs.example/"})
    assert response["Location"].startswith(reverse("transmission-feed"))


# --- Bad input ----------------------------------------------------------------------------------


def _archived(essms):
    return UsagerFactory(essms=essms, archived_at=timezone.now())


@pytest.mark.parametrize(
    ("case", "field", "message"),
    [
        ("empty", None, "Transmission vide"),
        ("cible only", None, "Transmission vide"),
        ("dar without cible", "cible", "Une transmission ciblée (DAR) demande une cible."),
        ("future", "observed_at", "ne peut pas être dans le futur"),
        ("no time", "observed_at", "Indiquez l'heure de l'observation."),
        ("bad time", "observed_at", "Date et heure invalides."),
        ("nobody", "concerne", "Choisissez la personne concernée, ou l'unité entière."),
        ("unknown person", "concerne", "Sélectionnez un choix valide"),
        ("other essms person", "concerne", "Sélectionnez un choix valide"),
        ("archived person (preselected)", "concerne", "Ce dossier est archivé : il est en lecture seule."),
        ("archived person (not preselected)", "concerne", "Sélectionnez un choix valide"),
        ("cible of another og", "cible", "Sélectionnez un choix valide"),
        ("forbidden visibility", "visibility", "Sélectionnez un choix valide"),
        ("unknown visibility", "visibility", "Sélectionnez un choix valide"),
        ("both cibles", "free_cible", "pas les deux"),
        ("note chosen, dar written", "narrative", "la note est vide"),
        ("dar chosen, note written", "donnees", "sont vides"),
    ],
)
def test_bad_input_gives_a_french_message_and_writes_nothing(
    client, aide_soignant, usager, essms, foreign_essms, douleur, case, field, message
):
    client.force_login(aide_soignant)
    url = f"{CREATE}?usager={usager.pk}"
    data = form_data(concerne=f"p{usager.pk}", cible=douleur.pk, donnees="Grimace")
    if case == "empty":
        data = form_data(concerne=f"p{usager.pk}")
    elif case == "cible only":
        data = form_data(concerne=f"p{usager.pk}", cible=douleur.pk)
    elif case == "dar without cible":
        data["cible"] = ""
    elif case == "future":
        data["observed_at"] = local(timezone.now() + datetime.timedelta(hours=2))
    elif case == "no time":
        data["observed_at"] = ""
    elif case == "bad time":
        data["observed_at"] = "hier soir"
    elif case == "nobody":
        data["concerne"] = ""
    elif case == "unknown person":
        data["concerne"] = "p999999"
    elif case == "other essms person":
        data["concerne"] = f"p{UsagerFactory(essms=foreign_essms).pk}"
    elif case == "archived person (preselected)":
        archived = _archived(essms)
        url = f"{CREATE}?usager={archived.pk}"
        data["concerne"] = f"p{archived.pk}"
    elif case == "archived person (not preselected)":
        url = CREATE
        data["concerne"] = f"p{_archived(essms).pk}"
    elif case == "cible of another og":
        data["cible"] = Cible.objects.create(og=OrganismeGestionnaireFactory(), label="Chute", theme=Theme.MOBILITE).pk
    elif case == "forbidden visibility":
        data["visibility"] = Visibility.MEDICAL
    elif case == "unknown visibility":
        data["visibility"] = "secret"
    elif case == "both cibles":
        data["free_cible"] = "Genou"
    elif case == "note chosen, dar written":
        data["mode"] = "note"
    elif case == "dar chosen, note written":
        data = form_data(concerne=f"p{usager.pk}", narrative="Une note")
    response = client.post(url, data)
    assert response.status_code == 200
    form = response.context["form"]
    errors = form.errors.get(field or "__all__", [])
    assert any(message in error for error in errors), form.errors
    body = response.content.decode()
    assert "Rien n'a été enregistré." in body
    assert not Transmission.objects.exists()
    assert not AccessLog.objects.filter(action="create").exists()


# --- Detail, correction, result -----------------------------------------------------------------


def test_detail_shows_the_current_version_and_the_whole_history(client, aide_soignant, ide, usager, douleur):
    first = write(aide_soignant, usager=usager, cible=douleur, donnees="Genou douloureux")
    client.force_login(ide)
    response = client.post(reverse("transmission-add-result", args=[first.pk]), {"resultats": "Soulagée à 10 h"})
    second = Transmission.objects.get(is_current=True)
    assert response["Location"] == reverse("transmission-detail", args=[second.pk])
    response = client.post(
        reverse("transmission-correct", args=[second.pk]),
        form_data(cible=douleur.pk, theme=Theme.DOULEUR, donnees="Genou droit douloureux", resultats=second.resultats)
        | {"observed_at": local(first.observed_at)},
    )
    third = Transmission.objects.get(is_current=True)
    assert response["Location"] == reverse("transmission-detail", args=[third.pk])
    assert (third.version, third.original_id, third.observed_at) == (3, first.pk, first.observed_at)
    assert (third.donnees, third.resultats) == ("Genou droit douloureux", "Soulagée à 10 h")
    response = client.get(reverse("transmission-detail", args=[first.pk]))
    assert response.status_code == 200
    assert response.context["current"].pk == third.pk
    assert [v.version for v in response.context["versions"]] == [3, 2, 1]
    body = response.content.decode()
    assert "Vous consultez la version 1, remplacée depuis" in body
    assert "Genou douloureux" in body and "Genou droit douloureux" in body
    assert "Historique des versions" in body and "Corrigée (version 3)" in body
    logged = logged_events(user=ide, action="read", detail="transmission et versions")
    assert len(logged) == 3


def test_correcting_an_old_version_leads_to_the_current_one(client, ide, usager):
    first = write(ide, usager=usager, narrative="Avant")
    client.force_login(ide)
    client.post(reverse("transmission-correct", args=[first.pk]), form_data(mode="note", narrative="Après"))
    current = Transmission.objects.get(is_current=True)
    response = client.get(reverse("transmission-correct", args=[first.pk]))
    assert response["Location"] == reverse("transmission-correct", args=[current.pk])
    assert client.get(reverse("transmission-add-result", args=[first.pk])).status_code == 404


def test_a_correction_without_change_or_with_bad_input_writes_nothing(client, ide, usager):
    t = write(ide, usager=usager, narrative="Calme", visibility=Visibility.CARE_STAFF)
    client.force_login(ide)
    url = reverse("transmission-correct", args=[t.pk])
    unchanged = form_data(mode="note", narrative="Calme", visibility=Visibility.CARE_STAFF, theme=Theme.AUTRE)
    unchanged["observed_at"] = local(t.observed_at)
    response = client.post(url, unchanged)
    assert "Aucune modification" in str(response.context["form"].errors)
    response = client.post(url, unchanged | {"observed_at": local(timezone.now() + datetime.timedelta(hours=3))})
    assert "futur" in str(response.context["form"].errors["observed_at"])
    response = client.post(url, unchanged | {"narrative": ""})
    assert "note est vide" in str(response.context["form"].errors) or "vide" in str(response.context["form"].errors)
    assert Transmission.objects.count() == 1
    # A note has no results: the screen sends back to the transmission, nothing written.
    response = client.post(reverse("transmission-add-result", args=[t.pk]), {"resultats": "Soulagée"}, follow=True)
    assert "Une note n&#x27;a pas de résultats" in response.content.decode()
    assert Transmission.objects.count() == 1


def test_an_empty_result_writes_nothing(client, ide, usager, douleur):
    t = write(ide, usager=usager, cible=douleur, donnees="Genou")
    client.force_login(ide)
    response = client.post(reverse("transmission-add-result", args=[t.pk]), {"resultats": "  "})
    assert response.status_code == 200
    assert "Le résultat est vide." in str(response.context["form"].errors["resultats"])
    assert Transmission.objects.count() == 1
    body = client.get(reverse("transmission-detail", args=[t.pk])).content.decode()
    assert "Ajouter un résultat" in body
    note = write(ide, usager=usager, narrative="Nuit calme")
    assert "Ajouter un résultat" not in client.get(reverse("transmission-detail", args=[note.pk])).content.decode()


def test_what_i_write_is_read_for_me(client, aide_soignant, ide, usager, douleur):
    client.force_login(aide_soignant)
    data = form_data(concerne=f"p{usager.pk}", cible=douleur.pk, donnees="Grimace")
    client.post(f"{CREATE}?usager={usager.pk}", data)
    t = Transmission.objects.get()
    assert ReadReceipt.objects.filter(user=aide_soignant, transmission=t).exists()
    assert not ReadReceipt.objects.filter(user=ide, transmission=t).exists()
    client.force_login(ide)
    client.post(reverse("transmission-add-result", args=[t.pk]), {"resultats": "Soulagée"})
    new = Transmission.objects.get(is_current=True)
    assert ReadReceipt.objects.filter(user=ide, transmission=new).exists()
    assert not ReadReceipt.objects.filter(user=aide_soignant, transmission=new).exists()


def test_an_archived_dossier_is_read_only(client, ide, essms):
    person = UsagerFactory(essms=essms)
    t = write(ide, usager=person, narrative="Dernière nuit")
    person.archived_at = timezone.now()
    person.save(update_fields=["archived_at"])
    client.force_login(ide)
    body = client.get(reverse("transmission-detail", args=[t.pk])).content.decode()
    assert "Ce dossier est archivé" in body and "Corriger" not in body
    assert client.get(reverse("transmission-correct", args=[t.pk])).status_code == 404
    assert client.post(reverse("transmission-add-result", args=[t.pk]), {"resultats": "x"}).status_code == 404
    assert Transmission.objects.count() == 1


def test_a_reader_without_write_right_sees_no_correction_buttons(client, ide, usager, essms):
    t = write(ide, usager=usager, narrative="Calme")
    client.force_login(professional(essms, Metier.ASH))
    body = client.get(reverse("transmission-detail", args=[t.pk])).content.decode()
    assert "Calme" in body and "Corriger" not in body
    assert client.get(reverse("transmission-correct", args=[t.pk])).status_code == 404
    assert client.post(reverse("transmission-add-result", args=[t.pk]), {"resultats": "x"}).status_code == 404


def test_detail_of_another_essms_or_level_is_404(client, ide, aide_soignant, usager, sibling_essms):
    medical = write(ide, usager=usager, narrative="Bilan", visibility=Visibility.MEDICAL)
    client.force_login(aide_soignant)
    for name in ("transmission-detail", "transmission-correct", "transmission-add-result"):
        assert client.get(reverse(name, args=[medical.pk])).status_code == 404
    client.force_login(professional(sibling_essms, Metier.IDE))
    assert client.get(reverse("transmission-detail", args=[medical.pk])).status_code == 404


def test_whole_unit_choice_in_a_sibling_unit_list(client, aide_soignant, essms, sibling_essms):
    other = UnitFactory(essms=sibling_essms, name="Unité voisine")
    client.force_login(aide_soignant)
    response = client.post(CREATE, form_data(concerne=f"u{other.pk}", mode="note", narrative="x"))
    assert "Sélectionnez un choix valide" in str(response.context["form"].errors["concerne"])
    assert not Transmission.objects.exists()

"""The per-OG cible catalogue: defaults, who edits it, bad input writes nothing, other OGs out of reach."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from dui.models import AccessLog, Metier
from tests.factories import OrganismeGestionnaireFactory, professional
from transmissions.apps import _fill_empty_cible_catalogues
from transmissions.models import Cible, Theme
from transmissions.services.cibles import (
    DEFAULT_CIBLES,
    can_manage_cibles,
    cible_create,
    cible_set_active,
    cibles_fill_defaults,
)

LIST = reverse("cible-list")
CREATE = reverse("cible-create")
DEACTIVATE = reverse("cible-deactivate")
REACTIVATE = reverse("cible-reactivate")


@pytest.fixture
def cadre(essms):
    return professional(essms, Metier.CADRE_SANTE)


@pytest.fixture
def aide_soignant(essms):
    return professional(essms, Metier.AIDE_SOIGNANT)


# --- Defaults -----------------------------------------------------------------------------------


def test_default_catalogue_is_filled_once(og):
    assert cibles_fill_defaults(og=og) == len(DEFAULT_CIBLES) >= 25
    labels = set(Cible.objects.filter(og=og).values_list("label", flat=True))
    assert {"Douleur", "Chute", "Crise d'épilepsie", "Plaie / escarre", "Fin de vie", "Rendez-vous médical"} <= labels
    assert Cible.objects.get(og=og, label="Chute").theme == Theme.MOBILITE
    assert cibles_fill_defaults(og=og) == 0
    assert Cible.objects.filter(og=og).count() == len(DEFAULT_CIBLES)


def test_defaults_keep_edited_entries(og):
    Cible.objects.create(og=og, label="DOULEUR", theme=Theme.SOINS, is_active=False)
    cibles_fill_defaults(og=og)
    assert Cible.objects.filter(og=og, label__iexact="douleur").count() == 1
    assert not Cible.objects.get(og=og, label="DOULEUR").is_active


def test_post_migrate_fills_only_empty_catalogues(og):
    edited = OrganismeGestionnaireFactory()
    Cible.objects.create(og=edited, label="Ma seule cible", theme=Theme.AUTRE)
    _fill_empty_cible_catalogues(sender=None, using="default")
    assert Cible.objects.filter(og=og).count() == len(DEFAULT_CIBLES)
    assert Cible.objects.filter(og=edited).count() == 1


# --- Who edits ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("metier", "allowed"),
    [
        (Metier.DIRECTION, True),
        (Metier.CADRE_SANTE, True),
        (Metier.ADMINISTRATEUR, True),
        (Metier.IDE, False),
        (Metier.AIDE_SOIGNANT, False),
        (Metier.TECHNIQUE, False),
    ],
)
def test_who_manages_the_catalogue(essms, metier, allowed):
    assert can_manage_cibles(professional(essms, metier)) is allowed


def test_readers_see_the_catalogue_without_edit_controls(client, aide_soignant, og):
    cibles_fill_defaults(og=og)
    client.force_login(aide_soignant)
    body = client.get(LIST).content.decode()
    assert "Douleur" in body and "Mobilité et chutes" in body
    assert "Ajouter au catalogue" not in body and "Désactiver" not in body
    assert client.post(CREATE, {"label": "Nouvelle", "theme": Theme.AUTRE}).status_code == 404
    douleur = Cible.objects.get(og=og, label="Douleur")
    assert client.post(DEACTIVATE, {"cible": douleur.pk}).status_code == 404
    assert Cible.objects.get(pk=douleur.pk).is_active
    assert not Cible.objects.filter(label="Nouvelle").exists()
    with pytest.raises(PermissionDenied):
        cible_create(aide_soignant, label="Nouvelle", theme=Theme.AUTRE)


# --- Adding -------------------------------------------------------------------------------------


def test_a_cadre_adds_a_cible(client, cadre, og):
    client.force_login(cadre)
    response = client.post(CREATE, {"label": "  Crise   d'angoisse ", "theme": Theme.COMPORTEMENT}, follow=True)
    assert "Cible « Crise d&#x27;angoisse » ajoutée au catalogue." in response.content.decode()
    cible = Cible.objects.get(og=og)
    assert (cible.label, cible.theme, cible.is_active) == ("Crise d'angoisse", Theme.COMPORTEMENT, True)
    assert AccessLog.objects.filter(user=cadre, action="create", object_type="transmissions.cible").exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"label": "", "theme": Theme.AUTRE}, "label", "Indiquez le libellé de la cible."),
        ({"label": "    ", "theme": Theme.AUTRE}, "label", "Indiquez le libellé de la cible."),
        ({"label": "x" * 121, "theme": Theme.AUTRE}, "label", "Libellé trop long : 120 caractères au plus"),
        ({"label": "douleur", "theme": Theme.AUTRE}, "label", "existe déjà"),
        ({"label": "DÉSHYDRATATION", "theme": Theme.AUTRE}, "label", "existe déjà"),
        ({"label": "Appétit", "theme": ""}, "theme", "Choisissez un thème de la liste."),
        ({"label": "Appétit", "theme": "inconnu"}, "theme", "Sélectionnez un choix valide"),
    ],
    ids=["empty", "blank", "too-long", "duplicate-case", "duplicate-accents", "no-theme", "bad-theme"],
)
def test_bad_input_writes_nothing(client, cadre, og, data, field, message):
    Cible.objects.create(og=og, label="Douleur", theme=Theme.DOULEUR)
    Cible.objects.create(og=og, label="Déshydratation", theme=Theme.ALIMENTATION, is_active=False)
    client.force_login(cadre)
    response = client.post(CREATE, data)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert Cible.objects.filter(og=og).count() == 2
    assert not AccessLog.objects.filter(object_type="transmissions.cible").exists()


def test_service_refuses_bad_input(cadre, og):
    Cible.objects.create(og=og, label="Douleur", theme=Theme.DOULEUR)
    for label, theme in (("", Theme.AUTRE), ("x" * 121, Theme.AUTRE), ("Douleur ", Theme.AUTRE), ("Ok", "inconnu")):
        with pytest.raises(ValidationError):
            cible_create(cadre, label=label, theme=theme)
    assert Cible.objects.filter(og=og).count() == 1


def test_the_same_label_is_allowed_in_another_og(cadre, og):
    Cible.objects.create(og=OrganismeGestionnaireFactory(), label="Appétit", theme=Theme.ALIMENTATION)
    cible_create(cadre, label="Appétit", theme=Theme.ALIMENTATION)
    assert Cible.objects.filter(og=og, label="Appétit").exists()


def test_a_sibling_essms_shares_the_catalogue(client, og, sibling_essms):
    director = professional(sibling_essms, Metier.DIRECTION)
    client.force_login(director)
    client.post(CREATE, {"label": "Atelier", "theme": Theme.VIE_SOCIALE})
    assert Cible.objects.filter(og=og, label="Atelier").exists()


# --- Deactivating -------------------------------------------------------------------------------


def test_deactivate_then_reactivate(client, cadre, og, usager):
    douleur = Cible.objects.create(og=og, label="Douleur", theme=Theme.DOULEUR)
    client.force_login(cadre)
    response = client.post(DEACTIVATE, {"cible": douleur.pk}, follow=True)
    assert "n&#x27;est plus proposée" in response.content.decode()
    douleur.refresh_from_db()
    assert not douleur.is_active
    write_page = client.get(reverse("transmission-create")).content.decode()
    assert f'<option value="{douleur.pk}">Douleur</option>' not in write_page
    response = client.post(DEACTIVATE, {"cible": douleur.pk}, follow=True)
    assert "est déjà désactivée" in response.content.decode()
    client.post(REACTIVATE, {"cible": douleur.pk})
    douleur.refresh_from_db()
    assert douleur.is_active
    write_page = client.get(reverse("transmission-create")).content.decode()
    assert f'<option value="{douleur.pk}">Douleur</option>' in write_page
    assert AccessLog.objects.filter(user=cadre, action="update", object_type="transmissions.cible").count() == 2


def test_another_ogs_cible_is_out_of_reach(client, cadre):
    foreign = Cible.objects.create(og=OrganismeGestionnaireFactory(), label="Ailleurs", theme=Theme.AUTRE)
    client.force_login(cadre)
    for value in (foreign.pk, "abc", "", "9" * 30):
        assert client.post(DEACTIVATE, {"cible": value}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.is_active
    with pytest.raises(ValidationError, match="catalogue"):
        cible_set_active(cadre, cible=foreign, active=False)
    assert "Ailleurs" not in client.get(LIST).content.decode()

"""Identity screens: create with duplicate warning, edit, INSi, validation, merge; RNIV display rule."""

import datetime
import html

import pytest
from django.urls import reverse

from dui.ins import IdentityStatus
from dui.models import AccessLog, Contact, Metier, Usager
from dui.services import identity as services
from tests.factories import UsagerFactory, professional

MATRICULE = "255081416802538"
FORM = {
    "birth_name": "Lefèvre",
    "first_names": "Marie Thérèse",
    "birth_date": "1955-08-14",
    "sex": "F",
    "birth_place_code": "14168",
    "identity_status": "PROV",
    "identity_attribute": "",
}


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def secretary(essms):
    return professional(essms, Metier.SECRETAIRE_MEDICALE)


@pytest.fixture
def director(essms):
    return professional(essms, Metier.DIRECTION)


def test_create_page_has_french_labels_and_date_input(client, secretary):
    client.force_login(secretary)
    response = client.get(reverse("usager-create"))
    assert response.status_code == 200
    content = text(response)
    assert "Nom de naissance" in content
    assert 'type="date"' in content
    assert "Justificatif d'identité contrôlé" in content
    assert "C'est bien une autre personne" not in content


def test_create_via_web(client, secretary, essms):
    client.force_login(secretary)
    response = client.post(reverse("usager-create"), {**FORM, "ins_matricule": MATRICULE})
    usager = Usager.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("usager-detail", args=[usager.pk])
    assert (usager.essms, usager.birth_name, usager.ins_matricule) == (essms, "Lefèvre", MATRICULE)
    assert AccessLog.objects.get(action="create").usager_id == usager.pk


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ins_matricule": "255081416802539"}, "la clé ne correspond pas"),
        ({"ins_matricule": MATRICULE, "sex": "M"}, "ne correspond pas au sexe"),
        ({"ins_matricule": MATRICULE, "birth_date": "1954-08-14"}, "année de naissance"),
        ({"birth_date": "2999-08-14"}, "dans le futur"),
        ({"birth_place_code": "1416"}, "Code INSEE"),
        ({"identity_status": "QUAL"}, "Qualifiée"),
    ],
)
def test_create_bad_input_shows_the_error_and_writes_nothing(client, secretary, overrides, message):
    client.force_login(secretary)
    response = client.post(reverse("usager-create"), {**FORM, **overrides})
    assert response.status_code == 200
    assert message in text(response)
    assert not Usager.objects.exists()


def test_duplicate_is_shown_before_saving_then_confirmed(client, secretary, essms):
    existing = UsagerFactory(
        essms=essms, birth_name="LEFEVRE", first_names="Marie", birth_date=datetime.date(1955, 8, 14)
    )
    client.force_login(secretary)
    response = client.post(reverse("usager-create"), FORM)
    content = text(response)
    assert response.status_code == 200
    assert "Doublon possible" in content
    assert reverse("usager-detail", args=[existing.pk]) in content
    assert "C'est bien une autre personne, créer quand même" in content
    assert Usager.objects.count() == 1
    response = client.post(reverse("usager-create"), {**FORM, "confirm_duplicate": "on"})
    assert response.status_code == 302
    assert Usager.objects.count() == 2


def test_create_refused_to_a_role_without_write(client, essms):
    client.force_login(professional(essms, Metier.AIDE_SOIGNANT))
    assert client.get(reverse("usager-create")).status_code == 403
    assert client.post(reverse("usager-create"), FORM).status_code == 403
    assert not Usager.objects.exists()


def make(secretary, **extra):
    return services.usager_create(secretary, data={**FORM, "ins_matricule": MATRICULE, **extra})


def test_matricule_hidden_until_qualified_then_shown(client, secretary):
    usager = make(secretary)
    client.force_login(secretary)
    url = reverse("usager-edit", args=[usager.pk])
    content = text(client.get(url))
    assert MATRICULE not in content
    assert "Matricule non qualifié — non communicable" in content

    response = client.post(reverse("usager-insi", args=[usager.pk]))
    assert response.status_code == 302
    usager.refresh_from_db()
    assert usager.identity_status == IdentityStatus.RECUPEREE
    content = text(client.get(url))
    assert MATRICULE not in content
    assert "Identité récupérée par INSi" in content

    response = client.post(reverse("usager-validate-identity", args=[usager.pk]), {"proof": "cni"})
    assert response.status_code == 302
    usager.refresh_from_db()
    assert usager.identity_status == IdentityStatus.QUALIFIEE
    content = text(client.get(url))
    assert MATRICULE in content
    assert "Identité validée" in content


def test_insi_failure_is_shown(client, secretary):
    usager = make(secretary, birth_name="Inconnue", ins_matricule="")
    client.force_login(secretary)
    response = client.post(reverse("usager-insi", args=[usager.pk]), follow=True)
    assert "Identité introuvable" in text(response)
    usager.refresh_from_db()
    assert usager.identity_status == IdentityStatus.PROVISOIRE


def test_validate_by_a_role_without_the_right_is_404(client, secretary, essms):
    usager = make(secretary)
    client.force_login(professional(essms, Metier.IDE))
    assert client.post(reverse("usager-validate-identity", args=[usager.pk]), {"proof": "cni"}).status_code == 404
    usager.refresh_from_db()
    assert usager.identity_status == IdentityStatus.PROVISOIRE


def test_edit_keeps_a_hidden_matricule_when_left_blank(client, secretary):
    usager = make(secretary)
    client.force_login(secretary)
    response = client.post(reverse("usager-edit", args=[usager.pk]), {**FORM, "used_name": "Dupont"})
    assert response.status_code == 302
    usager.refresh_from_db()
    assert (usager.used_name, usager.ins_matricule) == ("Dupont", MATRICULE)
    client.post(reverse("usager-edit", args=[usager.pk]), {**FORM, "clear_matricule": "on"})
    usager.refresh_from_db()
    assert usager.ins_matricule == ""


def test_edit_bad_input_changes_nothing(client, secretary):
    usager = make(secretary)
    client.force_login(secretary)
    response = client.post(reverse("usager-edit", args=[usager.pk]), {**FORM, "birth_date": "2999-01-01"})
    assert response.status_code == 200
    assert "dans le futur" in text(response)
    usager.refresh_from_db()
    assert usager.birth_date == datetime.date(1955, 8, 14)


def test_edit_into_a_duplicate_shows_it_first(client, secretary):
    make(secretary)
    other = services.usager_create(secretary, data={**FORM, "first_names": "Jeanne"})
    client.force_login(secretary)
    url = reverse("usager-edit", args=[other.pk])
    response = client.post(url, {**FORM, "first_names": "Marie"})
    assert "Doublon possible" in text(response)
    other.refresh_from_db()
    assert other.first_names == "Jeanne"
    assert client.post(url, {**FORM, "first_names": "Marie", "confirm_duplicate": "on"}).status_code == 302


def test_merge_screen_choose_confirm_and_merge(client, secretary, director):
    kept = make(secretary)
    merged = services.usager_create(secretary, data=FORM, confirm_duplicate=True)
    Contact.objects.create(essms=merged.essms, usager=merged, role="famille", last_name="Proche")
    client.force_login(director)
    url = reverse("usager-merge", args=[kept.pk])
    content = text(client.get(url))
    assert f"?other={merged.pk}" in content
    content = text(client.get(url, {"q": "lefevre"}))
    assert f"?other={merged.pk}" in content
    content = text(client.get(url, {"other": merged.pk}))
    assert "Confirmer la fusion" in content
    assert "Contacts : 1" in content
    response = client.post(url, {"other": merged.pk})
    assert response.status_code == 302
    assert Contact.objects.get().usager == kept
    merged.refresh_from_db()
    assert merged.merged_into == kept


def test_merge_by_an_unauthorised_role_is_refused(client, secretary, essms):
    kept = make(secretary)
    merged = services.usager_create(secretary, data=FORM, confirm_duplicate=True)
    Contact.objects.create(essms=merged.essms, usager=merged, role="famille", last_name="Proche")
    client.force_login(secretary)
    url = reverse("usager-merge", args=[kept.pk])
    response = client.get(url)
    assert response.status_code == 403
    assert "identitovigilance" in text(response)
    assert client.post(url, {"other": merged.pk}).status_code == 403
    assert Contact.objects.get().usager == merged
    merged.refresh_from_db()
    assert merged.merged_into is None


def test_merge_with_a_dossier_of_another_essms_is_404(client, director, secretary, sibling_essms):
    kept = make(secretary)
    foreign = UsagerFactory(essms=sibling_essms)
    client.force_login(director)
    url = reverse("usager-merge", args=[kept.pk])
    assert client.get(url, {"other": foreign.pk}).status_code == 404
    assert client.post(url, {"other": foreign.pk}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.merged_into is None


def test_merge_with_a_malformed_or_oversized_id_is_404(client, director, secretary):
    kept = make(secretary)
    client.force_login(director)
    url = reverse("usager-merge", args=[kept.pk])
    for other in ("abc", "", str(2**63), "-1"):
        assert client.post(url, {"other": other}).status_code == 404, other
    kept.refresh_from_db()
    assert kept.merged_into is None

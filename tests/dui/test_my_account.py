"""The professional's own account page and /api/v1/me/ show their RPPS."""

from django.urls import reverse

from dui.models import Metier
from tests.factories import professional

RPPS = "10001034346"


def test_account_page_shows_rpps_and_national_id(client, essms):
    user = professional(essms, Metier.MEDECIN, username="dr.lefort", rpps=RPPS, first_name="Antoine")
    client.force_login(user)
    content = client.get(reverse("my-account")).content.decode()
    assert RPPS in content
    assert "identifiant national 8" + RPPS in content
    assert essms.name in content
    assert "Mon compte" in client.get(reverse("home")).content.decode()


def test_account_page_without_rpps_says_how_to_get_psc(client, essms):
    client.force_login(professional(essms, Metier.AIDE_SOIGNANT, username="as"))
    content = client.get(reverse("my-account")).content.decode()
    assert "Non renseigné" in content
    assert "Pro Santé Connect n'est pas possible" in content


def test_account_page_needs_login(client, db):
    response = client.get(reverse("my-account"))
    assert response.status_code == 302
    assert reverse("login") in response.url


def test_api_me_gives_rpps(client, essms):
    client.force_login(professional(essms, Metier.MEDECIN, username="dr.lefort", rpps=RPPS))
    data = client.get(reverse("api:me")).json()
    assert data["rpps"] == RPPS
    assert data["username"] == "dr.lefort"


def test_api_me_rpps_empty_when_none(client, essms):
    client.force_login(professional(essms, Metier.IDE, username="ide"))
    assert client.get(reverse("api:me")).json()["rpps"] == ""

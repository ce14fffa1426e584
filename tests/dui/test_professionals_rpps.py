"""The administrator keeps the RPPS of the active ESSMS's professionals: checked, unique, journalled."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dui.errors import NotFound, RightRefused
from dui.models import AccessLog, Metier
from dui.selectors.people import essms_professionals
from dui.services.people import professional_rpps_set
from tests.factories import professional

VALID = "10001034346"
OTHER_VALID = "10001023232"


@pytest.fixture
def admin(essms):
    return professional(essms, Metier.ADMINISTRATEUR, username="admin")


@pytest.fixture
def medecin(essms):
    return professional(essms, Metier.MEDECIN, username="dr.lefort", first_name="Antoine", last_name="Lefort")


def test_set_rpps_is_journalled(admin, medecin):
    professional_rpps_set(admin, medecin, "100 0103 4346")
    medecin.refresh_from_db()
    assert medecin.rpps == VALID
    log = AccessLog.objects.get(object_type="dui.user", object_id=str(medecin.pk))
    assert log.action == "update"
    assert log.username == "admin"


def test_clear_rpps(admin, medecin):
    professional_rpps_set(admin, medecin, VALID)
    professional_rpps_set(admin, medecin, "")
    medecin.refresh_from_db()
    assert medecin.rpps == ""


@pytest.mark.parametrize(("rpps", "message"), [("10001034347", "clé de contrôle"), ("123", "11 chiffres")])
def test_bad_rpps_refused_and_nothing_written(admin, medecin, rpps, message):
    with pytest.raises(ValidationError) as error:
        professional_rpps_set(admin, medecin, rpps)
    assert message in " ".join(error.value.message_dict["rpps"])
    medecin.refresh_from_db()
    assert medecin.rpps == ""
    assert not AccessLog.objects.filter(object_type="dui.user").exists()


def test_taken_rpps_refused(admin, medecin, essms):
    professional(essms, Metier.IDE, username="ide", rpps=VALID)
    with pytest.raises(ValidationError) as error:
        professional_rpps_set(admin, medecin, VALID)
    assert "déjà celui d'un autre compte" in error.value.message_dict["rpps"][0]


def test_only_who_may_write_the_habilitations(essms, medecin):
    director = professional(essms, Metier.DIRECTION, username="dir")
    with pytest.raises(RightRefused):
        professional_rpps_set(director, medecin, VALID)


def test_professional_of_another_essms_is_not_found(admin, sibling_essms):
    elsewhere = professional(sibling_essms, Metier.IDE, username="ailleurs")
    with pytest.raises(NotFound):
        professional_rpps_set(admin, elsewhere, VALID)
    assert elsewhere not in essms_professionals(admin)


def test_list_shows_rpps_and_edit_links(client, admin, medecin, essms):
    professional(essms, Metier.IDE, username="ide", rpps=OTHER_VALID)
    client.force_login(admin)
    content = client.get(reverse("professional-list")).content.decode()
    assert OTHER_VALID in content
    assert "Lefort" in content
    assert reverse("professional-rpps", args=[medecin.pk]) in content


def test_list_read_only_for_direction(client, essms, medecin):
    client.force_login(professional(essms, Metier.DIRECTION, username="dir"))
    response = client.get(reverse("professional-list"))
    assert response.status_code == 200
    assert reverse("professional-rpps", args=[medecin.pk]) not in response.content.decode()
    assert client.get(reverse("professional-rpps", args=[medecin.pk])).status_code == 403


def test_list_refused_to_care_staff(client, medecin):
    client.force_login(medecin)
    assert client.get(reverse("professional-list")).status_code == 403


def test_form_saves(client, admin, medecin):
    client.force_login(admin)
    response = client.post(reverse("professional-rpps", args=[medecin.pk]), {"rpps": VALID})
    assert response.status_code == 302
    medecin.refresh_from_db()
    assert medecin.rpps == VALID


def test_form_shows_the_french_error(client, admin, medecin):
    client.force_login(admin)
    response = client.post(reverse("professional-rpps", args=[medecin.pk]), {"rpps": "10001034347"})
    assert response.status_code == 400
    assert "clé de contrôle" in response.content.decode()
    medecin.refresh_from_db()
    assert medecin.rpps == ""


def test_form_of_a_professional_elsewhere_is_404(client, admin, foreign_essms):
    client.force_login(admin)
    outsider = professional(foreign_essms, Metier.IDE, username="loin")
    assert client.get(reverse("professional-rpps", args=[outsider.pk])).status_code == 404
    assert client.post(reverse("professional-rpps", args=[outsider.pk]), {"rpps": VALID}).status_code == 404

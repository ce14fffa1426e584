"""Default rights of the activity classes: the programme is read by the teams and written by those who
run activities; the participation (a person's attendance) follows the same writers."""

import pytest

from dui.catalogue import CLASS_BY_CODE, default_rights
from dui.models import Metier

RUNNERS = (Metier.ANIMATEUR, Metier.AES, Metier.EDUCATEUR, Metier.CADRE_SANTE, Metier.ERGOTHERAPEUTE, Metier.APA)


@pytest.mark.parametrize("metier", RUNNERS)
def test_activity_runners_write_the_programme_and_the_attendance(metier):
    assert default_rights(metier, "programme_activites") == "rw"
    assert default_rights(metier, "activites") == "rw"


@pytest.mark.parametrize("metier", [Metier.ASH, Metier.IDE, Metier.DIRECTION, Metier.QUALITE, Metier.MEDECIN])
def test_other_teams_read_the_programme_without_writing_it(metier):
    assert default_rights(metier, "programme_activites") == "r"


def test_technical_services_and_partners_see_no_programme_by_default():
    assert default_rights(Metier.TECHNIQUE, "programme_activites") == ""
    assert default_rights(Metier.PARTENAIRE, "programme_activites") == ""


def test_the_programme_holds_no_personal_data_the_participation_does():
    assert CLASS_BY_CODE["programme_activites"].holds_personal_data is False
    assert CLASS_BY_CODE["activites"].holds_personal_data is True

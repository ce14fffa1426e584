"""Default rights of the admission classes: who handles the requests, who gives and reads the opinion."""

import pytest

from dui.catalogue import default_rights
from dui.models import Metier

WRITERS = (Metier.SECRETAIRE_MEDICALE, Metier.DIRECTION, Metier.CADRE_SANTE, Metier.MEDECIN_COORDONNATEUR)


@pytest.mark.parametrize("metier", Metier.values)
def test_requests_written_by_the_secretariat_and_steering_read_by_the_ide(metier):
    expected = "rw" if metier in WRITERS else "r" if metier == Metier.IDE else ""
    assert default_rights(metier, "demandes_admission") == expected


@pytest.mark.parametrize("metier", Metier.values)
def test_opinion_given_by_the_medecin_coordonnateur_read_by_direction_and_cadre(metier):
    expected = {
        Metier.MEDECIN_COORDONNATEUR: "rwv",
        Metier.DIRECTION: "r",
        Metier.CADRE_SANTE: "r",
        Metier.SECRETAIRE_MEDICALE: "rw",  # files it into the pré-admission dossier, cannot give it
    }.get(metier, "")
    assert default_rights(metier, "avis_admission") == expected

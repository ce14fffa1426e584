"""The projet personnalisé ends with its séjour: the sortie closes it at the step « fin »."""

import pytest
from django.utils import timezone

from dui.models import ExitReason, Metier, Sejour
from dui.services.sejours import sejour_exit
from ppa.models import PpaStep, Projet
from tests.factories import professional
from tests.ppa.factories_projects import admitted, project_with_content

pytestmark = pytest.mark.django_db


def test_sortie_closes_the_project_of_the_sejour(essms):
    cadre = professional(essms, Metier.CADRE_SANTE)
    usager = admitted(essms)
    projet = project_with_content(cadre, usager)
    secretary = professional(essms, Metier.SECRETAIRE_MEDICALE)

    sejour_exit(
        secretary,
        sejour=Sejour.objects.get(usager=usager),
        ended_on=timezone.localdate(),
        exit_reason=ExitReason.RETOUR_DOMICILE,
    )

    projet.refresh_from_db()
    assert projet.step == PpaStep.FIN
    assert projet.closed_at is not None


def test_sortie_without_project_changes_nothing_in_projects(essms):
    usager = admitted(essms)
    secretary = professional(essms, Metier.SECRETAIRE_MEDICALE)
    sejour_exit(
        secretary,
        sejour=Sejour.objects.get(usager=usager),
        ended_on=timezone.localdate(),
        exit_reason=ExitReason.DECES,
    )
    assert not Projet.objects.exists()

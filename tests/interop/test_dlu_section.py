"""The dossier's "Informations d'urgence (DLU)" section: written through dui's service, each refusal
clear and writing nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dui.errors import NotFound, RightRefused
from dui.models import AccessLog, DossierDlu, Metier
from dui.services.dlu import dlu_section_save
from tests.factories import professional


@pytest.fixture
def ide(essms):
    return professional(essms, Metier.IDE)


def test_first_save_creates_then_updates_only_the_given_fields(usager, ide):
    dlu_section_save(ide, usager=usager, preferred_hospital="  CH de Lisieux ", deficits=["vision", "vision"])
    dlu_section_save(ide, usager=usager, vaccinations="Grippe 2026")
    section = DossierDlu.objects.get(usager=usager)
    assert (section.preferred_hospital, section.deficits, section.vaccinations) == (
        "CH de Lisieux", ["vision"], "Grippe 2026",
    )  # fmt: skip
    actions = list(AccessLog.objects.filter(object_type="dui.dossierdlu").values_list("action", flat=True))
    assert sorted(actions) == ["create", "update"]


def test_unknown_choice_is_refused(usager, ide):
    with pytest.raises(ValidationError) as error:
        dlu_section_save(ide, usager=usager, prostheses=["jambe de bois"])
    assert error.value.message_dict == {"prostheses": ["Valeur inconnue : « jambe de bois »."]}
    assert not DossierDlu.objects.exists()


def test_unknown_mobility_and_field_are_refused(usager, ide):
    with pytest.raises(ValidationError):
        dlu_section_save(ide, usager=usager, mobility="vole")
    with pytest.raises(ValidationError):
        dlu_section_save(ide, usager=usager, essms_id=3)
    assert not DossierDlu.objects.exists()


def test_archived_dossier_is_read_only(usager, ide):
    usager.archived_at = timezone.now()
    usager.save()
    with pytest.raises(ValidationError):
        dlu_section_save(ide, usager=usager, preferred_hospital="CH")
    assert not DossierDlu.objects.exists()


def test_aide_soignant_reads_but_may_not_write(usager, essms):
    with pytest.raises(RightRefused):
        dlu_section_save(professional(essms, Metier.AIDE_SOIGNANT), usager=usager, preferred_hospital="CH")
    assert not DossierDlu.objects.exists()


def test_another_essms_is_not_found(usager, foreign_essms):
    with pytest.raises(NotFound):
        dlu_section_save(professional(foreign_essms, Metier.IDE), usager=usager, preferred_hospital="CH")
    assert not DossierDlu.objects.exists()

"""Writing transmissions: every bad input gives a clear message and writes nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dui.models import AccessLog, Metier
from tests.factories import OrganismeGestionnaireFactory, UsagerFactory, professional
from transmissions.models import Cible, Theme, Transmission, Visibility
from transmissions.services.transmissions import transmission_add_result, transmission_correct, transmission_create


@pytest.fixture
def cible(og):
    return Cible.objects.create(og=og, label="Douleur", theme=Theme.DOULEUR)


@pytest.fixture
def aide_soignant(essms):
    return professional(essms, Metier.AIDE_SOIGNANT)


def write(user, **kwargs):
    defaults = {"observed_at": timezone.now()}
    return transmission_create(user, **(defaults | kwargs))


def test_dar_transmission_is_written_and_audited(aide_soignant, usager, cible):
    t = write(aide_soignant, usager=usager, cible=cible, donnees="Grimace au lever", actions="Antalgique donné")
    assert (t.theme, t.author_metier, t.version, t.is_current) == (Theme.DOULEUR, Metier.AIDE_SOIGNANT, 1, True)
    assert "grimace" in t.search_text
    assert AccessLog.objects.filter(action="create", object_id=str(t.pk), document_class="transmissions").exists()


def test_free_cible_is_kept_and_flagged(aide_soignant, usager):
    t = write(aide_soignant, usager=usager, free_cible="Appétit", donnees="A peu mangé")
    assert (t.cible, t.free_cible, t.cible_label) == (None, "Appétit", "Appétit")


def test_narrative_note_for_a_whole_unit(aide_soignant, unit):
    t = write(aide_soignant, unit=unit, narrative="Nuit calme dans l'unité.")
    assert (t.usager, t.unit) == (None, unit)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"donnees": "", "narrative": "   "}, "vide"),
        ({"donnees": "Chute", "cible": None}, "demande une cible"),
        ({"narrative": "x", "observed_at": "future"}, "futur"),
        ({"narrative": "x", "visibility": Visibility.MEDICAL}, "visibilité"),
        ({"narrative": "x", "visibility": "secret"}, "visibilité"),
    ],
)
def test_bad_input_writes_nothing(aide_soignant, usager, kwargs, message):
    if kwargs.get("observed_at") == "future":
        kwargs["observed_at"] = timezone.now() + datetime.timedelta(minutes=30)
    with pytest.raises(ValidationError, match=message):
        write(aide_soignant, usager=usager, **kwargs)
    assert not Transmission.objects.exists()


def test_a_few_minutes_ahead_is_tolerated(aide_soignant, usager):
    write(aide_soignant, usager=usager, narrative="x", observed_at=timezone.now() + datetime.timedelta(minutes=3))


def test_unknown_or_archived_person_is_refused(aide_soignant, foreign_essms, essms):
    with pytest.raises(ValidationError, match="Personne inconnue"):
        write(aide_soignant, usager=UsagerFactory(essms=foreign_essms), narrative="x")
    with pytest.raises(ValidationError, match="archivé"):
        write(aide_soignant, usager=UsagerFactory(essms=essms, archived_at=timezone.now()), narrative="x")
    assert not Transmission.objects.exists()


def test_cible_of_another_og_is_refused(aide_soignant, usager):
    other = Cible.objects.create(og=OrganismeGestionnaireFactory(), label="Chute", theme=Theme.MOBILITE)
    with pytest.raises(ValidationError, match="catalogue"):
        write(aide_soignant, usager=usager, cible=other, donnees="x")
    assert not Transmission.objects.exists()


def test_a_metier_without_the_right_cannot_write(essms, usager):
    with pytest.raises(PermissionDenied):
        write(professional(essms, Metier.TECHNIQUE), usager=usager, narrative="x")
    assert not Transmission.objects.exists()


def test_correction_is_a_new_version(aide_soignant, usager, cible, essms):
    first = write(aide_soignant, usager=usager, cible=cible, donnees="Douleur genou")
    ide = professional(essms, Metier.IDE)
    second = transmission_add_result(ide, transmission=first, resultats="Soulagée à 10 h")
    first.refresh_from_db()
    assert (first.is_current, second.is_current, second.version, second.original_id) == (False, True, 2, first.pk)
    assert (second.author, second.donnees, second.resultats) == (ide, "Douleur genou", "Soulagée à 10 h")
    with pytest.raises(ValidationError, match="remplacée"):
        transmission_correct(ide, transmission=first, donnees="autre")
    with pytest.raises(ValidationError, match="Aucune modification"):
        transmission_correct(ide, transmission=second, donnees="Douleur genou")
    assert Transmission.objects.count() == 2


def test_a_thread_keeps_its_cible_after_the_cible_is_retired(aide_soignant, usager, cible):
    first = write(aide_soignant, usager=usager, cible=cible, donnees="Douleur genou")
    Cible.objects.filter(pk=cible.pk).update(is_active=False)
    first.refresh_from_db()
    second = transmission_add_result(aide_soignant, transmission=first, resultats="Soulagée")
    assert second.cible == cible
    with pytest.raises(ValidationError, match="catalogue"):
        write(aide_soignant, usager=usager, cible=Cible.objects.get(pk=cible.pk), donnees="Nouvelle douleur")

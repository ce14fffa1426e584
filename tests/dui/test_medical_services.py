"""Medical and life services: matrix checked per class, bad inputs change nothing, every write audited."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dui.models import AccessLog, AggirEvaluation, Allergy, Antecedent, LifeNote, Metier, Treatment, Usager
from dui.services import medical
from tests.factories import UsagerFactory, coded_allergy, professional

TODAY = timezone.localdate


@pytest.fixture
def ide(essms):
    return professional(essms, Metier.IDE)


def nothing_written():
    for model in (Antecedent, Allergy, Treatment, AggirEvaluation, LifeNote):
        assert not model.objects.exists(), model
    assert not AccessLog.objects.exists()


def test_antecedent_add_and_end(ide, usager):
    row = medical.antecedent_add(ide, usager=usager, label="Diabète de type 2", year=2015)
    assert (row.essms_id, row.created_by, row.ended_at) == (usager.essms_id, ide, None)
    medical.antecedent_end(ide, antecedent=row)
    row.refresh_from_db()
    assert row.ended_at is not None
    assert list(AccessLog.objects.order_by("id").values_list("action", "document_class")) == [
        ("create", "antecedents"),
        ("update", "antecedents"),
    ]
    with pytest.raises(ValidationError, match="déjà close"):
        medical.antecedent_end(ide, antecedent=row)


@pytest.mark.parametrize("metier", [Metier.AIDE_SOIGNANT, Metier.ASSISTANT_SOCIAL, Metier.ANIMATEUR, Metier.ASH])
def test_writing_antecedents_without_the_right_is_refused(essms, usager, metier):
    with pytest.raises(PermissionDenied):
        medical.antecedent_add(professional(essms, metier), usager=usager, label="HTA")
    nothing_written()


def test_ending_without_the_right_is_refused(ide, essms, usager):
    row = medical.treatment_add(ide, usager=usager, line="Paracétamol 1 g x3/j")
    with pytest.raises(PermissionDenied):
        medical.treatment_end(professional(essms, Metier.AIDE_SOIGNANT), treatment=row)
    row.refresh_from_db()
    assert row.ended_at is None


def test_antecedent_bad_inputs(ide, usager):
    with pytest.raises(ValidationError, match="Décrivez"):
        medical.antecedent_add(ide, usager=usager, label="  ")
    with pytest.raises(ValidationError) as error:
        medical.antecedent_add(ide, usager=usager, label="HTA", year=TODAY().year + 1)
    assert "year" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        medical.antecedent_add(ide, usager=usager, label="HTA", kind="imaginaire")
    assert "kind" in error.value.message_dict
    nothing_written()


def test_allergy_add_and_bad_inputs(essms, usager):
    aide_soignant = professional(essms, Metier.AIDE_SOIGNANT)  # allergies: soins tier, written by an AS
    row = medical.allergy_add(aide_soignant, usager=usager, substance="Pénicilline", **coded_allergy(severity="severe"))
    assert row.severity == "severe"
    with pytest.raises(ValidationError):
        medical.allergy_add(aide_soignant, usager=usager, substance="", severity="severe")
    with pytest.raises(ValidationError):
        medical.allergy_add(aide_soignant, usager=usager, **coded_allergy(severity="mortelle"))
    assert Allergy.objects.count() == 1


def test_treatment_in_the_future_is_refused(ide, usager):
    with pytest.raises(ValidationError) as error:
        medical.treatment_add(ide, usager=usager, line="Kardégic", started_on=TODAY() + datetime.timedelta(days=2))
    assert "futur" in error.value.message_dict["started_on"][0]
    with pytest.raises(ValidationError):
        medical.treatment_add(ide, usager=usager, line="")
    nothing_written()


def test_aggir_record(ide, usager):
    row = medical.aggir_record(ide, usager=usager, gir=3, evaluated_on=TODAY(), evaluator="Dr Roux, médecin co")
    assert (row.gir, row.evaluator) == (3, "Dr Roux, médecin co")
    assert AccessLog.objects.get().detail == "GIR 3"


@pytest.mark.parametrize("gir", [0, 7, "sept", None])
def test_aggir_gir_outside_one_to_six_is_refused(ide, usager, gir):
    with pytest.raises(ValidationError) as error:
        medical.aggir_record(ide, usager=usager, gir=gir, evaluated_on=TODAY(), evaluator="IDEC")
    assert "entre 1 et 6" in error.value.message_dict["gir"][0] or "de 1 à 6" in error.value.message_dict["gir"][0]
    nothing_written()


def test_aggir_in_the_future_is_refused(ide, usager):
    with pytest.raises(ValidationError) as error:
        medical.aggir_record(
            ide, usager=usager, gir=2, evaluated_on=TODAY() + datetime.timedelta(days=1), evaluator="IDEC"
        )
    assert "futur" in error.value.message_dict["evaluated_on"][0]
    nothing_written()


def test_aggir_needs_an_evaluator_and_a_date(ide, usager):
    with pytest.raises(ValidationError) as error:
        medical.aggir_record(ide, usager=usager, gir=2, evaluated_on=None, evaluator=" ")
    assert set(error.value.message_dict) == {"evaluated_on", "evaluator"}
    with pytest.raises(ValidationError, match="naissance"):
        medical.aggir_record(ide, usager=usager, gir=2, evaluated_on=datetime.date(1900, 1, 1), evaluator="IDEC")
    nothing_written()


def test_aggir_refused_to_an_animateur(essms, usager):
    with pytest.raises(PermissionDenied):
        medical.aggir_record(
            professional(essms, Metier.ANIMATEUR),
            usager=usager,
            gir=4,
            evaluated_on=TODAY(),
            evaluator="x",
        )
    nothing_written()


def test_archived_dossier_is_read_only(ide, usager):
    usager.archived_at = timezone.now()
    usager.save()
    calls = [
        lambda: medical.antecedent_add(ide, usager=usager, label="HTA"),
        lambda: medical.allergy_add(ide, usager=usager, substance="Latex", **coded_allergy()),
        lambda: medical.treatment_add(ide, usager=usager, line="Doliprane"),
        lambda: medical.aggir_record(ide, usager=usager, gir=2, evaluated_on=TODAY(), evaluator="x"),
        lambda: medical.lifenote_add(ide, usager=usager, kind="habitudes_vie", topic="Café", text="Noir"),
        lambda: medical.usager_set_flags(ide, usager=usager, palliative_care=True),
    ]
    for call in calls:
        with pytest.raises(ValidationError, match="archivé"):
            call()
    nothing_written()
    assert Usager.objects.get(pk=usager.pk).palliative_care is False


def test_another_essms_dossier_is_refused(ide, sibling_essms):
    with pytest.raises(PermissionDenied):
        medical.allergy_add(ide, usager=UsagerFactory(essms=sibling_essms), substance="Latex", **coded_allergy())
    nothing_written()


# --- Life notes


def test_lifenote_class_follows_the_kind(essms, usager):
    animateur = professional(essms, Metier.ANIMATEUR)
    note = medical.lifenote_add(
        animateur, usager=usager, kind="centres_interet", topic="Musique", text="Aime l'accordéon"
    )
    assert AccessLog.objects.get().document_class == "centres_interet"
    medical.lifenote_update(animateur, note=note, text="Accordéon et chanson française")
    note.refresh_from_db()
    assert note.text == "Accordéon et chanson française"
    medical.lifenote_end(animateur, note=note)
    assert LifeNote.objects.get().ended_at is not None


def test_lifenote_bad_inputs(essms, usager):
    ash = professional(essms, Metier.ASH)  # vie quotidienne: read only
    ide = professional(essms, Metier.IDE)
    with pytest.raises(PermissionDenied):
        medical.lifenote_add(ash, usager=usager, kind="habitudes_vie", topic="Sieste", text="14h")
    with pytest.raises(ValidationError):
        medical.lifenote_add(ide, usager=usager, kind="loisirs", topic="Sieste", text="14h")
    with pytest.raises(ValidationError):
        medical.lifenote_add(ide, usager=usager, kind="habitudes_vie", topic="Sieste", text="")
    nothing_written()
    note = medical.lifenote_add(ide, usager=usager, kind="habitudes_vie", topic="Sieste", text="14h")
    with pytest.raises(ValidationError):
        medical.lifenote_update(ide, note=note, topic="")
    note.refresh_from_db()
    assert note.topic == "Sieste"


# --- Flags


def test_flags_are_set_per_class(essms, usager):
    ide = professional(essms, Metier.IDE)
    medical.usager_set_flags(ide, usager=usager, palliative_care=True, has_advance_directives=True)
    usager.refresh_from_db()
    assert (usager.palliative_care, usager.has_advance_directives) == (True, True)
    logs = AccessLog.objects.order_by("id").values_list("action", "document_class", "object_type", "usager_id")
    assert list(logs) == [
        ("update", "soins_palliatifs", "dui.usager", usager.pk),
        ("update", "directives_anticipees", "dui.usager", usager.pk),
    ]


def test_flags_unchanged_write_nothing(essms, usager):
    medical.usager_set_flags(professional(essms, Metier.IDE), usager=usager, palliative_care=False)
    assert not AccessLog.objects.exists()


def test_flag_refused_when_its_class_is_not_writable(essms, usager):
    aide_soignant = professional(essms, Metier.AIDE_SOIGNANT)  # soins palliatifs: read only
    with pytest.raises(PermissionDenied):
        medical.usager_set_flags(aide_soignant, usager=usager, palliative_care=True)
    secretaire = professional(essms, Metier.SECRETAIRE_MEDICALE)
    medical.usager_set_flags(secretaire, usager=usager, has_advance_directives=True)
    usager.refresh_from_db()
    assert (usager.palliative_care, usager.has_advance_directives) == (False, True)


def test_a_flag_refused_refuses_both(essms, usager):
    with pytest.raises(PermissionDenied):
        medical.usager_set_flags(
            professional(essms, Metier.AIDE_SOIGNANT),
            usager=usager,
            palliative_care=True,
            has_advance_directives=True,
        )
    usager.refresh_from_db()
    assert (usager.palliative_care, usager.has_advance_directives) == (False, False)
    assert not AccessLog.objects.exists()

"""Recording evaluations: scoring, follow-ups into the worklist, AGGIR into the dossier, and every bad input."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dui.errors import NotFound
from dui.models import AccessLog, AggirEvaluation, Metier
from soins.grids import GRIDS, UnknownGridError, grid_by_code
from soins.grids.aggir import SUB_VARIABLES
from soins.models import CareOccurrence, Evaluation
from soins.services.evaluations import evaluation_record
from tests.factories import UsagerFactory, professional

ALL_YES = {"S": True, "T": True, "C": True, "H": True}


@pytest.fixture
def nurse(essms):
    return professional(essms, Metier.IDE)


def record(user, usager, grid, answers, **kwargs):
    return evaluation_record(user, usager=usager, grid=grid, answers=answers, **kwargs)


def nothing_written():
    return not Evaluation.objects.exists() and not CareOccurrence.objects.exists()


def test_every_grid_has_a_known_class_and_unique_codes():
    from dui.catalogue import CLASS_BY_CODE

    assert len({grid.code for grid in GRIDS}) == len(GRIDS)
    assert all(grid.document_class_code in CLASS_BY_CODE for grid in GRIDS)
    assert grid_by_code("algoplus").document_class_code == "evaluation_douleur"
    assert grid_by_code("en").document_class_code == "evaluation_douleur"
    assert {grid_by_code(c).document_class_code for c in ("constantes", "poids_imc", "hydratation", "selles")} == {
        "constantes"
    }
    assert grid_by_code("aggir").document_class_code == "aggir"
    with pytest.raises(UnknownGridError):
        grid_by_code("mmse")
    assert issubclass(UnknownGridError, NotFound)  # a 404 page or answer, never an Http404 from a service


def test_algoplus_two_or_more_schedules_a_re_evaluation_within_the_hour(nurse, usager):
    answers = {"visage": True, "regard": True, "plaintes": False, "corps": False, "comportements": False}
    evaluation = record(nurse, usager, "algoplus", answers)
    assert evaluation.score == 2
    assert "douleur probable" in evaluation.interpretation
    follow_up = CareOccurrence.objects.get(evaluation=evaluation)
    assert follow_up.due_at == evaluation.evaluated_at + datetime.timedelta(hours=1)
    assert follow_up.label == "Réévaluation de la douleur (Algoplus)"
    assert follow_up.metier == Metier.IDE
    assert evaluation.document_class_code == "evaluation_douleur"
    assert AccessLog.objects.filter(object_id=str(evaluation.pk), action="create").exists()


def test_algoplus_one_schedules_nothing(nurse, usager):
    answers = {"visage": True, "regard": False, "plaintes": False, "corps": False, "comportements": False}
    evaluation = record(nurse, usager, "algoplus", answers)
    assert evaluation.score == 1
    assert not CareOccurrence.objects.exists()


@pytest.mark.parametrize(("value", "follow_ups"), [(3, 0), (4, 1), (10, 1), (0, 0)])
def test_en_threshold_is_four(nurse, usager, value, follow_ups):
    evaluation = record(nurse, usager, "en", {"intensite": value})
    assert evaluation.score == value
    assert CareOccurrence.objects.filter(evaluation=evaluation).count() == follow_ups


def test_an_old_evaluation_schedules_no_follow_up(nurse, usager):
    evaluation = record(nurse, usager, "en", {"intensite": 8}, evaluated_at=timezone.now() - datetime.timedelta(days=3))
    assert not CareOccurrence.objects.exists()
    assert evaluation.results["suivis_non_programmes"] == ["Réévaluation de la douleur (EN)"]


def test_weight_and_bmi_with_has_2021_thresholds_for_the_elderly(nurse, essms):
    old = UsagerFactory(essms=essms, birth_date=datetime.date(1940, 1, 1))
    first = record(
        nurse, old, "poids_imc", {"poids": 60, "taille": 160}, evaluated_at=timezone.now() - datetime.timedelta(days=20)
    )
    assert float(first.score) == 23.4  # 60 / 1.6²
    assert first.results["denutrition"] == "non"
    # 56.5 kg, height taken from the earlier weighing: BMI 22.1, loss 5.8 % in a month → criterion met.
    second = record(nurse, old, "poids_imc", {"poids": 56.5})
    assert float(second.score) == 22.1
    assert second.results["perte_1_mois_pct"] == 5.8
    assert second.results["denutrition"] == "moderee"
    assert "HAS 2021" in second.interpretation
    assert CareOccurrence.objects.filter(evaluation=second).count() == 1


def test_bmi_21_is_a_criterion_at_75_not_at_40(nurse, essms):
    old = UsagerFactory(essms=essms, birth_date=datetime.date(1945, 1, 1))
    young = UsagerFactory(essms=essms, birth_date=timezone.localdate().replace(year=timezone.localdate().year - 40))
    assert record(nurse, old, "poids_imc", {"poids": 53.8, "taille": 160}).results["denutrition"] == "moderee"
    assert record(nurse, young, "poids_imc", {"poids": 53.8, "taille": 160}).results["denutrition"] == "non"
    assert record(nurse, old, "poids_imc", {"poids": 50, "taille": 160}).results["denutrition"] == "severe"


def test_constantes_flag_abnormal_values_and_alerts_schedule_a_recheck(nurse, usager):
    normal = record(nurse, usager, "constantes", {"tas": 128, "tad": 76, "pouls": 72})
    assert normal.results["hors_normes"] == {}
    assert not CareOccurrence.objects.exists()
    fever = record(nurse, usager, "constantes", {"temperature": 38.9, "spo2": 93})
    assert fever.results["hors_normes"] == {"temperature": "haut", "spo2": "bas"}
    assert fever.results["alertes"] == ["Température"]
    assert CareOccurrence.objects.get(evaluation=fever).label == "Recontrôle des constantes (Température)"


def test_hydration_and_stools(nurse, usager):
    dry = record(nurse, usager, "hydratation", {"periode": "24h", "apports_ml": 700, "signes": ["bouche_seche"]})
    assert dry.results["risque_deshydratation"] is True
    assert CareOccurrence.objects.filter(evaluation=dry).count() == 1
    ok = record(nurse, usager, "hydratation", {"periode": "jour", "apports_ml": 900})
    assert ok.results == {
        "objectif_ml": 750,
        "pourcentage_objectif": 120,
        "apports_insuffisants": False,
        "risque_deshydratation": False,
    }
    stools = record(nurse, usager, "selles", {"nombre": 3, "bristol": 7})
    assert stools.results["aspect"] == "diarrhée"
    assert record(nurse, usager, "selles", {"nombre": 0}).interpretation == "Pas de selle."


def test_aggir_records_the_gir_in_the_dossier_section(nurse, usager):
    answers = {code: ALL_YES for code, *_ in SUB_VARIABLES}
    answers["coherence_communication"] = answers["coherence_comportement"] = "C"
    answers["orientation_temps"] = answers["orientation_espace"] = "C"
    evaluation = record(nurse, usager, "aggir", answers)
    assert evaluation.score == 2
    section = AggirEvaluation.objects.get(usager=usager)
    assert section.gir == 2
    assert section.evaluated_on == timezone.localdate()
    assert nurse.last_name in section.evaluator


# --- Bad input: a clear French message, nothing written -----------------------------------------


@pytest.mark.parametrize(
    ("grid", "answers", "key", "fragment"),
    [
        ("en", {"intensite": 11}, "intensite", "hors limites : de 0 à 10"),
        ("en", {"intensite": -1}, "intensite", "hors limites"),
        ("en", {"intensite": "4"}, "intensite", "Nombre attendu"),
        ("en", {"intensite": 4.5}, "intensite", "entier"),
        ("en", {"intensite": True}, "intensite", "Nombre attendu"),
        ("en", {}, "intensite", "obligatoire"),
        ("en", {"intensite": 3, "humeur": 2}, "humeur", "Item inconnu"),
        ("en", [3], "answers", "objet"),
        ("constantes", {"spo2": 140}, "spo2", "hors limites : de 50 à 100 %"),
        ("constantes", {"temperature": 45.2}, "temperature", "hors limites"),
        ("constantes", {}, "answers", "au moins une constante"),
        ("constantes", {"tas": 120}, "tad", "ensemble"),
        ("constantes", {"tas": 70, "tad": 90}, "tas", "supérieure à la diastolique"),
        ("selles", {"nombre": 1, "bristol": 8}, "bristol", "hors limites : de 1 à 7"),
        ("selles", {"nombre": 1}, "bristol", "obligatoire"),
        ("selles", {"nombre": 0, "bristol": 4}, "bristol", "Pas de type"),
        ("algoplus", {"visage": "oui"}, "visage", "oui ou non"),
        ("algoplus", {"visage": True}, "regard", "obligatoire"),
        ("hydratation", {"periode": "semaine", "apports_ml": 500}, "periode", "Choix invalide"),
        ("hydratation", {"periode": "24h", "apports_ml": 500, "signes": ["fievre"]}, "signes", "Liste attendue"),
        ("poids_imc", {"poids": 5}, "poids", "hors limites"),
        ("poids_imc", {"poids": float("nan")}, "poids", "Nombre attendu"),
    ],
)
def test_bad_answers_are_refused_and_write_nothing(nurse, usager, grid, answers, key, fragment):
    with pytest.raises(ValidationError) as error:
        record(nurse, usager, grid, answers)
    assert fragment in " ".join(error.value.message_dict[key])
    assert nothing_written()


def test_unknown_grid(nurse, usager):
    with pytest.raises(ValidationError) as error:
        record(nurse, usager, "mmse", {"score": 25})
    assert "Grille inconnue" in error.value.message_dict["grid"][0]
    assert nothing_written()


def test_future_date_is_refused(nurse, usager):
    with pytest.raises(ValidationError) as error:
        record(nurse, usager, "en", {"intensite": 2}, evaluated_at=timezone.now() + datetime.timedelta(hours=2))
    assert "futur" in error.value.message_dict["evaluated_at"][0]
    assert nothing_written()


def test_date_before_birth_is_refused(nurse, usager):
    with pytest.raises(ValidationError):
        record(nurse, usager, "en", {"intensite": 2}, evaluated_at=datetime.datetime(1930, 1, 1, tzinfo=datetime.UTC))
    assert nothing_written()


def test_another_essms_person_is_404(nurse, sibling_essms):
    other = UsagerFactory(essms=sibling_essms)
    with pytest.raises(NotFound):
        record(nurse, other, "en", {"intensite": 2})
    assert nothing_written()


def test_archived_dossier_is_read_only(nurse, usager):
    usager.archived_at = timezone.now()
    usager.save(update_fields=["archived_at"])
    with pytest.raises(ValidationError) as error:
        record(nurse, usager, "en", {"intensite": 5})
    assert "archivé" in error.value.messages[0]
    assert nothing_written()


@pytest.mark.parametrize(
    ("metier", "grid"), [(Metier.ASH, "en"), (Metier.ANIMATEUR, "constantes"), (Metier.ASH, "aggir")]
)
def test_metier_without_write_right_on_the_class(essms, usager, metier, grid):
    with pytest.raises(PermissionDenied) as error:
        record(professional(essms, metier), usager, grid, {"intensite": 5})
    assert "Votre métier ne permet pas" in str(error.value)
    assert nothing_written()
    assert not AggirEvaluation.objects.exists()


def test_aggir_failure_writes_neither_evaluation_nor_section(nurse, usager):
    answers = {code: ALL_YES for code, *_ in SUB_VARIABLES}
    answers["transferts"] = {"S": True}
    with pytest.raises(ValidationError):
        record(nurse, usager, "aggir", answers)
    assert nothing_written()
    assert not AggirEvaluation.objects.exists()

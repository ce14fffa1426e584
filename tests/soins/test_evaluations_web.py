"""Evaluation pages: list by grid with trend, full questionnaire form, result page, and refusals."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from dui.models import AggirEvaluation, Metier
from soins.grids.aggir import ILLUSTRATIVES, SUB_VARIABLES
from soins.models import CareOccurrence, Evaluation
from soins.services.evaluations import evaluation_record
from tests.factories import UsagerFactory, professional


@pytest.fixture
def nurse(essms):
    return professional(essms, Metier.IDE)


def create_url(usager, grid):
    return reverse("evaluation-create", kwargs={"pk": usager.pk, "grid": grid})


def test_form_shows_the_full_aggir_questionnaire(client, nurse, usager):
    client.force_login(nurse)
    response = client.get(create_url(usager, "aggir"))
    assert response.status_code == 200
    body = response.content.decode()
    for code, _variable, label, help_ in SUB_VARIABLES:
        assert escape(label) in body
        assert escape(help_) in body
        for adverb in "STCH":
            assert f'name="q_{code}_{adverb}"' in body
    for _code, label, _help in ILLUSTRATIVES:
        assert escape(label) in body
    assert "Spontanément" in body and "Habituellement" in body
    assert 'type="radio"' in body
    assert "style=" not in body and "onclick" not in body


def test_posting_algoplus_shows_score_interpretation_and_follow_up(client, nurse, usager):
    client.force_login(nurse)
    data = {"q_visage": "oui", "q_regard": "oui", "q_plaintes": "oui", "q_corps": "non", "q_comportements": "non"}
    response = client.post(create_url(usager, "algoplus"), data, follow=True)
    assert response.status_code == 200
    evaluation = Evaluation.objects.get()
    assert evaluation.score == 3
    body = response.content.decode()
    assert "douleur probable" in body
    assert "Réévaluation de la douleur (Algoplus)" in body
    assert CareOccurrence.objects.filter(evaluation=evaluation).count() == 1


def test_posting_aggir_with_adverbs_records_the_gir(client, nurse, usager):
    client.force_login(nurse)
    data = {f"q_{code}_{a}": "oui" for code, *_ in SUB_VARIABLES for a in "STCH"}
    for a in "STCH":
        data[f"q_toilette_bas_{a}"] = "non"
    data["q_toilette_haut_S"] = "non"
    response = client.post(create_url(usager, "aggir"), data, follow=True)
    assert response.status_code == 200
    # Toilette B (haut B, bas C) only: H = 2000 → rank 12, GIR 5.
    assert Evaluation.objects.get().score == 5
    assert AggirEvaluation.objects.get(usager=usager).gir == 5
    assert "GIR 5" in response.content.decode()


@pytest.mark.parametrize(
    ("grid", "data", "fragment"),
    [
        ("en", {"q_intensite": "11"}, "hors limites"),
        ("en", {"q_intensite": "douze"}, "Nombre attendu"),
        ("en", {}, "obligatoire"),
        ("constantes", {"q_spo2": "140"}, "hors limites"),
        ("constantes", {}, "au moins une constante"),
        ("selles", {"q_nombre": "1", "q_bristol": "8"}, "hors limites"),
        ("en", {"q_intensite": "3", "evaluated_at": "2999-01-01T10:00"}, "futur"),
        ("en", {"q_intensite": "3", "evaluated_at": "hier"}, "invalides"),
    ],
)
def test_bad_input_re_renders_the_form_in_french(client, nurse, usager, grid, data, fragment):
    client.force_login(nurse)
    response = client.post(create_url(usager, grid), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert fragment in body
    assert "n'a pas été enregistrée" in body
    assert not Evaluation.objects.exists()


def test_list_shows_history_and_trend(client, nurse, usager):
    evaluation_record(nurse, usager=usager, grid="constantes", answers={"tas": 150, "tad": 80, "temperature": 37.1})
    evaluation_record(nurse, usager=usager, grid="en", answers={"intensite": 2})
    client.force_login(nurse)
    response = client.get(reverse("usager-evaluations", kwargs={"pk": usager.pk}))
    body = response.content.decode()
    assert response.status_code == 200
    assert "150" in body and "(haut)" in body
    assert "EN 2/10" in body
    assert create_url(usager, "aggir") in body


def test_unknown_grid_is_404(client, nurse, usager):
    client.force_login(nurse)
    assert client.get(create_url(usager, "mmse")).status_code == 404


def test_another_essms_person_is_404(client, nurse, sibling_essms):
    other = UsagerFactory(essms=sibling_essms)
    client.force_login(nurse)
    assert client.get(create_url(other, "en")).status_code == 404
    assert client.post(create_url(other, "en"), {"q_intensite": "5"}).status_code == 404
    assert client.get(reverse("usager-evaluations", kwargs={"pk": other.pk})).status_code == 404
    assert not Evaluation.objects.exists()


def test_metier_without_write_right_gets_404_and_no_button(client, essms, usager):
    ash = professional(essms, Metier.ASH)
    client.force_login(ash)
    assert client.post(create_url(usager, "en"), {"q_intensite": "5"}).status_code == 404
    assert not Evaluation.objects.exists()
    body = client.get(reverse("usager-evaluations", kwargs={"pk": usager.pk})).content.decode()
    assert create_url(usager, "en") not in body


def test_archived_dossier_redirects_with_message(client, nurse, usager):
    usager.archived_at = timezone.now()
    usager.save(update_fields=["archived_at"])
    client.force_login(nurse)
    response = client.post(create_url(usager, "en"), {"q_intensite": "5"}, follow=True)
    assert "archivé" in response.content.decode()
    assert not Evaluation.objects.exists()


def test_detail_of_another_person_is_404(client, nurse, usager, essms):
    evaluation = evaluation_record(nurse, usager=usager, grid="en", answers={"intensite": 1})
    other = UsagerFactory(essms=essms)
    client.force_login(nurse)
    ok = client.get(reverse("evaluation-detail", kwargs={"pk": usager.pk, "evaluation_pk": evaluation.pk}))
    assert ok.status_code == 200
    wrong = reverse("evaluation-detail", kwargs={"pk": other.pk, "evaluation_pk": evaluation.pk})
    assert client.get(wrong).status_code == 404

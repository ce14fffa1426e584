"""The evaluation page's curves (period, thresholds, table), alerts, hydration target form, and
implausible weights refused on the web and the API."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dui.models import Metier
from soins.models import Evaluation, HydrationTarget
from soins.services.evaluations import evaluation_record
from soins.services.nutrition import hydration_target_set
from tests.factories import UsagerFactory, professional
from tests.logged import logged_events


@pytest.fixture
def nurse(essms):
    return professional(essms, Metier.IDE)


def page(usager, **query):
    url = reverse("usager-evaluations", kwargs={"pk": usager.pk})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def target_url(usager):
    return reverse("evaluation-hydration-target", kwargs={"pk": usager.pk})


def ago(days):
    return timezone.now() - datetime.timedelta(days=days, hours=1)


def record(user, usager, grid, answers, days):
    return evaluation_record(user, usager=usager, grid=grid, answers=answers, evaluated_at=ago(days))


@pytest.fixture
def measured(nurse, usager):
    record(nurse, usager, "poids_imc", {"poids": 64, "taille": 160}, 60)
    record(nurse, usager, "poids_imc", {"poids": 63, "taille": 160}, 25)
    record(nurse, usager, "poids_imc", {"poids": 59.5}, 0)
    for day in range(14):
        record(nurse, usager, "constantes", {"tas": 120 + day, "tad": 70, "pouls": 72, "spo2": 96}, day)
    record(nurse, usager, "hydratation", {"periode": "24h", "apports_ml": 1600}, 1)
    evaluation_record(nurse, usager=usager, grid="hydratation", answers={"periode": "24h", "apports_ml": 1100})
    return usager


def test_default_period_draws_each_constante_weight_and_hydration_with_thresholds(client, nurse, measured):
    client.force_login(nurse)
    response = client.get(page(measured))
    assert response.status_code == 200
    body = response.content.decode()
    for key in ("tas", "tad", "pouls", "spo2", "poids", "hydratation"):
        assert f'id="courbe-{key}"' in body
    assert 'id="courbe-temperature"' not in body  # never measured
    assert body.count('<svg class="evc-svg"') == 6
    assert body.count('<circle class="evc-point') == 14 * 4 + 2 + 2  # weight of 60 days ago is outside 30
    assert "Normes usuelles" in body and "Seuil d&#x27;alerte haut (180)" in body
    assert "IMC 22 (56,3)" in body  # born in 1938: HAS 2021 threshold, 1.60 m
    assert "Objectif par jour (1500)" in body
    assert "Voir les valeurs en tableau" in body and "<table" in body
    assert 'aria-current="true">30 jours' in body
    assert "style=" not in body and "<script>" not in body


def test_page_shows_the_nutrition_alerts(client, nurse, measured):
    client.force_login(nurse)
    body = client.get(page(measured)).content.decode()
    assert "Alertes nutrition et hydratation" in body
    assert "Perte de poids" in body and "5,6 % en 1 mois" in body
    assert "Hydratation du" in body and "1100 mL" in body


@pytest.mark.parametrize(("days", "points"), [(7, 7 * 4 + 1 + 2), (90, 14 * 4 + 3 + 2), (180, 14 * 4 + 3 + 2)])
def test_other_periods(client, nurse, measured, days, points):
    client.force_login(nurse)
    body = client.get(page(measured, periode=days)).content.decode()
    assert body.count('<circle class="evc-point') == points
    assert f'aria-current="true">{days} jours' in body


@pytest.mark.parametrize("raw", ["31", "0", "-7", "7.5", "abc", "1e3", "٣٠"])
def test_an_unknown_period_is_a_400_in_french_and_logs_nothing_new(client, nurse, measured, raw):
    client.force_login(nurse)
    before = Evaluation.objects.count()
    response = client.get(page(measured, periode=raw))
    assert response.status_code == 400
    assert "Période inconnue : choisissez 7, 30, 90, 180 jours." in response.content.decode()
    assert Evaluation.objects.count() == before and not HydrationTarget.objects.exists()


def test_the_curves_reads_are_logged(client, nurse, measured):
    client.force_login(nurse)
    client.get(page(measured, periode=180))
    logged = {event.object_id for event in logged_events(object_type="soins.evaluation")}
    assert logged == {str(pk) for pk in Evaluation.objects.values_list("pk", flat=True)}


def test_nurse_sets_the_target_shown_on_the_curve(client, nurse, measured):
    client.force_login(nurse)
    response = client.post(
        target_url(measured), {"daily_ml": "1 300", "comment": "Insuffisance cardiaque"}, follow=True
    )
    body = response.content.decode()
    assert "Objectif d&#x27;hydratation fixé à 1300 mL par jour." in body
    assert "Objectif par jour (1300)" in body and "Insuffisance cardiaque" in body
    assert HydrationTarget.objects.get().daily_ml == 1300


@pytest.mark.parametrize("value", ["0", "-1", "100000", "99999999999999999999", "1,5", "deux litres", ""])
def test_an_absurd_target_is_refused_on_the_web_and_writes_nothing(client, nurse, usager, value):
    client.force_login(nurse)
    response = client.post(target_url(usager), {"daily_ml": value}, follow=True)
    body = response.content.decode()
    assert "Objectif non enregistré" in body
    assert "entre 500 et 4000" in body or "nombre entier" in body
    assert not HydrationTarget.objects.exists()


def test_an_aide_soignante_sees_the_target_without_the_form_and_may_not_post(client, essms, usager):
    aide = professional(essms, Metier.AIDE_SOIGNANT)
    client.force_login(aide)
    body = client.get(page(usager)).content.decode()
    assert "Objectif d'hydratation : <strong>1500 mL par jour</strong>" in body
    assert target_url(usager) not in body
    assert client.post(target_url(usager), {"daily_ml": "1500"}).status_code == 404
    assert client.get(target_url(usager)).status_code == 405
    assert not HydrationTarget.objects.exists()


def test_target_of_another_essms_person_is_404(client, nurse, sibling_essms):
    other = UsagerFactory(essms=sibling_essms)
    client.force_login(nurse)
    assert client.post(target_url(other), {"daily_ml": "1500"}).status_code == 404
    assert client.get(page(other, periode=7)).status_code == 404
    assert not HydrationTarget.objects.exists()


def test_archived_dossier_target_is_refused(client, nurse, usager):
    hydration_target_set(nurse, usager=usager, daily_ml=1400)
    usager.archived_at = timezone.now()
    usager.save(update_fields=["archived_at"])
    client.force_login(nurse)
    body = client.post(target_url(usager), {"daily_ml": "1600"}, follow=True).content.decode()
    assert "archivé" in body
    assert list(HydrationTarget.objects.values_list("daily_ml", flat=True)) == [1400]


@pytest.mark.parametrize("kg", ["0", "500", "0,0", "19,9", "300,1"])
def test_implausible_weight_on_the_web_form(client, nurse, usager, kg):
    client.force_login(nurse)
    url = reverse("evaluation-create", kwargs={"pk": usager.pk, "grid": "poids_imc"})
    response = client.post(url, {"q_poids": kg, "q_taille": "160"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "invraisemblable" in body and "20 à 300 kg" in body
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize("kg", [0, 500, 0.0, 19.9, 300.1, -70])
def test_implausible_weight_on_the_api(client, nurse, usager, kg):
    client.force_login(nurse)
    body = {"usager": usager.pk, "grid": "poids_imc", "answers": {"poids": kg, "taille": 160}}
    response = client.post("/api/v1/evaluations/", body, content_type="application/json")
    assert response.status_code == 400
    message = " ".join(response.json()["answers"]["poids"])
    assert "invraisemblable" in message and "20 à 300 kg" in message
    assert not Evaluation.objects.exists()


# --- running score and EN ruler -----------------------------------------------------------


def test_the_live_definition_mirrors_the_server_score_for_every_answer():
    import itertools

    from soins.grids import GRIDS, Context
    from soins.grids.pain import ALGOPLUS, EN

    context = Context(evaluated_at=timezone.now(), age_years=80)
    codes = [item.code for item in ALGOPLUS.items]
    for ticks in itertools.product([True, False], repeat=len(codes)):
        answers = dict(zip(codes, ticks, strict=True))
        _cleaned, outcome = ALGOPLUS.evaluate(answers, context)
        score, band = ALGOPLUS.live_preview(answers)
        assert score == outcome.score
        assert band.split(" :")[0] in outcome.interpretation
    for value in range(11):
        _cleaned, outcome = EN.evaluate({"intensite": value}, context)
        score, band = EN.live_preview({"intensite": value})
        assert score == outcome.score and band.split(" :")[0] in outcome.interpretation
    assert {grid.code for grid in GRIDS if grid.live} == {"algoplus", "en"}


def test_forms_carry_the_live_definition_and_the_script_but_no_inline_code(client, nurse, usager):
    client.force_login(nurse)
    body = client.get(reverse("evaluation-create", kwargs={"pk": usager.pk, "grid": "algoplus"})).content.decode()
    assert '<script id="evg-live-data" type="application/json">' in body
    assert (
        '"method": "count_true"' in body
        and '"items": ["visage", "regard", "plaintes", "corps", "comportements"]' in body
    )
    assert "/static/js/evaluation-score.js" in body and "onchange" not in body
    body = client.get(reverse("evaluation-create", kwargs={"pk": usager.pk, "grid": "en"})).content.decode()
    assert body.count('class="evg-ruler-step ') == 11
    assert 'aria-label="10 — douleur maximale imaginable"' in body
    body = client.get(reverse("evaluation-create", kwargs={"pk": usager.pk, "grid": "constantes"})).content.decode()
    assert "evg-live-data" not in body and "evaluation-score.js" not in body

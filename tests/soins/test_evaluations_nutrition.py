"""Hydration target (rights, bounds) and nutrition_alerts (HAS weight-loss criteria, daily hydration
below the person's target), in a fixed number of queries."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dui.errors import NotFound
from dui.models import AccessLog, Metier
from soins.models import Evaluation, HydrationTarget
from soins.selectors.nutrition import HYDRATION, MODERATE, SEVERE, WEIGHT_LOSS, nutrition_alerts
from soins.services.evaluations import evaluation_record
from soins.services.nutrition import hydration_target_set
from tests.factories import UsagerFactory, professional


@pytest.fixture
def nurse(essms):
    return professional(essms, Metier.IDE)


def days_ago(days, hours=0):
    return timezone.now() - datetime.timedelta(days=days, hours=hours)


def weigh(user, usager, kg, when, **extra):
    return evaluation_record(user, usager=usager, grid="poids_imc", answers={"poids": kg, **extra}, evaluated_at=when)


def drink(user, usager, ml, when=None, period="24h"):
    answers = {"periode": period, "apports_ml": ml}
    return evaluation_record(user, usager=usager, grid="hydratation", answers=answers, evaluated_at=when)


def today():
    return timezone.localdate()


# --- the target ---------------------------------------------------------------------------


@pytest.mark.parametrize("metier", [Metier.IDE, Metier.MEDECIN, Metier.MEDECIN_COORDONNATEUR])
def test_ide_and_doctors_set_the_target_audited(essms, usager, metier):
    user = professional(essms, metier)
    target = hydration_target_set(user, usager=usager, daily_ml="1 800", comment="Fortes chaleurs")
    assert (target.daily_ml, target.comment, target.essms_id) == (1800, "Fortes chaleurs", essms.pk)
    assert AccessLog.objects.filter(object_type="soins.hydrationtarget", object_id=str(target.pk)).exists()


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        (0, "entre 500 et 4000"),
        ("0", "entre 500 et 4000"),
        (-200, "entre 500 et 4000"),
        (499, "entre 500 et 4000"),
        (4001, "entre 500 et 4000"),
        (150000, "entre 500 et 4000"),
        ("1,5", "nombre entier"),
        ("beaucoup", "nombre entier"),
        ("", "nombre entier"),
        (None, "nombre entier"),
        (True, "nombre entier"),
        (1500.5, "nombre entier"),
    ],
)
def test_an_absurd_target_is_refused_and_writes_nothing(nurse, usager, value, fragment):
    with pytest.raises(ValidationError) as error:
        hydration_target_set(nurse, usager=usager, daily_ml=value)
    assert fragment in error.value.message_dict["daily_ml"][0]
    assert not HydrationTarget.objects.exists()


@pytest.mark.parametrize("metier", [Metier.AIDE_SOIGNANT, Metier.ASH, Metier.ANIMATEUR])
def test_other_metiers_may_not_set_the_target(essms, usager, metier):
    with pytest.raises(PermissionDenied):
        hydration_target_set(professional(essms, metier), usager=usager, daily_ml=1500)
    assert not HydrationTarget.objects.exists()


def test_target_of_another_essms_person_is_404_and_archived_is_read_only(nurse, usager, sibling_essms):
    with pytest.raises(NotFound):
        hydration_target_set(nurse, usager=UsagerFactory(essms=sibling_essms), daily_ml=1500)
    usager.archived_at = timezone.now()
    usager.save()
    with pytest.raises(ValidationError):
        hydration_target_set(nurse, usager=usager, daily_ml=1500)
    assert not HydrationTarget.objects.exists()


def test_the_hydration_grid_uses_the_persons_target(nurse, usager):
    assert drink(nurse, usager, 1300).results["apports_insuffisants"] is True  # default 1 500 mL
    hydration_target_set(nurse, usager=usager, daily_ml=1200)
    evaluation = drink(nurse, usager, 1300)
    assert evaluation.results["objectif_ml"] == 1200
    assert evaluation.results["apports_insuffisants"] is False


# --- weights outside a plausible range ----------------------------------------------------


@pytest.mark.parametrize("kg", [0, 500, 19.9, 300.1, -60])
def test_implausible_weights_are_refused_in_french_and_write_nothing(nurse, usager, kg):
    with pytest.raises(ValidationError) as error:
        weigh(nurse, usager, kg, None)
    assert "Poids" in error.value.message_dict["poids"][0]
    assert "20 à 300 kg" in error.value.message_dict["poids"][0]
    assert not Evaluation.objects.exists()


# --- alerts -------------------------------------------------------------------------------


def test_a_loss_of_five_percent_in_a_month_alerts(nurse, usager):
    weigh(nurse, usager, 62, days_ago(28), taille=160)
    weigh(nurse, usager, 58.9, days_ago(0, hours=1))
    [alert] = nutrition_alerts(usager.essms, [usager.pk], today())
    assert (alert.usager_id, alert.kind, alert.severity) == (usager.pk, WEIGHT_LOSS, MODERATE)
    assert "5 % en 1 mois" in alert.message and "62 → 58,9 kg" in alert.message
    assert "dénutrition" in alert.message


def test_a_loss_under_five_percent_in_a_month_is_silent(nurse, usager):
    weigh(nurse, usager, 62, days_ago(28), taille=160)
    weigh(nurse, usager, 59.2, days_ago(0, hours=1))  # 4.5 %
    assert nutrition_alerts(usager.essms, [usager.pk], today()) == []


def test_a_loss_of_ten_percent_in_six_months_alerts_and_fifteen_is_severe(nurse, usager, essms):
    weigh(nurse, usager, 70, days_ago(170), taille=165)
    weigh(nurse, usager, 66, days_ago(60))
    weigh(nurse, usager, 63, days_ago(1))  # -10 % in 6 months, -4.5 % in the month (no weighing in it)
    [alert] = nutrition_alerts(essms, [usager.pk], today())
    assert alert.severity == MODERATE and "10 % en 6 mois" in alert.message
    other = UsagerFactory(essms=essms)
    weigh(nurse, other, 70, days_ago(150), taille=165)
    weigh(nurse, other, 59, days_ago(2))  # -15.7 %
    alerts = {a.usager_id: a for a in nutrition_alerts(essms, [usager.pk, other.pk], today())}
    assert alerts[other.pk].severity == SEVERE and "sévère" in alerts[other.pk].message


def test_an_old_weighing_raises_no_alert_today(nurse, usager):
    weigh(nurse, usager, 70, days_ago(80), taille=165)
    weigh(nurse, usager, 60, days_ago(45))
    assert nutrition_alerts(usager.essms, [usager.pk], today()) == []
    assert nutrition_alerts(usager.essms, [usager.pk], today() - datetime.timedelta(days=40))


def test_a_day_below_the_target_alerts_and_above_does_not(nurse, usager):
    drink(nurse, usager, 1600, days_ago(1))
    drink(nurse, usager, 1100)
    [alert] = nutrition_alerts(usager.essms, [usager.pk], today())
    assert (alert.kind, alert.severity) == (HYDRATION, MODERATE)
    assert "1100 mL" in alert.message and "1500 mL" in alert.message
    assert nutrition_alerts(usager.essms, [usager.pk], today() - datetime.timedelta(days=1)) == []
    hydration_target_set(nurse, usager=usager, daily_ml=1000)
    assert nutrition_alerts(usager.essms, [usager.pk], today()) == []


def test_half_days_are_added_and_a_lone_half_day_is_compared_to_half_the_target(nurse, usager):
    start = timezone.make_aware(datetime.datetime.combine(today(), datetime.time(0, 30)))
    if start > timezone.now():
        pytest.skip("just after midnight")
    drink(nurse, usager, 300, start, period="jour")
    [alert] = nutrition_alerts(usager.essms, [usager.pk], today())
    assert alert.severity == SEVERE and "demi-journée" in alert.message and "750 mL" in alert.message
    drink(nurse, usager, 1100, start + datetime.timedelta(minutes=1), period="nuit")
    [alert] = nutrition_alerts(usager.essms, [usager.pk], today())
    assert "1400 mL" in alert.message and "demi-journée" not in alert.message


def test_another_essms_persons_are_ignored(nurse, usager, sibling_essms):
    outsider = UsagerFactory(essms=sibling_essms)
    other_nurse = professional(sibling_essms, Metier.IDE)
    drink(other_nurse, outsider, 200)
    assert nutrition_alerts(usager.essms, [outsider.pk], today()) == []
    assert nutrition_alerts(usager.essms, [], today()) == []


def test_the_number_of_queries_does_not_grow_with_the_persons(nurse, essms):
    def population(count):
        people = [UsagerFactory(essms=essms) for _ in range(count)]
        for person in people:
            weigh(nurse, person, 62, days_ago(20), taille=160)
            weigh(nurse, person, 57, days_ago(0, hours=1))
            drink(nurse, person, 900)
            hydration_target_set(nurse, usager=person, daily_ml=1400)
        return [person.pk for person in people]

    few, many = population(1), population(8)
    with CaptureQueriesContext(connection) as one:
        assert len(nutrition_alerts(essms, few, today())) == 2
    with CaptureQueriesContext(connection) as eight:
        assert len(nutrition_alerts(essms, many, today())) == 16
    assert len(one) == len(eight) == 3


# --- API ------------------------------------------------------------------------------------

TARGETS_URL = "/api/v1/hydration-targets/"


def test_api_sets_and_lists_targets(client, nurse, usager):
    client.force_login(nurse)
    response = client.post(TARGETS_URL, {"usager": usager.pk, "daily_ml": 1700}, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["daily_ml"] == 1700
    listed = client.get(TARGETS_URL, {"usager": usager.pk}).json()["results"]
    assert [row["daily_ml"] for row in listed] == [1700]


@pytest.mark.parametrize(
    ("daily_ml", "fragment"),
    [(0, "entre 500 et 4000"), (100000, "entre 500 et 4000"), (-1, "entre 500 et 4000"), ("beaucoup", "entier")],
)
def test_api_refuses_an_absurd_target_and_writes_nothing(client, nurse, usager, daily_ml, fragment):
    client.force_login(nurse)
    body = {"usager": usager.pk, "daily_ml": daily_ml}
    response = client.post(TARGETS_URL, body, content_type="application/json")
    assert response.status_code == 400
    assert fragment in " ".join(response.json()["daily_ml"])
    assert not HydrationTarget.objects.exists()


def test_api_refuses_an_aide_soignante_and_another_essms_person(client, essms, usager, sibling_essms):
    client.force_login(professional(essms, Metier.AIDE_SOIGNANT))
    response = client.post(TARGETS_URL, {"usager": usager.pk, "daily_ml": 1500}, content_type="application/json")
    assert response.status_code == 403 and "IDE" in response.json()["detail"]
    client.force_login(professional(essms, Metier.IDE))
    other = UsagerFactory(essms=sibling_essms)
    response = client.post(TARGETS_URL, {"usager": other.pk, "daily_ml": 1500}, content_type="application/json")
    assert response.status_code == 400 and "introuvable" in response.json()["usager"][0]
    assert not HydrationTarget.objects.exists()

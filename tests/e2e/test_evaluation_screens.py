"""Evaluation screens in a real browser, at 1024×768 and on a 390×844 phone.

A nurse ticks Algoplus items and sees the running score change before sending; the EN ruler's
eleven steps are ≥ 44 px touch targets and fit the phone's width; the weight curve is drawn
with its threshold lines, the values table stays one tap away.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from dui.models import Metier
from soins.models import Evaluation
from soins.services.evaluations import evaluation_record
from tests.factories import TEST_PASSWORD, professional

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SIZES = [
    pytest.param({"width": 1024, "height": 768}, id="1024x768"),
    pytest.param({"width": 390, "height": 844}, id="390x844"),
]


def _fits(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("size", SIZES)
def test_running_score_en_ruler_and_weight_curve(journey, essms, usager, size):
    nurse = professional(essms, Metier.IDE, username=f"ide.{size['width']}")
    for days, kg in ((50, 63.0), (28, 62.4), (0, 58.9)):
        moment = timezone.now() - datetime.timedelta(days=days, hours=1)
        answers = {"poids": kg, "taille": 160} if days == 50 else {"poids": kg}
        evaluation_record(nurse, usager=usager, grid="poids_imc", answers=answers, evaluated_at=moment)

    j = journey(f"evaluations-{size['width']}x{size['height']}")
    page = j.page
    page.set_viewport_size(size)
    j.login(nurse.username, TEST_PASSWORD)

    # Algoplus: the score follows the ticks, before anything is sent.
    j.goto(reverse("evaluation-create", kwargs={"pk": usager.pk, "grid": "algoplus"}))
    live = page.locator("#evg-live")
    expect(live).to_be_visible()
    expect(live).to_contain_text("—")
    for code in ("visage", "regard"):
        page.locator(f"#item-{code} label.evg-option").first.tap()  # « Oui »
    expect(live.locator(".evg-live-score")).to_have_text("Score Algoplus : 2 / 5")
    expect(live).to_contain_text("3 réponses manquantes")
    expect(live).to_contain_text("douleur probable")
    page.locator("#item-plaintes label.evg-option").first.tap()
    for code in ("corps", "comportements"):
        page.locator(f"#item-{code} label.evg-option").nth(1).tap()  # « Non »
    expect(live.locator(".evg-live-score")).to_have_text("Score Algoplus : 3 / 5")
    expect(live).not_to_contain_text("manquante")
    assert "evg-live-alert" in live.get_attribute("class")
    assert _fits(page)
    j.shot("algoplus-score-en-direct")
    page.locator("#item-visage label.evg-option").nth(1).tap()
    expect(live.locator(".evg-live-score")).to_have_text("Score Algoplus : 2 / 5")
    page.get_by_role("button", name="Enregistrer et calculer").tap()
    expect(page.locator(".evg-score")).to_contain_text("2")
    assert Evaluation.objects.get(grid="algoplus").score == 2

    # EN: a horizontal ruler, each step a ≥ 44 px target, within the screen's width.
    j.goto(reverse("evaluation-create", kwargs={"pk": usager.pk, "grid": "en"}))
    steps = page.locator("label.evg-ruler-step")
    expect(steps).to_have_count(11)
    boxes = [steps.nth(i).bounding_box() for i in range(11)]
    assert all(box["width"] >= 44 and box["height"] >= 44 for box in boxes), boxes
    assert all(box["x"] >= 0 and box["x"] + box["width"] <= size["width"] for box in boxes), boxes
    assert boxes[0]["y"] == boxes[5]["y"] and boxes[0]["x"] < boxes[5]["x"]  # left to right
    assert _fits(page)
    page.locator("label.evg-ruler-step-6").tap()
    expect(page.locator("#evg-live .evg-live-score")).to_have_text("EN : 6 / 10")
    expect(page.locator("#evg-live")).to_contain_text("douleur modérée")
    j.shot("en-reglette")

    # The weight curve, its thresholds, and its table on demand.
    j.goto(reverse("usager-evaluations", kwargs={"pk": usager.pk}) + "?periode=90")
    curve = page.locator("#courbe-poids")
    curve.scroll_into_view_if_needed()
    expect(curve.locator("svg.evc-svg")).to_be_visible()
    expect(curve.locator("circle.evc-point")).to_have_count(3)
    expect(curve.locator("line.evc-line")).to_have_count(3)  # IMC 22, IMC 20, −5 % en 1 mois
    box = curve.locator("svg.evc-svg").bounding_box()
    assert box["width"] >= 300 and box["x"] + box["width"] <= size["width"]
    expect(page.locator(".evn-alerts")).to_contain_text("Perte de poids")
    assert _fits(page)
    curve.screenshot(path=str(j.folder / "courbe-poids.png"))
    curve.locator("summary").tap()
    expect(curve.locator("table")).to_be_visible()
    expect(curve.locator("tbody tr")).to_have_count(3)
    j.shot("courbes")
    j.assert_clean()

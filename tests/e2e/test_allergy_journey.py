"""The médecin prescribes amoxicilline to a résident allergic to penicillins: the form stops with the
allergy and its severity; with a written reason the line goes through, and the day chart shows the
allergy match to the nurse who gives it. At 1024×768 (tablet landscape) and 390×844 (phone)."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dui.models import Metier, SubstanceClass
from dui.services import medical
from soins.models import PrescriptionLine
from tests.e2e.conftest import Journey
from tests.factories import TEST_PASSWORD, professional

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"tablette-1024x768": {"width": 1024, "height": 768}, "telephone-390x844": {"width": 390, "height": 844}}
AMOXICILLINE = "AMOXICILLINE 1 g, comprimé dispersible"


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request):
    return request.param


def test_allergy_stops_then_a_reason_lets_it_through(browser, live_server, essms, usager, viewport):
    medecin = professional(essms, Metier.MEDECIN, username="medecin.cedres", first_name="Paul", last_name="Médecin")
    medical.allergy_add(
        medecin,
        usager=usager,
        substance_class=SubstanceClass.objects.get(code="penicillines"),
        severity="severe",
        reaction="angio-œdème",
    )
    size = VIEWPORTS[viewport]
    context = browser.new_context(
        viewport=size, screen=size, has_touch=True, device_scale_factor=1, locale="fr-FR", timezone_id="Europe/Paris"
    )
    context.set_default_timeout(15_000)
    try:
        journey = Journey(context.new_page(), live_server.url, f"allergie-{viewport}")
        page = journey.page
        journey.login("medecin.cedres", TEST_PASSWORD)
        journey.goto(f"/medicaments/{usager.pk}/nouvelle-ligne/")
        expect(page.locator("#allergies-connues")).to_contain_text("Pénicillines (bêta-lactamines) (sévère)")
        # The start date is filled (ISO value in the date input).
        expect(page.locator("input[name=starts_on]")).to_have_value(timezone.localdate().isoformat())
        drug = page.get_by_label("Médicament (ou type de contention)")
        drug.fill("amoxi")
        expect(page.locator("#drug-options option").first).to_be_attached()
        drug.fill(AMOXICILLINE)
        expect(page.locator("[data-drug-state]")).to_contain_text("Référentiel")
        page.get_by_label("Dose").fill("1 g")
        page.get_by_label("Voie").select_option("orale")
        page.get_by_label("Heures").fill("08:00, 20:00")
        journey.shot("formulaire rempli")
        page.get_by_role("button", name="Enregistrer la ligne").click()
        warning = page.locator(".med-allergy-stop")
        expect(warning).to_contain_text("Prescription arrêtée")
        expect(warning).to_contain_text("sévère")
        expect(warning).to_contain_text("angio-œdème")
        warning.scroll_into_view_if_needed()
        journey.shot("arret allergie")
        assert not PrescriptionLine.objects.exists()
        page.get_by_label("Motif pour prescrire malgré l'allergie").fill("Test de réintroduction sous surveillance")
        warning.get_by_role("button", name="Prescrire malgré l'allergie").click()
        page.wait_for_url(journey.url(f"/medicaments/{usager.pk}/"))
        expect(page.locator(".med-badge-allergy").first).to_contain_text("Allergie : Pénicillines")
        page.get_by_role("button", name="Valider la ligne").click()
        expect(page.locator(".med-badge-valid").first).to_be_visible()
        journey.shot("ligne validee")
        journey.goto(f"/medicaments/{usager.pk}/plan-administration/")
        expect(page.locator(".med-chart .med-badge-allergy")).to_contain_text("Pénicillines (bêta-lactamines) (sévère)")
        expect(page.locator(".med-chart")).to_contain_text("Test de réintroduction sous surveillance")
        journey.shot("plan avec allergie")
        line = PrescriptionLine.objects.get()
        assert line.allergy_override_reason == "Test de réintroduction sous surveillance" and line.validated_at
        journey.assert_clean()
    finally:
        context.close()

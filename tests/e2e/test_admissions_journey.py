"""The secrétaire médicale of the demo EHPAD (ehpad.secretaire_medicale) opens the accepted request of the
waiting list and turns it into a pré-admission dossier in one click, at 1024×768 and 390×844."""

import re
import shutil
import tempfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from admissions.models import AdmissionRequest
from demo.seed import DEMO_PASSWORD
from dui.models import Contact, Document, Sejour
from tests.e2e.conftest import Journey

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path(tempfile.gettempdir())  # /tmp/admissions_*.png: the screenshots to look at
VIEWPORTS = {"tablette-1024x768": {"width": 1024, "height": 768}, "telephone-390x844": {"width": 390, "height": 844}}


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request):
    return request.param


def test_secretaire_turns_an_accepted_request_into_a_pre_admission(browser, live_server, viewport):
    call_command("seed_demo", stdout=StringIO())
    request = AdmissionRequest.objects.get(essms__kind="ehpad", birth_name="MOREAU")
    size = VIEWPORTS[viewport]
    context = browser.new_context(
        viewport=size, screen=size, has_touch=True, device_scale_factor=1, locale="fr-FR", timezone_id="Europe/Paris"
    )
    context.set_default_timeout(15_000)
    try:
        journey = Journey(context.new_page(), live_server.url, f"admissions-{viewport}")
        page = journey.page
        journey.login("ehpad.secretaire_medicale", DEMO_PASSWORD)
        journey.goto("/admissions/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Demandes d'admission")
        shutil.copy(journey.shot("liste d'attente"), SHOTS / f"admissions_{viewport}_1_liste.png")
        page.get_by_role("link", name="MOREAU Jeanne Alice").tap()
        page.wait_for_url(journey.url(f"/admissions/{request.pk}/"))
        shutil.copy(journey.shot("demande acceptee"), SHOTS / f"admissions_{viewport}_2_demande.png")
        page.get_by_role("link", name="Créer la pré-admission").tap()
        page.wait_for_url(journey.url(f"/admissions/{request.pk}/pre-admission/"))
        expect(page.get_by_text("Ce qui sera repris dans le dossier")).to_be_visible()
        shutil.copy(journey.shot("ce qui sera repris"), SHOTS / f"admissions_{viewport}_3_reprise.png")
        button = page.get_by_role("button", name="Créer la pré-admission")
        box = button.bounding_box()
        assert box["height"] >= 44, box  # a finger-sized target
        button.tap()
        page.wait_for_url(re.compile(r"/usagers/\d+/$"))
        request.refresh_from_db()
        assert page.url == journey.url(f"/usagers/{request.usager_id}/")
        expect(page.get_by_text("Pré-admission créée")).to_be_visible()
        shutil.copy(journey.shot("dossier cree"), SHOTS / f"admissions_{viewport}_4_dossier.png")
        assert Sejour.objects.get(usager_id=request.usager_id).status == "pre_admission"
        assert Contact.objects.filter(usager_id=request.usager_id).count() == 1
        assert Document.objects.filter(usager_id=request.usager_id).count() == 2  # volet médical + avis
        journey.assert_clean()
    finally:
        context.close()

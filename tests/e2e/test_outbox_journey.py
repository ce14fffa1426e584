"""The secrétaire records the DMP information, marks the DLU "à envoyer" to the DMP with a masking flag, and
sees it sent on the dossier's sendings page and on the "Envois" screen. At 1024×768 and 390×844."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from dui.actor import Actor
from dui.ins import IdentityStatus
from dui.models import Metier
from dui.pdf_minimal import simple_pdf
from dui.services.documents import document_upload
from interop.outbox.models import Delivery
from tests.e2e.conftest import Journey
from tests.factories import TEST_PASSWORD, UsagerFactory, professional

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"tablette-1024x768": {"width": 1024, "height": 768}, "telephone-390x844": {"width": 390, "height": 844}}


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_secretaire_sends_the_dlu_to_the_dmp(browser, live_server, essms, viewport):
    professional(essms, Metier.SECRETAIRE_MEDICALE, username="secretariat.cedres", first_name="Anne")
    doctor = professional(essms, Metier.MEDECIN_COORDONNATEUR, rpps="10001234567")
    person = UsagerFactory(
        essms=essms, birth_name="LEFÈVRE", first_names="Éloïse", ins_matricule="279035121518989",
        identity_status=IdentityStatus.QUALIFIEE,
    )  # fmt: skip
    document_upload(
        Actor(doctor), usager=person, document_class_code="dlu", title="DLU", document_date=datetime.date(2026, 3, 1),
        file=SimpleUploadedFile("dlu.pdf", simple_pdf(["DLU"]), content_type="application/pdf"),
    )  # fmt: skip
    size = VIEWPORTS[viewport]
    context = browser.new_context(
        viewport=size, screen=size, has_touch=True, locale="fr-FR", timezone_id="Europe/Paris"
    )
    context.set_default_timeout(15_000)
    try:
        journey = Journey(context.new_page(), live_server.url, f"envois-{viewport}")
        page = journey.page
        journey.login("secretariat.cedres", TEST_PASSWORD)
        journey.goto(f"/usagers/{person.pk}/envois/")
        expect(page.get_by_role("status").first).to_contain_text("information de la personne sur le DMP")
        page.get_by_text("Enregistrer l'information ou une opposition").click()
        page.get_by_label("Informé(e) du DMP le").fill("2026-01-05")
        page.get_by_label("Information donnée").select_option("oral")
        journey.shot("information DMP")
        page.get_by_role("button", name="Enregistrer", exact=True).click()
        expect(page.locator("#dmp").locator("..")).to_contain_text("Pas d'opposition")
        page.get_by_label("DMP", exact=True).check()
        page.get_by_label("Masqué aux professionnels de santé").check()
        journey.shot("envoi DMP")
        page.get_by_role("button", name="Mettre dans les envois").click()
        expect(page.locator(".delivery").first).to_contain_text("Envoyé")
        journey.shot("envoyé")
        journey.goto("/envois/")
        expect(page.locator(".delivery").first).to_contain_text("LEFÈVRE")
        journey.shot("écran des envois")
        assert Delivery.objects.get().masking == "MASQUE_PS"
        journey.assert_clean()
    finally:
        context.close()

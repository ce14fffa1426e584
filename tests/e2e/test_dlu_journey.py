"""The night IDE calls the SAMU: from the active file on a tablet, the résident's DLU is two taps
away (the card's "DLU" button, then "Ouvrir le DLU"), and the PDF opens."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from dui.models import Metier
from interop.dlu.services import dlu_generate
from tests.e2e.conftest import TABLET, Journey
from tests.factories import TEST_PASSWORD, professional
from tests.interop.dlu_helpers import fill_dossier

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"tablette": TABLET, "telephone-390x844": {"width": 390, "height": 844}}


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request):
    return request.param


def test_night_ide_opens_the_dlu_from_the_active_file(browser, live_server, essms, unit, usager, viewport):
    ide = professional(essms, Metier.IDE, username="ide.nuit", first_name="Nina", last_name="Nuit")
    day = datetime.date(2024, 2, 1)
    sejour = usager.sejours.create(essms=essms, status="active", first_contact_on=day, admitted_on=day, created_by=ide)
    sejour.placements.create(essms=essms, usager=usager, unit=unit, modality="hp", starts_on=day, room="12",
                             created_by=ide)  # fmt: skip
    fill_dossier(usager, ide)
    generation = dlu_generate(ide, usager=usager)
    size = VIEWPORTS[viewport]
    context = browser.new_context(viewport=size, screen=size, has_touch=True, locale="fr-FR",
                                  timezone_id="Europe/Paris")  # fmt: skip
    context.set_default_timeout(15_000)
    try:
        journey = Journey(context.new_page(), live_server.url, f"dlu-nuit-{viewport}")
        page = journey.page
        journey.login("ide.nuit", TEST_PASSWORD)
        journey.goto(reverse("active-file"))
        journey.assert_styled()
        journey.shot("file active")
        page.get_by_role("link", name=f"DLU de {usager.birth_name}").first.tap()  # tap 1
        page.wait_for_url(journey.url(reverse("dlu-page", args=[usager.pk])))
        journey.assert_styled()
        journey.shot("page DLU")
        expect(page.get_by_text("Dernière génération le")).to_be_visible()
        open_link = page.get_by_role("link", name="Ouvrir le DLU (PDF) — version 1")
        href = open_link.get_attribute("href")
        assert href == reverse("dlu-pdf", args=[usager.pk, generation.pk])
        with context.expect_page() as opened:
            open_link.tap()  # tap 2
        assert opened.value.url.endswith(href)
        response = context.request.get(journey.url(href))
        assert response.status == 200 and response.headers["content-type"] == "application/pdf"
        assert response.body().startswith(b"%PDF-")
        # The transfer sheet, prefilled, on the same tablet screen.
        journey.goto(reverse("dlu-sheet-create", args=[usager.pk, "fludt"]))
        journey.assert_styled()
        expect(page.get_by_label("Établissement de destination")).to_have_value("CH de Lisieux")
        journey.shot("fiche de transfert")
        journey.assert_clean()
    finally:
        context.close()

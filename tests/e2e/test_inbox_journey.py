"""The secrétaire médicale opens "Courrier à rapprocher", sees the hospital's compte rendu with the dossier
that shares its traits, and files it in one click; the document is then in the dossier. At 1024×768 and 390×844."""

import datetime

import pytest
from playwright.sync_api import expect

from dui.ins import IdentityStatus
from dui.models import Document, Metier
from interop.mssante.models import InboxState
from interop.mssante.services import inbox_receive
from tests.e2e.conftest import Journey
from tests.factories import TEST_PASSWORD, UsagerFactory, professional
from tests.interop.outbox.mails import cr_message

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"tablette-1024x768": {"width": 1024, "height": 768}, "telephone-390x844": {"width": 390, "height": 844}}


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_secretaire_files_a_received_cr_from_the_queue(browser, live_server, essms, viewport):
    professional(essms, Metier.SECRETAIRE_MEDICALE, username="secretariat.cedres", first_name="Anne")
    person = UsagerFactory(
        essms=essms, birth_name="LEFÈVRE", first_names="Éloïse Marie", birth_date=datetime.date(1938, 5, 12),
        sex="F", identity_status=IdentityStatus.VALIDEE, search_text="lefevre eloise marie",
    )  # fmt: skip
    item = inbox_receive(essms, cr_message(family="LEFEVRE", given="ELOISE"), source="imap")
    size = VIEWPORTS[viewport]
    context = browser.new_context(
        viewport=size, screen=size, has_touch=True, locale="fr-FR", timezone_id="Europe/Paris"
    )
    context.set_default_timeout(15_000)
    try:
        journey = Journey(context.new_page(), live_server.url, f"courrier-{viewport}")
        page = journey.page
        journey.login("secretariat.cedres", TEST_PASSWORD)
        journey.goto("/messagerie/a-rapprocher/")
        expect(page.locator(".inbox-item")).to_contain_text("CR d'hospitalisation")
        button = page.get_by_role("button", name="Classer chez LEFÈVRE")
        expect(button).to_be_visible()
        journey.shot("file d'attente")
        button.click()
        expect(page.get_by_role("status").or_(page.locator(".message-success"))).to_contain_text("classé")
        expect(page.locator(".doc-list")).to_contain_text("Aucun courrier en attente")
        journey.shot("classé")
        item.refresh_from_db()
        assert item.state == InboxState.FILED
        assert Document.objects.get(usager=person).document_class.code == "cr_hospitalisation"
        journey.assert_clean()
    finally:
        context.close()

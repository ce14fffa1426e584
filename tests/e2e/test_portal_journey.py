"""A relative accepts her invitation on a phone, logs in and sees only what the team shared: the shared
document and the family news, not the other document nor the care-only transmission. The pages are
also shot at 1024×768 (tablet landscape) into /tmp/portal_*.png."""

import tempfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from dui.models import DocumentClass, Metier
from portal import services
from tests.e2e.conftest import Journey
from tests.factories import UsagerFactory, professional
from tests.portal.factories import ALL_FLAGS, RELATIVE_PASSWORD, consented, relative_contact
from transmissions.services.transmissions import transmission_create

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Also where the brief asks to look at them (the journey's own steps are in test-artifacts/).
SHOTS = Path(tempfile.gettempdir())
PHONE = {"width": 390, "height": 844}
TABLET = {"width": 1024, "height": 768}


def _dossier(essms):
    cadre = professional(essms, Metier.CADRE_SANTE)
    ide = professional(essms, Metier.IDE)
    usager = UsagerFactory(essms=essms, birth_name="LEFEBVRE", first_names="Marthe")
    consented(usager, by=cadre)
    kind = DocumentClass.objects.get(code="contrat_sejour")
    shared = usager.documents.create(essms=essms, document_class=kind, title="Menu de la semaine",
                                     document_date=timezone.localdate(), created_by=cadre)  # fmt: skip
    shared.versions.create(number=1, file=ContentFile(b"%PDF-1.4", name="menu.pdf"), original_name="menu.pdf",
                           mime_type="application/pdf", size=8, sha256="0" * 64, uploaded_by=cadre)  # fmt: skip
    usager.documents.create(essms=essms, document_class=kind, title="Bilan confidentiel",
                            document_date=timezone.localdate(), created_by=cadre)  # fmt: skip
    services.document_share(cadre, usager=usager, document=shared, shared=True)
    transmission_create(ide, usager=usager, free_cible="Vie sociale", narrative="A chanté au loto avec plaisir.",
                        observed_at=timezone.now(), family_visible=True)  # fmt: skip
    transmission_create(ide, usager=usager, free_cible="Élimination", narrative="Selles absentes depuis 3 jours.",
                        observed_at=timezone.now())  # fmt: skip
    usager.appointments.create(essms=essms, starts_at=timezone.now() + timezone.timedelta(days=2),
                               title="Consultation dentaire", place="Cabinet du Dr Roux", created_by=cadre)  # fmt: skip
    _, token = services.invitation_create(cadre, usager=usager, relation="proche",
                                          contact=relative_contact(usager), flags=ALL_FLAGS)  # fmt: skip
    return token


def test_relative_accepts_the_invitation_and_sees_only_what_is_shared(browser, live_server, essms):
    token = _dossier(essms)
    context = browser.new_context(viewport=PHONE, screen=PHONE, has_touch=True, is_mobile=True,
                                  device_scale_factor=1, locale="fr-FR", timezone_id="Europe/Paris")  # fmt: skip
    context.set_default_timeout(15_000)
    try:
        journey = Journey(context.new_page(), live_server.url, "portail-telephone-390x844")
        page = journey.page
        journey.goto(reverse("portal-accept", kwargs={"token": token}))
        expect(page.get_by_role("heading", level=1)).to_have_text("Créer votre compte")
        page.screenshot(path=str(SHOTS / "portal_accept_390x844.png"), full_page=True)
        page.get_by_label("Identifiant").fill("claire")
        page.get_by_label("Mot de passe (12 caractères au moins)").fill(RELATIVE_PASSWORD)
        page.get_by_label("Le même mot de passe, encore une fois").fill(RELATIVE_PASSWORD)
        page.get_by_role("button", name="Créer mon compte").tap()
        page.wait_for_url(journey.url(reverse("portal-login")))
        expect(page.get_by_role("status")).to_contain_text("Votre compte est créé")
        page.get_by_label("Identifiant").fill("claire")
        page.get_by_label("Mot de passe").fill(RELATIVE_PASSWORD)
        page.get_by_role("button", name="Se connecter").tap()
        page.wait_for_url(journey.url(reverse("portal-home")))
        expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Claire MARTIN")
        main = page.locator("main")
        expect(main).to_contain_text("Menu de la semaine")
        expect(main).to_contain_text("A chanté au loto avec plaisir.")
        expect(main).to_contain_text("Consultation dentaire")
        expect(main).not_to_contain_text("Bilan confidentiel")
        expect(main).not_to_contain_text("Selles absentes")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scrolling
        page.screenshot(path=str(SHOTS / "portal_home_390x844.png"), full_page=True)
        page.set_viewport_size(TABLET)
        page.screenshot(path=str(SHOTS / "portal_home_1024x768.png"), full_page=True)
        page.keyboard.press("Tab")
        expect(page.get_by_role("link", name="Aller au contenu principal")).to_be_focused()
        journey.assert_clean()
    finally:
        context.close()

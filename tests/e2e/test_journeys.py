"""Main journeys in a real browser, on a tablet viewport (820×1180, touch).

a. A caregiver logs in, opens the active file, a person's dossier, their appointments and the day's planning.
b. A secrétaire médicale uploads a PDF report into a dossier, sees it listed and opens it.
c. A professional of another ESSMS cannot reach that dossier by URL: "Page introuvable".
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from dui.models import AccessAction, AccessLog, Document, Metier, Modality
from dui.pdf_minimal import simple_pdf
from dui.services.planning import appointment_create
from dui.services.sejours import sejour_admit, sejour_open_pre_admission
from tests.factories import TEST_PASSWORD, professional

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# The smallest file the upload accepts as a PDF (the type is sniffed from the content).
TINY_PDF = simple_pdf(["Document de test"])

# Console errors tolerated on every page (none: htmx's indicator styles are switched off in base.html).
KNOWN = ()


@pytest.fixture
def secretary(essms):
    return professional(essms, Metier.SECRETAIRE_MEDICALE, username="secretaire.cedres")


@pytest.fixture
def admitted(usager, unit, secretary):
    """Marthe LEFEBVRE, admitted in Unité Glycine (room 12), with an appointment this afternoon."""
    today = timezone.localdate()
    sejour = sejour_open_pre_admission(secretary, usager=usager, first_contact_on=today - datetime.timedelta(days=400))
    sejour_admit(
        secretary,
        sejour=sejour,
        admitted_on=today - datetime.timedelta(days=380),
        contract_signed_on=today - datetime.timedelta(days=380),
        unit=unit,
        modality=Modality.HEBERGEMENT_PERMANENT,
        room="12",
    )
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time(14, 30)))
    appointment_create(
        secretary,
        usager=usager,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        title="Consultation de cardiologie",
        place="CHU, bâtiment B",
        transport="ambulance",
    )
    return usager


def test_caregiver_opens_a_dossier_and_the_days_planning(journey, essms, admitted):
    caregiver = professional(essms, Metier.AIDE_SOIGNANT, username="as.cedres", first_name="Inès")
    j = journey("a-soignant-dossier-planning")
    page = j.page

    j.login(caregiver.username, TEST_PASSWORD)
    assert page.get_by_role("heading", name="Bonjour Inès").is_visible()
    assert "EHPAD Les Cèdres" in page.locator(".essms-name").inner_text()
    j.shot("accueil")

    j.goto(reverse("active-file"))
    j.assert_styled()
    card = page.locator("a.af-card", has_text="LEFEBVRE")
    assert card.count() == 1
    assert "Chambre 12" in card.inner_text()
    j.shot("file-active")

    card.tap()
    page.wait_for_url(j.url(reverse("usager-detail", args=[admitted.pk])))
    assert page.get_by_role("heading", level=1).inner_text() == "LEFEBVRE Marthe"
    j.shot("dossier")

    page.locator("a.tile", has_text="Planning").tap()
    page.wait_for_url(j.url(reverse("usager-planning", args=[admitted.pk])))
    assert page.get_by_text("Consultation de cardiologie").first.is_visible()
    j.shot("rendez-vous-de-la-personne")

    j.goto(reverse("planning-day"))
    j.assert_styled()
    row = page.locator("table.pl-table tbody tr", has_text="LEFEBVRE")
    assert row.count() == 1
    assert "14:30" in row.inner_text()
    assert "Consultation de cardiologie" in row.inner_text()
    j.shot("planning-du-jour")

    j.assert_clean(tolerated=KNOWN)
    assert AccessLog.objects.filter(user=caregiver, action=AccessAction.READ, usager_id=admitted.pk).exists()


def test_medical_secretary_uploads_a_pdf_report(journey, secretary, usager):
    j = journey("b-secretaire-depot-pdf")
    page = j.page

    j.login(secretary.username, TEST_PASSWORD)
    menu = page.get_by_role("navigation", name="Navigation principale")
    menu.locator(".nav-group-title", has_text="Usagers").tap()
    menu.get_by_role("link", name="Usagers", exact=True).tap()
    page.locator("a.af-card", has_text="LEFEBVRE").tap()
    page.wait_for_url(j.url(reverse("usager-detail", args=[usager.pk])))
    page.locator("a.tile", has_text="Documents").tap()
    page.wait_for_url(j.url(reverse("usager-documents", args=[usager.pk])))
    j.assert_styled()
    j.shot("documents-vide")

    form = page.locator(f"form[action='{reverse('document-upload', args=[usager.pk])}']")
    form.get_by_label("Classe du document").select_option("cr_hospitalisation")
    form.get_by_label("Titre").fill("Compte rendu d'hospitalisation CHU")
    form.get_by_label("Source / auteur").fill("Dr Martin, CHU de Lyon")
    form.get_by_label("Fichier (PDF, JPEG ou PNG)").set_input_files(
        files=[{"name": "cr-hospitalisation.pdf", "mimeType": "application/pdf", "buffer": TINY_PDF}]
    )
    j.shot("formulaire-rempli")
    with page.expect_navigation(url=j.url(reverse("usager-documents", args=[usager.pk]))):
        form.get_by_role("button", name="Enregistrer le document").tap()

    added = "Document « Compte rendu d'hospitalisation CHU » ajouté au dossier."
    expect(page.get_by_role("status")).to_have_text(added)
    item = page.locator("li.doc-item", has_text="Compte rendu d'hospitalisation CHU")
    assert item.count() == 1
    j.shot("document-liste")

    document = Document.objects.get(usager=usager)
    assert document.essms_id == usager.essms_id
    assert document.document_class.code == "cr_hospitalisation"
    view_url = item.get_by_role("link", name="Voir").get_attribute("href")
    assert view_url == reverse("document-download", args=[usager.pk, document.pk])
    # The browser session (cookies) fetches the file as the "Voir" link would open it.
    response = page.context.request.get(j.url(view_url))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body() == TINY_PDF

    item.locator("a.doc-title").tap()
    page.wait_for_url(j.url(reverse("document-detail", args=[usager.pk, document.pk])))
    assert page.get_by_role("heading", level=1).inner_text().startswith("Compte rendu d'hospitalisation CHU")
    j.shot("document-detail")

    j.assert_clean(tolerated=KNOWN)
    assert AccessLog.objects.filter(user=secretary, action=AccessAction.CREATE, object_id=str(document.pk)).exists()
    assert AccessLog.objects.filter(user=secretary, action=AccessAction.READ, object_id=str(document.pk)).exists()


def test_professional_of_another_essms_cannot_reach_the_dossier(journey, sibling_essms, secretary, usager):
    outsider = professional(sibling_essms, Metier.IDE, username="ide.peupliers")
    j = journey("c-autre-essms-refuse")
    page = j.page

    j.login(outsider.username, TEST_PASSWORD)
    assert "IME Les Peupliers" in page.locator(".essms-name").inner_text()

    for name in ("usager-detail", "usager-documents", "usager-planning"):
        response = j.goto(reverse(name, args=[usager.pk]))
        assert response.status == 404, name
        assert page.get_by_role("heading", level=1).inner_text() == "Page introuvable"
        assert "LEFEBVRE" not in page.content()
        j.assert_styled()
        j.shot(f"{name}-introuvable")

    j.goto(reverse("usager-list"))
    assert "LEFEBVRE" not in page.content()
    j.shot("liste-sans-le-dossier")

    j.assert_clean(tolerated=KNOWN)
    assert not AccessLog.objects.filter(user=outsider, usager_id=usager.pk).exists()


def test_no_inline_style_blocked_by_the_csp(journey, db):
    j = journey("csp-htmx")
    j.goto(reverse("login"))
    j.page.wait_for_load_state("networkidle")
    j.assert_clean()

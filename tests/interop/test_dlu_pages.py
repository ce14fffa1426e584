"""DLU pages: two taps from the active file to the PDF, the checklist with links, the section form,
the FLUDT prefilled from the dossier on one screen, the FLUDR; refusals shown in French."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from dui.models import Document, DossierDlu, Metier
from interop.dlu.models import DluGeneration, SheetKind, TransferSheet
from interop.dlu.services import dlu_generate
from soins.models import Evaluation
from tests.factories import professional
from tests.interop.dlu_helpers import admitted, fill_dossier


@pytest.fixture
def ide(essms):
    return professional(essms, Metier.IDE)


@pytest.fixture
def resident(usager, ide):
    return admitted(usager, ide)


@pytest.fixture
def web(client, ide):
    client.force_login(ide)
    return client


def test_two_taps_from_the_active_file_to_the_current_pdf(web, resident, ide):
    generation = dlu_generate(ide, usager=resident)
    active_file = web.get(reverse("active-file")).content.decode()
    dlu_url = reverse("dlu-page", args=[resident.pk])
    assert f'href="{dlu_url}"' in active_file  # tap 1
    page = web.get(dlu_url).content.decode()
    pdf_url = reverse("dlu-pdf", args=[resident.pk, generation.pk])
    assert f'href="{pdf_url}"' in page and "Dernière génération le" in page
    response = web.get(pdf_url)  # tap 2
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert web.get(reverse("dlu-current-pdf", args=[resident.pk]))["Content-Type"] == "application/pdf"


def test_dossier_navigation_leads_to_the_dlu(web, resident):
    page = web.get(reverse("usager-medical", args=[resident.pk])).content.decode()
    assert f'href="{reverse("dlu-page", args=[resident.pk])}"' in page


def test_page_lists_what_is_missing_with_links_and_generates(web, resident):
    page = web.get(reverse("dlu-page", args=[resident.pk])).content.decode()
    assert "Médecin traitant non renseigné." in page
    assert reverse("usager-entourage", args=[resident.pk]) in page
    response = web.post(reverse("dlu-generate", args=[resident.pk]), follow=True)
    assert "DLU version 1 généré." in response.content.decode()
    assert DluGeneration.objects.count() == 1


def test_generating_for_an_archived_dossier_shows_the_refusal(web, resident):
    resident.archived_at = timezone.now()
    resident.save()
    response = web.post(reverse("dlu-generate", args=[resident.pk]), follow=True)
    assert "archivé" in response.content.decode()
    assert not Document.objects.exists()


def test_no_current_dlu_is_a_404(web, resident):
    assert web.get(reverse("dlu-current-pdf", args=[resident.pk])).status_code == 404


def test_section_form_saves_the_dossier_fields(web, resident):
    response = web.post(
        reverse("dlu-section", args=[resident.pk]),
        {
            "preferred_hospital": "CHU de Caen",
            "mobility": "fauteuil",
            "deficits": ["vision", "audition"],
            "vaccinations": "Grippe 2026",
        },
    )
    assert response.status_code == 302
    section = DossierDlu.objects.get(usager=resident)
    assert (section.preferred_hospital, section.mobility, section.deficits) == (
        "CHU de Caen", "fauteuil", ["vision", "audition"],
    )  # fmt: skip


def test_section_form_refuses_an_unknown_choice(web, resident):
    response = web.post(reverse("dlu-section", args=[resident.pk]), {"deficits": ["telepathie"]})
    assert response.status_code == 200
    assert "telepathie" in response.content.decode()
    assert not DossierDlu.objects.exists()


def test_aide_soignant_may_not_edit_the_section(client, resident, essms):
    client.force_login(professional(essms, Metier.AIDE_SOIGNANT))
    response = client.post(reverse("dlu-section", args=[resident.pk]), {"preferred_hospital": "X"})
    assert response.status_code == 403
    assert not DossierDlu.objects.exists()


def test_transfer_sheet_is_prefilled_from_the_last_constantes(web, resident, ide):
    fill_dossier(resident, ide)
    Evaluation.objects.create(essms=resident.essms, usager=resident, created_by=ide, grid="constantes",
                              answers={"pouls": 88, "tas": 135, "tad": 80, "temperature": 38.2},
                              evaluated_at=timezone.now() - datetime.timedelta(hours=1))  # fmt: skip
    page = web.get(reverse("dlu-sheet-create", args=[resident.pk, "fludt"])).content.decode()
    assert 'value="88"' in page and 'value="135"' in page and 'value="CH de Lisieux"' in page
    assert re.search(r'value="lunettes"[^>]*checked', page) and not re.search(r'value="oxygene"[^>]*checked', page)


def test_transfer_sheet_is_saved_with_its_pdf(web, resident):
    response = web.post(
        reverse("dlu-sheet-create", args=[resident.pk, "fludt"]),
        {
            "happened_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "reason": "Chute, suspicion de fracture",
            "destination": "CH de Lisieux",
            "pulse": "92",
            "temperature": "37.4",
            "consciousness": "confus",
            "prostheses": ["lunettes"],
            "last_meal": "Dîner 19 h",
        },
    )
    assert response.status_code == 302, response.content.decode()
    sheet = TransferSheet.objects.get()
    assert (sheet.kind, sheet.pulse, sheet.prostheses) == (SheetKind.TRANSFER, 92, ["lunettes"])
    assert sheet.document.document_class.code == "fiche_liaison_urgence"
    pdf = web.get(reverse("dlu-sheet-pdf", args=[resident.pk, sheet.pk]))
    assert pdf["Content-Type"] == "application/pdf"


def test_transfer_sheet_without_reason_writes_nothing(web, resident):
    response = web.post(
        reverse("dlu-sheet-create", args=[resident.pk, "fludt"]),
        {"happened_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "destination": "CH"},
    )
    assert response.status_code == 200
    assert "Ce champ est obligatoire" in response.content.decode()
    assert not TransferSheet.objects.exists() and not Document.objects.exists()


def test_return_sheet_in_the_future_is_refused(web, resident):
    later = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = web.post(
        reverse("dlu-sheet-create", args=[resident.pk, "fludr"]),
        {"happened_at": later, "destination": "SU Lisieux", "diagnosis": "Contusion"},
    )
    assert "ne peuvent pas être dans le futur" in response.content.decode()
    assert not TransferSheet.objects.exists()


def test_return_sheet_is_saved(web, resident):
    response = web.post(
        reverse("dlu-sheet-create", args=[resident.pk, "fludr"]),
        {
            "happened_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "destination": "SU Lisieux",
            "diagnosis": "Contusion du poignet",
            "discharge_treatment": "Paracétamol 1 g x3/j",
        },
    )
    assert response.status_code == 302
    assert TransferSheet.objects.get().kind == SheetKind.RETURN


def test_unknown_sheet_kind_is_404(web, resident):
    assert web.get(reverse("dlu-sheet-create", args=[resident.pk, "autre"])).status_code == 404


def test_a_generation_id_beyond_a_bigint_is_404(web, resident):
    assert web.get(reverse("dlu-pdf", args=[resident.pk, 2**63])).status_code == 404


def test_another_essms_gets_404_on_every_page(client, resident, ide, foreign_essms):
    generation = dlu_generate(ide, usager=resident)
    client.force_login(professional(foreign_essms, Metier.IDE))
    for url in (
        reverse("dlu-page", args=[resident.pk]),
        reverse("dlu-pdf", args=[resident.pk, generation.pk]),
        reverse("dlu-current-pdf", args=[resident.pk]),
        reverse("dlu-section", args=[resident.pk]),
        reverse("dlu-sheet-create", args=[resident.pk, "fludt"]),
    ):
        assert client.get(url).status_code == 404, url


def test_the_dossier_page_leads_to_the_dlu(web, resident):
    page = web.get(reverse("usager-detail", args=[resident.pk])).content.decode()
    assert f'href="{reverse("dlu-page", args=[resident.pk])}"' in page

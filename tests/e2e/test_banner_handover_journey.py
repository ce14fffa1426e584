"""A nurse's journey on a PC screen (1024×768) and a phone (390×844): the patient banner with the
person's severe allergy on every page about her, and a relève that shows an Algoplus of 3 and a
refused meal recorded during the shift (no more "Rien de nouveau")."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from dui.models import Metier, Modality, SubstanceClass
from dui.models.medical import AllergySeverity
from dui.services.medical import allergy_add
from dui.services.sejours import sejour_admit, sejour_open_pre_admission
from soins.models import CareOccurrence, OccurrenceStatus
from soins.services.evaluations import evaluation_record
from tests.factories import TEST_PASSWORD, professional
from tests.soins.factories_care import plan

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"pc": {"width": 1024, "height": 768}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def nurse(essms):
    return professional(essms, Metier.IDE, username="ide.cedres", first_name="Julie")


@pytest.fixture
def marthe(usager, unit, nurse):
    """Marthe LEFEBVRE, room 12, allergic to penicillin (severe); Algoplus 3/5 and a refused meal this shift."""
    secretary = professional(usager.essms, Metier.SECRETAIRE_MEDICALE)
    today = timezone.localdate()
    sejour = sejour_open_pre_admission(secretary, usager=usager, first_contact_on=today - datetime.timedelta(days=400))
    sejour_admit(
        secretary, sejour=sejour, admitted_on=today - datetime.timedelta(days=380),
        contract_signed_on=today - datetime.timedelta(days=380), unit=unit,
        modality=Modality.HEBERGEMENT_PERMANENT, room="12",
    )  # fmt: skip
    penicillins = SubstanceClass.objects.get(code="penicillines")
    allergy_add(nurse, usager=usager, substance_class=penicillins, severity=AllergySeverity.SEVERE)
    now = timezone.now()
    answers = {"visage": True, "regard": True, "plaintes": True, "corps": False, "comportements": False}
    evaluation_record(
        nurse, usager=usager, grid="algoplus", answers=answers, evaluated_at=now - datetime.timedelta(minutes=40)
    )
    item = plan(professional(usager.essms, Metier.CADRE_SANTE), usager)
    moment = now - datetime.timedelta(minutes=20)
    CareOccurrence.objects.create(
        essms=usager.essms, usager=usager, created_by=nurse, plan_item=item, label="Repas", due_at=moment,
        due_before=moment + datetime.timedelta(hours=1), status=OccurrenceStatus.REFUSED,
        comment="Refuse le plateau", validated_by=nurse, recorded_at=moment,
    )  # fmt: skip
    return usager


@pytest.mark.parametrize("screen", ["pc", "phone"])
def test_banner_on_every_page_and_a_complete_releve(journey, nurse, unit, marthe, screen):
    j = journey(f"banner-releve-{screen}")
    page = j.page
    page.set_viewport_size(VIEWPORTS[screen])
    j.login(nurse.username, TEST_PASSWORD)

    pages = [
        ("dossier", reverse("usager-detail", args=[marthe.pk])),
        ("prescriptions", reverse("medication-prescriptions", args=[marthe.pk])),
        ("plan-administration", reverse("medication-chart", args=[marthe.pk])),
        ("evaluations", reverse("usager-evaluations", args=[marthe.pk])),
        ("transmission", f"{reverse('transmission-create')}?usager={marthe.pk}"),
        ("synthese", reverse("synthese", args=[marthe.pk])),
    ]
    for label, path in pages:
        j.goto(path)
        banner = page.locator(f'section.pb[data-banner="{marthe.pk}"]')
        assert banner.count() == 1, label
        assert banner.is_visible(), label
        allergy = banner.locator(".pb-danger", has_text="Pénicilline")
        assert allergy.is_visible(), label
        assert "Ch. 12" in banner.inner_text(), label
        box = banner.bounding_box()
        assert box["width"] <= VIEWPORTS[screen]["width"], label  # nothing hidden sideways on a phone
        j.shot(label)

    j.goto(f"{reverse('worklist')}?unite={unit.pk}")
    card = page.locator(f"#personne-{marthe.pk}")
    assert card.locator(".pb-compact .pb-danger", has_text="Pénicilline").is_visible()
    j.shot("liste-de-soins")

    j.goto(f"{reverse('handover')}?unite={unit.pk}")
    person = page.locator("li.ho-person", has_text="LEFEBVRE")
    text = person.inner_text()
    assert "Algoplus 3/5 : douleur probable" in text
    assert "Refusé : Repas — Refuse le plateau" in text
    assert "Rien de nouveau" not in text
    j.shot("releve")

    # Writing without a preselected person: the banner follows the person chosen in the list.
    j.goto(reverse("transmission-create"))
    assert page.locator("#tr-banner section.pb").count() == 0
    page.select_option("select[name='concerne']", f"p{marthe.pk}")
    expect(page.locator("#tr-banner .pb-danger", has_text="Pénicilline")).to_be_visible()
    j.shot("transmission-personne-choisie")

    j.goto(f"{reverse('handover')}?unite={unit.pk}")
    person = page.locator("li.ho-person", has_text="LEFEBVRE")
    person.get_by_role("link", name="Algoplus 3/5 : douleur probable").tap()
    page.wait_for_url("**/evaluations/**")
    assert page.locator(".pb .pb-danger", has_text="Pénicilline").is_visible()
    j.shot("evaluation")
    j.assert_clean()

"""Journey: the night IDE opens the mode dégradé page, has the unit's pack generated and downloads it
(tablet and phone)."""

import pytest
from playwright.sync_api import expect

from dui.models import Allergy, Metier
from tests.factories import TEST_PASSWORD, professional
from tests.soins.factories_care import placed_person

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("width", "height"), [(1024, 768), (390, 844)])
def test_night_ide_downloads_the_unit_pack(journey, essms, unit, width, height):
    cadre = professional(essms, Metier.CADRE_SANTE)
    professional(essms, Metier.IDE, username="ide.nuit", first_name="Nina", last_name="Nuit")
    person = placed_person(essms, unit, cadre, name="LEFEBVRE", room="12")
    Allergy.objects.create(essms=essms, usager=person, created_by=cadre, substance="Pénicilline G")
    trip = journey(f"continuity-{width}")
    trip.page.set_viewport_size({"width": width, "height": height})
    trip.login("ide.nuit", TEST_PASSWORD)
    trip.goto("/continuite/")
    trip.assert_styled()
    expect(trip.page.get_by_role("heading", name="Si le DUI ne répond plus")).to_be_visible()
    trip.page.get_by_role("button", name="Générer maintenant").tap()
    expect(trip.page.get_by_role("status")).to_contain_text("Plan de continuité demandé pour « Unité Glycine »")
    expect(trip.page.get_by_text("Dernier plan :")).to_be_visible()
    trip.shot("plans-de-l-unite")
    assert trip.page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1"), "scrolls sideways"
    with trip.page.expect_download() as download:
        trip.page.get_by_role("link", name="PDF du").first.tap()
    assert download.value.suggested_filename.startswith("plan-continuite-unite-glycine-")
    assert open(download.value.path(), "rb").read(5) == b"%PDF-"
    trip.assert_clean()

"""Journey: a cadre de santé of an EHPAD offers the « Scolarité » cible in her establishment from the
cible catalogue (hidden there by default), at PC and phone sizes; the writing page then offers it."""

import pytest
from playwright.sync_api import expect

from dui.models import Metier
from tests.factories import TEST_PASSWORD, professional
from transmissions.models import Cible
from transmissions.services.cibles import cibles_fill_defaults

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("width", "height"), [(1024, 768), (390, 844)])
def test_cadre_offers_scolarite_in_her_ehpad(journey, og, essms, width, height):
    cibles_fill_defaults(og=og)
    professional(essms, Metier.CADRE_SANTE, username="cadre.cedres")
    trip = journey(f"catalogue-kinds-{width}")
    trip.page.set_viewport_size({"width": width, "height": height})
    trip.login("cadre.cedres", TEST_PASSWORD)
    trip.goto("/transmissions/nouvelle/")
    expect(trip.page.locator("select[name=cible] option", has_text="Scolarité")).to_have_count(0)
    trip.goto("/transmissions/cibles/")
    row = trip.page.locator("li.tr-cible-row", has_text="Scolarité")
    expect(row.get_by_text("Non proposée ici")).to_be_visible()
    row.locator("summary").tap()
    trip.shot("cible-scolarite-ouverte")
    row.get_by_label("EHPAD").check()
    row.get_by_role("button", name="Enregistrer").tap()
    expect(trip.page.get_by_text("types d'établissement enregistrés")).to_be_visible()
    trip.shot("cible-enregistree")
    assert "ehpad" in Cible.objects.get(og=og, label="Scolarité").essms_kinds
    trip.goto("/transmissions/nouvelle/")
    expect(trip.page.locator("select[name=cible] option", has_text="Scolarité")).to_have_count(1)
    trip.goto("/catalogue/types-etablissement/")
    trip.page.locator("li", has_text="Crise d'épilepsie").locator("summary").tap()
    trip.shot("catalogue-par-type")
    trip.assert_clean()

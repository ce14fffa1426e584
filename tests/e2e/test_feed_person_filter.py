"""Journey: an IDE filters the feed by person by typing a few letters of the name, at PC and phone
sizes; the list comes as she types, choosing one filters the feed and keeps the name shown."""

import pytest
from playwright.sync_api import expect

from dui.models import Metier
from tests.dui.test_planning_support import admit
from tests.factories import TEST_PASSWORD, UnitFactory, UsagerFactory, professional
from tests.transmissions.test_feed import write

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("width", "height"), [(1024, 768), (390, 844)])
def test_ide_finds_a_person_as_she_types(journey, essms, width, height):
    ide = professional(essms, Metier.IDE, username="ide.cedres")
    unit = UnitFactory(essms=essms, name="Glycine")
    helene = UsagerFactory(essms=essms, birth_name="DUPRÉ", first_names="Hélène")
    paul = UsagerFactory(essms=essms, birth_name="MARTIN", first_names="Paul")
    admit(helene, unit, by=ide, room="12")
    admit(paul, unit, by=ide, room="14")
    write(ide, usager=helene, narrative="Hélène a bien dormi.")
    write(ide, usager=paul, narrative="Paul a mal au genou.")
    trip = journey(f"feed-person-{width}")
    trip.page.set_viewport_size({"width": width, "height": height})
    trip.login("ide.cedres", TEST_PASSWORD)
    trip.goto("/transmissions/")
    trip.page.locator("summary", has_text="Filtres").click()
    field = trip.page.get_by_label("Personne")
    field.press_sequentially("dupre", delay=30)
    option = trip.page.locator("#tr-personnes option")
    expect(option).to_have_count(1)
    expect(trip.page.locator("#tr-personnes-statut")).to_have_text("1 personne proposée")
    field.fill(option.get_attribute("value"))  # what choosing in the list does
    expect(trip.page.locator("#id_usager")).to_have_value(str(helene.pk))
    trip.shot("personne-choisie")
    trip.page.get_by_role("button", name="Appliquer les filtres").click()
    expect(trip.page.get_by_text("Hélène a bien dormi.")).to_be_visible()
    expect(trip.page.get_by_text("Paul a mal au genou.")).to_have_count(0)
    expect(trip.page.get_by_label("Personne")).to_have_value("DUPRÉ Hélène (Glycine — ch. 12)")
    trip.shot("fil-filtre")
    trip.assert_clean()

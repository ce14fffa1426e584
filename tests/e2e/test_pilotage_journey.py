"""Journey: the director opens her establishment's dashboard on a tablet (and a phone), picks a past
month, reads a figure with its definition and the persons behind it, then exports it."""

import datetime

import pytest
from playwright.sync_api import expect

from dui.models import Metier
from tests.factories import TEST_PASSWORD, UnitFactory, UsagerFactory, professional
from tests.pilotage.history import make_stay

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
D = datetime.date


@pytest.mark.parametrize(("width", "height"), [(1024, 768), (390, 844)])
def test_director_reads_the_dashboard_on_a_tablet(journey, essms, width, height):
    essms.capacity = 2
    essms.save()
    director = professional(essms, Metier.DIRECTION, username="direction.cedres")
    glycine = UnitFactory(essms=essms, name="Glycine")
    make_stay(UsagerFactory(essms=essms, birth_name="MARTIN"), director, D(2025, 1, 1),
              placements=[(glycine, D(2025, 1, 1), None, "")])  # fmt: skip
    make_stay(UsagerFactory(essms=essms, birth_name="BERNARD"), director, D(2026, 3, 11),
              placements=[(glycine, D(2026, 3, 11), None, "")])  # fmt: skip
    trip = journey(f"pilotage-{width}")
    trip.page.set_viewport_size({"width": width, "height": height})
    trip.login("direction.cedres", TEST_PASSWORD)
    trip.goto("/pilotage/")
    trip.assert_styled()
    trip.page.get_by_label("Période", exact=True).select_option("month")
    trip.page.get_by_label("Contenant le jour").fill("2026-03-15")
    trip.page.get_by_role("button", name="Afficher").tap()
    card = trip.page.locator("article[data-code=days_realised]")
    expect(card.locator(".pilotage-value")).to_contain_text("52")
    card.locator("summary", has_text="Définition").tap()
    expect(card.get_by_text("aucune absence ne couvre D")).to_be_visible()
    expect(trip.page.locator(".pilotage-chart img").first).to_be_visible()
    trip.shot("tableau-de-bord-mars")
    no_overflow = trip.page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert no_overflow, "the dashboard scrolls sideways"
    trip.page.locator("article[data-code=admissions]").get_by_role("link", name="Voir les personnes").tap()
    expect(trip.page.get_by_role("link", name="BERNARD Jeanne Marie")).to_be_visible()
    trip.shot("personnes-admises")
    trip.page.go_back()
    with trip.page.expect_download() as download:
        trip.page.get_by_role("link", name="Exporter en XLSX").tap()
    assert download.value.suggested_filename.endswith(".xlsx")
    trip.assert_clean()

"""Journey: an administrator finds the partner tokens in the menu, reads their scopes and revokes one,
at PC and phone sizes."""

import pytest
from playwright.sync_api import expect

from dui.models import Metier
from interop.models import ApiToken
from interop.services import api_token_create
from tests.factories import TEST_PASSWORD, professional

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("width", "height"), [(1024, 768), (390, 844)])
def test_administrator_revokes_a_partner_token(journey, essms, width, height):
    api_token_create(
        essms_finess=essms.finess, name="Balance connectée", scopes="system/Patient.read system/Observation.write",
        metier="aide_soignant",
    )  # fmt: skip
    professional(essms, Metier.ADMINISTRATEUR, username="admin.cedres")
    trip = journey(f"api-tokens-{width}")
    trip.page.set_viewport_size({"width": width, "height": height})
    trip.login("admin.cedres", TEST_PASSWORD)
    trip.goto("/jetons-api/")
    row = trip.page.locator("li.card", has_text="Balance connectée")
    expect(row.get_by_text("system/Observation.write")).to_be_visible()
    trip.shot("jetons")
    row.get_by_role("button", name="Révoquer le jeton Balance connectée").tap()
    expect(trip.page.get_by_text("révoqué : il est refusé dès son prochain appel")).to_be_visible()
    trip.shot("jeton-revoque")
    assert ApiToken.objects.get().revoked_at is not None
    trip.assert_clean()

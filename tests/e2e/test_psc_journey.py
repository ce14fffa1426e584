"""Logging in with Pro Santé Connect on a tablet and a phone (1024×768 and 390×844).

Julie, IDE, taps « Se connecter avec Pro Santé Connect », authenticates at the provider (an
OpenID provider on loopback standing in for PSC) and lands on the home page of her EHPAD; her
account page shows her RPPS. A colleague whose RPPS is not registered is sent back to the login
page with the reason, and no account is created.
"""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from dui.models import Metier, User
from tests.e2e.conftest import Journey
from tests.factories import TEST_PASSWORD, professional
from tests.interop.psc_provider import provider_url, psc, psc_identity  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("psc")]

SIZES = [(1024, 768), (390, 844)]
RPPS = "10001023232"
# The loopback provider's own page asks a stylesheet from a CDN the test machine cannot reach.
PROVIDER_PAGE_STYLESHEET = "cdn.jsdelivr.net/npm/@picocss"


def new_journey(browser, live_server, name, size) -> Journey:
    width, height = size
    context = browser.new_context(
        viewport={"width": width, "height": height},
        has_touch=True,
        locale="fr-FR",
        timezone_id="Europe/Paris",
    )
    context.set_default_timeout(15_000)
    return Journey(context.new_page(), live_server.url, name)


def provider() -> str:
    return settings.PSC_DISCOVERY_URL.removesuffix("/.well-known/openid-configuration")


def authenticate_at_provider(journey: Journey, sub: str) -> None:
    journey.page.get_by_role("link", name="Se connecter avec Pro Santé Connect").click()
    journey.page.get_by_placeholder("sub").fill(sub)
    journey.page.get_by_role("button", name="Authorize").click()


@pytest.mark.parametrize("size", SIZES, ids=["1024x768", "390x844"])
def test_a_nurse_logs_in_with_pro_sante_connect(browser, live_server, essms, size):
    professional(essms, Metier.IDE, username=f"julie.{size[0]}", first_name="Julie", last_name="Bernard", rpps=RPPS)
    psc_identity(provider(), f"psc-julie-{size[0]}", SubjectNameID="8" + RPPS)
    journey = new_journey(browser, live_server, f"psc-{size[0]}x{size[1]}", size)

    journey.goto("/connexion/")
    journey.assert_styled()
    expect(journey.page.get_by_role("link", name="Se connecter avec Pro Santé Connect")).to_be_visible()
    journey.shot("connexion avec bouton PSC")
    authenticate_at_provider(journey, f"psc-julie-{size[0]}")
    journey.page.wait_for_url(journey.url("/"))
    expect(journey.page.get_by_text(essms.name).first).to_be_visible()
    journey.shot("accueil apres PSC")

    journey.goto("/mon-compte/")
    expect(journey.page.get_by_text(RPPS).first).to_be_visible()
    journey.shot("mon compte")
    journey.assert_clean(tolerated=(PROVIDER_PAGE_STYLESHEET,))
    journey.page.context.close()


@pytest.mark.parametrize("size", SIZES, ids=["1024x768", "390x844"])
def test_an_unknown_rpps_is_sent_back_with_the_reason(browser, live_server, essms, size):
    users_before = User.objects.count()
    psc_identity(provider(), f"psc-inconnu-{size[0]}", SubjectNameID="810001034346")
    journey = new_journey(browser, live_server, f"psc-refus-{size[0]}x{size[1]}", size)

    journey.goto("/connexion/")
    authenticate_at_provider(journey, f"psc-inconnu-{size[0]}")
    journey.page.wait_for_url(journey.url("/connexion/"))
    expect(journey.page.get_by_text("Aucun compte actif ne correspond à votre numéro RPPS 10001034346")).to_be_visible()
    journey.shot("refus RPPS inconnu")
    assert User.objects.count() == users_before
    journey.assert_clean(tolerated=(PROVIDER_PAGE_STYLESHEET,))
    journey.page.context.close()


@pytest.mark.parametrize("size", SIZES, ids=["1024x768", "390x844"])
def test_the_administrator_registers_a_nurses_rpps(browser, live_server, essms, size):
    professional(essms, Metier.ADMINISTRATEUR, username=f"admin.{size[0]}")
    nurse = professional(essms, Metier.IDE, username=f"emilie.{size[0]}", first_name="Émilie", last_name="Faure")
    journey = new_journey(browser, live_server, f"rpps-admin-{size[0]}x{size[1]}", size)
    journey.login(f"admin.{size[0]}", TEST_PASSWORD)

    journey.goto("/professionnels/")
    journey.shot("professionnels")
    journey.page.get_by_role("link", name="Modifier le RPPS de Émilie Faure").click()
    journey.page.get_by_label("Numéro RPPS").fill("10001023233")
    journey.page.get_by_role("button", name="Enregistrer").click()
    expect(journey.page.get_by_text("la clé de contrôle (11e chiffre) ne correspond pas")).to_be_visible()
    journey.shot("cle fausse")
    journey.page.get_by_label("Numéro RPPS").fill(RPPS)
    journey.page.get_by_role("button", name="Enregistrer").click()
    journey.page.wait_for_url(journey.url("/professionnels/"))
    expect(journey.page.get_by_text("Numéro RPPS de Émilie Faure enregistré.")).to_be_visible()
    journey.shot("rpps enregistre")
    nurse.refresh_from_db()
    assert nurse.rpps == RPPS
    journey.assert_clean(tolerated=("status of 400",))  # the refused form answers 400, on purpose
    journey.page.context.close()

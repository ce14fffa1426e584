"""The animatrice of the demo EHPAD (ehpad.animateur) opens today's loto on a tablet and records who
came with one tap per person, then the satisfaction a résidente gives; nothing reloads the page
(htmx). At 1024×768 (tablet landscape) and 390×844 (phone)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from activities.models import ActivitySession, Registration
from demo.seed import DEMO_PASSWORD
from tests.e2e.conftest import Journey

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"tablette-1024x768": {"width": 1024, "height": 768}, "telephone-390x844": {"width": 390, "height": 844}}


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request):
    return request.param


def test_animatrice_records_attendance_on_the_tablet(browser, live_server, viewport):
    call_command("seed_demo", stdout=StringIO())
    session = ActivitySession.objects.get(
        essms__kind="ehpad", activity__name="Loto", starts_at__date=timezone.localdate()
    )
    people = list(session.registrations.select_related("usager").order_by("usager__birth_name", "usager__first_names"))
    assert len(people) == 5
    size = VIEWPORTS[viewport]
    context = browser.new_context(
        viewport=size, screen=size, has_touch=True, device_scale_factor=1, locale="fr-FR", timezone_id="Europe/Paris"
    )
    context.set_default_timeout(15_000)
    try:
        journey = Journey(context.new_page(), live_server.url, f"activites-{viewport}")
        page = journey.page
        journey.login("ehpad.animateur", DEMO_PASSWORD)
        journey.goto("/activites/")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Activités du")
        journey.shot("programme du jour")
        page.get_by_role("link", name="Loto").first.tap()
        page.wait_for_url(journey.url(f"/activites/seances/{session.pk}/"))
        expect(page.locator(".ac-row")).to_have_count(5)
        journey.shot("feuille de presence")
        page.evaluate("window.__sameDocument = true")  # lost if a tap reloaded the page
        choices = ["Présent(e)", "Présent(e)", "Absent(e)", "A refusé", "Présent(e)"]
        for registration, label in zip(people, choices, strict=True):
            row = page.locator(f"#inscription-{registration.pk}")
            row.get_by_role("button", name=label).tap()
            expect(row.get_by_role("button", name=label)).to_have_attribute("aria-pressed", "true")
        first = page.locator(f"#inscription-{people[0].pk}")
        first.get_by_role("button", name="4 sur 5").tap()
        expect(first.get_by_role("button", name="4 sur 5")).to_have_attribute("aria-pressed", "true")
        assert page.evaluate("window.__sameDocument") is True
        box = first.get_by_role("button", name="Présent(e)").bounding_box()
        assert box["height"] >= 48 and box["width"] >= 48, box  # a finger-sized target
        journey.shot("presences saisies")
        recorded = dict(Registration.objects.filter(session=session).values_list("pk", "attendance"))
        assert [recorded[r.pk] for r in people] == ["present", "present", "absent", "refused", "present"]
        assert Registration.objects.get(pk=people[0].pk).satisfaction == 4
        session.refresh_from_db()
        assert session.status == "held"
        journey.assert_clean()
    finally:
        context.close()

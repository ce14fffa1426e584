"""Giving doses on a tablet: who may, when, and undoing a mistake (1024×768 and 390×844).

Monday 14:00. Inès, aide-soignante, opens the night's worklist: the IDE's 20:00 Tramadol LP is listed
without any button (not marked "aide à la prise", and the night has not begun). On the day's list
she gives the 14:00 Paracétamol (marked "aide à la prise"), then sees it was a mistake and undoes
it with a reason: the dose is to do again, the original validation kept in the history.

The server's clock is fixed with time-machine (ticking), the browser's with Playwright's clock, so
the time tapped on the tablet and the server's agree.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from playwright.sync_api import expect

from dui.models import Metier
from soins.models import CareOccurrence, OccurrenceStatus, ValidationCorrection
from tests.e2e.conftest import Journey
from tests.factories import TEST_PASSWORD, professional
from tests.soins import factories_care as f
from tests.soins.factories_medication import doctor, nurse, prescribe

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PARIS = ZoneInfo("Europe/Paris")
DAY = datetime.date(2025, 3, 10)
TWO_PM = datetime.datetime.combine(DAY, datetime.time(14, 0), tzinfo=PARIS)


@pytest.mark.parametrize("size", [(1024, 768), (390, 844)], ids=["1024x768", "390x844"])
def test_the_aide_cannot_give_the_nurses_evening_dose_and_undoes_her_mistake(
    browser, live_server, essms, unit, usager, size
):
    with time_machine.travel(TWO_PM - datetime.timedelta(hours=8), tick=False):
        medecin = doctor(essms)
        nurse(essms)
        aide = professional(
            essms, Metier.AIDE_SOIGNANT, username=f"ines.{size[0]}", first_name="Inès", last_name="Durand"
        )
        f.place(usager, unit, medecin, room="12")
        tramadol = prescribe(medecin, usager, validate=True, drug="Tramadol LP", dose="50 mg", times=["20:00"])
        paracetamol = prescribe(medecin, usager, validate=True, times=["14:00"], aide_a_la_prise=True)
    evening = CareOccurrence.objects.get(prescription=tramadol, due_at=TWO_PM + datetime.timedelta(hours=6))
    dose = CareOccurrence.objects.get(prescription=paracetamol, due_at=TWO_PM)

    width, height = size
    viewport = {"width": width, "height": height}
    context = browser.new_context(
        viewport=viewport, screen=viewport, has_touch=True, is_mobile=width < 600, locale="fr-FR",
        timezone_id="Europe/Paris",
    )  # fmt: skip
    context.set_default_timeout(15_000)
    try:
        with time_machine.travel(TWO_PM, tick=True):
            page = context.new_page()
            page.clock.install(time=TWO_PM)
            j = Journey(page, live_server.url, f"administration-{width}x{height}")
            j.login(aide.username, TEST_PASSWORD)
            worklist = reverse("worklist")

            j.goto(f"{worklist}?unite={unit.pk}&poste=nuit&date={DAY.isoformat()}")
            j.assert_styled()
            evening_item = page.locator(f"#occ-{evening.pk}")
            expect(evening_item).to_contain_text("Tramadol LP")
            expect(evening_item.get_by_role("button", name="Fait", exact=True)).to_have_count(0)
            j.shot("nuit-tramadol-sans-bouton")

            j.goto(f"{worklist}?unite={unit.pk}&poste=jour&date={DAY.isoformat()}")
            item = page.locator(f"#occ-{dose.pk}")
            item.get_by_role("button", name="Fait", exact=True).tap()
            expect(item.locator(".wl-result")).to_contain_text("Fait — Inès Durand", timeout=20_000)
            j.shot("paracetamol-fait")

            page.reload(wait_until="load")
            item = page.locator(f"#occ-{dose.pk}")
            item.get_by_text("Annuler / corriger").tap()
            item.get_by_role("button", name="Annuler cette validation").tap()  # the reason is required
            assert page.evaluate(f"() => document.getElementById('cancel-{dose.pk}').validity.valueMissing")
            item.get_by_label("Motif de l'annulation").fill("Erreur de résidente, pas encore donné")
            j.shot("annuler-avec-motif")
            item.get_by_role("button", name="Annuler cette validation").tap()
            page.wait_for_load_state("load")
            expect(page.get_by_text("validation annulée")).to_be_visible()
            item = page.locator(f"#occ-{dose.pk}")
            expect(item.get_by_role("button", name="Fait", exact=True)).to_be_visible()
            j.shot("a-refaire")
            j.assert_clean()
    finally:
        context.close()

    dose.refresh_from_db()
    evening.refresh_from_db()
    assert dose.status == OccurrenceStatus.PENDING and evening.status == OccurrenceStatus.PENDING
    correction = ValidationCorrection.objects.get()
    assert correction.validated_by == aide and correction.status == "done"
    assert correction.reason == "Erreur de résidente, pas encore donné"


def test_outside_the_window_the_tablet_asks_for_the_reason(browser, live_server, essms, unit, usager):
    """15:30, the IDE gives the 14:00 dose: the server asks for a reason, the tablet shows the field and
    says so; with the reason the validation is recorded once, flagged late, and the queue is empty."""
    with time_machine.travel(TWO_PM - datetime.timedelta(hours=8), tick=False):
        medecin = doctor(essms)
        ide = professional(essms, Metier.IDE, username="julie.ide", first_name="Julie", last_name="Martin")
        f.place(usager, unit, medecin, room="12")
        line = prescribe(medecin, usager, validate=True, times=["14:00"])
    dose = CareOccurrence.objects.get(prescription=line, due_at=TWO_PM)
    half_past_three = TWO_PM + datetime.timedelta(minutes=90)
    viewport = {"width": 820, "height": 1180}
    context = browser.new_context(
        viewport=viewport, screen=viewport, has_touch=True, locale="fr-FR", timezone_id="Europe/Paris"
    )
    context.set_default_timeout(15_000)
    try:
        with time_machine.travel(half_past_three, tick=True):
            page = context.new_page()
            page.clock.install(time=half_past_three)
            j = Journey(page, live_server.url, "administration-motif-hors-creneau")
            j.login(ide.username, TEST_PASSWORD)
            j.goto(f"{reverse('worklist')}?unite={unit.pk}&poste=jour&date={DAY.isoformat()}")
            item = page.locator(f"#occ-{dose.pk}")
            reason = item.get_by_label("Motif de l'écart au créneau prévu (obligatoire hors créneau)")
            expect(reason).to_be_visible()  # outside its window when the page was drawn
            item.get_by_role("button", name="Fait", exact=True).tap()
            expect(item.locator(".wl-feedback")).to_contain_text("Indiquez le motif de l'écart", timeout=20_000)
            expect(reason).to_be_focused()
            j.shot("motif-demande")
            assert CareOccurrence.objects.get(pk=dose.pk).status == OccurrenceStatus.PENDING
            reason.fill("Résidente en rendez-vous chez le dentiste")
            item.get_by_role("button", name="Fait", exact=True).tap()
            expect(item.locator(".wl-result")).to_contain_text("Fait — Julie Martin", timeout=20_000)
            expect(page.locator("#wl-queue")).to_be_hidden()
            j.shot("enregistre-en-retard")
            assert page.evaluate("() => JSON.parse(localStorage.getItem('dui.worklist.queue.v1'))") == []
            # The browser logs the server's designed 400 ("reason_required") as a failed resource.
            j.assert_clean(tolerated=(f"status of 400 (Bad Request) ({live_server.url}/soins/occurrences/{dose.pk}/",))
    finally:
        context.close()
    dose.refresh_from_db()
    assert dose.status == OccurrenceStatus.DONE and dose.timing == "late"
    assert dose.timing_reason == "Résidente en rendez-vous chez le dentiste"

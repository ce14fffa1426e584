"""The worklist on a tablet with a flaky network: validations are kept in the browser and sent back.

An aide-soignante opens her unit's worklist, the network drops, she validates two cares: the screen
says "2 validations en attente", the queue is in localStorage with its idempotency keys, nothing has
reached the server. The network returns: the queue empties, the server has exactly two validations.
The same queue sent again (a lost answer, a replay after a reload) doubles nothing.
"""

import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from dui.models import Metier
from dui.shifts import shift_at
from soins.models import CareOccurrence, OccurrenceStatus
from soins.services import care as care_services
from tests.factories import TEST_PASSWORD, professional
from tests.soins import factories_care as f

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

QUEUE_KEY = "dui.worklist.queue.v1"
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def test_validations_survive_a_network_cut(journey, essms, unit, usager):
    cadre = professional(essms, Metier.CADRE_SANTE, username="cadre.cedres")
    aide = professional(essms, Metier.AIDE_SOIGNANT, username="as.cedres", first_name="Inès", last_name="Durand")
    f.place(usager, unit, cadre, room="12")
    shift = shift_at(timezone.now())
    for label in ("Toilette complète", "Change", "Hydratation (proposer à boire)"):
        f.plan(cadre, usager, label, poste=shift.poste)
    care_services.occurrences_generate_for_shift(essms, shift)
    toilet = CareOccurrence.objects.get(label="Toilette complète")
    change = CareOccurrence.objects.get(label="Change")

    j = journey("worklist-hors-connexion")
    page = j.page
    j.login(aide.username, TEST_PASSWORD)
    j.goto(f"{reverse('worklist')}?unite={unit.pk}")
    j.assert_styled()
    expect(page.locator(".wl-item")).to_have_count(3)
    queue_banner = page.locator("#wl-queue")
    expect(queue_banner).to_be_hidden()
    j.shot("liste-de-soins")

    page.context.set_offline(True)
    toilet_item = page.locator(f"#occ-{toilet.pk}")
    toilet_item.get_by_role("button", name="Fait", exact=True).tap()
    change_item = page.locator(f"#occ-{change.pk}")
    # A refusal needs its reason: refused in the browser before anything is queued.
    change_item.get_by_role("button", name="Refusé", exact=True).tap()
    expect(change_item.locator(".wl-feedback")).to_contain_text("Indiquez le motif")
    change_item.get_by_label("Commentaire pour « Change »").fill("Ne souhaite pas être changée maintenant")
    change_item.get_by_role("button", name="Refusé", exact=True).tap()

    expect(queue_banner).to_contain_text("2 validations en attente")
    expect(toilet_item).to_contain_text("en attente d'envoi")
    expect(change_item.locator(".wl-form")).to_be_hidden()
    j.shot("hors-connexion-2-en-attente")
    queue = page.evaluate(f"() => JSON.parse(localStorage.getItem('{QUEUE_KEY}'))")
    assert [entry["status"] for entry in queue] == ["done", "refused"]
    assert all(UUID.match(entry["key"]) for entry in queue)
    assert queue[1]["comment"] == "Ne souhaite pas être changée maintenant"
    assert not CareOccurrence.objects.exclude(status=OccurrenceStatus.PENDING).exists()

    page.context.set_offline(False)
    expect(queue_banner).to_be_hidden(timeout=20_000)
    expect(toilet_item.locator(".wl-result")).to_contain_text("Fait — Inès Durand")
    expect(change_item.locator(".wl-result")).to_contain_text("Refusé — Inès Durand")
    j.shot("reseau-revenu-envoye")
    assert page.evaluate(f"() => JSON.parse(localStorage.getItem('{QUEUE_KEY}'))") == []
    validated = dict(CareOccurrence.objects.exclude(status=OccurrenceStatus.PENDING).values_list("pk", "status"))
    assert validated == {toilet.pk: "done", change.pk: "refused"}
    keys = {
        str(k) for k in CareOccurrence.objects.exclude(idempotency_key=None).values_list("idempotency_key", flat=True)
    }
    assert keys == {entry["key"] for entry in queue}

    # The same queue replayed (an answer lost before it reached the tablet): nothing doubled.
    page.evaluate(f"(queue) => localStorage.setItem('{QUEUE_KEY}', JSON.stringify(queue))", queue)
    page.reload(wait_until="load")
    expect(page.locator("#wl-queue")).to_be_hidden(timeout=20_000)
    assert page.evaluate(f"() => JSON.parse(localStorage.getItem('{QUEUE_KEY}'))") == []
    after = dict(CareOccurrence.objects.exclude(status=OccurrenceStatus.PENDING).values_list("pk", "status"))
    assert after == validated
    expect(page.locator(f"#occ-{toilet.pk} .wl-result")).to_contain_text("Fait")
    j.shot("rejeu-sans-doublon")
    j.assert_clean()
    assert json.dumps(queue)  # the queue was plain JSON, readable after a reload

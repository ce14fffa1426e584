"""Validating the worklist: the JSON endpoint of the offline queue, the plain form, the API.

201 first record, 200 replay of the same key (nothing doubled), 409 validated by someone else,
400 bad input (French message, nothing changed), 404 outside the ESSMS or unknown.
"""

import datetime
import html
import json
import re
import uuid
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from dui.models import AccessLog, Metier, Placement
from dui.shifts import shift_at
from soins.models import CareOccurrence, OccurrenceStatus
from soins.services import care as care_services
from soins.services import worklist as worklist_services
from tests.factories import UnitFactory, professional
from tests.soins import factories_care as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def mid_shift():
    """Mid-morning: a validation tapped 20 minutes ago belongs to the same shift (not so at 19:10)."""
    with time_machine.travel(datetime.datetime(2026, 3, 12, 10, 30, tzinfo=ZoneInfo("Europe/Paris")), tick=True):
        yield


class World:
    def __init__(self, essms, unit, usager):
        self.essms, self.unit, self.usager = essms, unit, usager
        self.cadre = professional(essms, Metier.CADRE_SANTE)
        self.aide = professional(essms, Metier.AIDE_SOIGNANT, first_name="Inès", last_name="Durand")
        self.other_aide = professional(essms, Metier.AIDE_SOIGNANT, first_name="Paul", last_name="Roux")
        f.place(usager, unit, self.cadre, room="12")
        self.shift = shift_at(timezone.now())
        f.plan(self.cadre, usager, "Toilette complète", poste=self.shift.poste)
        f.plan(self.cadre, usager, "Change", poste=self.shift.poste)
        care_services.occurrences_generate_for_shift(essms, self.shift)
        self.toilet = CareOccurrence.objects.get(label="Toilette complète")
        self.change = CareOccurrence.objects.get(label="Change")


@pytest.fixture
def w(essms, unit, usager):
    return World(essms, unit, usager)


def post_json(client, occurrence_id, **body):
    return client.post(
        reverse("worklist-validate", args=[occurrence_id]), data=json.dumps(body), content_type="application/json"
    )


def body(w, **overrides):
    return {"status": "done", "idempotency_key": str(uuid.uuid4()), "unit": w.unit.pk, "comment": ""} | overrides


def assert_pending(occurrence):
    occurrence.refresh_from_db()
    assert occurrence.status == OccurrenceStatus.PENDING
    assert occurrence.validated_by is None and occurrence.idempotency_key is None and occurrence.comment == ""


# --- JSON endpoint (the offline queue) ----------------------------------------------------------


def test_first_record_then_replay_of_the_same_key(client, w):
    client.force_login(w.aide)
    data = body(w, performed_at=(timezone.now() - datetime.timedelta(minutes=20)).isoformat())
    response = post_json(client, w.toilet.pk, **data)
    assert response.status_code == 201, response.content
    answer = response.json()
    assert answer["status"] == "done" and answer["validated_by"] == "Inès Durand" and answer["replay"] is False
    w.toilet.refresh_from_db()
    assert w.toilet.status == OccurrenceStatus.DONE and w.toilet.validated_by == w.aide
    assert str(w.toilet.idempotency_key) == data["idempotency_key"]
    assert w.toilet.performed_at < w.toilet.recorded_at
    recorded_at = w.toilet.recorded_at
    logs = AccessLog.objects.filter(object_type="soins.careoccurrence", action="update").count()

    # The queue sends it again (the answer was lost): nothing doubled, nothing changed.
    replay = post_json(client, w.toilet.pk, **(data | {"status": "refused", "comment": "rejoué"}))
    assert replay.status_code == 200
    assert replay.json()["replay"] is True and replay.json()["status"] == "done"
    w.toilet.refresh_from_db()
    assert w.toilet.status == OccurrenceStatus.DONE and w.toilet.comment == "" and w.toilet.recorded_at == recorded_at
    assert CareOccurrence.objects.exclude(status=OccurrenceStatus.PENDING).count() == 1
    assert AccessLog.objects.filter(object_type="soins.careoccurrence", action="update").count() == logs


def test_validated_twice_with_different_keys_is_a_conflict(client, w):
    client.force_login(w.other_aide)
    assert post_json(client, w.toilet.pk, **body(w)).status_code == 201
    client.force_login(w.aide)
    response = post_json(client, w.toilet.pk, **body(w, status="refused", comment="Dort"))
    assert response.status_code == 409
    assert "déjà été validé (fait) par Paul Roux" in response.json()["error"]
    w.toilet.refresh_from_db()
    assert w.toilet.status == OccurrenceStatus.DONE and w.toilet.validated_by == w.other_aide


def test_not_done_and_refused_with_comment(client, w):
    client.force_login(w.aide)
    assert post_json(client, w.toilet.pk, **body(w, status="refused", comment="Refuse la toilette")).status_code == 201
    assert post_json(client, w.change.pk, **body(w, status="not_done", comment="Hospitalisé")).status_code == 201
    assert dict(CareOccurrence.objects.values_list("label", "status")) == {
        "Toilette complète": "refused",
        "Change": "not_done",
    }


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"status": "peut-etre"}, "État inconnu"),
        ({"status": "refused", "comment": "  "}, "Indiquez le motif"),
        ({"status": "not_done"}, "Indiquez le motif"),
        ({"idempotency_key": "pas-un-uuid"}, "UUID attendu"),
        ({"idempotency_key": ""}, "UUID attendu"),
        ({"performed_at": "2999-01-01T10:00:00+01:00"}, "dans le futur"),
        ({"performed_at": "hier"}, "ISO 8601"),
        ({"performed_at": "2020-01-01T10:00:00+01:00"}, "trop ancienne"),
        ({"comment": "x" * 301}, "trop long"),
        ({"status": 3}, "Valeur invalide"),
    ],
)
def test_bad_input_is_400_and_changes_nothing(client, w, overrides, message):
    client.force_login(w.aide)
    response = post_json(client, w.toilet.pk, **body(w, **overrides))
    assert response.status_code == 400, response.content
    assert message in response.json()["error"]
    assert_pending(w.toilet)


def test_unreadable_json_is_400(client, w):
    client.force_login(w.aide)
    url = reverse("worklist-validate", args=[w.toilet.pk])
    for raw in ("{pas du json", "[1, 2]"):
        response = client.post(url, data=raw, content_type="application/json")
        assert response.status_code == 400
        assert "illisible" in response.json()["error"]
    assert_pending(w.toilet)


def test_another_units_item_is_refused(client, w):
    other_unit = UnitFactory(essms=w.essms, name="Unité Mimosa")
    client.force_login(w.aide)
    response = post_json(client, w.toilet.pk, **body(w, unit=other_unit.pk))
    assert response.status_code == 400
    assert "autre unité" in response.json()["error"]
    assert_pending(w.toilet)


def test_archived_dossier_is_read_only(client, w):
    w.usager.archived_at = timezone.now()
    w.usager.save()
    client.force_login(w.aide)
    response = post_json(client, w.toilet.pk, **body(w))
    assert response.status_code == 400
    assert "archivé" in response.json()["error"]
    assert_pending(w.toilet)


def test_a_key_used_for_another_occurrence_is_refused(client, w):
    client.force_login(w.aide)
    data = body(w)
    assert post_json(client, w.toilet.pk, **data).status_code == 201
    response = post_json(client, w.change.pk, **data)
    assert response.status_code == 400 and "autre soin" in response.json()["error"]
    assert_pending(w.change)


@pytest.mark.parametrize("where", ["sibling_essms", "foreign_essms"])
def test_other_essms_gets_404(client, w, request, where):
    outsider = professional(request.getfixturevalue(where), Metier.AIDE_SOIGNANT)
    client.force_login(outsider)
    response = post_json(client, w.toilet.pk, **body(w))
    assert response.status_code == 404
    assert "LEFEBVRE" not in response.content.decode()
    assert_pending(w.toilet)


def test_unknown_occurrence_and_unit_of_another_essms_are_404(client, w, foreign_essms):
    client.force_login(w.aide)
    assert post_json(client, 999_999_999, **body(w)).status_code == 404
    foreign_unit = UnitFactory(essms=foreign_essms)
    assert post_json(client, w.toilet.pk, **body(w, unit=foreign_unit.pk)).status_code == 404
    assert_pending(w.toilet)


def test_a_metier_without_the_right_gets_403(client, w):
    client.force_login(professional(w.essms, Metier.ASH))
    response = post_json(client, w.toilet.pk, **body(w))
    assert response.status_code == 403
    assert "ne permet pas" in response.json()["error"]
    assert_pending(w.toilet)


def test_unit_defaults_to_the_persons_unit(client, w):
    client.force_login(w.aide)
    data = body(w)
    del data["unit"]
    assert post_json(client, w.toilet.pk, **data).status_code == 201


# --- Without JavaScript: the plain form ---------------------------------------------------------


def test_plain_form_post_records_and_goes_back_to_the_worklist(client, w):
    client.force_login(w.aide)
    url = reverse("worklist-validate", args=[w.toilet.pk])
    key = str(uuid.uuid4())
    form = {"status": "done", "unit": w.unit.pk, "idempotency_key": key, "comment": ""}
    response = client.post(url, form)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("worklist")) and f"unite={w.unit.pk}" in response["Location"]
    w.toilet.refresh_from_db()
    assert w.toilet.status == OccurrenceStatus.DONE
    # A double tap sends the same form (same key) twice: one validation.
    assert client.post(url, form).status_code == 302
    assert CareOccurrence.objects.filter(status=OccurrenceStatus.DONE).count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "Fait" in page and "Inès Durand" in page


def test_plain_form_error_is_shown_and_writes_nothing(client, w):
    client.force_login(w.aide)
    url = reverse("worklist-validate", args=[w.toilet.pk])
    response = client.post(
        url, {"status": "refused", "unit": w.unit.pk, "idempotency_key": str(uuid.uuid4())}, follow=True
    )
    assert response.status_code == 200
    assert "Indiquez le motif" in response.content.decode()
    assert_pending(w.toilet)


def test_without_javascript_an_items_page_gives_its_form_which_records(client, w):
    client.force_login(w.aide)
    worklist = client.get(reverse("worklist"), {"unite": w.unit.pk}).content.decode()
    link = re.search(rf'class="wl-validate[^"]*" href="([^"]*/{w.toilet.pk}/valider/[^"]*)"', worklist).group(1)
    response = client.get(html.unescape(link))
    assert response.status_code == 200
    page = response.content.decode()
    action = reverse("worklist-validate", args=[w.toilet.pk])
    assert f'action="{action}"' in page and "Toilette complète" in page
    assert 'name="csrfmiddlewaretoken"' in page and f'name="unit" value="{w.unit.pk}"' in page
    assert '<div class="wl-reason" hidden>' in page  # a care of the shift, mid-shift: on time
    assert '<label class="wl-comment-label"' in page  # shown on its own page, hidden in the worklist
    assert '<label class="visually-hidden wl-comment-label"' in worklist
    assert AccessLog.objects.filter(object_type="soins.careoccurrence", object_id=str(w.toilet.pk), action="read")
    key = re.search(r'name="idempotency_key" value="([0-9a-f-]{36})"', page).group(1)
    response = client.post(action, {"status": "done", "unit": w.unit.pk, "idempotency_key": key, "comment": ""})
    assert response.status_code == 302 and response["Location"].startswith(reverse("worklist"))
    w.toilet.refresh_from_db()
    assert w.toilet.status == OccurrenceStatus.DONE and str(w.toilet.idempotency_key) == key
    page = client.get(html.unescape(link)).content.decode()
    assert "<form" not in page.partition('id="contenu"')[2] and "Fait — Inès Durand" in page


def test_an_items_page_out_of_reach_is_404_and_a_metier_without_the_right_gets_no_form(client, w, foreign_essms):
    url = reverse("worklist-validate", args=[w.toilet.pk])
    client.force_login(professional(foreign_essms, Metier.AIDE_SOIGNANT))
    assert client.get(url).status_code == 404
    client.force_login(w.aide)
    assert client.get(reverse("worklist-validate", args=[999_999_999])).status_code == 404
    assert client.get(url, {"unite": UnitFactory(essms=foreign_essms).pk}).status_code == 404
    assert client.get(url, {"unite": "abc"}).status_code == 404
    client.force_login(professional(w.essms, Metier.ASH))
    page = client.get(url).content.decode()
    assert "ne permet pas de valider" in page and 'name="status"' not in page
    assert_pending(w.toilet)


def test_an_items_page_for_a_person_placed_nowhere_that_day_goes_back_with_a_message(client, w):
    Placement.objects.filter(usager=w.usager).delete()
    client.force_login(w.aide)
    response = client.get(reverse("worklist-validate", args=[w.toilet.pk]), follow=True)
    assert response.redirect_chain[0][0] == reverse("worklist")
    assert "placée dans aucune unité" in response.content.decode()
    assert_pending(w.toilet)


# --- API --------------------------------------------------------------------------------------


def api_post(client, occurrence_id, **data):
    return client.post(
        reverse("api:care-occurrence-validate", args=[occurrence_id]),
        data=json.dumps(data),
        content_type="application/json",
    )


def test_api_validation_semantics(client, w):
    client.force_login(w.aide)
    data = body(w)
    first = api_post(client, w.toilet.pk, **data)
    assert first.status_code == 201 and first.json()["status"] == "done"
    again = api_post(client, w.toilet.pk, **data)
    assert again.status_code == 200 and again.json()["replay"] is True
    other = api_post(client, w.toilet.pk, **body(w))
    assert other.status_code == 409 and "déjà été validé" in other.json()["detail"]
    assert CareOccurrence.objects.exclude(status=OccurrenceStatus.PENDING).count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"status": "inconnu"}, "status"),
        ({"idempotency_key": "123"}, "idempotency_key"),
        ({"status": "refused"}, "comment"),
        ({"performed_at": "2999-01-01T00:00:00Z"}, "performed_at"),
        ({"performed_at": "0001-01-01T00:00:00+14:00"}, "performed_at"),
    ],
)
def test_api_bad_input_is_400(client, w, overrides, field):
    client.force_login(w.aide)
    response = api_post(client, w.change.pk, **body(w, **overrides))
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert_pending(w.change)


def test_api_other_unit_archived_and_outsiders(client, w, foreign_essms):
    client.force_login(w.aide)
    other_unit = UnitFactory(essms=w.essms)
    response = api_post(client, w.change.pk, **body(w, unit=other_unit.pk))
    assert response.status_code == 400 and "autre unité" in json.dumps(response.json(), ensure_ascii=False)
    assert api_post(client, 999_999_999, **body(w)).status_code == 404
    client.force_login(professional(foreign_essms, Metier.DIRECTION))
    assert api_post(client, w.change.pk).status_code == 404  # even with an empty body
    assert_pending(w.change)


def test_service_replay_returns_created_false(w):
    key = uuid.uuid4()
    _occurrence, created = worklist_services.occurrence_validate(
        w.aide, occurrence_id=w.toilet.pk, unit=w.unit, status="done", idempotency_key=key
    )
    assert created
    again, created = worklist_services.occurrence_validate(
        w.aide, occurrence_id=w.toilet.pk, unit=w.unit, status="refused", idempotency_key=str(key), comment="x"
    )
    assert not created and again.status == OccurrenceStatus.DONE

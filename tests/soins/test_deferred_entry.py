"""« Saisie différée »: a paper record entered afterwards with its real time, flagged in the history;
every bad input is refused with a French message and writes nothing."""

import datetime
import uuid
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from dui.actor import Actor
from dui.models import AccessLog, Metier
from dui.shifts import Poste, Shift
from soins.models import CareOccurrence, OccurrenceStatus
from soins.services import care as care_services
from soins.services import worklist as worklist_services
from tests.factories import UnitFactory, professional
from tests.soins import factories_care as f

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
YESTERDAY = Shift(Poste.JOUR, datetime.date(2026, 3, 11))


@pytest.fixture(autouse=True)
def morning():
    with time_machine.travel(datetime.datetime(2026, 3, 12, 10, 30, tzinfo=PARIS), tick=False):
        yield


@pytest.fixture
def w(essms, unit, usager):
    cadre = professional(essms, Metier.CADRE_SANTE)
    nurse = professional(essms, Metier.IDE, first_name="Nina", last_name="Nuit")
    f.place(usager, unit, cadre, room="12")
    f.plan(cadre, usager, "Toilette complète", poste=Poste.JOUR)
    care_services.occurrences_generate_for_shift(essms, YESTERDAY)
    care_services.occurrences_generate_for_shift(essms, Shift(Poste.JOUR, datetime.date(2026, 3, 8)))
    occurrences = CareOccurrence.objects.order_by("due_at")
    return {"nurse": nurse, "cadre": cadre, "old": occurrences[0], "yesterday": occurrences[1], "unit": unit}


def post(client, w, occurrence, at: str, **extra):
    data = {"unit": w["unit"].pk, "status": "done", "performed_at": at, "idempotency_key": str(uuid.uuid4())}
    return client.post(reverse("worklist-deferred-validate", args=[occurrence.pk]), data | extra)


def assert_untouched(occurrence):
    occurrence.refresh_from_db()
    assert occurrence.status == OccurrenceStatus.PENDING and not occurrence.deferred_entry
    assert occurrence.performed_at is None and occurrence.recorded_at is None


def test_deferred_entry_keeps_the_real_time_and_the_entry_time_and_shows_in_the_history(client, w):
    client.force_login(w["nurse"])
    page = client.get(reverse("worklist-deferred"), {"unite": w["unit"].pk})
    assert page.status_code == 200 and "Toilette complète" in page.content.decode()
    response = post(client, w, w["yesterday"], "2026-03-11T09:15")
    assert response.status_code == 302
    occurrence = w["yesterday"]
    occurrence.refresh_from_db()
    assert occurrence.status == OccurrenceStatus.DONE and occurrence.deferred_entry
    assert timezone.localtime(occurrence.performed_at) == datetime.datetime(2026, 3, 11, 9, 15, tzinfo=PARIS)
    assert occurrence.recorded_at == timezone.now()
    text = "Saisie différée le 12/03 à 10:30 pour 11/03 à 09:15"
    assert occurrence.deferred_text == text
    history = client.get(reverse("worklist-deferred"), {"unite": w["unit"].pk}).content.decode()
    assert "saisie différée le 12/03 à 10:30 pour 11/03 à 09:15" in history.lower()
    assert AccessLog.objects.filter(object_id=str(occurrence.pk), detail=text.lower(), action="update").exists()


@pytest.mark.parametrize(
    ("which", "at", "message"),
    [
        ("yesterday", "2026-03-12T12:00", "L&#x27;heure de réalisation est dans le futur."),
        ("old", "2026-03-08T09:00", "Saisie différée trop ancienne (plus de 72 h)"),
        ("yesterday", "2026-03-11T06:30", "précède l&#x27;ouverture du créneau de ce soin (11/03 à 07:00)"),
        ("yesterday", "", "Saisie différée : indiquez l&#x27;heure réelle de réalisation."),
        ("yesterday", "hier matin", "Heure de réalisation invalide"),
    ],
    ids=["future", "too-old", "before-window", "missing", "not-a-time"],
)
def test_bad_moment_is_refused_in_french_and_writes_nothing(client, w, which, at, message):
    client.force_login(w["nurse"])
    before = AccessLog.objects.filter(action="update").count()
    response = post(client, w, w[which], at)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert_untouched(w[which])
    assert AccessLog.objects.filter(action="update").count() == before


def test_an_occurrence_already_validated_is_refused(client, w):
    worklist_services.occurrence_validate(
        w["cadre"], occurrence_id=w["yesterday"].pk, unit=w["unit"], status="done", idempotency_key=uuid.uuid4(),
        performed_at=timezone.now() - datetime.timedelta(hours=20), reason="retard", deferred=True,
    )  # fmt: skip
    client.force_login(w["nurse"])
    response = post(client, w, w["yesterday"], "2026-03-11T10:00")
    assert response.status_code == 400
    assert "Ce soin a déjà été validé" in response.content.decode()
    w["yesterday"].refresh_from_db()
    assert w["yesterday"].validated_by == w["cadre"]


def test_not_done_needs_a_comment(client, w):
    client.force_login(w["nurse"])
    response = post(client, w, w["yesterday"], "2026-03-11T10:00", status="refused")
    assert response.status_code == 400 and "Indiquez le motif" in response.content.decode()
    assert_untouched(w["yesterday"])


def test_another_essms_occurrence_is_a_404(client, w, foreign_essms):
    outsider = professional(foreign_essms, Metier.IDE)
    client.force_login(outsider)
    response = client.post(
        reverse("worklist-deferred-validate", args=[w["yesterday"].pk]),
        {"unit": UnitFactory(essms=foreign_essms).pk, "status": "done", "performed_at": "2026-03-11T09:15",
         "idempotency_key": str(uuid.uuid4())},
    )  # fmt: skip
    assert response.status_code == 404
    assert_untouched(w["yesterday"])
    assert client.get(reverse("worklist-deferred"), {"unite": w["unit"].pk}).status_code == 404


def test_a_correction_clears_the_flag_and_keeps_it_on_the_cancelled_copy(w):
    from soins.models import ValidationCorrection
    from soins.services.corrections import validation_cancel

    worklist_services.occurrence_validate(
        w["nurse"], occurrence_id=w["yesterday"].pk, unit=w["unit"], status="done", idempotency_key=uuid.uuid4(),
        performed_at=datetime.datetime(2026, 3, 11, 9, 15, tzinfo=PARIS), deferred=True,
    )  # fmt: skip
    validation_cancel(Actor(user=w["nurse"]), occurrence_id=w["yesterday"].pk, reason="mauvaise personne")
    assert_untouched(w["yesterday"])
    assert ValidationCorrection.objects.get().deferred_entry

"""Who may validate a dose (matrix × "aide à la prise"), the validation window, later shifts,
"Annuler / corriger" and stopping a planned care with a reason — on the web and through the API.

Every refusal answers a clear French message and writes nothing.
"""

import datetime
import json
import uuid
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse

from dui.models import Habilitation, Metier
from dui.shifts import Poste
from soins.models import CareOccurrence, CarePlanItem, OccurrenceStatus, ValidationCorrection, ValidationPolicy
from soins.services import care as care_services
from tests.factories import professional
from tests.soins import factories_care as f
from tests.soins.factories_medication import doctor, nurse, place, prescribe

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
DAY = datetime.date(2025, 3, 10)  # a Monday
API = "/api/v1/care-occurrences/"


def at(hh: int, mm: int = 0, day: datetime.date = DAY) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hh, mm), tzinfo=PARIS)


class World:
    """Monday: Tramadol LP at 20:00 (not marked), Paracétamol at 08:00 and 14:00 marked "aide à la prise",
    a toilette during the day shift; an IDE, two AS, an AES, an ASH and a secretary."""

    def __init__(self, essms, unit, usager):
        self.essms, self.unit, self.usager = essms, unit, usager
        with time_machine.travel(at(6), tick=False):  # memberships start before the scenes below
            self.medecin = doctor(essms)
            self.ide = nurse(essms)
            self.aide = professional(essms, Metier.AIDE_SOIGNANT, first_name="Inès", last_name="Durand")
            self.other_aide = professional(essms, Metier.AIDE_SOIGNANT, first_name="Paul", last_name="Roux")
            self.aes = professional(essms, Metier.AES)
            self.ash = professional(essms, Metier.ASH)
            self.secretary = professional(essms, Metier.SECRETAIRE_MEDICALE)
            place(usager, unit, self.medecin)
            tramadol = prescribe(self.medecin, usager, validate=True, drug="Tramadol LP", times=["20:00"])
            paracetamol = prescribe(self.medecin, usager, validate=True, times=["08:00", "14:00"], aide_a_la_prise=True)
            f.plan(self.ide, usager, "Toilette complète", poste=Poste.JOUR)
            care_services.occurrences_generate(essms, DAY, DAY)
        self.tramadol = CareOccurrence.objects.get(prescription=tramadol, due_at=at(20))
        self.morning = CareOccurrence.objects.get(prescription=paracetamol, due_at=at(8))
        self.afternoon = CareOccurrence.objects.get(prescription=paracetamol, due_at=at(14))
        self.toilet = CareOccurrence.objects.get(label="Toilette complète", due_at__date=DAY)


@pytest.fixture
def w(essms, unit, usager):
    return World(essms, unit, usager)


def web(client, occurrence, **body):
    return client.post(
        reverse("worklist-validate", args=[occurrence.pk]), data=json.dumps(body), content_type="application/json"
    )


def api(client, occurrence, action="validate", **body):
    return client.post(f"{API}{occurrence.pk}/{action}/", data=body, content_type="application/json")


def done(w, **overrides):
    return {"status": "done", "idempotency_key": str(uuid.uuid4()), "unit": w.unit.pk} | overrides


def assert_untouched(occurrence):
    occurrence.refresh_from_db()
    assert occurrence.status == OccurrenceStatus.PENDING
    assert occurrence.validated_by is None and occurrence.idempotency_key is None and occurrence.timing == ""


# --- Who may validate a dose --------------------------------------------------------------------


def test_an_aide_soignante_may_not_give_a_dose_not_marked_aide_a_la_prise(client, w):
    client.force_login(w.aide)
    with time_machine.travel(at(20, 5), tick=False):
        response = web(client, w.tramadol, **done(w))
        assert response.status_code == 403, response.content.decode()
        assert "infirmier" in response.json()["error"]
        response = api(client, w.tramadol, **done(w))
        assert response.status_code == 403 and "aide à la prise" in response.json()["detail"]
    assert_untouched(w.tramadol)


def test_the_nurse_gives_it(client, w):
    client.force_login(w.ide)
    with time_machine.travel(at(20, 5), tick=False):
        response = api(client, w.tramadol, **done(w))
    assert response.status_code == 201 and response.json()["timing"] == "on_time"


@pytest.mark.parametrize("who", ["aide", "aes"])
def test_as_and_aes_give_a_dose_marked_aide_a_la_prise(client, w, who):
    client.force_login(getattr(w, who))
    with time_machine.travel(at(14, 10), tick=False):
        response = web(client, w.afternoon, **done(w))
    assert response.status_code == 201, response.content
    w.afternoon.refresh_from_db()
    assert w.afternoon.status == OccurrenceStatus.DONE and w.afternoon.validated_by == getattr(w, who)


@pytest.mark.parametrize("who", ["ash", "secretary"])
def test_an_ash_or_a_secretary_validates_nothing(client, w, who):
    client.force_login(getattr(w, who))
    with time_machine.travel(at(14, 10), tick=False):
        for occurrence in (w.afternoon, w.toilet):
            response = web(client, occurrence, **done(w))
            assert response.status_code in (403, 404)
            assert api(client, occurrence, **done(w)).status_code in (403, 404)
            assert_untouched(occurrence)


def test_the_matrix_decides_an_og_may_let_its_as_give_every_dose(client, w):
    Habilitation.objects.filter(
        og=w.essms.og, metier=Metier.AIDE_SOIGNANT, document_class__code="administration_medicaments"
    ).update(can_write=True)
    client.force_login(w.aide)
    with time_machine.travel(at(20, 5), tick=False):
        assert web(client, w.tramadol, **done(w)).status_code == 201


def test_the_worklist_shows_no_buttons_to_whom_may_not_validate(client, w):
    client.force_login(w.aide)
    with time_machine.travel(at(20, 5), tick=False):
        night = client.get(reverse("worklist"), {"unite": w.unit.pk, "poste": "nuit", "date": DAY.isoformat()})
    html = night.content.decode()
    assert f'id="occ-{w.tramadol.pk}"' in html and f"{w.tramadol.pk}/valider/" not in html
    client.force_login(w.ide)
    with time_machine.travel(at(14), tick=False):  # the night has not begun: no buttons, even for the IDE
        night = client.get(reverse("worklist"), {"unite": w.unit.pk, "poste": "nuit", "date": DAY.isoformat()})
        assert f"{w.tramadol.pk}/valider/" not in night.content.decode()
        day = client.get(reverse("worklist"), {"unite": w.unit.pk, "poste": "jour", "date": DAY.isoformat()})
    assert f"{w.afternoon.pk}/valider/" in day.content.decode()


# --- Window and later shift ---------------------------------------------------------------------


def test_outside_the_window_a_reason_is_required_then_the_validation_is_flagged(client, w):
    client.force_login(w.ide)
    with time_machine.travel(at(15, 30), tick=False):
        response = web(client, w.afternoon, **done(w))
        assert response.status_code == 400
        assert response.json()["code"] == "reason_required" and "motif" in response.json()["errors"]["reason"][0]
        response = api(client, w.afternoon, **done(w))
        assert response.status_code == 400 and "reason" in response.json()
        assert_untouched(w.afternoon)
        response = web(client, w.afternoon, **done(w, reason="Résidente au salon de coiffure"))
    assert response.status_code == 201 and response.json()["timing"] == "late"
    w.afternoon.refresh_from_db()
    assert w.afternoon.timing == "late" and w.afternoon.timing_reason == "Résidente au salon de coiffure"
    with time_machine.travel(at(15, 35), tick=False):
        chart = client.get(reverse("medication-chart", args=[w.usager.pk]), {"date": DAY.isoformat()})
        api_chart = client.get(f"/api/v1/medication-charts/{w.usager.pk}/", {"date": DAY.isoformat()})
    assert "En retard : Résidente au salon de coiffure" in chart.content.decode()
    doses = [d for row in api_chart.json()["rows"] for d in row["doses"] if d["administration"] == w.afternoon.pk]
    assert doses[0]["timing"] == "late" and doses[0]["timing_reason"] == "Résidente au salon de coiffure"


def test_outside_the_window_the_reason_field_is_open_at_once(client, w):
    client.force_login(w.ide)
    with time_machine.travel(at(15, 30), tick=False):
        day = client.get(reverse("worklist"), {"unite": w.unit.pk, "poste": "jour", "date": DAY.isoformat()})
        page = client.get(reverse("worklist-validate", args=[w.afternoon.pk]), {"unite": w.unit.pk})
    assert f'data-occurrence="{w.afternoon.pk}" data-outside-window>' in day.content.decode()
    assert '<div class="wl-reason">' in page.content.decode()  # the page without script: shown, not hidden


def test_early_is_flagged_too_and_the_tap_time_counts(client, w):
    """A validation queued offline at 14:20 and sent at 15:30 is on time: the tapped moment counts."""
    client.force_login(w.ide)
    with time_machine.travel(at(12, 30), tick=False):
        response = api(client, w.afternoon, **done(w))
        assert response.status_code == 400 and "reason" in response.json()
    with time_machine.travel(at(15, 30), tick=False):
        response = api(client, w.afternoon, **done(w, performed_at=at(14, 20).isoformat()))
        assert response.status_code == 201 and response.json()["timing"] == "on_time"
        response = api(client, w.morning, **done(w, performed_at=at(16, 0).isoformat()))  # future: bounded
        assert response.status_code == 400 and "futur" in json.dumps(response.json(), ensure_ascii=False)
    assert_untouched(w.morning)


def test_the_window_is_set_per_essms(client, w):
    ValidationPolicy.objects.create(essms=w.essms, medication_window_minutes=15)
    client.force_login(w.ide)
    with time_machine.travel(at(14, 20), tick=False):
        assert api(client, w.afternoon, **done(w)).status_code == 400
        assert api(client, w.afternoon, **done(w, reason="Au téléphone")).json()["timing"] == "late"


def test_a_later_shift_is_refused_even_with_a_reason(client, w):
    client.force_login(w.ide)
    with time_machine.travel(at(14, 48), tick=False):
        response = web(client, w.tramadol, **done(w, reason="Je pars plus tôt"))
        assert response.status_code == 400 and response.json()["code"] == "later_shift"
        assert "poste de nuit" in response.json()["error"]
        response = api(client, w.tramadol, **done(w, reason="Je pars plus tôt"))
        assert response.status_code == 400 and "poste de nuit" in json.dumps(response.json(), ensure_ascii=False)
        form = client.post(
            reverse("worklist-validate", args=[w.tramadol.pk]),
            {"status": "done", "idempotency_key": str(uuid.uuid4()), "unit": w.unit.pk, "reason": "x"},
            follow=True,
        )
    assert "avant le début de ce poste" in form.content.decode()
    assert_untouched(w.tramadol)


# --- Annuler / corriger -------------------------------------------------------------------------


def test_the_author_undoes_her_mistake_with_a_reason_and_the_original_is_kept(client, w):
    client.force_login(w.aide)
    key = str(uuid.uuid4())
    with time_machine.travel(at(14, 5), tick=False):
        assert web(client, w.afternoon, **done(w, idempotency_key=key)).status_code == 201
    with time_machine.travel(at(14, 10), tick=False):
        response = client.post(
            reverse("worklist-cancel", args=[w.afternoon.pk]), data={}, content_type="application/json"
        )
        assert response.status_code == 400 and "motif" in response.json()["error"]
        assert api(client, w.afternoon, "cancel", reason="").status_code == 400
        w.afternoon.refresh_from_db()
        assert w.afternoon.status == OccurrenceStatus.DONE and not ValidationCorrection.objects.exists()
        response = api(client, w.afternoon, "cancel", reason="Mauvaise résidente")
        assert response.status_code == 200 and response.json()["status"] == "pending"
        # The tablet replays the cancelled validation's key: a replay, never a second count.
        replay = web(client, w.afternoon, **done(w, idempotency_key=key))
        assert replay.status_code == 200 and replay.json()["replay"] is True
        assert_untouched(w.afternoon)
        again = web(client, w.afternoon, **done(w, status="refused", comment="Dort"))
        assert again.status_code == 201
    correction = ValidationCorrection.objects.get()
    assert correction.status == "done" and correction.validated_by == w.aide and str(correction.idempotency_key) == key
    assert correction.reason == "Mauvaise résidente" and correction.corrected_by == w.aide
    w.afternoon.refresh_from_db()
    assert w.afternoon.status == OccurrenceStatus.REFUSED
    # The history shows both: the cancelled validation and the one that replaced it.
    with time_machine.travel(at(14, 15), tick=False):
        page = client.get(reverse("worklist"), {"unite": w.unit.pk, "poste": "jour", "date": DAY.isoformat()})
        api_list = client.get("/api/v1/worklist/", {"unit": w.unit.pk, "poste": "jour", "date": DAY.isoformat()})
        client.force_login(w.ide)
        chart = client.get(reverse("medication-chart", args=[w.usager.pk]), {"date": DAY.isoformat()})
    html = page.content.decode()
    assert "Annulé : Fait — Inès Durand, 14:05 (par Inès Durand à 14:10 : Mauvaise résidente)" in html
    assert "Refusé — Inès Durand, 14:10 : Dort" in html
    items = [i for p in api_list.json()["persons"] for i in p["items"] if i["id"] == w.afternoon.pk]
    assert items[0]["status"] == "refused" and items[0]["corrections"][0].startswith("Annulé : Fait")
    assert "Annulé : Fait (Inès Durand, 14:05) — Mauvaise résidente" in chart.content.decode()


def test_another_aide_may_not_undo_an_ide_may(client, w):
    client.force_login(w.aide)
    with time_machine.travel(at(9), tick=False):
        assert web(client, w.toilet, **done(w)).status_code == 201
        client.force_login(w.other_aide)
        response = client.post(
            reverse("worklist-cancel", args=[w.toilet.pk]), data={"reason": "x"}, content_type="application/json"
        )
        assert response.status_code == 403 and "auteur" in response.json()["error"]
        assert api(client, w.toilet, "cancel", reason="x").status_code == 403
        w.toilet.refresh_from_db()
        assert w.toilet.status == OccurrenceStatus.DONE
        client.force_login(w.ide)
        plain = client.post(reverse("worklist-cancel", args=[w.toilet.pk]), {"reason": "Doublon", "unit": w.unit.pk})
        assert plain.status_code == 302
    w.toilet.refresh_from_db()
    assert w.toilet.status == OccurrenceStatus.PENDING and ValidationCorrection.objects.get().corrected_by == w.ide


def test_after_the_shift_nobody_undoes(client, w):
    client.force_login(w.aide)
    with time_machine.travel(at(9), tick=False):
        assert web(client, w.toilet, **done(w)).status_code == 201
        page = client.get(reverse("worklist"), {"unite": w.unit.pk, "poste": "jour", "date": DAY.isoformat()})
        assert f"{w.toilet.pk}/annuler/" in page.content.decode()
    for who in (w.aide, w.ide):
        client.force_login(who)
        with time_machine.travel(at(19, 30), tick=False):
            response = api(client, w.toilet, "cancel", reason="Erreur")
            assert response.status_code == 403 and "terminé" in response.json()["detail"]
            response = client.post(
                reverse("worklist-cancel", args=[w.toilet.pk]),
                data={"reason": "Erreur"},
                content_type="application/json",
            )
            assert response.status_code == 403 and "terminé" in response.json()["error"]
            plain = client.post(reverse("worklist-cancel", args=[w.toilet.pk]), {"reason": "Erreur"}, follow=True)
            assert "ne peut plus être annulée" in plain.content.decode()
            page = client.get(reverse("worklist"), {"unite": w.unit.pk, "poste": "jour", "date": DAY.isoformat()})
            assert f"{w.toilet.pk}/annuler/" not in page.content.decode()
    w.toilet.refresh_from_db()
    assert w.toilet.status == OccurrenceStatus.DONE and not ValidationCorrection.objects.exists()


# --- Stopping a planned care --------------------------------------------------------------------


def test_stopping_a_care_asks_for_confirmation_and_a_reason(client, w):
    item = CarePlanItem.objects.get()
    client.force_login(w.ide)
    confirm = client.get(reverse("care-plan-end", args=[item.pk]))
    assert confirm.status_code == 200 and "Confirmer l'arrêt" in confirm.content.decode()
    refused = client.post(reverse("care-plan-end", args=[item.pk]), {"reason": "  "})
    assert refused.status_code == 400 and "Indiquez le motif de l&#x27;arrêt" in refused.content.decode()
    response = client.post(f"/api/v1/care-plan-items/{item.pk}/end/", data={}, content_type="application/json")
    assert response.status_code == 400 and "reason" in response.json()
    item.refresh_from_db()
    assert item.ended_at is None and item.end_reason == ""
    done_ = client.post(reverse("care-plan-end", args=[item.pk]), {"reason": "Autonome pour la toilette"})
    assert done_.status_code == 302
    item.refresh_from_db()
    assert item.ended_at is not None and item.end_reason == "Autonome pour la toilette"
    page = client.get(reverse("care-plan", args=[w.usager.pk]))
    assert "motif : Autonome pour la toilette" in page.content.decode()


# --- The prescription carries the mark ----------------------------------------------------------


def test_the_doctor_marks_a_line_aide_a_la_prise_in_the_form_and_the_api(client, w):
    client.force_login(w.medecin)
    form = {
        "kind": "medicament", "drug": "Doliprane", "dose": "1 g", "route": "orale", "times": "08:00",
        "weekdays": list("1234567"), "starts_on": DAY.isoformat(), "aide_a_la_prise": "on",
    }  # fmt: skip
    with time_machine.travel(at(6), tick=False):
        assert client.post(reverse("medication-line-create", args=[w.usager.pk]), form).status_code == 302
        line = {"usager": w.usager.pk, "drug": "Movicol", "dose": "1 sachet", "route": "orale"}
        line |= {"times": ["08:00"], "starts_on": DAY.isoformat(), "aide_a_la_prise": True}
        response = client.post("/api/v1/prescription-lines/", data=line, content_type="application/json")
    assert response.status_code == 201, response.content.decode()
    assert response.json()["aide_a_la_prise"] is True
    from soins.models import PrescriptionLine

    assert set(PrescriptionLine.objects.filter(aide_a_la_prise=True).values_list("drug", flat=True)) >= {
        "Doliprane",
        "Movicol",
    }


# --- The ESSMS's windows ------------------------------------------------------------------------


def test_the_windows_are_set_per_essms_by_whom_validates_the_plan(client, w):
    url = reverse("validation-policy")
    client.force_login(w.aide)
    page = client.get(url)
    assert page.status_code == 200 and "± minutes" in page.content.decode()
    assert client.post(url, {"medication_window_minutes": 30}).status_code == 404
    client.force_login(w.ide)
    for bad in ({"medication_window_minutes": 0}, {"medication_window_minutes": "x"}, {}, {
        "medication_window_minutes": 30, "care_window_minutes": 1000
    }):  # fmt: skip
        assert client.post(url, bad).status_code == 400
    assert not ValidationPolicy.objects.exists()
    assert client.post(url, {"medication_window_minutes": 30, "care_window_minutes": ""}).status_code == 302
    policy = ValidationPolicy.objects.get(essms=w.essms)
    assert policy.medication_window_minutes == 30 and policy.care_window_minutes is None


def test_the_policy_service_refuses_bad_values_and_other_metiers(w):
    from django.core.exceptions import PermissionDenied, ValidationError

    from soins.services.corrections import validation_policy_update

    with pytest.raises(PermissionDenied):
        validation_policy_update(w.aide, medication_window_minutes=30)
    with pytest.raises(ValidationError, match="entre 15 et 240"):
        validation_policy_update(w.ide, medication_window_minutes=5)
    with pytest.raises(ValidationError, match="entre 15 et 360"):
        validation_policy_update(w.ide, medication_window_minutes=30, care_window_minutes=2)
    assert not ValidationPolicy.objects.exists()
    assert (
        validation_policy_update(w.ide, medication_window_minutes=45, care_window_minutes=30).care_window_minutes == 30
    )


def test_a_si_besoin_dose_is_not_undone_and_a_follow_up_may_start_before_its_shift(client, w):
    from soins.models import CareOccurrence as Occurrence
    from soins.services import doses as dose_services
    from soins.services import medication as medication_services
    from soins.services.windows import check_timing
    from tests.soins.factories_medication import as_needed_fields

    with time_machine.travel(at(10), tick=False):
        line = medication_services.prescription_create(w.medecin, w.usager, **as_needed_fields(starts_on=DAY))
        medication_services.prescription_validate(w.medecin, line)
        given, _ = dose_services.as_needed_record(w.ide, line, idempotency_key=uuid.uuid4(), comment="Agitée")
        client.force_login(w.ide)
        response = api(client, given, "cancel", reason="Erreur")
    assert response.status_code == 400 and "si besoin" in json.dumps(response.json(), ensure_ascii=False)
    given.refresh_from_db()
    assert given.status == OccurrenceStatus.DONE and not ValidationCorrection.objects.exists()
    # A re-evaluation due 19:30 (night) after an evaluation at 18:30: validated at 18:50, on time.
    follow_up = Occurrence(
        essms=w.essms, usager=w.usager, evaluation_id=1, due_at=at(19, 30), due_before=at(19, 30),
        created_at=at(18, 30),
    )  # fmt: skip
    assert check_timing(follow_up, performed_at=at(18, 50), reason="") == ("on_time", "")
    dose = Occurrence(essms=w.essms, usager=w.usager, prescription_id=1, due_at=at(19, 30), due_before=at(20, 30))
    with pytest.raises(DjangoValidationError, match="avant le début de ce poste"):
        check_timing(dose, performed_at=at(18, 50), reason="urgent")

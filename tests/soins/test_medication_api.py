"""API /api/v1/prescription-lines/ and /api/v1/medication-charts/: scoped reads, writes through the
services, French 400s, 403 for a métier that may not act, 404 outside the ESSMS."""

import datetime
import uuid

import pytest
from django.utils import timezone

from dui.models import Metier
from soins.models import CareOccurrence, PharmacistIntervention, PrescriptionLine
from soins.services import doses as dose_services
from soins.services import medication as medication_services
from tests.factories import UsagerFactory, professional
from tests.logged import logged_events
from tests.soins.factories_medication import as_needed_fields, doctor, nurse, pharmacist, prescribe

URL = "/api/v1/prescription-lines/"


@pytest.fixture
def medecin(essms):
    return doctor(essms)


def body(usager, **overrides):
    data = {
        "usager": usager.pk,
        "drug": "Paracétamol",
        "dose": "1 g",
        "route": "orale",
        "times": ["08:00", "20:00"],
        "starts_on": timezone.localdate().isoformat(),
    }
    return data | overrides


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def test_doctor_creates_validates_and_stops(client, medecin, usager):
    client.force_login(medecin)
    response = post(client, URL, body(usager))
    assert response.status_code == 201, response.content
    line = response.json()
    assert line["times"] == ["08:00", "20:00"] and line["is_validated"] is False and line["route_label"] == "Voie orale"
    response = post(client, f"{URL}{line['id']}/validate/")
    assert response.status_code == 200 and response.json()["is_validated"] is True
    assert CareOccurrence.objects.filter(prescription_id=line["id"]).exists()
    response = post(client, f"{URL}{line['id']}/validate/")
    assert response.status_code == 400 and "déjà validée" in response.json()["non_field_errors"][0]
    response = post(client, f"{URL}{line['id']}/stop/", {"reason": ""})
    assert response.status_code == 400
    response = post(client, f"{URL}{line['id']}/stop/", {"reason": "Fin du traitement"})
    assert response.status_code == 200 and response.json()["stop_reason"] == "Fin du traitement"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"times": ["25:00"]}, "times", "Heure invalide « 25:00 »"),
        ({"times": []}, "times", "au moins une heure"),
        ({"route": "nasale"}, "route", "Voie d'administration inconnue « nasale »"),
        ({"ends_on": "2000-01-01"}, "ends_on", "La date de fin précède"),
        ({"as_needed": True, "as_needed_condition": "douleur", "max_per_day": 3}, "times", "pas d'heures fixes"),
        ({"as_needed": True, "times": [], "max_per_day": 3}, "as_needed_condition", "condition"),
        ({"usager": 999999}, "usager", "Personne introuvable"),
    ],
)
def test_bad_input_is_400_in_french(client, medecin, usager, overrides, field, message):
    client.force_login(medecin)
    response = post(client, URL, body(usager) | overrides)
    assert response.status_code == 400
    assert message in " ".join(response.json()[field])
    assert not PrescriptionLine.objects.exists()


def test_a_non_doctor_is_403_with_a_french_message(client, essms, usager, medecin):
    client.force_login(nurse(essms))
    response = post(client, URL, body(usager))
    assert response.status_code == 403 and "Seul un médecin" in response.json()["detail"]
    line = prescribe(medecin, usager)
    response = post(client, f"{URL}{line.pk}/validate/")
    assert response.status_code == 403 and "Seul un médecin peut valider" in response.json()["detail"]
    assert not PrescriptionLine.objects.filter(validated_at__isnull=False).exists()


def test_list_retrieve_and_audit(client, medecin, essms, usager):
    other = UsagerFactory(essms=essms)
    line = prescribe(medecin, usager)
    prescribe(medecin, other)
    medication_services.intervention_create(pharmacist(essms), line, kind="commentaire", text="Attention IR")
    client.force_login(nurse(essms))
    rows = client.get(URL, {"usager": usager.pk}).json()["results"]
    assert [row["id"] for row in rows] == [line.pk]
    assert rows[0]["interventions"][0]["text"] == "Attention IR"
    assert len(client.get(URL).json()["results"]) == 2
    assert client.get(URL, {"usager": "abc"}).status_code == 400
    assert client.get(f"{URL}{line.pk}/").json()["drug"] == "Paracétamol"
    assert len(logged_events(object_type="soins.prescriptionline", action="read", channel="api")) == 4


def test_pharmacist_interventions(client, medecin, essms, usager):
    line = prescribe(medecin, usager, validate=True)
    client.force_login(pharmacist(essms))
    url = f"{URL}{line.pk}/interventions/"
    response = post(client, url, {"kind": "substitution", "substitute": ""})
    assert response.status_code == 400 and "Indiquez la spécialité" in response.json()["substitute"][0]
    response = post(client, url, {"kind": "substitution", "substitute": "Doliprane 1 g"})
    assert response.status_code == 201 and response.json()["substitute"] == "Doliprane 1 g"
    assert client.get(f"{URL}{line.pk}/").json()["dispensed_as"] == "Doliprane 1 g"
    client.force_login(professional(essms, Metier.MEDECIN))
    response = post(client, url, {"kind": "commentaire", "text": "Non"})
    assert response.status_code == 403 and "Seul un pharmacien" in response.json()["detail"]
    assert PharmacistIntervention.objects.count() == 1


def test_another_essms_is_404_everywhere(client, sibling_essms, medecin, usager):
    line = prescribe(medecin, usager, validate=True)
    outsider = doctor(sibling_essms)
    client.force_login(outsider)
    assert client.get(f"{URL}{line.pk}/").status_code == 404
    for action in ("validate", "stop", "interventions"):
        assert post(client, f"{URL}{line.pk}/{action}/", {"reason": "x", "kind": "commentaire"}).status_code == 404
    assert client.get(f"/api/v1/medication-charts/{usager.pk}/").status_code == 404
    assert client.get(URL, {"usager": usager.pk}).json()["results"] == []
    response = post(client, URL, body(usager))
    assert response.status_code == 400 and PrescriptionLine.objects.count() == 1
    line.refresh_from_db()
    assert line.stopped_at is None


def test_day_chart(client, medecin, essms, usager):
    prescribe(medecin, usager, validate=True, times=["08:00", "20:00"])
    prn = medication_services.prescription_create(medecin, usager, **as_needed_fields())
    medication_services.prescription_validate(medecin, prn)
    ide = nurse(essms)
    dose_services.as_needed_record(ide, prn, idempotency_key=uuid.uuid4())
    client.force_login(ide)
    url = f"/api/v1/medication-charts/{usager.pk}/"
    data = client.get(url).json()
    assert data["date"] == timezone.localdate().isoformat() and len(data["rows"]) == 2
    scheduled = next(row for row in data["rows"] if not row["line"]["as_needed"])
    assert [dose["time"] for dose in scheduled["doses"]] == ["08:00", "20:00"]
    prn_row = next(row for row in data["rows"] if row["line"]["as_needed"])
    assert prn_row["given_count"] == 1 and prn_row["as_needed_doses"][0]["state"] == "done"
    assert prn_row["as_needed_doses"][0]["validated_by"] == "Julie Infirmière"
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    assert client.get(url, {"date": tomorrow}).status_code == 200
    response = client.get(url, {"date": "demain"})
    assert response.status_code == 400 and "Date invalide" in response.json()["date"][0]
    assert client.get(url, {"date": "0001-01-01"}).status_code == 400


def _prn_line(medecin, usager, **overrides):
    line = medication_services.prescription_create(medecin, usager, **as_needed_fields(**overrides))
    medication_services.prescription_validate(medecin, line)
    return line


def test_a_nurse_records_an_as_needed_dose_once(client, medecin, essms, usager):
    line = _prn_line(medecin, usager, max_per_day=2)
    client.force_login(nurse(essms))
    url = f"{URL}{line.pk}/as-needed-doses/"
    key = str(uuid.uuid4())
    first = post(client, url, {"idempotency_key": key})
    assert first.status_code == 201, first.content
    data = first.json()
    assert data["status"] == "done" and data["validated_by"] == "Julie Infirmière" and data["replay"] is False
    replay = post(client, url, {"idempotency_key": key})
    assert replay.status_code == 200 and replay.json()["replay"] is True and replay.json()["id"] == data["id"]
    given = CareOccurrence.objects.get(pk=data["id"])
    assert (given.prescription_id, given.status, given.idempotency_key) == (line.pk, "done", uuid.UUID(key))
    assert len(logged_events(object_id=str(given.pk), detail="prise si besoin")) == 1
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    earlier = max(timezone.now() - datetime.timedelta(minutes=30), midnight).isoformat()
    refused = post(client, url, {"idempotency_key": str(uuid.uuid4()), "status": "refused", "comment": "dort",
                                 "performed_at": earlier})  # fmt: skip
    assert refused.status_code == 201, refused.content
    assert refused.json()["status"] == "refused"
    assert CareOccurrence.objects.filter(prescription=line).count() == 2


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"idempotency_key": None}, "idempotency_key", "nul"),
        ({"idempotency_key": "pas-une-cle"}, "idempotency_key", "Clé d'idempotence invalide"),
        ({"status": "not_done"}, "status", "État inconnu"),
        ({"status": "refused"}, "comment", "motif du refus"),
        ({"performed_at": "hier"}, "performed_at", ""),
        ({"performed_at": "2999-01-01T08:00:00+01:00"}, "performed_at", "futur"),
        ({"comment": "x" * 301}, "comment", ""),
    ],
)
def test_bad_as_needed_doses_are_400_and_write_nothing(client, medecin, essms, usager, payload, field, message):
    line = _prn_line(medecin, usager)
    client.force_login(nurse(essms))
    response = post(client, f"{URL}{line.pk}/as-needed-doses/", {"idempotency_key": str(uuid.uuid4())} | payload)
    assert response.status_code == 400, response.content
    assert message in " ".join(response.json()[field])
    assert not CareOccurrence.objects.filter(prescription=line).exists()


def test_as_needed_doses_beyond_the_maximum_or_on_a_scheduled_line_are_refused(client, medecin, essms, usager):
    line = _prn_line(medecin, usager, max_per_day=1)
    scheduled = prescribe(medecin, usager, validate=True)
    client.force_login(nurse(essms))
    assert post(client, f"{URL}{line.pk}/as-needed-doses/", {"idempotency_key": str(uuid.uuid4())}).status_code == 201
    over = post(client, f"{URL}{line.pk}/as-needed-doses/", {"idempotency_key": str(uuid.uuid4())})
    assert over.status_code == 400 and "Maximum atteint" in over.json()["non_field_errors"][0]
    wrong = post(client, f"{URL}{scheduled.pk}/as-needed-doses/", {"idempotency_key": str(uuid.uuid4())})
    assert wrong.status_code == 400 and "pas « si besoin »" in wrong.json()["non_field_errors"][0]
    assert CareOccurrence.objects.filter(prescription=line).count() == 1


def test_as_needed_doses_need_a_giver_and_the_same_essms(client, medecin, essms, sibling_essms, usager):
    line = _prn_line(medecin, usager)
    client.force_login(professional(essms, Metier.EDUCATEUR))
    denied = post(client, f"{URL}{line.pk}/as-needed-doses/", {"idempotency_key": str(uuid.uuid4())})
    assert denied.status_code in (403, 404)
    client.force_login(nurse(sibling_essms))
    assert post(client, f"{URL}{line.pk}/as-needed-doses/", {"idempotency_key": str(uuid.uuid4())}).status_code == 404
    assert not CareOccurrence.objects.filter(prescription=line).exists()

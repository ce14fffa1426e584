"""Medication pages: prescriptions of a person (forms by métier), actions on a line, the day chart
(fixed number of queries, printable), "si besoin" doses from the chart."""

import datetime
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dui.models import Metier
from soins.models import CareOccurrence, PharmacistIntervention, PrescriptionLine
from soins.services import doses as dose_services
from soins.services import medication as medication_services
from tests.factories import UsagerFactory, professional
from tests.soins.factories_medication import as_needed_fields, doctor, nurse, pharmacist, prescribe


@pytest.fixture
def medecin(essms):
    return doctor(essms)


def page(usager):
    return reverse("medication-prescriptions", args=[usager.pk])


def chart(usager, day=None):
    url = reverse("medication-chart", args=[usager.pk])
    return f"{url}?date={day}" if day else url


def test_doctor_prescribes_validates_and_stops_from_the_page(client, medecin, usager):
    client.force_login(medecin)
    response = client.get(page(usager))
    assert response.status_code == 200
    assert "Nouvelle ligne de médicament" in response.content.decode()
    form = {
        "kind": "medicament",
        "drug": "Paracétamol",
        "dose": "1 g",
        "route": "orale",
        "times": "08:00, 20:00",
        "weekdays": ["1", "2", "3", "4", "5", "6", "7"],
        "starts_on": timezone.localdate().isoformat(),
    }
    response = client.post(reverse("medication-line-create", args=[usager.pk]), form)
    assert response.status_code == 302
    line = PrescriptionLine.objects.get()
    assert line.times == ["08:00", "20:00"]
    body = client.get(page(usager)).content.decode()
    assert "À valider" in body and "Valider la ligne" in body
    client.post(reverse("medication-line-validate", args=[line.pk]))
    line.refresh_from_db()
    assert line.validated_by == medecin
    client.post(reverse("medication-line-stop", args=[line.pk]), {"reason": "Fin"})
    line.refresh_from_db()
    assert line.stopped_at is not None
    body = client.get(page(usager)).content.decode()
    assert "Historique (1)" in body and "Fin" in body


def test_bad_form_input_shows_french_errors_and_writes_nothing(client, medecin, usager):
    client.force_login(medecin)
    form = {
        "kind": "medicament",
        "drug": "Paracétamol",
        "dose": "1 g",
        "route": "orale",
        "times": "25:00",
        "weekdays": ["1"],
        "starts_on": timezone.localdate().isoformat(),
    }
    response = client.post(reverse("medication-line-create", args=[usager.pk]), form)
    assert response.status_code == 200
    assert "Heure invalide « 25:00 »" in response.content.decode()
    response = client.post(reverse("medication-line-create", args=[usager.pk]), form | {"times": "", "route": "nez"})
    assert "Voie d&#x27;administration inconnue" in response.content.decode()
    assert not PrescriptionLine.objects.exists()


def test_a_nurse_reads_but_gets_no_prescribing_form(client, medecin, essms, usager):
    prescribe(medecin, usager)
    ide = nurse(essms)
    client.force_login(ide)
    body = client.get(page(usager)).content.decode()
    assert "Paracétamol" in body and "Nouvelle ligne" not in body and "Valider la ligne" not in body
    response = client.post(
        reverse("medication-line-create", args=[usager.pk]), {"drug": "X", "starts_on": "2030-01-01"}, follow=True
    )
    assert "Seul un médecin peut prescrire" in response.content.decode()
    line = PrescriptionLine.objects.get()
    response = client.post(reverse("medication-line-validate", args=[line.pk]), follow=True)
    assert "Seul un médecin peut valider" in response.content.decode()
    line.refresh_from_db()
    assert line.validated_at is None and PrescriptionLine.objects.count() == 1


def test_pharmacist_substitutes_from_the_page(client, medecin, essms, usager):
    line = prescribe(medecin, usager, validate=True)
    client.force_login(pharmacist(essms))
    body = client.get(page(usager)).content.decode()
    assert "Intervention pharmaceutique" in body
    url = reverse("medication-line-intervention", args=[line.pk])
    response = client.post(url, {"kind": "substitution", "substitute": ""}, follow=True)
    assert "Indiquez la spécialité" in response.content.decode()
    client.post(url, {"kind": "substitution", "substitute": "Doliprane 1 g", "text": "Rupture"})
    line.refresh_from_db()
    assert line.dispensed_as == "Doliprane 1 g"
    assert "Délivré sous" in client.get(page(usager)).content.decode()
    assert PharmacistIntervention.objects.count() == 1


def test_modify_page_stops_and_replaces(client, medecin, usager):
    line = prescribe(medecin, usager, validate=True)
    client.force_login(medecin)
    url = reverse("medication-line-modify", args=[line.pk])
    assert 'value="08:00, 20:00"' in client.get(url).content.decode()
    form = {
        "kind": "medicament",
        "drug": "Paracétamol",
        "dose": "500 mg",
        "route": "orale",
        "times": "08:00",
        "weekdays": ["1", "2", "3", "4", "5", "6", "7"],
        "starts_on": timezone.localdate().isoformat(),
        "reason": "Dose réduite",
    }
    assert client.post(url, form).status_code == 302
    line.refresh_from_db()
    assert (
        line.stopped_at is not None and PrescriptionLine.objects.filter(stopped_at__isnull=True).get().dose == "500 mg"
    )


def test_another_essms_and_archived_dossier(client, medecin, essms, sibling_essms, usager):
    other = UsagerFactory(essms=sibling_essms)
    other_line = prescribe(doctor(sibling_essms), other)
    client.force_login(medecin)
    assert client.get(page(other)).status_code == 404
    assert client.get(chart(other)).status_code == 404
    assert client.post(reverse("medication-line-validate", args=[other_line.pk])).status_code == 404
    usager.archived_at = timezone.now()
    usager.save(update_fields=["archived_at"])
    body = client.get(page(usager)).content.decode()
    assert "archivé" in body and "Nouvelle ligne" not in body


def _make_chart(medecin, essms, usager):
    for index in range(4):
        prescribe(medecin, usager, validate=True, drug=f"Médicament {index}", times=["00:01", "08:00", "23:59"])
    prn = medication_services.prescription_create(medecin, usager, **as_needed_fields())
    medication_services.prescription_validate(medecin, prn)
    dose_services.as_needed_record(nurse(essms), prn, idempotency_key=uuid.uuid4(), comment="Très agitée")
    return prn


def test_day_chart_shows_states_with_a_fixed_number_of_queries(client, medecin, essms, usager):
    prn = _make_chart(medecin, essms, usager)
    occurrence = CareOccurrence.objects.filter(prescription__as_needed=False).order_by("due_at").first()
    occurrence.status, occurrence.comment, occurrence.validated_by = "refused", "Dort", medecin
    occurrence.performed_at = timezone.now()
    occurrence.save()
    ide = nurse(essms)
    client.force_login(ide)
    client.get(chart(usager))  # warm the session and the rights cache
    with CaptureQueriesContext(connection) as few:
        response = client.get(chart(usager))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Médicament 3" in body and "Très agitée" in body and "1 / 2 prise(s)" in body
    assert "Enregistrer la prise" in body and "data-print" in body
    prescribe(medecin, usager, validate=True, drug="Encore un", times=["09:00", "10:00", "11:00", "12:00"])
    dose_services.as_needed_record(ide, prn, idempotency_key=uuid.uuid4())
    with CaptureQueriesContext(connection) as more:
        client.get(chart(usager))
    assert len(more) == len(few)


def test_chart_bad_date_falls_back_to_today(client, medecin, essms, usager):
    client.force_login(nurse(essms))
    body = client.get(chart(usager, "2025-13-01")).content.decode()
    assert "Date invalide" in body
    body = client.get(chart(usager, "0001-01-01")).content.decode()
    assert "Date hors limites" in body


def test_as_needed_from_the_chart_is_capped_and_not_doubled(client, medecin, essms, usager):
    prn = medication_services.prescription_create(medecin, usager, **as_needed_fields(max_per_day=1))
    medication_services.prescription_validate(medecin, prn)
    client.force_login(nurse(essms))
    url = reverse("medication-line-as-needed", args=[prn.pk])
    key = str(uuid.uuid4())
    client.post(url, {"status": "done", "idempotency_key": key})
    response = client.post(url, {"status": "done", "idempotency_key": key}, follow=True)
    assert "déjà enregistrée" in response.content.decode()
    response = client.post(url, {"status": "done", "idempotency_key": str(uuid.uuid4())}, follow=True)
    assert "Maximum atteint" in response.content.decode()
    assert CareOccurrence.objects.filter(prescription=prn).count() == 1


def test_an_aide_soignant_sees_the_chart_but_not_the_prescriptions(client, medecin, essms, usager):
    _make_chart(medecin, essms, usager)
    client.force_login(professional(essms, Metier.AIDE_SOIGNANT))
    body = client.get(chart(usager)).content.decode()
    assert "Médicament 0" in body and "Enregistrer la prise" not in body
    assert client.get(page(usager)).status_code == 404


def test_past_day_chart_shows_history(client, medecin, essms, usager):
    client.force_login(medecin)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = client.get(chart(usager, yesterday.isoformat()))
    assert response.status_code == 200 and "Aucun médicament à heure fixe" in response.content.decode()

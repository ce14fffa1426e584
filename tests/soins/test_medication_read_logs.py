"""The medication pages log what they show through their selectors (the pages write no audit row themselves);
the static rules for every app are in tests/test_architecture.py."""

import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from dui.models import AccessLog
from soins.services import doses as dose_services
from soins.services import medication as medication_services
from tests.logged import logged_events
from tests.soins.factories_medication import as_needed_fields, doctor, nurse, prescribe


def test_the_prescriptions_page_logs_its_lines_through_the_selector(client, essms, usager):
    medecin = doctor(essms)
    current = prescribe(medecin, usager)
    stopped = prescribe(medecin, usager, drug="Furosémide", dose="40 mg")
    medication_services.prescription_stop(medecin, stopped, reason="Fin")
    client.force_login(medecin)
    assert client.get(reverse("medication-prescriptions", args=[usager.pk])).status_code == 200
    rows = logged_events(action="read", detail="prescriptions")
    assert sorted(int(row.object_id) for row in rows) == sorted([current.pk, stopped.pk])
    assert {(row.channel, row.ip, row.user_id) for row in rows} == {("web", "127.0.0.1", medecin.pk)}


@pytest.mark.parametrize("channel", ["web", "api"])
def test_the_day_chart_logs_its_lines_and_doses_through_the_selector(client, essms, usager, channel):
    medecin = doctor(essms)
    prn = medication_services.prescription_create(medecin, usager, **as_needed_fields())
    medication_services.prescription_validate(medecin, prn)
    given, _ = dose_services.as_needed_record(nurse(essms), prn, idempotency_key=uuid.uuid4())
    client.force_login(medecin)
    if channel == "web":
        url = reverse("medication-chart", args=[usager.pk])
    else:
        url = f"/api/v1/medication-charts/{usager.pk}/"
    assert client.get(url).status_code == 200
    rows = AccessLog.objects.filter(action="read", channel=channel).exclude(object_type="dui.usager")
    day = timezone.localdate()
    assert {(row.object_type, row.object_id) for row in rows} >= {
        ("soins.prescriptionline", str(prn.pk)),
        ("soins.careoccurrence", str(given.pk)),
    }
    assert {row.detail for row in rows if row.object_type.startswith("soins.")} == {
        f"plan d'administration du {day:%d/%m/%Y}"
    }

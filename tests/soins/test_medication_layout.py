"""The medication area's architecture rules: reads logged by the selectors (the pages and the API write no
audit row themselves), no model manager in the pages, API or forms, domain errors only."""

import ast
import pathlib
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from dui.models import AccessLog
from soins.services import doses as dose_services
from soins.services import medication as medication_services
from tests.soins.factories_medication import as_needed_fields, doctor, nurse, prescribe

ROOT = pathlib.Path(__file__).resolve().parents[2]
PAGES_AND_API = [
    "soins/views/medication.py",
    "soins/api/medication.py",
    "soins/api/medication_charts.py",
    "soins/api/prescription_lines.py",
]
SERVICES_AND_SELECTORS = [
    "soins/services/medication.py",
    "soins/services/doses.py",
    "soins/services/prescription_rules.py",
    "soins/services/drug_checks.py",
    "soins/services/windows.py",
    "soins/services/corrections.py",
    "soins/selectors/medication.py",
    "soins/selectors/drug_safety.py",
    "soins/selectors/windows.py",
]


def _tree(path: str) -> ast.Module:
    return ast.parse((ROOT / path).read_text(), filename=path)


@pytest.mark.parametrize("path", PAGES_AND_API)
def test_pages_and_api_neither_log_nor_query_managers(path):
    tree = _tree(path)
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) for alias in node.names}
    assert "audit" not in imported
    managers = [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Attribute) and node.attr == "objects"]
    assert managers == []


@pytest.mark.parametrize("path", SERVICES_AND_SELECTORS)
def test_services_and_selectors_raise_domain_errors(path):
    tree = _tree(path)
    modules = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert "django.http" not in modules


def test_the_prescriptions_page_logs_its_lines_through_the_selector(client, essms, usager):
    medecin = doctor(essms)
    current = prescribe(medecin, usager)
    stopped = prescribe(medecin, usager, drug="Furosémide", dose="40 mg")
    medication_services.prescription_stop(medecin, stopped, reason="Fin")
    client.force_login(medecin)
    assert client.get(reverse("medication-prescriptions", args=[usager.pk])).status_code == 200
    rows = AccessLog.objects.filter(action="read", detail="prescriptions")
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

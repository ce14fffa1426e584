"""DLU API: POST generates a version and returns its metadata, GET the current one, the pdf URL the
PDF; refusals (archived, pré-admission, no right, another ESSMS) are clear and write nothing."""

import pytest
from django.utils import timezone

from dui.models import Document, Metier, Sejour, SejourStatus
from interop.dlu.services import ARCHIVED, PRE_ADMISSION
from tests.factories import professional
from tests.interop.dlu_helpers import admitted, fill_dossier


def url(usager) -> str:
    return f"/api/v1/usagers/{usager.pk}/dlu/"


@pytest.fixture
def ide(essms):
    return professional(essms, Metier.IDE)


@pytest.fixture
def resident(usager, ide):
    return admitted(usager, ide)


@pytest.fixture
def api(client, ide):
    client.force_login(ide)
    return client


def test_post_generates_and_get_returns_the_current_version(api, resident, ide):
    fill_dossier(resident, ide)
    response = api.post(url(resident))
    assert response.status_code == 201, response.content
    created = response.json()
    assert set(created) >= {"id", "version", "created_at", "missing", "pdf"}
    assert (created["version"], created["missing"]) == (1, [])
    second = api.post(url(resident)).json()
    assert second["version"] == 2
    current = api.get(url(resident))
    assert current.status_code == 200
    assert current.json()["id"] == second["id"] and current.json()["version"] == 2
    pdf = api.get(second["pdf"])
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")


def test_missing_items_name_what_to_fix(api, resident):
    missing = api.post(url(resident)).json()["missing"]
    codes = {item["code"] for item in missing}
    assert {"medecin_traitant", "traitements", "dossier_dlu"} <= codes
    assert all(item["label"] and item["url"] for item in missing)


def test_get_before_any_generation_is_a_clear_404(api, resident):
    response = api.get(url(resident))
    assert response.status_code == 404
    assert "Aucun DLU" in str(response.json())


def test_archived_dossier_is_refused(api, resident):
    resident.archived_at = timezone.now()
    resident.save()
    response = api.post(url(resident))
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": [ARCHIVED]}
    assert not Document.objects.exists()


def test_pre_admission_dossier_is_refused(api, usager, ide):
    Sejour.objects.create(essms=usager.essms, usager=usager, status=SejourStatus.PRE_ADMISSION,
                          first_contact_on="2026-11-01", created_by=ide)  # fmt: skip
    response = api.post(url(usager))
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": [PRE_ADMISSION]}
    assert not Document.objects.exists()


def test_metier_without_the_right_gets_403_and_nothing_is_written(client, resident, essms):
    client.force_login(professional(essms, Metier.ANIMATEUR))
    assert client.post(url(resident)).status_code == 403
    assert client.get(url(resident)).status_code == 403
    assert not Document.objects.exists()


def test_aide_soignant_reads_but_may_not_generate(client, api, resident, essms):
    generated = api.post(url(resident)).json()
    client.force_login(professional(essms, Metier.AIDE_SOIGNANT))
    assert client.get(url(resident)).json()["id"] == generated["id"]
    assert client.post(url(resident)).status_code == 403


def test_another_essms_sees_neither_the_dlu_nor_its_pdf(client, api, resident, foreign_essms):
    generated = api.post(url(resident)).json()
    client.force_login(professional(foreign_essms, Metier.IDE))
    assert client.get(url(resident)).status_code == 404
    assert client.post(url(resident)).status_code == 404
    assert client.get(generated["pdf"]).status_code == 404


def test_unknown_version_and_dossier_are_404(api, resident):
    assert api.get("/api/v1/dlu-versions/999999/pdf/").status_code == 404
    assert api.get("/api/v1/usagers/999999/dlu/").status_code == 404


def test_anonymous_is_refused(client, resident):
    assert client.post(url(resident)).status_code in (401, 403)

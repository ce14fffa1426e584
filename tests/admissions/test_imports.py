"""Requests from outside: the stub ViaTrajectoire connector (idempotent) and the CSV import (all or nothing)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from admissions.models import AdmissionRequest, AdmissionSettings
from admissions.services.imports import csv_import
from admissions.tasks import import_viatrajectoire
from dui.models import Metier
from tests.factories import professional

HEADER = (
    "origine;reference;nom_naissance;prenoms;date_naissance;sexe;accueil;priorite;recue_le;contact_nom;contact_lien"
)
GOOD = (
    f"{HEADER}\n"
    "viatrajectoire;VT-9;Martin;Louise;1936-03-04;F;permanent;haute;2026-01-03;Martin;fils\n"
    "directe;;Roux;Henri Paul;12/11/1940;M;temporaire;;;;\n"
)


@pytest.fixture
def secretaire(essms):
    return professional(essms, Metier.SECRETAIRE_MEDICALE)


def test_stub_connector_import_is_idempotent(essms):
    AdmissionSettings.objects.create(essms=essms, connector_enabled=True)
    assert import_viatrajectoire() == 3
    assert import_viatrajectoire() == 0
    requests = AdmissionRequest.objects.filter(essms=essms)
    assert requests.count() == 3
    assert {r.external_ref for r in requests} == {f"VT-{essms.finess}-00{n}" for n in (1, 2, 3)}
    assert all(r.source == "viatrajectoire" and r.contacts.count() == 1 for r in requests)
    assert AdmissionSettings.objects.get(essms=essms).connector_synced_at is not None


def test_connector_off_imports_nothing(essms):
    assert import_viatrajectoire() == 0
    assert not AdmissionRequest.objects.exists()


def test_csv_import_good_file(secretaire):
    result = csv_import(secretaire, raw=GOOD.encode())
    assert [r.birth_name for r in result.created] == ["MARTIN", "ROUX"]
    martin = AdmissionRequest.objects.get(birth_name="MARTIN")
    assert (martin.priority, martin.contacts.get().relationship, str(martin.birth_date)) == (2, "fils", "1936-03-04")
    line = "viatrajectoire;VT-9;Martin;Louise;1936-03-04;F;permanent;;;;"
    again = csv_import(secretaire, raw=f"{HEADER}\n{line}\n".encode())
    assert (again.created, again.skipped) == ([], ["VT-9"])


def test_csv_import_bad_lines_named_and_nothing_imported(secretaire):
    bad = (
        f"{HEADER}\n"
        "viatrajectoire;VT-1;Martin;Louise;1936-03-04;F;permanent;;;;\n"
        "fax;;Roux;Henri;1940-11-12;M;temporaire;;;;\n"
        "directe;;Blanc;;1940-13-45;X;permanent;;;;\n"
        "directe;;martin;LOUISE;04/03/1936;F;permanent;;;;\n"
    )
    with pytest.raises(ValidationError) as error:
        csv_import(secretaire, raw=bad.encode("cp1252"))
    messages = error.value.messages
    assert any(m.startswith("Ligne 3 : Choisissez l'origine") for m in messages)
    assert any(m.startswith("Ligne 4 :") and "prénoms" in m.lower() for m in messages)
    assert any(m.startswith("Ligne 4 :") and "sexe" in m for m in messages)
    assert "Ligne 5 : même personne que la ligne 2." in messages
    assert not any(m.startswith("Ligne 2") for m in messages)
    assert not AdmissionRequest.objects.exists()


def test_csv_import_header_checked(secretaire):
    with pytest.raises(ValidationError) as error:
        csv_import(secretaire, raw=b"nom;prenom\nA;B\n")
    assert error.value.messages[0].startswith("Ligne 1 (en-tête) : colonnes obligatoires absentes")


def test_import_command(essms, tmp_path, capsys):
    path = tmp_path / "demandes.csv"
    path.write_text(GOOD, encoding="utf-8")
    call_command("import_admission_requests", str(path), "--essms", essms.finess)
    assert AdmissionRequest.objects.filter(essms=essms).count() == 2
    path.write_text(f"{HEADER}\nfax;;A;B;1940-01-01;F;permanent;;;;\n", encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("import_admission_requests", str(path), "--essms", essms.finess)
    assert "Rien n'a été importé" in str(error.value) and "Ligne 2" in str(error.value)


def test_import_page_reports_lines(client, secretaire):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client.force_login(secretaire)
    upload = SimpleUploadedFile("d.csv", f"{HEADER}\nfax;;A;B;1940-01-01;F;permanent;;;;\n".encode())
    response = client.post(reverse("admission-import"), {"file": upload})
    assert response.status_code == 400
    assert "Ligne 2 : Choisissez l&#x27;origine" in response.content.decode()
    assert not AdmissionRequest.objects.exists()

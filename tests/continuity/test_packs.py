"""The continuity pack of a unit: what the PDF and the CSV hold, the purge, the task and the export."""

import csv
import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from continuity import services, tasks
from continuity.models import ContinuityPack, PackKind
from dui.models import AccessLog
from tests.continuity.helpers import pdf_text, unit_with_persons

pytestmark = pytest.mark.django_db


def test_pack_holds_the_present_persons_and_not_the_discharged(essms, unit, tmp_path):
    unit_with_persons(essms, unit)
    pack = services.pack_generate(unit_id=unit.pk, kind=PackKind.ON_DEMAND)
    assert pack.persons_count == 1
    text = pdf_text(pack.pdf.read(), tmp_path)
    assert "Document confidentiel" in text
    assert "LEFEBVRE Marthe" in text
    assert "Pénicilline G" in text
    assert "Amoxicilline" in text  # current treatment and doses of the next 24 h
    assert "Toilette complète" in text
    assert "Consultation cardiologie" in text
    assert "DUPARTI" not in text
    assert "Poste de nuit du" in text
    assert "Dossier de liaison d'urgence (DLU)" in text  # the DLU's first page, appended after the section
    assert len(pack.pdf_sha256) == 64


def test_pack_without_dlu_says_so(essms, unit, tmp_path):
    unit_with_persons(essms, unit, dlu=False)
    pack = services.pack_generate(unit_id=unit.pk)
    assert "Pas de DLU enregistré" in pdf_text(pack.pdf.read(), tmp_path)


def test_csv_has_one_line_per_person_and_item(essms, unit):
    unit_with_persons(essms, unit)
    pack = services.pack_generate(unit_id=unit.pk)
    raw = pack.csv.read()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Unité", "Chambre", "Nom"]
    rubrics = {row[6] for row in rows[1:]}
    assert {"Allergie", "Traitement en cours", "Médicament 24 h", "Soin 24 h", "Rendez-vous", "DLU"} <= rubrics
    assert {row[2] for row in rows[1:]} == {"LEFEBVRE Marthe"}
    doses = [row for row in rows[1:] if row[6] == "Médicament 24 h"]
    assert len(doses) == 2 and all(row[7] for row in doses)


def test_generation_is_in_the_access_log(essms, unit):
    _nurse, _cadre, present, _gone = unit_with_persons(essms, unit)
    pack = services.pack_generate(unit_id=unit.pk)
    logged = AccessLog.objects.filter(username=f"continuite-{essms.finess}")
    assert logged.filter(object_type="continuity.continuitypack", object_id=str(pack.pk), action="create").exists()
    assert logged.filter(usager_id=present.pk, detail="plan de continuité").exists()


def test_packs_older_than_7_days_are_purged_files_and_rows(essms, unit):
    unit_with_persons(essms, unit, dlu=False)
    old = services.pack_generate(unit_id=unit.pk, now=timezone.now() - datetime.timedelta(days=8))
    recent = services.pack_generate(unit_id=unit.pk)
    storage, old_pdf = old.pdf.storage, old.pdf.name
    assert storage.exists(old_pdf)
    assert services.packs_purge() == 1
    assert not storage.exists(old_pdf)
    assert list(ContinuityPack.objects.all()) == [recent]


def test_nightly_task_makes_every_open_unit_and_purges(essms, unit, settings, tmp_path):
    unit_with_persons(essms, unit, dlu=False)
    services.pack_generate(unit_id=unit.pk, now=timezone.now() - datetime.timedelta(days=9))
    settings.CONTINUITY_EXPORT_DIR = str(tmp_path / "cle-usb")
    assert tasks.nightly.delay().get() == 1
    pack = ContinuityPack.objects.get()
    assert pack.kind == PackKind.NIGHTLY
    assert sorted(p.suffix for p in (tmp_path / "cle-usb").iterdir()) == [".csv", ".pdf"]


def test_generate_pack_task_is_thin(essms, unit):
    unit_with_persons(essms, unit, dlu=False)
    pk = tasks.generate_pack.delay(unit.pk, PackKind.ON_DEMAND).get()
    assert ContinuityPack.objects.get(pk=pk).kind == PackKind.ON_DEMAND


def test_export_command_copies_the_latest_pack_of_each_unit_atomically(essms, unit, tmp_path):
    unit_with_persons(essms, unit, dlu=False)
    services.pack_generate(unit_id=unit.pk, now=timezone.now() - datetime.timedelta(hours=5))
    latest = services.pack_generate(unit_id=unit.pk)
    target = tmp_path / "partage"
    stale = target / "plan-continuite-ancien.pdf"
    target.mkdir()
    stale.write_bytes(b"%PDF old")
    old = (timezone.now() - datetime.timedelta(days=10)).timestamp()
    import os

    os.utime(stale, (old, old))
    out = io.StringIO()
    call_command("export_continuity_packs", "--to", str(target), "--essms", essms.finess, stdout=out)
    files = sorted(p.name for p in target.iterdir())
    assert len(files) == 2 and all(name.startswith("plan-continuite-") for name in files)
    assert not any(name.startswith(".tmp-") for name in files)  # no temporary file left behind
    pdf = next(p for p in target.iterdir() if p.suffix == ".pdf")
    assert pdf.read_bytes() == latest.pdf.open("rb").read()
    assert "2 fichier" in out.getvalue()


def test_export_of_an_interrupted_copy_leaves_no_partial_file(essms, unit, tmp_path, monkeypatch):
    unit_with_persons(essms, unit, dlu=False)
    services.pack_generate(unit_id=unit.pk)

    def broken(*args, **kwargs):
        raise OSError("disque plein")

    monkeypatch.setattr(services.os, "replace", broken)
    with pytest.raises(OSError):
        services.packs_export(tmp_path / "cle")
    assert list((tmp_path / "cle").iterdir()) == []


def test_a_failed_copy_keeps_the_pack(essms, unit, settings, tmp_path):
    unit_with_persons(essms, unit, dlu=False)
    blocker = tmp_path / "pas-un-dossier"
    blocker.write_text("un fichier, pas un dossier")
    settings.CONTINUITY_EXPORT_DIR = str(blocker)
    pack = services.pack_generate(unit_id=unit.pk)
    assert ContinuityPack.objects.filter(pk=pack.pk).exists() and pack.pdf.storage.exists(pack.pdf.name)

"""GDPR: export of a whole dossier for an access request, anonymisation of archived dossiers past retention."""

import datetime
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from dui import gdpr
from dui.errors import NotFound
from dui.ins import IdentityStatus
from dui.models import (
    AccessLog,
    AggirEvaluation,
    Allergy,
    Antecedent,
    Appointment,
    Contact,
    ContactRole,
    Document,
    DocumentVersion,
    LifeNote,
    LifeNoteKind,
    Metier,
    Placement,
    Referent,
    Sejour,
    SejourStatus,
    Usager,
)
from dui.services.documents import document_add_version, document_upload
from tests.dui.test_documents import JPEG, PDF, PNG, stored_files, upload
from tests.factories import UnitFactory, UsagerFactory, professional

MATRICULE = "238057512345678"


@pytest.fixture
def director(essms):
    return professional(essms, Metier.DIRECTION)


@pytest.fixture
def secretaire(essms):
    return professional(essms, Metier.SECRETAIRE_MEDICALE)


def fill_dossier(usager, author, *, content=PDF):
    """One row in most sections, and a document with two versions."""
    common = {"essms_id": usager.essms_id, "usager": usager}
    sejour = Sejour.objects.create(
        **common, status=SejourStatus.ACTIVE, first_contact_on=datetime.date(2024, 1, 3), created_by=author
    )
    Placement.objects.create(
        **common,
        sejour=sejour,
        unit=UnitFactory(essms=usager.essms),
        modality="hp",
        starts_on=datetime.date(2024, 2, 1),
        created_by=author,
    )
    Contact.objects.create(
        **common,
        role=ContactRole.PERSONNE_CONFIANCE,
        last_name="LEFEBVRE",
        first_name="Paul",
        relationship="fils",
        phone="0601020304",
        email="paul@example.org",
        address="3 rue des Lilas, Lyon",
    )
    Referent.objects.create(**common, user=author, role="referent", starts_on=datetime.date(2024, 2, 1))
    Antecedent.objects.create(**common, label="Fracture du col du fémur", year=2019, created_by=author)
    Allergy.objects.create(**common, substance="Pénicilline", created_by=author)
    AggirEvaluation.objects.create(
        **common, gir=2, evaluated_on=datetime.date(2024, 3, 1), evaluator="Dr Coordonnateur", created_by=author
    )
    LifeNote.objects.create(
        **common,
        kind=LifeNoteKind.HABITUDES,
        topic="Réveil",
        text="Aime le café à 7 h avec sa fille Anne.",
        created_by=author,
    )
    Appointment.objects.create(
        **common,
        starts_at=timezone.now() + datetime.timedelta(days=2),
        title="Consultation cardiologie",
        created_by=author,
    )
    document = document_upload(
        author,
        usager=usager,
        document_class_code="cr_hospitalisation",
        title="CR hospitalisation Mme Lefebvre",
        document_date=datetime.date(2024, 5, 2),
        source="CHU",
        file=upload(content, "cr lefebvre.pdf"),
    )
    document_add_version(author, document=document, file=upload(PNG, "scan.png"))
    return document


def read_zip(content: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(content))


# --- Export


def test_export_contains_the_json_and_every_document_version(director, secretaire, usager):
    document = fill_dossier(usager, secretaire)
    archive = read_zip(gdpr.dossier_export(director, usager=usager))

    data = json.loads(archive.read("dossier.json"))
    assert data["format"] == gdpr.EXPORT_FORMAT
    assert data["usager"]["birth_name"] == "LEFEBVRE"
    assert data["usager"]["birth_date"] == usager.birth_date.isoformat()
    assert "search_text" not in data["usager"]
    sections = data["sections"]
    for name in ("sejour", "placement", "contact", "referent", "antecedent", "allergy", "aggirevaluation"):
        assert len(sections[name]["rows"]) == 1, name
    assert sections["lifenote"]["rows"][0]["text"].startswith("Aime le café")
    assert sections["appointment"]["rows"][0]["title"] == "Consultation cardiologie"
    assert sections["contact"]["rows"][0]["role_label"] == "Personne de confiance"
    assert sections["placement"]["rows"][0]["unit_label"]
    [doc] = sections["document"]["rows"]
    assert doc["title"] == "CR hospitalisation Mme Lefebvre"
    assert doc["document_class_label"] == "Compte rendu d'hospitalisation"
    assert [v["number"] for v in doc["versions"]] == [1, 2]
    assert archive.read(doc["versions"][0]["archive_path"]) == PDF
    assert archive.read(doc["versions"][1]["archive_path"]) == PNG
    assert doc["versions"][0]["archive_path"] == f"documents/{document.pk}/v1-cr_lefebvre.pdf"
    assert "LISEZMOI.txt" in archive.namelist()
    log = AccessLog.objects.get(action="export")
    assert (log.usager_id, log.user, log.object_type) == (usager.pk, director, "dui.usager")


def test_matricule_is_exported_only_for_a_qualified_identity(director, essms):
    provisional = UsagerFactory(essms=essms, ins_matricule=MATRICULE, ins_oid="1.2.250.1.213.1.4.8")
    qualified = UsagerFactory(
        essms=essms, ins_matricule=MATRICULE, ins_oid="1.2.250.1.213.1.4.8", identity_status=IdentityStatus.QUALIFIEE
    )
    raw = gdpr.dossier_export(director, usager=provisional)
    assert MATRICULE.encode() not in read_zip(raw).read("dossier.json")
    assert json.loads(read_zip(raw).read("dossier.json"))["usager"]["ins_matricule"] == ""
    data = json.loads(read_zip(gdpr.dossier_export(director, usager=qualified)).read("dossier.json"))
    assert data["usager"]["ins_matricule"] == MATRICULE


@pytest.mark.parametrize("metier", [Metier.DIRECTION, Metier.SECRETAIRE_MEDICALE, Metier.ACCUEIL])
def test_roles_that_validate_identities_may_export(essms, usager, metier):
    assert gdpr.can_export(professional(essms, metier), usager)


@pytest.mark.parametrize("metier", [Metier.IDE, Metier.AIDE_SOIGNANT, Metier.MEDECIN, Metier.DPO])
def test_other_roles_get_404(essms, usager, metier):
    with pytest.raises(NotFound):
        gdpr.dossier_export(professional(essms, metier), usager=usager)
    assert not AccessLog.objects.filter(action="export").exists()


def test_another_essms_gets_404(sibling_essms, usager):
    with pytest.raises(NotFound):
        gdpr.dossier_export(professional(sibling_essms, Metier.DIRECTION), usager=usager)


def test_web_export_downloads_the_zip(client, secretaire, director, usager):
    fill_dossier(usager, secretaire)
    client.force_login(director)
    url = reverse("usager-export", args=[usager.pk])
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith(f'attachment; filename="dossier-{usager.pk}-')
    assert "dossier.json" in read_zip(response.content).namelist()
    assert AccessLog.objects.get(action="export").channel == "web"


def test_web_export_is_404_for_a_refused_role(client, essms, usager):
    client.force_login(professional(essms, Metier.AIDE_SOIGNANT))
    url = reverse("usager-export", args=[usager.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert not AccessLog.objects.filter(action="export").exists()


# --- Anonymisation


@pytest.fixture
def dossiers(essms, secretaire):
    now = timezone.now()
    old = UsagerFactory(
        essms=essms,
        birth_name="ANCIEN",
        first_names="Albert",
        ins_matricule=MATRICULE,
        identity_status=IdentityStatus.QUALIFIEE,
        photo="photos/2000/ancien.jpg",
    )
    recent = UsagerFactory(essms=essms, birth_name="RECENT", first_names="Rose")
    active = UsagerFactory(essms=essms, birth_name="ACTIF", first_names="Alice")
    old_document = fill_dossier(old, secretaire)
    fill_dossier(recent, secretaire, content=PDF + b"recent")
    # The recent dossier shares one stored file with the old one (content-addressed storage).
    document_upload(
        secretaire,
        usager=recent,
        document_class_code="contrat_sejour",
        title="Contrat",
        document_date=datetime.date(2024, 1, 1),
        file=upload(PNG, "contrat.png"),
    )
    photo = Path(old.photo.path)
    photo.parent.mkdir(parents=True, exist_ok=True)
    photo.write_bytes(JPEG)
    Usager.objects.filter(pk=old.pk).update(archived_at=now - datetime.timedelta(days=400))
    Usager.objects.filter(pk=recent.pk).update(archived_at=now - datetime.timedelta(days=30))
    return old, recent, active, old_document


def snapshot():
    return {
        "usagers": list(Usager.objects.order_by("pk").values()),
        "contacts": list(Contact.objects.order_by("pk").values()),
        "notes": list(LifeNote.objects.order_by("pk").values()),
        "documents": list(Document.objects.order_by("pk").values()),
        "versions": list(DocumentVersion.objects.order_by("pk").values()),
        "log": list(AccessLog.objects.order_by("pk").values()),
    }


def test_dry_run_changes_nothing(settings, dossiers):
    old, recent, _, _ = dossiers
    before, files = snapshot(), stored_files(settings)
    out = io.StringIO()
    call_command("anonymise_archived", "--days", "365", "--dry-run", stdout=out)
    assert snapshot() == before
    assert stored_files(settings) == files
    text = out.getvalue()
    assert f"Dossier n° {old.pk}" in text
    assert f"Dossier n° {recent.pk}" not in text
    assert "Rien n'a été modifié" in text
    assert "ANCIEN" not in text  # no identity printed


def test_real_run_anonymises_only_dossiers_past_the_period(settings, dossiers, django_capture_on_commit_callbacks):
    old, recent, active, old_document = dossiers
    log_before = list(AccessLog.objects.order_by("pk").values())
    recent_before = Usager.objects.filter(pk__in=[recent.pk, active.pk]).order_by("pk").values()
    recent_before = list(recent_before)
    own_pdf = Path(old_document.versions.get(number=1).file.path)
    shared_png = Path(old_document.versions.get(number=2).file.path)
    photo = Path(old.photo.path)

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("anonymise_archived", "--days", "365", stdout=out)

    old.refresh_from_db()
    assert (old.birth_name, old.first_names, old.used_name) == ("ANONYME", "ANONYME", "")
    assert old.birth_date == gdpr.PLACEHOLDER_BIRTH_DATE
    assert (old.ins_matricule, old.ins_oid, old.identity_status) == ("", "", IdentityStatus.PROVISOIRE)
    assert not old.photo
    assert old.anonymised_at is not None
    assert old.archived_at is not None
    contact = Contact.objects.get(usager=old)
    assert (contact.last_name, contact.first_name, contact.phone, contact.email, contact.address) == (
        "ANONYME",
        "",
        "",
        "",
        "",
    )
    assert LifeNote.objects.get(usager=old).text == ""
    document = Document.objects.get(pk=old_document.pk)
    assert (document.title, document.source) == ("Document supprimé", "")
    assert set(document.versions.values_list("file", flat=True)) == {""}
    assert document.versions.count() == 2  # metadata rows kept
    assert Antecedent.objects.filter(usager=old).exists()  # rows kept, without identity
    # Files: the old dossier's own PDF and photo are gone; the PNG shared with the recent dossier stays.
    assert not own_pdf.exists()
    assert not photo.exists()
    assert shared_png.exists()

    # The access log is left intact, with one more row saying the dossier was anonymised.
    assert list(AccessLog.objects.filter(pk__in=[r["id"] for r in log_before]).order_by("pk").values()) == log_before
    new_rows = AccessLog.objects.exclude(pk__in=[r["id"] for r in log_before])
    assert [(r.usager_id, r.action, r.channel) for r in new_rows] == [(old.pk, "update", "task")]

    # Other dossiers untouched.
    assert list(Usager.objects.filter(pk__in=[recent.pk, active.pk]).order_by("pk").values()) == recent_before
    assert Contact.objects.get(usager=recent).last_name == "LEFEBVRE"
    assert f"Dossier n° {old.pk}" in out.getvalue()

    # A second run finds nothing left to do.
    again = io.StringIO()
    call_command("anonymise_archived", "--days", "365", stdout=again)
    assert "0 dossier(s)" in again.getvalue()


def test_anonymised_dossier_downloads_are_gone(client, settings, secretaire, dossiers):
    old, _, _, old_document = dossiers
    gdpr.usager_anonymise(gdpr.anonymisation_actor(), usager=old)
    client.force_login(secretaire)
    assert client.get(reverse("document-download", args=[old.pk, old_document.pk])).status_code == 404


def test_default_period_comes_from_settings(settings, dossiers):
    old, recent, _, _ = dossiers
    settings.DOSSIER_RETENTION_DAYS = 10
    call_command("anonymise_archived", stdout=io.StringIO())
    assert set(Usager.objects.filter(anonymised_at__isnull=False).values_list("pk", flat=True)) == {old.pk, recent.pk}


def test_default_period_is_twenty_years(settings, dossiers):
    del settings.DOSSIER_RETENTION_DAYS
    assert gdpr.retention_days() == 20 * 365
    call_command("anonymise_archived", stdout=io.StringIO())
    assert not Usager.objects.filter(anonymised_at__isnull=False).exists()


def test_days_must_be_positive(db):
    with pytest.raises(CommandError, match="positif"):
        call_command("anonymise_archived", "--days", "0", stdout=io.StringIO())

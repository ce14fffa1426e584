"""Documents of the dossier: upload service, versions, and every bad input refused without a trace."""

import datetime
import hashlib
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dui.models import AccessLog, Document, DocumentVersion, Metier
from dui.pdf_minimal import simple_pdf
from dui.services import documents as services
from tests.factories import UsagerFactory, professional

PDF = simple_pdf(["Compte rendu d'hospitalisation"])
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 32 + b"\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00" + b"\x00" * 16
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"This program cannot be run in DOS mode."


def upload(content: bytes = PDF, name: str = "compte-rendu.pdf", content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


@pytest.fixture
def secretaire(essms):
    return professional(essms, Metier.SECRETAIRE_MEDICALE)


@pytest.fixture
def aide_soignant(essms):
    return professional(essms, Metier.AIDE_SOIGNANT)


def upload_cr(user, usager, **overrides):
    values = {
        "usager": usager,
        "document_class_code": "cr_hospitalisation",
        "title": "CR hospitalisation CHU",
        "document_date": timezone.localdate() - datetime.timedelta(days=3),
        "source": "Dr Martin, CHU de Lyon",
        "file": upload(),
    }
    values.update(overrides)
    return services.document_upload(user, **values)


def assert_nothing_written(settings):
    assert not Document.objects.exists()
    assert not DocumentVersion.objects.exists()
    assert stored_files(settings) == []
    assert not AccessLog.objects.filter(action="create").exists()


# --- Happy paths


@pytest.mark.parametrize(
    ("content", "name", "mime_type", "extension"),
    [
        (PDF, "cr.pdf", "application/pdf", "pdf"),
        (JPEG, "photo-ordonnance.jpeg", "image/jpeg", "jpg"),
        (PNG, "scan.png", "image/png", "png"),
    ],
)
def test_upload_stores_version_one_by_content_hash(settings, secretaire, usager, content, name, mime_type, extension):
    document = upload_cr(secretaire, usager, file=upload(content, name, "application/octet-stream"))

    version = document.versions.get()
    sha = hashlib.sha256(content).hexdigest()
    assert (version.number, version.mime_type, version.size, version.sha256) == (1, mime_type, len(content), sha)
    assert version.original_name == name
    assert version.file.name == f"documents/{usager.essms_id}/{sha[:2]}/{sha}.{extension}"
    assert Path(version.file.path).read_bytes() == content
    assert (document.essms_id, document.usager_id, document.created_by) == (usager.essms_id, usager.pk, secretaire)
    assert document.document_class_code == "cr_hospitalisation"
    log = AccessLog.objects.get(action="create")
    assert (log.object_type, log.object_id, log.usager_id, log.document_class) == (
        "dui.document",
        str(document.pk),
        usager.pk,
        "cr_hospitalisation",
    )


def test_type_comes_from_content_not_from_the_name(secretaire, usager):
    document = upload_cr(secretaire, usager, file=upload(PNG, "scan.pdf", "application/pdf"))
    version = document.versions.get()
    assert version.mime_type == "image/png"
    assert version.original_name == "scan.pdf.png"
    assert version.file.name.endswith(".png")


def test_second_version_is_numbered_two_and_keeps_the_first(settings, secretaire, usager):
    document = upload_cr(secretaire, usager)
    version = services.document_add_version(secretaire, document=document, file=upload(JPEG, "v2.jpg"))
    assert version.number == 2
    assert list(document.versions.values_list("number", flat=True)) == [2, 1]
    assert len(stored_files(settings)) == 2
    assert AccessLog.objects.filter(action="create", detail__startswith="version 2").count() == 1


def test_same_bytes_in_two_documents_share_one_file(settings, secretaire, usager):
    first = upload_cr(secretaire, usager)
    second = upload_cr(secretaire, UsagerFactory(essms=usager.essms), title="Copie")
    assert first.versions.get().file.name == second.versions.get().file.name
    assert len(stored_files(settings)) == 1


def test_a_class_the_metier_may_write_is_enough(usager, essms):
    """An IDE cannot write the identity, but writes care documents."""
    ide = professional(essms, Metier.IDE)
    document = upload_cr(ide, usager, document_class_code="pansements", title="Photo de plaie", file=upload(JPEG))
    assert document.versions.count() == 1


# --- Bad input: a clear French message, nothing written (no row, no file)


def test_exe_renamed_pdf_is_refused(settings, secretaire, usager):
    with pytest.raises(ValidationError) as error:
        upload_cr(secretaire, usager, file=upload(EXE, "cr.pdf", "application/pdf"))
    assert error.value.message_dict == {
        "file": ["Type de fichier non accepté : seuls les PDF, JPEG et PNG sont acceptés."]
    }
    assert_nothing_written(settings)


@pytest.mark.parametrize("content", [b"GIF89a" + b"\x00" * 20, b"<html><script>alert(1)</script>", b"PK\x03\x04"])
def test_other_types_are_refused(settings, secretaire, usager, content):
    with pytest.raises(ValidationError, match="Type de fichier non accepté"):
        upload_cr(secretaire, usager, file=upload(content, "x.png", "image/png"))
    assert_nothing_written(settings)


def test_oversized_upload_is_refused_with_the_limit_in_mo(settings, secretaire, usager):
    settings.DOCUMENT_MAX_BYTES = 1024 * 1024
    with pytest.raises(ValidationError) as error:
        upload_cr(secretaire, usager, file=upload(PDF + b"0" * (1024 * 1024)))
    [message] = error.value.message_dict["file"]
    assert "la taille maximale est de 1 Mo" in message
    assert message.startswith("Le fichier est trop volumineux")
    assert_nothing_written(settings)


def test_size_is_also_checked_while_streaming(settings, secretaire, usager):
    settings.DOCUMENT_MAX_BYTES = 1024 * 1024
    file = upload(PDF + b"0" * (1024 * 1024))
    file.size = 10  # a lying size: the streamed count still refuses it
    with pytest.raises(ValidationError, match="trop volumineux"):
        upload_cr(secretaire, usager, file=file)
    assert_nothing_written(settings)


def test_limit_is_formatted_in_mo(settings):
    settings.DOCUMENT_MAX_BYTES = 20 * 1024 * 1024
    assert services.too_large_message() == "Le fichier est trop volumineux : la taille maximale est de 20 Mo."
    assert services.format_mo(1536 * 1024) == "1,5"


def test_missing_file_is_refused(settings, secretaire, usager):
    with pytest.raises(ValidationError, match="Choisissez un fichier"):
        upload_cr(secretaire, usager, file=None)
    assert_nothing_written(settings)


def test_empty_file_is_refused(settings, secretaire, usager):
    with pytest.raises(ValidationError, match="Le fichier est vide"):
        upload_cr(secretaire, usager, file=upload(b""))
    assert_nothing_written(settings)


def test_future_date_is_refused(settings, secretaire, usager):
    with pytest.raises(ValidationError) as error:
        upload_cr(secretaire, usager, document_date=timezone.localdate() + datetime.timedelta(days=1))
    assert error.value.message_dict == {"document_date": ["La date du document ne peut pas être dans le futur."]}
    assert_nothing_written(settings)


def test_missing_title_is_refused(settings, secretaire, usager):
    with pytest.raises(ValidationError, match="Le titre du document est obligatoire"):
        upload_cr(secretaire, usager, title="   ")
    assert_nothing_written(settings)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("inexistante", "Classe de document inconnue."),
        ("", "Classe de document inconnue."),
        ("habilitations", "ne peut pas recevoir"),
    ],
)
def test_unknown_or_impersonal_class_is_refused(settings, secretaire, usager, code, message):
    with pytest.raises(ValidationError, match=message):
        upload_cr(secretaire, usager, document_class_code=code)
    assert_nothing_written(settings)


def test_class_not_writable_by_the_metier_is_refused(settings, aide_soignant, usager):
    with pytest.raises(PermissionDenied, match="Votre métier ne permet pas d'ajouter un document de la classe"):
        upload_cr(aide_soignant, usager)
    assert_nothing_written(settings)


def test_secretaire_cannot_write_a_care_class(settings, secretaire, usager):
    with pytest.raises(PermissionDenied, match="Pansements et plaies"):
        upload_cr(secretaire, usager, document_class_code="pansements")
    assert_nothing_written(settings)


def test_dossier_of_another_essms_is_refused(settings, secretaire, sibling_essms):
    with pytest.raises(PermissionDenied):
        upload_cr(secretaire, UsagerFactory(essms=sibling_essms))
    assert_nothing_written(settings)


def test_archived_dossier_is_read_only(settings, secretaire, essms):
    archived = UsagerFactory(essms=essms, archived_at=timezone.now())
    with pytest.raises(ValidationError, match="Ce dossier est archivé : il est en lecture seule"):
        upload_cr(secretaire, archived)
    assert_nothing_written(settings)


def test_a_failure_after_the_file_is_written_removes_the_file(settings, secretaire, usager, monkeypatch):
    def broken_audit(*args, **kwargs):
        raise RuntimeError("journal indisponible")

    monkeypatch.setattr(services.audit, "log_access", broken_audit)
    with pytest.raises(RuntimeError):
        upload_cr(secretaire, usager)
    assert_nothing_written(settings)


def test_identical_version_is_refused(settings, secretaire, usager):
    document = upload_cr(secretaire, usager)
    files_before = stored_files(settings)
    with pytest.raises(ValidationError) as error:
        services.document_add_version(secretaire, document=document, file=upload(PDF, "autre-nom.pdf"))
    assert "identique à la version actuelle (version 1)" in error.value.message_dict["file"][0]
    assert document.versions.count() == 1
    assert stored_files(settings) == files_before
    assert AccessLog.objects.filter(action="create").count() == 1


def test_bad_new_version_writes_nothing(settings, secretaire, usager):
    document = upload_cr(secretaire, usager)
    files_before = stored_files(settings)
    with pytest.raises(ValidationError, match="Type de fichier non accepté"):
        services.document_add_version(secretaire, document=document, file=upload(EXE, "v2.pdf"))
    assert document.versions.count() == 1
    assert stored_files(settings) == files_before


def test_new_version_needs_the_write_right(settings, secretaire, aide_soignant, usager):
    document = upload_cr(secretaire, usager, document_class_code="contrat_sejour", title="Contrat")
    with pytest.raises(PermissionDenied):
        services.document_add_version(aide_soignant, document=document, file=upload(PNG))
    assert document.versions.count() == 1


def test_new_version_of_an_archived_dossier_is_refused(settings, secretaire, usager):
    document = upload_cr(secretaire, usager)
    usager.archived_at = timezone.now()
    usager.save(update_fields=["archived_at"])
    files_before = stored_files(settings)
    with pytest.raises(ValidationError, match="archivé"):
        services.document_add_version(secretaire, document=document, file=upload(PNG))
    assert document.versions.count() == 1
    assert stored_files(settings) == files_before

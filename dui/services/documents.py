"""Writes of the dossier's documents: upload and new versions, one transaction each.

The file type is sniffed from the content (magic bytes), never taken from the extension or
the browser's content type. Files are stored by content hash under
``documents/<essms>/<sha[:2]>/<sha>.<ext>``; a file written by a call that then fails is
removed before the error propagates, so bad input leaves neither a row nor a file.
"""

import hashlib
import os
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from pypdf import PdfReader

from dui import audit
from dui.actor import user_of
from dui.catalogue import WRITE
from dui.models import AccessAction, Document, DocumentClass, DocumentVersion, Usager, User
from dui.models.documents import version_path
from dui.permissions import can
from dui.services.common import refuse_archived

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

# (magic bytes at offset 0, MIME type, label)
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)
EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
ACCEPT_ATTRIBUTE = ".pdf,.jpg,.jpeg,.png"

BAD_TYPE = "Type de fichier non accepté : seuls les PDF, JPEG et PNG sont acceptés."
EMPTY = "Le fichier est vide."
BROKEN_PDF = "Ce PDF est illisible (fichier tronqué ou endommagé) : enregistrez-le ou numérisez-le à nouveau."
ENCRYPTED_PDF = "Ce PDF est protégé par un mot de passe : déposez une version sans protection."
FUTURE_DATE = "La date du document ne peut pas être dans le futur."
UNKNOWN_CLASS = "Classe de document inconnue."


def max_bytes() -> int:
    return int(getattr(settings, "DOCUMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def format_mo(n_bytes: int) -> str:
    """A size in Mo, French style: 20 → "20", 0.5 → "0,5", 1.25 → "1,25"."""
    value = n_bytes / (1024 * 1024)
    text = f"{value:.2f}".rstrip("0").rstrip(".") if value >= 0.01 else f"{value:.2g}"
    return text.replace(".", ",")


def too_large_message(size: int | None = None) -> str:
    limit = f"la taille maximale est de {format_mo(max_bytes())} Mo"
    if size is None:
        return f"Le fichier est trop volumineux : {limit}."
    return f"Le fichier est trop volumineux ({format_mo(size)} Mo) : {limit}."


def sniff_mime_type(head: bytes) -> str | None:
    """The accepted MIME type whose signature starts `head`, or None."""
    for magic, mime_type in SIGNATURES:
        if head.startswith(magic):
            return mime_type
    return None


def check_pdf(file) -> None:
    """A file that starts like a PDF must also open as one (pypdf): a truncated or fake PDF
    would be stored, hashed and later fail to open in front of the doctor."""
    try:
        reader = PdfReader(file, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):  # an owner-only password still opens
            raise ValidationError({"file": ENCRYPTED_PDF})
        if len(reader.pages) < 1:
            raise ValidationError({"file": BROKEN_PDF})
    except ValidationError:
        raise
    except Exception as error:  # pypdf raises many types on damaged files (PdfReadError, ValueError, KeyError…)
        raise ValidationError({"file": BROKEN_PDF}) from error
    finally:
        file.seek(0)


@dataclass(frozen=True)
class Inspected:
    mime_type: str
    size: int
    sha256: str


def inspect_file(file) -> Inspected:
    """Type (sniffed), size and SHA-256 of an uploaded file, read in chunks; ValidationError if refused."""
    if file is None:
        raise ValidationError({"file": "Choisissez un fichier (PDF, JPEG ou PNG)."})
    limit = max_bytes()
    declared = getattr(file, "size", None)
    if declared is not None and declared > limit:
        raise ValidationError({"file": too_large_message(declared)})
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    if not head:
        raise ValidationError({"file": EMPTY})
    mime_type = sniff_mime_type(head)
    if mime_type is None:
        raise ValidationError({"file": BAD_TYPE})
    digest = hashlib.sha256()
    size = 0
    for chunk in file.chunks():
        size += len(chunk)
        if size > limit:
            raise ValidationError({"file": too_large_message()})
        digest.update(chunk)
    file.seek(0)
    if mime_type == "application/pdf":
        check_pdf(file)
    return Inspected(mime_type=mime_type, size=size, sha256=digest.hexdigest())


def display_name(original: str, mime_type: str) -> str:
    """The uploaded name without its path, with the extension matching the sniffed type, ≤ 255 chars."""
    base = os.path.basename((original or "").replace("\\", "/")).strip() or "document"
    stem, extension = os.path.splitext(base)
    wanted = EXTENSIONS[mime_type]
    if extension.lower().lstrip(".") not in ({"jpg", "jpeg"} if wanted == "jpg" else {wanted}):
        stem, extension = base, f".{wanted}"
    return f"{stem[: 255 - len(extension)]}{extension}"


class _StoredFiles:
    """Files this call wrote to storage, removed again if the call fails."""

    def __init__(self):
        self.names: list[str] = []

    def discard(self) -> None:
        storage = DocumentVersion._meta.get_field("file").storage
        for name in self.names:
            storage.delete(name)
        self.names.clear()


def _store_version(
    *, document: Document, number: int, file, inspected: Inspected, actor: User, stored: _StoredFiles
) -> DocumentVersion:
    version = DocumentVersion(
        document=document,
        number=number,
        original_name=display_name(getattr(file, "name", ""), inspected.mime_type),
        mime_type=inspected.mime_type,
        size=inspected.size,
        sha256=inspected.sha256,
        uploaded_by=user_of(actor),
    )
    storage = DocumentVersion._meta.get_field("file").storage
    name = version_path(version, version.original_name)
    if storage.exists(name):
        # Content-addressed: the same bytes are already stored for this ESSMS.
        version.file.name = name
    else:
        file.seek(0)
        version.file.name = storage.save(name, file)
        stored.names.append(version.file.name)
    version.full_clean(exclude=["document", "uploaded_by"])
    version.save()
    return version


def _check_dossier_open(usager: Usager) -> None:
    refuse_archived(usager)


def _class_for_upload(code: str) -> DocumentClass:
    document_class = DocumentClass.objects.filter(code=code).first() if code else None
    if document_class is None:
        raise ValidationError({"document_class": UNKNOWN_CLASS})
    if not document_class.holds_personal_data:
        raise ValidationError(
            {"document_class": f"La classe « {document_class.label} » ne peut pas recevoir de document d'un usager."}
        )
    return document_class


def _check_fields(document: Document) -> None:
    errors = {}
    if not document.title:
        errors["title"] = "Le titre du document est obligatoire."
    if document.document_date is None:
        errors["document_date"] = "La date du document est obligatoire."
    elif document.document_date > timezone.localdate():
        errors["document_date"] = FUTURE_DATE
    if errors:
        raise ValidationError(errors)


def _refuse_write(document_class: DocumentClass) -> PermissionDenied:
    return PermissionDenied(
        f"Votre métier ne permet pas d'ajouter un document de la classe « {document_class.label} » à ce dossier."
    )


def document_upload(
    actor,
    *,
    usager: Usager,
    document_class_code: str,
    title: str,
    document_date,
    source: str = "",
    file,
) -> Document:
    """A new document of the dossier with its version 1. Refused input writes nothing, on disk neither."""
    stored = _StoredFiles()
    try:
        with transaction.atomic():
            _check_dossier_open(usager)
            document_class = _class_for_upload(document_class_code)
            document = Document(
                essms_id=usager.essms_id,
                usager=usager,
                document_class=document_class,
                title=(title or "").strip(),
                document_date=document_date,
                source=(source or "").strip(),
                created_by=user_of(actor),
            )
            if not can(actor, WRITE, document):
                raise _refuse_write(document_class)
            _check_fields(document)
            document.full_clean(exclude=["essms", "usager", "document_class", "created_by"])
            inspected = inspect_file(file)
            document.save()
            version = _store_version(
                document=document, number=1, file=file, inspected=inspected, actor=actor, stored=stored
            )
            audit.log_access(
                actor,
                AccessAction.CREATE,
                document,
                detail=f"document déposé (version 1, {version.mime_type}, {version.size} octets)",
            )
    except BaseException:
        stored.discard()
        raise
    return document


def document_add_version(actor, *, document: Document, file) -> DocumentVersion:
    """Version N+1 of a document; the same bytes as the current version are refused."""
    stored = _StoredFiles()
    try:
        with transaction.atomic():
            locked = (
                Document.objects.select_for_update()
                .select_related("usager", "document_class")
                .filter(pk=document.pk)
                .first()
            )
            if locked is None:
                raise ValidationError("Ce document n'existe plus.")
            _check_dossier_open(locked.usager)
            if not can(actor, WRITE, locked):
                raise _refuse_write(locked.document_class)
            inspected = inspect_file(file)
            current = locked.versions.order_by("-number").first()
            if current is not None and current.sha256 == inspected.sha256:
                raise ValidationError(
                    {
                        "file": f"Ce fichier est identique à la version actuelle (version {current.number}) : "
                        "aucune nouvelle version n'a été ajoutée."
                    }
                )
            number = current.number + 1 if current is not None else 1
            version = _store_version(
                document=locked,
                number=number,
                file=file,
                inspected=inspected,
                actor=actor,
                stored=stored,
            )
            audit.log_access(
                actor,
                AccessAction.CREATE,
                locked,
                detail=f"version {number} ajoutée ({version.mime_type}, {version.size} octets)",
            )
    except BaseException:
        stored.discard()
        raise
    return version

"""Reads of the dossier's documents, scoped to the dossiers the user reaches and filtered by the matrix."""

from django.db.models import Count, QuerySet

from dui import audit
from dui.catalogue import READ, TIER_LABELS, WRITE
from dui.errors import NotFound
from dui.models import AccessAction, Document, DocumentClass, DocumentVersion, Usager
from dui.permissions import can, rights_of
from dui.selectors import usagers_for_user


def class_codes_for_user(actor, action: str = READ) -> set[str]:
    """Codes of the document classes the user's métier may `action` (matrix of the active OG)."""
    return {code for code, actions in rights_of(actor).items() if action in actions}


def documents_for_user(actor, *, usager_id: int | None = None) -> QuerySet[Document]:
    """Documents of the reachable dossiers whose class the métier may read, newest first."""
    codes = class_codes_for_user(actor, READ)
    if not codes:
        return Document.objects.none()
    qs = Document.objects.filter(usager__in=usagers_for_user(actor, READ), document_class__code__in=codes)
    if usager_id is not None:
        qs = qs.filter(usager_id=usager_id)
    return qs.select_related("document_class", "created_by", "usager").annotate(version_count=Count("versions"))


def documents_for_usager(actor, *, usager: Usager) -> QuerySet[Document]:
    """Readable documents of one dossier already reached through `access_usager`."""
    codes = class_codes_for_user(actor, READ)
    if not codes or not can(actor, READ, usager):
        return Document.objects.none()
    return (
        Document.objects.filter(essms_id=usager.essms_id, usager_id=usager.pk, document_class__code__in=codes)
        .select_related("document_class", "created_by")
        .annotate(version_count=Count("versions"))
        .order_by("-document_date", "-id")
    )


def access_document(actor, *, usager: Usager, pk, action: str = READ) -> Document:
    """One document of this dossier, or 404 when missing, of another dossier, or of a class out of reach."""
    document = (
        Document.objects.filter(pk=pk, usager_id=usager.pk, essms_id=usager.essms_id)
        .select_related("document_class", "created_by", "usager__essms")
        .first()
    )
    if document is None or not can(actor, action, document):
        raise NotFound
    return document


def versions_of(document: Document) -> QuerySet[DocumentVersion]:
    return document.versions.select_related("uploaded_by").order_by("-number")


def document_version(document: Document, number=None) -> DocumentVersion:
    """The requested version (a number, as text or int) or the current one; 404 if absent or without file."""
    qs = document.versions.all()
    if number in (None, ""):
        version = qs.order_by("-number").first()
    else:
        try:
            number = int(number)
            version = qs.filter(number=number).first() if 0 < number < 2**31 else None
        except (TypeError, ValueError):
            version = None
    if version is None or not version.file:
        raise NotFound
    return version


def writable_document_classes(actor) -> list[DocumentClass]:
    """Classes holding personal data the métier may write, in catalogue order."""
    codes = class_codes_for_user(actor, WRITE)
    if not codes:
        return []
    return list(DocumentClass.objects.filter(code__in=codes, holds_personal_data=True).order_by("position"))


def grouped_by_tier(items, tier_of) -> list[tuple[str, list]]:
    """[(tier label, [items…])…] in catalogue tier order, keeping the order of `items` inside a tier."""
    groups: dict[str, list] = {tier: [] for tier in TIER_LABELS}
    for item in items:
        groups.setdefault(tier_of(item), []).append(item)
    return [(TIER_LABELS.get(tier, tier), members) for tier, members in groups.items() if members]


def document_classes_present(actor, *, usager: Usager) -> list[tuple[str, str]]:
    """(code, label) of the classes of the readable documents of one dossier, in catalogue order."""
    return list(
        documents_for_usager(actor, usager=usager)
        .order_by("document_class__position")
        .values_list("document_class__code", "document_class__label")
        .distinct()
    )


def documents_page(actor, *, usager: Usager, document_class_code: str = "") -> list[Document]:
    """The readable documents of one dossier (of one class when chosen), logged as read."""
    documents = documents_for_usager(actor, usager=usager)
    if document_class_code:
        documents = documents.filter(document_class__code=document_class_code)
    documents = list(documents)
    audit.log_reads(actor, documents, detail="liste des documents")
    return documents


def document_page(actor, *, usager: Usager, pk) -> Document:
    """The document a detail page shows, logged as read."""
    document = access_document(actor, usager=usager, pk=pk)
    audit.log_access(actor, AccessAction.READ, document)
    return document


def version_delivered(actor, document: Document, number=None, *, attachment: bool = True) -> DocumentVersion:
    """The version whose content is sent (downloaded or viewed), logged as read of its document."""
    version = document_version(document, number)
    verb = "téléchargée" if attachment else "consultée"
    audit.log_access(actor, AccessAction.READ, document, detail=f"version {version.number} {verb}")
    return version


def readable_document(actor, pk, *, usager_id: int | None = None) -> Document:
    """API: one readable document of the reachable dossiers, or NotFound."""
    document = documents_for_user(actor, usager_id=usager_id).filter(pk=pk).first()
    if document is None or not can(actor, READ, document):
        raise NotFound
    return document

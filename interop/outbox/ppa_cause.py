"""A validated projet personnalisé leaves the establishment: its PDF is stored as a document of the
dossier (class "ppa", LOINC 80788-3) and queued to the DMP and the médecin traitant, all inside the
agreement's transaction: a failure here refuses the agreement rather than losing the sending."""

from django.core.files.base import ContentFile

from dui.models import Document, DocumentVersion
from dui.services.documents import document_upload
from interop.outbox.models import Delivery, DeliveryCause
from interop.outbox.services import queue_for_cause
from ppa.models import Projet, ProjetVersion
from ppa.pdf import projet_pdf_filename, render_projet_pdf

PPA_CLASS = "ppa"


def source_of(projet: Projet, version: ProjetVersion) -> str:
    """The document's source names the validated version: the key that keeps one document per version."""
    return f"Projet personnalisé n° {projet.pk}, version {version.number} validée"


def validated_ppa_store(actor, *, projet: Projet, version: ProjetVersion) -> tuple[DocumentVersion, list[Delivery]]:
    """Store the PDF of the agreed version once, then queue what it owes; a second call queues nothing new."""
    source = source_of(projet, version)
    document = Document.objects.filter(
        essms_id=projet.essms_id, usager_id=version.usager_id, document_class__code=PPA_CLASS, source=source
    ).first()
    if document is None:
        pdf = render_projet_pdf(actor, version)
        document = document_upload(
            actor,
            usager=version.usager,
            document_class_code=PPA_CLASS,
            title=f"Projet personnalisé – version {version.number}",
            document_date=version.agreement_on,
            source=source,
            file=ContentFile(pdf, name=projet_pdf_filename(version)),
        )
    stored = document.versions.order_by("-number").first()
    return stored, queue_for_cause(actor, document=document, version=stored, cause=DeliveryCause.PPA)

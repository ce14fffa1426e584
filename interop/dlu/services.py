"""Writes of the DLU: each generation is a new version of the dossier's Document of class "dlu",
stored through dui's document services (hash, author, date), with its checklist and sources.

`dlu_generated` is sent inside the generation's transaction: the outbox queues its deliveries
there, so a DLU is never stored without them nor they without it.
"""

import logging

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from dui import audit
from dui.actor import Actor, user_of
from dui.catalogue import WRITE
from dui.models import AccessAction, Document, Membership, SejourStatus, Usager
from dui.permissions import can, require
from dui.selectors.medical import DossierSection
from dui.services.common import refuse_archived
from dui.services.documents import document_add_version, document_upload
from interop.dlu.builder import build_dlu
from interop.dlu.checklist import missing_items
from interop.dlu.models import DluGeneration
from interop.dlu.pdf import dlu_pdf
from interop.dlu.signals import dlu_generated

logger = logging.getLogger(__name__)

DLU_CLASS = "dlu"
DLU_TITLE = "Dossier de liaison d'urgence (DLU)"
PRE_ADMISSION = (
    "Ce dossier est en pré-admission : le DLU est établi à partir de l'admission, quand le dossier est complet."
)
ARCHIVED = "Ce dossier est archivé : on ne génère plus de DLU pour une personne sortie."


def refuse_dlu(usager: Usager) -> None:
    """A DLU is for a person currently accompanied: never for an archived or pré-admission dossier."""
    if usager.archived_at is not None:
        raise ValidationError(ARCHIVED, code="archived")
    statuses = set(usager.sejours.values_list("status", flat=True))
    if SejourStatus.PRE_ADMISSION in statuses and SejourStatus.ACTIVE not in statuses:
        raise ValidationError(PRE_ADMISSION, code="pre_admission")
    refuse_archived(usager)


def _author(actor) -> str:
    user = user_of(actor)
    name = user.get_full_name() or user.get_username()
    membership = getattr(user, "membership", None)
    return f"{name} ({membership.get_metier_display()})" if membership else name


def dlu_generate(actor, *, usager: Usager, automatic: bool = False) -> DluGeneration:
    """Build, render and store a new DLU version; refused for an archived or pré-admission dossier."""
    require(actor, WRITE, DossierSection(usager, DLU_CLASS))
    refuse_dlu(usager)
    content = build_dlu(usager)
    missing = [item.as_dict() for item in missing_items(usager, content)]
    with transaction.atomic():
        locked = Usager.objects.select_for_update().get(pk=usager.pk)
        document = (
            Document.objects.select_for_update()
            .filter(essms_id=locked.essms_id, usager=locked, document_class__code=DLU_CLASS)
            .order_by("pk")
            .first()
        )
        last = document.versions.order_by("-number").first() if document else None
        number = last.number + 1 if last else 1
        now = timezone.now()
        pdf = dlu_pdf(content.data, number=number, generated_at=timezone.localtime(now), author=_author(actor),
                      missing=missing)  # fmt: skip
        upload = ContentFile(pdf, name=f"dlu-{slugify(str(locked))}-v{number}.pdf")
        if document is None:
            document = document_upload(
                actor,
                usager=locked,
                document_class_code=DLU_CLASS,
                title=DLU_TITLE,
                document_date=timezone.localdate(),
                source="Généré depuis le dossier",
                file=upload,
            )
            version = document.versions.get()
        else:
            version = document_add_version(actor, document=document, file=upload)
            Document.objects.filter(pk=document.pk).update(document_date=timezone.localdate())
        generation = DluGeneration.objects.create(
            essms_id=locked.essms_id,
            usager=locked,
            version=version,
            content_hash=content.fingerprint,
            layout=content.data["layout"],
            missing=missing,
            sources=content.sources,
            automatic=automatic,
        )
        audit.log_access(
            actor,
            AccessAction.CREATE,
            generation,
            detail=f"DLU version {version.number} généré{' automatiquement' if automatic else ''}",
        )
        dlu_generated.send(sender=DluGeneration, usager=locked, document=document, version=version, actor=actor)
    return generation


def _regeneration_actor(usager: Usager, last: DluGeneration) -> Actor | None:
    """The queued regeneration acts for the author of the last version, in this ESSMS, if they still may."""
    user = last.version.uploaded_by
    membership = Membership.objects.active().filter(user=user, essms_id=usager.essms_id).first()
    if membership is None or not user.is_active:
        return None
    actor = Actor.for_task(user, membership)
    return actor if can(actor, WRITE, DossierSection(usager, DLU_CLASS)) else None


def dlu_refresh(usager_id: int) -> DluGeneration | None:
    """Regenerate the DLU of a dossier whose sources changed, if it has one and its content differs.

    Idempotent: a second run with nothing new stores nothing. A dossier never generated, archived or
    in pré-admission is left alone; so is one whose last author lost the right (logged)."""
    usager = Usager.objects.select_related("essms").filter(pk=usager_id).first()
    if usager is None:
        return None
    last = (
        DluGeneration.objects.select_related("version__uploaded_by")
        .filter(essms_id=usager.essms_id, usager=usager)
        .order_by("-created_at", "-pk")
        .first()
    )
    if last is None:
        return None
    try:
        refuse_dlu(usager)
    except ValidationError:
        return None
    if build_dlu(usager).fingerprint == last.content_hash:
        return None
    actor = _regeneration_actor(usager, last)
    if actor is None:
        logger.warning(
            "DLU du dossier %s non régénéré : l'auteur de la dernière version n'en a plus le droit.", usager_id
        )
        return None
    return dlu_generate(actor, usager=usager, automatic=True)

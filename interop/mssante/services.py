"""Writes of the MSSanté inbox: store every received message first, then file it by INS when the INS is
qualified and known in this ESSMS, else leave it "à rapprocher" with the reason.

Automatic filing acts as the ESSMS's technical MSSanté account (`mssante-<finess>`, secrétaire
médicale rights, no password) so that it goes through dui's document services like a person's
filing: sniffing, size limit, rights, audit. An INS found only in another ESSMS is not looked
for there: the message simply waits here, and nothing tells that the person exists elsewhere."""

import hashlib

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from dui import audit
from dui.actor import Actor, user_of
from dui.catalogue import LOINC_CODES
from dui.ins import IdentityStatus
from dui.models import AccessAction, Document, Essms, Membership, Metier, Referent, Usager, User
from dui.services.documents import document_upload
from interop.mssante.models import InboxItem, InboxState
from interop.mssante.reader import Received, read_message
from transmissions.services.messages import message_send

DEFAULT_CLASS = "cr_consultation"
CLASS_OF_LOINC = {code: class_code for class_code, (code, _label) in LOINC_CODES.items()}
BIRTH_DATE_DIFFERS = "INS connu dans l'établissement mais la date de naissance diffère : vérifiez l'identité."
ALREADY_FILED = "Ce message a déjà été classé."
NO_PDF_TO_FILE = "Ce message ne contient pas de PDF à classer."
NOT_IN_ESSMS = "Choisissez un usager de votre établissement."
RAW_MISSING = "Le message reçu est introuvable dans le stockage : prévenez l'administrateur."


def mssante_actor(essms: Essms) -> Actor:
    """The ESSMS's technical account that files received documents (created on first use)."""
    user, created = User.objects.get_or_create(username=f"mssante-{essms.finess}", defaults={"is_partner_system": True})
    if created:
        user.set_unusable_password()
        user.last_name = "Messagerie sécurisée"
        user.save(update_fields=["password", "last_name"])
    membership = Membership.objects.active().filter(user=user, essms=essms).first()
    if membership is None:
        membership = Membership.objects.create(user=user, essms=essms, metier=Metier.SECRETAIRE_MEDICALE)
    return Actor.for_task(user, membership)


def class_for(type_code: str) -> str:
    return CLASS_OF_LOINC.get(type_code, DEFAULT_CLASS)


def _store(essms: Essms, raw: bytes, received: Received, source: str) -> tuple[InboxItem, bool]:
    digest = hashlib.sha256(raw).hexdigest()
    message_id = received.message_id or f"sha256:{digest}"
    existing = InboxItem.objects.filter(essms=essms, message_id=message_id).first()
    if existing is not None:
        return existing, False
    item = InboxItem(
        essms=essms,
        message_id=message_id,
        source=source,
        sender=received.sender,
        subject=received.subject,
        problem=received.problem,
        ins=received.ins[:15],
        family=received.family[:100],
        given=received.given[:200],
        birth_date=received.birth_date,
        sex=received.sex,
        type_code=received.type_code[:20],
        document_date=received.document_date,
        author=received.author,
        title=received.title,
    )
    item.raw.save(f"{essms.pk}/{digest}.eml", ContentFile(raw), save=False)
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:  # the same message read twice at once
        return InboxItem.objects.get(essms=essms, message_id=message_id), False
    return item, True


def inbox_receive(essms: Essms, raw: bytes, *, source: str) -> InboxItem:
    """Keep a received message (idempotent by Message-ID), then file it when its INS says whose it is."""
    received = read_message(raw)
    item, created = _store(essms, raw, received, source)
    if not created or item.problem or not item.ins:
        return item
    usager = (
        Usager.objects.filter(
            essms=essms,
            ins_matricule=item.ins,
            identity_status=IdentityStatus.QUALIFIEE,
            archived_at__isnull=True,
            merged_into__isnull=True,
        )
        .order_by("pk")
        .first()
    )
    if usager is None:
        return item
    if item.birth_date and item.birth_date != usager.birth_date:
        InboxItem.objects.filter(pk=item.pk).update(problem=BIRTH_DATE_DIFFERS)
        item.problem = BIRTH_DATE_DIFFERS
        return item
    actor = mssante_actor(essms)
    try:
        _file(actor, item, usager, received)
    except ValidationError as error:
        item.refresh_from_db()
        item.problem = "; ".join(error.messages)[:300]
        InboxItem.objects.filter(pk=item.pk).update(problem=item.problem)
        return item
    _notify_referents(actor, item, usager)
    return item


def _file(actor, item: InboxItem, usager: Usager, received: Received) -> Document:
    if received.pdf is None:
        raise ValidationError({"file": NO_PDF_TO_FILE})
    with transaction.atomic():
        locked = InboxItem.objects.select_for_update().get(pk=item.pk)
        if locked.state == InboxState.FILED:
            raise ValidationError(ALREADY_FILED)
        today = timezone.localdate()
        document_date = item.document_date if item.document_date and item.document_date <= today else today
        title = item.title or item.subject or "Document reçu par messagerie sécurisée"
        document = document_upload(
            actor,
            usager=usager,
            document_class_code=class_for(item.type_code),
            title=title[:200],
            document_date=document_date,
            source=(item.author or item.sender)[:200],
            file=ContentFile(received.pdf, name=received.pdf_name or "document.pdf"),
        )
        locked.state = InboxState.FILED
        locked.problem = ""
        locked.filed_document = document
        locked.filed_by = user_of(actor)
        locked.filed_at = timezone.now()
        locked.save(update_fields=["state", "problem", "filed_document", "filed_by", "filed_at"])
        audit.log_access(actor, AccessAction.UPDATE, document, detail=f"message reçu classé ({item.message_id[:80]})")
    item.refresh_from_db()
    return document


def _notify_referents(actor, item: InboxItem, usager: Usager) -> None:
    today = timezone.localdate()
    users = list(
        Referent.objects.filter(usager=usager, starts_on__lte=today)
        .exclude(ends_on__lt=today)
        .values_list("user_id", flat=True)
    )
    if not users:
        return
    try:
        message_send(
            actor,
            subject=f"Document reçu pour {usager.birth_name} {usager.first_names.split()[0]}"[:120],
            body=f"« {item.title or item.subject} » a été reçu par messagerie sécurisée et classé dans le dossier.",
            users=users,
        )
    except ValidationError:
        pass  # référent gone from the ESSMS: the document is filed, the notice has nobody to go to


def inbox_file(actor, *, item: InboxItem, usager: Usager) -> Document:
    """The secrétaire files a waiting message into a dossier of her ESSMS (one click from the queue)."""
    if usager.essms_id != item.essms_id or usager.essms_id != actor.essms_id:
        raise ValidationError({"usager": NOT_IN_ESSMS})
    try:
        with item.raw.open("rb") as handle:
            received = read_message(handle.read())
    except OSError as error:
        raise ValidationError(RAW_MISSING) from error
    document = _file(actor, item, usager, received)
    _notify_referents(actor, item, usager)
    return document

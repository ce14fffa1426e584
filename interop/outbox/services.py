"""Writes of the outbox: queue a delivery with its cause, deliver it, retry a dead letter, sweep what is due.

A delivery is claimed under a lease (state "sending" until `lease_until`): a worker killed while
sending leaves a row the sweeper gives back once the lease has passed, recorded as an interrupted
attempt. Backoff doubles from OUTBOX_BACKOFF_SECONDS; after OUTBOX_MAX_ATTEMPTS failures the row is a
dead letter until someone presses "renvoyer"."""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from dui import audit
from dui.actor import user_of
from dui.catalogue import READ
from dui.models import AccessAction, Contact, ContactRole, Document, DocumentVersion
from dui.permissions import require
from dui.services.common import refuse_archived
from interop.cda.codes import CONFIDENTIALITY_LEVELS, MASKING_FLAGS
from interop.connectors.base import Rejected, TransientError
from interop.connectors.registry import connector_for
from interop.outbox import rules
from interop.outbox.dispatch import enqueue
from interop.outbox.models import (
    AttemptOutcome,
    Connector,
    Delivery,
    DeliveryAttempt,
    DeliveryCause,
    DeliveryState,
)
from interop.outbox.package import package_of

logger = logging.getLogger(__name__)

ALREADY_QUEUED = "Ce document est déjà dans les envois vers ce destinataire."
NOT_DEAD = "Seul un envoi en échec peut être renvoyé."
INTERRUPTED = "Tentative interrompue (le traitement s'est arrêté pendant l'envoi) : reprise automatique."


def max_attempts() -> int:
    return int(getattr(settings, "OUTBOX_MAX_ATTEMPTS", 8))


def backoff(attempt_count: int) -> datetime.timedelta:
    base = float(getattr(settings, "OUTBOX_BACKOFF_SECONDS", 60))
    return datetime.timedelta(seconds=min(base * 2 ** max(attempt_count - 1, 0), 6 * 3600))


def lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=float(getattr(settings, "OUTBOX_LEASE_SECONDS", 300)))


def _refusal(document: Document, connector: str, recipient: str) -> str | None:
    reason = rules.class_refusal(document.document_class.code)
    if reason:
        return reason
    if connector == Connector.DMP:
        return rules.dmp_refusal(document.usager)
    if connector == Connector.MSSANTE:
        return rules.mssante_refusal(recipient)
    return "Connecteur inconnu."


def _create(
    actor, *, document: Document, version: DocumentVersion, connector: str, recipient: str, cause: str,
    confidentiality: str, masking: tuple[str, ...],
) -> Delivery:  # fmt: skip
    delivery = Delivery.objects.create(
        essms_id=document.essms_id,
        usager_id=document.usager_id,
        document=document,
        version=version,
        connector=connector,
        recipient=recipient,
        cause=cause,
        confidentiality=confidentiality,
        masking=",".join(masking),
        next_attempt_at=timezone.now(),
        created_by=user_of(actor),
    )
    target = "DMP" if connector == Connector.DMP else recipient
    audit.log_access(actor, AccessAction.EXPORT, delivery, detail=f"envoi {target} mis en file ({cause})")
    transaction.on_commit(lambda: enqueue(delivery.pk))
    return delivery


@transaction.atomic
def delivery_queue(
    actor,
    *,
    document: Document,
    connector: str,
    recipient: str = "",
    confidentiality: str = "N",
    masking: tuple[str, ...] | list[str] = (),
    cause: str = DeliveryCause.MANUAL,
) -> Delivery:
    """Mark a document "à envoyer" to the DMP or an MSSanté address; refused input queues nothing."""
    require(actor, READ, document)
    refuse_archived(document.usager)
    recipient = (recipient or "").strip().lower() if connector == Connector.MSSANTE else ""
    masking = tuple(dict.fromkeys(masking))
    if confidentiality not in CONFIDENTIALITY_LEVELS:
        raise ValidationError({"confidentiality": "Niveau de confidentialité inconnu (N, R ou V)."})
    unknown = [flag for flag in masking if flag not in MASKING_FLAGS]
    if unknown:
        raise ValidationError({"masking": f"Masquage inconnu : {', '.join(unknown)}."})
    if masking and connector != Connector.DMP:
        raise ValidationError({"masking": "Les masquages ne s'appliquent qu'aux envois au DMP."})
    reason = _refusal(document, connector, recipient)
    if reason:
        raise ValidationError({"connector" if connector == Connector.DMP else "recipient": reason})
    version = document.versions.order_by("-number").first()
    if version is None or version.mime_type != "application/pdf":
        raise ValidationError({"document": "Seul un document PDF peut être envoyé."})
    if Delivery.objects.filter(version=version, connector=connector, recipient=recipient).exists():
        raise ValidationError({"document": ALREADY_QUEUED})
    return _create(
        actor, document=document, version=version, connector=connector, recipient=recipient, cause=cause,
        confidentiality=confidentiality, masking=masking,
    )  # fmt: skip


def address_book(usager) -> list[Contact]:
    """The dossier's professionals that can receive by MSSanté: médecin traitant and outside partners."""
    contacts = Contact.objects.filter(
        usager=usager,
        ended_at__isnull=True,
        role__in=[ContactRole.MEDECIN_TRAITANT, ContactRole.PROFESSIONNEL_EXTERNE],
    ).exclude(email="")
    return [c for c in contacts if rules.mssante_refusal(c.email) is None]


def queue_for_cause(actor, *, document: Document, version: DocumentVersion, cause: str) -> list[Delivery]:
    """Deliveries a generated DLU or a validated PPA owes: the DMP when allowed, and the médecin traitant's
    MSSanté box. Called inside the cause's transaction; what is not allowed is not queued (the dossier's
    documents page says why)."""
    if rules.class_refusal(document.document_class.code) or version.mime_type != "application/pdf":
        return []
    wanted = []
    if rules.dmp_refusal(document.usager) is None:
        wanted.append((Connector.DMP, ""))
    for contact in address_book(document.usager):
        if contact.role == ContactRole.MEDECIN_TRAITANT:
            wanted.append((Connector.MSSANTE, contact.email.strip().lower()))
    created = []
    for connector, recipient in dict.fromkeys(wanted):
        if not Delivery.objects.filter(version=version, connector=connector, recipient=recipient).exists():
            created.append(
                _create(
                    actor,
                    document=document,
                    version=version,
                    connector=connector,
                    recipient=recipient,
                    cause=cause,
                    confidentiality="N",
                    masking=(),
                )
            )
    return created


def _claim(delivery_id: int) -> Delivery | None:
    """Take the row for this worker, or None when it is not due, delivered or held by a live lease."""
    now = timezone.now()
    with transaction.atomic():
        row = (
            Delivery.objects.select_for_update(skip_locked=True)
            .select_related("document__document_class", "document__created_by", "usager", "essms", "version")
            .filter(pk=delivery_id)
            .first()
        )
        if row is None or row.state in (DeliveryState.DELIVERED, DeliveryState.DEAD):
            return None
        if row.state == DeliveryState.SENDING:
            if row.lease_until and row.lease_until > now:
                return None
            _record(row, started=row.lease_until - lease() if row.lease_until else now, outcome=AttemptOutcome.FAILED,
                    message=INTERRUPTED)  # fmt: skip
        elif row.next_attempt_at and row.next_attempt_at > now:
            return None
        row.state = DeliveryState.SENDING
        row.attempt_count += 1
        row.lease_until = now + lease()
        row.save(update_fields=["state", "attempt_count", "lease_until"])
        return row


def _record(row: Delivery, *, started, outcome: str, message: str) -> None:
    DeliveryAttempt.objects.create(
        delivery=row,
        essms_id=row.essms_id,
        number=row.attempt_count,
        connector=row.connector,
        started_at=started,
        finished_at=timezone.now(),
        outcome=outcome,
        partner_message=message[:1000],
    )


def delivery_deliver(delivery_id: int) -> float | None:
    """One attempt. Returns the delay before the next attempt when one is owed, else None."""
    row = _claim(delivery_id)
    if row is None:
        return None
    started = timezone.now()
    try:
        outcome = connector_for(row.connector).send(package_of(row))
    except TransientError as error:
        return _failed(row, started, str(error), final=False)
    except Rejected as error:
        return _failed(row, started, str(error), final=True)
    except Exception as error:  # a bug or a missing file: never lose the row, keep the reason
        logger.exception("Envoi %s", row.pk)
        return _failed(row, started, f"Erreur interne : {error.__class__.__name__}", final=False)
    with transaction.atomic():
        row.state = DeliveryState.DELIVERED
        row.delivered_at = timezone.now()
        row.lease_until = None
        row.partner_reference = outcome.reference[:200]
        row.last_error = ""
        row.save(update_fields=["state", "delivered_at", "lease_until", "partner_reference", "last_error"])
        _record(
            row, started=started, outcome=AttemptOutcome.ALREADY if outcome.already else AttemptOutcome.DELIVERED,
            message=outcome.message,
        )  # fmt: skip
    return None


def _failed(row: Delivery, started, message: str, *, final: bool) -> float | None:
    with transaction.atomic():
        _record(row, started=started, outcome=AttemptOutcome.REJECTED if final else AttemptOutcome.FAILED,
                message=message)  # fmt: skip
        row.last_error = message[:500]
        row.lease_until = None
        if final or row.attempt_count >= max_attempts():
            row.state = DeliveryState.DEAD
            row.next_attempt_at = None
            delay = None
        else:
            wait = backoff(row.attempt_count)
            row.state = DeliveryState.PENDING
            row.next_attempt_at = timezone.now() + wait
            delay = wait.total_seconds()
        row.save(update_fields=["state", "last_error", "lease_until", "next_attempt_at"])
    return delay


@transaction.atomic
def delivery_retry(actor, *, delivery: Delivery) -> Delivery:
    """ "Renvoyer": a dead letter goes back to the queue with a fresh count of attempts."""
    row = Delivery.objects.select_for_update().get(pk=delivery.pk)
    require(actor, READ, row.document)
    if row.state != DeliveryState.DEAD:
        raise ValidationError({"state": NOT_DEAD})
    row.state = DeliveryState.PENDING
    row.attempt_count = 0
    row.next_attempt_at = timezone.now()
    row.save(update_fields=["state", "attempt_count", "next_attempt_at"])
    audit.log_access(actor, AccessAction.UPDATE, row, detail="envoi relancé (renvoyer)")
    transaction.on_commit(lambda: enqueue(row.pk))
    return row


def outbox_sweep(limit: int = 500) -> int:
    """Enqueue what is due: pending rows whose time has come and rows whose lease has expired."""
    now = timezone.now()
    due = list(
        Delivery.objects.filter(
            Q(state=DeliveryState.PENDING, next_attempt_at__lte=now)
            | Q(state=DeliveryState.SENDING, lease_until__lte=now)
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(1 for pk in due if enqueue(pk))

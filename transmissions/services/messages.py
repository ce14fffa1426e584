"""Internal messages and notes de service: sending (audience expanded into recipients), opening, approving.

Messages are scoped by ESSMS (the sender's active one) and by recipient; they are not part of a
person's dossier, so the habilitation matrix does not apply. Notes de service are sent by the
management métiers only; plain messages by anyone with an active membership.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from dui import audit
from dui.actor import user_of
from dui.catalogue import WRITE
from dui.models import AccessAction, Metier
from dui.permissions import active_membership, can
from transmissions.models import Message, MessageKind, MessageRecipient
from transmissions.selectors.messages import reachable_members

# The matrix class of those who send a note de service (an order or an information from the management):
# by default direction, cadre de santé, qualité, administrateur and assistant de direction.
NOTE_DE_SERVICE_CLASS = "notes_de_service"
SUBJECT_MAX_LENGTH = Message._meta.get_field("subject").max_length
BODY_MAX_LENGTH = 20_000

NO_RECIPIENT = "Aucun destinataire : choisissez au moins une personne, un métier ou tout l'établissement."
NOT_A_RECIPIENT = "Vous n'êtes pas destinataire de ce message."


def may_send_note_de_service(actor) -> bool:
    return can(actor, WRITE, NOTE_DE_SERVICE_CLASS)


def _clean_ids(values: Iterable, errors: dict) -> list[int]:
    ids = []
    for value in values or ():
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = 0
        if not 0 < number < 2**63:
            errors.setdefault("users", []).append(f"Destinataire inconnu : « {value} ».")
            continue
        ids.append(number)
    return sorted(set(ids))


@transaction.atomic
def message_send(
    actor,
    *,
    subject: str,
    body: str,
    kind: str = MessageKind.MESSAGE,
    requires_ack: bool = False,
    users: Iterable = (),
    metiers: Iterable[str] = (),
    whole_essms: bool = False,
) -> Message:
    """Send a message to users, métiers and/or the whole ESSMS: one MessageRecipient per person.

    The audience is expanded now (a person who joins later does not receive it); the sender is
    never a recipient of their own message.
    """
    membership = active_membership(actor)
    if membership is None:
        raise PermissionDenied("Aucune affectation active : impossible d'envoyer un message.")
    errors: dict[str, list[str]] = {}
    subject = (subject or "").strip()
    body = (body or "").strip()
    if not subject:
        errors.setdefault("subject", []).append("L'objet du message est obligatoire.")
    elif len(subject) > SUBJECT_MAX_LENGTH:
        errors.setdefault("subject", []).append(f"L'objet ne peut pas dépasser {SUBJECT_MAX_LENGTH} caractères.")
    if not body:
        errors.setdefault("body", []).append("Le texte du message est obligatoire.")
    elif len(body) > BODY_MAX_LENGTH:
        errors.setdefault("body", []).append(f"Le message ne peut pas dépasser {BODY_MAX_LENGTH} caractères.")
    if kind not in MessageKind.values:
        errors.setdefault("kind", []).append("Type de message inconnu.")
    elif kind == MessageKind.NOTE_DE_SERVICE and not may_send_note_de_service(actor):
        errors.setdefault("kind", []).append(
            "Votre métier ne permet pas d'envoyer une note de service : envoyez un message simple."
        )
    user_ids = _clean_ids(users, errors)
    metiers = sorted({str(metier) for metier in metiers or ()})
    unknown_metiers = [metier for metier in metiers if metier not in Metier.values or metier == Metier.PARTENAIRE]
    if unknown_metiers:
        errors.setdefault("metiers", []).append(f"Métier inconnu : {', '.join(unknown_metiers)}.")

    members = reachable_members(membership.essms_id)
    chosen_users = {}
    if user_ids:
        chosen_users = {
            row["user_id"]: row
            for row in members.filter(user_id__in=user_ids).values(
                "user_id", "user__first_name", "user__last_name", "user__username"
            )
        }
        missing = [str(pk) for pk in user_ids if pk not in chosen_users]
        if missing:
            errors.setdefault("users", []).append(
                f"Destinataire inconnu dans cet établissement (identifiant {', '.join(missing)})."
            )
    if errors:
        raise ValidationError(errors)

    if whole_essms:
        audience_filter = Q()
    else:
        audience_filter = Q(user_id__in=user_ids) | Q(metier__in=metiers) if (user_ids or metiers) else None
    recipient_ids = []
    if audience_filter is not None:
        recipient_ids = sorted(
            set(
                members.filter(audience_filter)
                .exclude(user_id=user_of(actor).pk)
                .values_list("user_id", flat=True)
                .distinct()
            )
        )
    if not recipient_ids:
        raise ValidationError({"recipients": [NO_RECIPIENT]})

    audience = {
        "essms": bool(whole_essms),
        "metiers": metiers,
        "users": [
            {
                "id": pk,
                "name": f"{row['user__first_name']} {row['user__last_name']}".strip() or row["user__username"],
            }
            for pk, row in sorted(chosen_users.items())
        ],
    }
    message = Message.objects.create(
        essms_id=membership.essms_id,
        kind=kind,
        subject=subject,
        body=body,
        sender=user_of(actor),
        requires_ack=bool(requires_ack),
        audience=audience,
    )
    MessageRecipient.objects.bulk_create(
        [MessageRecipient(message=message, user_id=pk) for pk in recipient_ids], batch_size=1000
    )
    audit.log_access(
        actor,
        AccessAction.CREATE,
        message,
        detail=f"{message.get_kind_display()} à {len(recipient_ids)} destinataire(s)",
    )
    message.recipient_count = len(recipient_ids)
    return message


def _recipient_row(actor, message: Message) -> MessageRecipient:
    membership = active_membership(actor)
    if membership is None or membership.essms_id != message.essms_id:
        raise PermissionDenied(NOT_A_RECIPIENT)
    row = MessageRecipient.objects.select_for_update().filter(message=message, user=user_of(actor)).first()
    if row is None:
        raise PermissionDenied(NOT_A_RECIPIENT)
    return row


@transaction.atomic
def message_open(actor, *, message: Message) -> bool:
    """Record that a recipient opened the message (the first time only). True when newly opened.

    The sender and other readers change nothing; the reading itself is logged by `access_message`,
    the opening (a write) here.
    """
    membership = active_membership(actor)
    if membership is None or membership.essms_id != message.essms_id:
        return False
    updated = MessageRecipient.objects.filter(message=message, user=user_of(actor), opened_at__isnull=True).update(
        opened_at=timezone.now()
    )
    if updated:
        audit.log_access(actor, AccessAction.UPDATE, message, detail="ouvert")
    return bool(updated)


@transaction.atomic
def message_acknowledge(actor, *, message: Message) -> MessageRecipient:
    """'J'ai lu et j'approuve': only a recipient, only when asked, only once."""
    row = _recipient_row(actor, message)
    if not message.requires_ack:
        raise ValidationError("Ce message ne demande pas d'accusé de lecture.")
    if row.acknowledged_at is not None:
        when = timezone.localtime(row.acknowledged_at)
        raise ValidationError(f"Vous avez déjà approuvé ce message le {when:%d/%m/%Y à %H:%M}.")
    now = timezone.now()
    row.acknowledged_at = now
    fields = ["acknowledged_at"]
    if row.opened_at is None:
        row.opened_at = now
        fields.append("opened_at")
    row.save(update_fields=fields)
    audit.log_access(actor, AccessAction.UPDATE, message, detail="lu et approuvé")
    return row

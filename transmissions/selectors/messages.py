"""Reads of internal messages: scoped to the active ESSMS and to the reader (recipient or sender)."""

from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from dui import audit
from dui.actor import user_of
from dui.errors import NotFound
from dui.models import AccessAction, Membership, Metier
from dui.permissions import active_membership
from transmissions.models import Message, MessageRecipient


def reachable_members(essms_id: int):
    """Active memberships of people who can receive messages in the ESSMS (no partner systems)."""
    return (
        Membership.objects.active()
        .filter(essms_id=essms_id, user__is_active=True, user__is_partner_system=False)
        .exclude(metier=Metier.PARTENAIRE)
    )


def _essms_id(user) -> int | None:
    membership = active_membership(user)
    return membership.essms_id if membership else None


def inbox_for_user(user) -> QuerySet[MessageRecipient]:
    """The user's received messages in the active ESSMS: unread first, then the most recent."""
    essms_id = _essms_id(user)
    if essms_id is None:
        return MessageRecipient.objects.none()
    return (
        MessageRecipient.objects.filter(user=user_of(user), message__essms_id=essms_id)
        .select_related("message", "message__sender")
        .annotate(
            is_read=Case(When(opened_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
        .order_by("is_read", "-message__sent_at", "-message_id")
    )


def unread_messages_count(user) -> int:
    """Unread messages of the user in the active ESSMS (one query), for the menu."""
    essms_id = _essms_id(user)
    if essms_id is None:
        return 0
    return MessageRecipient.objects.filter(
        user=user_of(user), opened_at__isnull=True, message__essms_id=essms_id
    ).count()


def sent_by_user(user) -> QuerySet[Message]:
    """Messages the user sent from the active ESSMS, with their opened/approved counts."""
    essms_id = _essms_id(user)
    if essms_id is None:
        return Message.objects.none()
    return (
        Message.objects.filter(essms_id=essms_id, sender=user_of(user))
        .annotate(
            recipients_total=Count("recipients"),
            recipients_opened=Count("recipients", filter=Q(recipients__opened_at__isnull=False)),
            recipients_acknowledged=Count("recipients", filter=Q(recipients__acknowledged_at__isnull=False)),
        )
        .order_by("-sent_at", "-id")
    )


@dataclass
class MessageAccess:
    message: Message
    # The reader's own recipient row (None for the sender who is not a recipient).
    recipient: MessageRecipient | None
    is_sender: bool


def access_message(actor, pk, *, log: bool = False) -> MessageAccess:
    """The message if the actor sent it or received it in the active ESSMS; NotFound otherwise.
    With `log`, the reading is logged (the page or the API shows it)."""
    essms_id = _essms_id(actor)
    user = user_of(actor)
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound from None
    if essms_id is None or not 0 < pk < 2**63:
        raise NotFound
    message = (
        Message.objects.filter(essms_id=essms_id, pk=pk)
        .filter(Q(sender=user) | Q(recipients__user=user))
        .select_related("sender")
        .distinct()
        .first()
    )
    if message is None:
        raise NotFound
    recipient = MessageRecipient.objects.filter(message=message, user=user).first()
    if log:
        audit.log_access(actor, AccessAction.READ, message)
    return MessageAccess(message=message, recipient=recipient, is_sender=message.sender_id == user.pk)


@dataclass
class Receipts:
    rows: list[MessageRecipient]
    total: int
    opened: int
    acknowledged: int


def message_receipts(actor, *, message: Message) -> Receipts:
    """Who opened and who approved: for the sender only (NotFound for anybody else)."""
    if message.sender_id != user_of(actor).pk or message.essms_id != _essms_id(actor):
        raise NotFound
    rows = list(
        MessageRecipient.objects.filter(message=message)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user_id")
    )
    return Receipts(
        rows=rows,
        total=len(rows),
        opened=sum(1 for row in rows if row.opened_at),
        acknowledged=sum(1 for row in rows if row.acknowledged_at),
    )


def recipient_choices(user) -> list[tuple[int, str, str]]:
    """(user id, name, métier label) of the people the user can write to in the active ESSMS."""
    essms_id = _essms_id(user)
    if essms_id is None:
        return []
    labels = dict(Metier.choices)
    rows = (
        reachable_members(essms_id)
        .exclude(user_id=user_of(user).pk)
        .order_by("user__last_name", "user__first_name", "user_id")
        .values_list("user_id", "user__first_name", "user__last_name", "user__username", "metier")
    )
    seen: dict[int, tuple[int, str, str]] = {}
    for pk, first, last, username, metier in rows:
        if pk in seen:
            continue
        seen[pk] = (pk, f"{last} {first}".strip() or username, labels.get(metier, metier))
    return list(seen.values())


def metier_choices(user) -> list[tuple[str, str, int]]:
    """(métier code, label, member count) of the métiers present in the active ESSMS."""
    essms_id = _essms_id(user)
    if essms_id is None:
        return []
    labels = dict(Metier.choices)
    rows = reachable_members(essms_id).values("metier").annotate(people=Count("user", distinct=True)).order_by("metier")
    return sorted(
        ((row["metier"], labels.get(row["metier"], row["metier"]), row["people"]) for row in rows),
        key=lambda choice: choice[1],
    )


def audience_label(message: Message) -> str:
    """The audience the sender chose, in words: 'Tout l'établissement', métiers, names."""
    audience = message.audience or {}
    labels = dict(Metier.choices)
    parts = []
    if audience.get("essms"):
        parts.append("Tout l'établissement")
    parts.extend(labels.get(code, code) for code in audience.get("metiers", []))
    parts.extend(entry.get("name", "") for entry in audience.get("users", []))
    return ", ".join(part for part in parts if part) or "—"

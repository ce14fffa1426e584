"""Writes to the access log: one row per object, bulk for lists (no query per row).

Called by the `access_*` selectors (reads) and by the services (writes), with the Actor of the
request, task or token call: who, métier, ESSMS, channel and address all come from it.
"""

import datetime
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from dui.actor import Actor
from dui.models import AccessAction, AccessLog


def _as_actor(subject) -> Actor:
    """A bare user (a management command, a test) acts on the web channel without an address."""
    return subject if isinstance(subject, Actor) else Actor(user=subject)


def _row(actor: Actor, action: str, obj, detail: str) -> AccessLog:
    user = actor.user
    membership = getattr(user, "membership", None)
    usager_id = obj.pk if obj._meta.model_name == "usager" else getattr(obj, "usager_id", None)
    if actor.token_name:  # a partner call: the log names the token, not only its technical account
        suffix = f" [jeton « {actor.token_name} »]"
        detail = detail[: 300 - len(suffix)] + suffix
    return AccessLog(
        user=user if getattr(user, "pk", None) else None,
        username=getattr(user, "username", "") or "",
        metier=membership.metier if membership else "",
        essms_id=getattr(obj, "essms_id", None) or (membership.essms_id if membership else None),
        action=action,
        channel=actor.channel,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        document_class=getattr(obj, "document_class_code", ""),
        usager_id=usager_id,
        detail=detail[:300],
        ip=actor.ip,
    )


def log_access(actor, action: str, obj, *, detail: str = "") -> None:
    _row(_as_actor(actor), action, obj, detail).save()


def log_reads(actor, objects: Iterable, *, detail: str = "") -> None:
    actor = _as_actor(actor)
    AccessLog.objects.bulk_create([_row(actor, AccessAction.READ, obj, detail) for obj in objects], batch_size=500)


class LogicalEvent(NamedTuple):
    """One access to one object: what the log held per row before list reads were stored compactly."""

    user_id: int | None
    username: str
    metier: str
    essms_id: int | None
    at: datetime.datetime
    object_type: str
    object_id: str
    document_class: str
    usager_id: int | None
    action: str
    channel: str
    detail: str
    ip: str | None


def logical_events(queryset) -> Iterator[LogicalEvent]:
    """The events of these rows, one per object, in the queryset's order (streamed)."""
    for row in queryset.iterator(chunk_size=2000):
        yield LogicalEvent(
            row.user_id,
            row.username,
            row.metier,
            row.essms_id,
            row.at,
            row.object_type,
            row.object_id,
            row.document_class,
            row.usager_id,
            row.action,
            row.channel,
            row.detail,
            row.ip,
        )

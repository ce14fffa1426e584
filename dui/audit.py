"""Writes to the access log: one row per access event, a list read being one row naming its objects.

Called by the `access_*` selectors (reads) and by the services (writes), with the Actor of the
request, task or token call: who, métier, ESSMS, channel and address all come from it.
`dui.access_events` reads them back as one event per object.
"""

from collections.abc import Iterable

from dui.actor import Actor
from dui.models import AccessAction, AccessLog

DETAIL_MAX = 300


def _as_actor(subject) -> Actor:
    """A bare user (a management command, a test) acts on the web channel without an address."""
    return subject if isinstance(subject, Actor) else Actor(user=subject)


def _usager_of(obj) -> int | None:
    return obj.pk if obj._meta.model_name == "usager" else getattr(obj, "usager_id", None)


def _row(actor: Actor, action: str, obj, detail: str) -> AccessLog:
    """The row of one object; list reads then move the object into `object_ids` (see `log_reads`)."""
    user = actor.user
    membership = getattr(user, "membership", None)
    if actor.token_name:  # a partner call: the log names the token, not only its technical account
        suffix = f" [jeton « {actor.token_name} »]"
        detail = detail[: DETAIL_MAX - len(suffix)] + suffix
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
        usager_id=_usager_of(obj),
        detail=detail[:DETAIL_MAX],
        ip=actor.ip,
    )


def log_access(actor, action: str, obj, *, detail: str = "") -> None:
    _row(_as_actor(actor), action, obj, detail).save()


def _list_row(template: AccessLog, objects: list) -> AccessLog:
    """One row for a group of objects of the same type, class and ESSMS."""
    if len(objects) == 1:
        return template
    persons = [_usager_of(obj) for obj in objects]
    single = len(set(persons)) == 1
    template.object_id = ""
    template.object_ids = [obj.pk for obj in objects]
    template.usager_id = persons[0] if single else None
    template.usager_ids = [] if single else persons
    return template


def log_reads(actor, objects: Iterable, *, detail: str = "") -> None:
    """One row per (object type, document class, ESSMS) of the list, all in one INSERT."""
    actor = _as_actor(actor)
    groups: dict[tuple, tuple[AccessLog, list]] = {}
    for obj in objects:
        key = (obj._meta.label_lower, getattr(obj, "document_class_code", ""), getattr(obj, "essms_id", None))
        if key not in groups:
            groups[key] = (_row(actor, AccessAction.READ, obj, detail), [])
        groups[key][1].append(obj)
    if groups:
        AccessLog.objects.bulk_create([_list_row(template, members) for template, members in groups.values()])

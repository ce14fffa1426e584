"""Writes to the access log: one row per object, bulk for lists (no query per row)."""

from collections.abc import Iterable

from dui.models import AccessAction, AccessLog, Channel


def _row(user, action: str, obj, channel: str, detail: str, ip: str | None) -> AccessLog:
    membership = getattr(user, "membership", None)
    usager_id = obj.pk if obj._meta.model_name == "usager" else getattr(obj, "usager_id", None)
    return AccessLog(
        user=user if getattr(user, "pk", None) else None,
        username=getattr(user, "username", "") or "",
        metier=membership.metier if membership else "",
        essms_id=getattr(obj, "essms_id", None) or (membership.essms_id if membership else None),
        action=action,
        channel=channel,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        document_class=getattr(obj, "document_class_code", ""),
        usager_id=usager_id,
        detail=detail[:300],
        ip=ip,
    )


def log_access(user, action: str, obj, *, channel: str = Channel.WEB, detail: str = "", ip=None) -> None:
    _row(user, action, obj, channel, detail, ip).save()


def log_reads(user, objects: Iterable, *, channel: str = Channel.WEB, detail: str = "", ip=None) -> None:
    AccessLog.objects.bulk_create(
        [_row(user, AccessAction.READ, obj, channel, detail, ip) for obj in objects], batch_size=500
    )


def channel_of(request) -> str:
    return getattr(request, "audit_channel", Channel.WEB)


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None

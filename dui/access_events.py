"""The access log read back as one event per object: what the DPO screen and the CSV export show,
and what the log held per row before a list read was stored as one row naming its objects."""

import datetime
from collections.abc import Iterator
from typing import NamedTuple

from dui.models import AccessLog


class LogicalEvent(NamedTuple):
    """One access to one object."""

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


def row_events(row: AccessLog) -> Iterator[LogicalEvent]:
    """The events of one row: one per object, in the order the list was read."""
    base = (row.user_id, row.username, row.metier, row.essms_id, row.at)
    tail = (row.action, row.channel, row.detail, row.ip)
    if not row.object_ids:
        yield LogicalEvent(*base, row.object_type, row.object_id, row.document_class, row.usager_id, *tail)
        return
    persons = row.usager_ids or [row.usager_id] * len(row.object_ids)
    for object_id, usager_id in zip(row.object_ids, persons, strict=True):
        yield LogicalEvent(*base, row.object_type, str(object_id), row.document_class, usager_id, *tail)


def logical_events(queryset) -> Iterator[LogicalEvent]:
    """The events of these rows, one per object, in the queryset's order (streamed)."""
    for row in queryset.iterator(chunk_size=2000):
        yield from row_events(row)

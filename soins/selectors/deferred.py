"""What the « saisie différée » page lists: the unit's occurrences still to validate of the past hours
(the paper records to enter once the DUI is back), and the deferred entries already made there."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from dui import audit
from dui.catalogue import WRITE
from dui.errors import NotFound
from dui.models import Placement, Unit
from dui.permissions import active_membership, can
from soins.models import CareOccurrence, OccurrenceStatus
from soins.selectors.worklist import may_read_worklist, occurrences_for_user

MAX_ROWS = 500


@dataclass
class DeferredRow:
    occurrence: CareOccurrence
    can_validate: bool


@dataclass
class DeferredPage:
    unit: Unit
    since: datetime.datetime
    now: datetime.datetime
    pending: list[DeferredRow]
    recent: list[CareOccurrence]

    @property
    def hours(self) -> int:
        return settings.DEFERRED_ENTRY_MAX_HOURS


def _placed(unit: Unit, start: datetime.datetime, end: datetime.datetime):
    """Placements in the unit overlapping [start, end] (a person moved since still has their rows here)."""
    return Placement.objects.filter(
        essms_id=unit.essms_id, unit_id=unit.pk, starts_on__lte=timezone.localdate(end)
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=timezone.localdate(start)))


def deferred_page(actor, *, unit: Unit, now: datetime.datetime) -> DeferredPage:
    """Pending occurrences due in the past DEFERRED_ENTRY_MAX_HOURS (oldest first) of persons placed in the
    unit, and the deferred entries recorded there over the same hours (newest first); logged as read."""
    membership = active_membership(actor)
    if membership is None or unit.essms_id != membership.essms_id or not may_read_worklist(actor):
        raise NotFound
    since = now - datetime.timedelta(hours=settings.DEFERRED_ENTRY_MAX_HOURS)
    placed = _placed(unit, since, now).values("usager_id")
    base = occurrences_for_user(actor).filter(usager_id__in=placed).select_related("usager", "prescription")
    pending = list(
        base.filter(status=OccurrenceStatus.PENDING, due_at__gte=since, due_at__lte=now).order_by("due_at", "id")[
            :MAX_ROWS
        ]
    )
    recent = list(
        base.filter(deferred_entry=True, recorded_at__gte=since)
        .select_related("validated_by")
        .order_by("-recorded_at", "-id")[:MAX_ROWS]
    )
    audit.log_reads(actor, [*pending, *recent], detail="saisie différée")
    rows = [DeferredRow(occurrence, can(actor, WRITE, occurrence)) for occurrence in pending]
    return DeferredPage(unit=unit, since=since, now=now, pending=rows, recent=recent)

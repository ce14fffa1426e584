"""A change to past history (a corrected exit date, an absence entered late) recomputes the days it
touches: the range covered by the row before and after the change, once the transaction commits.

New transmissions (observed today) are counted by the next night; one written late for a past day
recomputes that day. Rows written without signals (bulk imports, scale data) are caught by
`pilotage_rebuild_facts`.
"""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from dui.models import Absence, Placement, Sejour
from transmissions.models import Transmission

WATCHED = (Sejour, Placement, Absence)


def _span(instance) -> tuple[datetime.date, datetime.date | None] | None:
    """[first, last] day a row of history may influence (last None: open)."""
    if isinstance(instance, Sejour):
        if instance.admitted_on is None:
            return None
        return instance.admitted_on, instance.ended_on
    return instance.starts_on, instance.ends_on


def _union(*spans):
    spans = [s for s in spans if s is not None]
    if not spans:
        return None
    start = min(s[0] for s in spans)
    ends = [s[1] for s in spans]
    return start, None if None in ends else max(ends)


def _schedule(essms_id: int, span) -> None:
    if span is None:
        return
    from pilotage.tasks import recompute_touched_facts

    start, end = span
    transaction.on_commit(
        lambda: recompute_touched_facts.delay(essms_id, start.isoformat(), end.isoformat() if end else None)
    )


# Fields whose change moves every day of the row (where or how the day counts), not only its ends.
_WHOLE_ROW = {Placement: ("unit_id", "modality"), Absence: ("kind",), Sejour: ()}


def _touched(previous, instance):
    """The days a change touches: only between the old and new dates when just a date moved (an exit
    recorded today recomputes nothing of the past; a corrected exit date, the days in between)."""
    new = _span(instance)
    if previous is None:
        return new
    old = _span(previous)
    if (
        old is None
        or new is None
        or any(getattr(previous, f) != getattr(instance, f) for f in _WHOLE_ROW[type(instance)])
    ):
        return _union(old, new)
    pieces = []
    if old[0] != new[0]:
        pieces.append((min(old[0], new[0]), max(old[0], new[0])))
    if old[1] != new[1]:
        ends = [d for d in (old[1], new[1]) if d is not None]
        pieces.append((min(ends), None if None in (old[1], new[1]) else max(ends)))
    return _union(*pieces)


@receiver(pre_save)
def remember_previous(sender, instance, **kwargs):
    if sender not in WATCHED or instance.pk is None:
        return
    instance._pilotage_previous = sender.objects.filter(pk=instance.pk).first()


@receiver(post_save)
def history_saved(sender, instance, **kwargs):
    if sender not in WATCHED:
        return
    _schedule(instance.essms_id, _touched(getattr(instance, "_pilotage_previous", None), instance))


@receiver(post_save, sender=Transmission)
def transmission_saved(sender, instance, **kwargs):
    """A transmission written late (or a correction, which retires the previous version) changes the
    count of the day it was observed on, and of the corrected version's day."""
    tz = ZoneInfo(settings.TIME_ZONE)
    days = [instance.observed_at.astimezone(tz).date()]
    if instance.original_id:
        original = Transmission.objects.filter(pk=instance.original_id).values_list("observed_at", flat=True).first()
        if original:
            days.append(original.astimezone(tz).date())
    _schedule(instance.essms_id, (min(days), max(days)))


@receiver(post_delete)
def history_deleted(sender, instance, **kwargs):
    if sender in WATCHED:
        _schedule(instance.essms_id, _span(instance))

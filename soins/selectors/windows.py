"""The ESSMS's validation window around a dose's or a care's planned time (read side; the rule that
applies it is soins.services.windows.check_timing)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from dui.shifts import Shift, shift_at
from soins.models import Timing, ValidationPolicy
from soins.models.administration import DEFAULT_MEDICATION_WINDOW_MINUTES


@dataclass(frozen=True)
class Window:
    start: datetime.datetime
    end: datetime.datetime

    def timing(self, moment: datetime.datetime) -> str:
        if moment < self.start:
            return Timing.EARLY
        if moment > self.end:
            return Timing.LATE
        return Timing.ON_TIME


def policy_for(essms_id: int) -> ValidationPolicy:
    """The ESSMS's row, or the defaults (±60 min for doses, the shift for care) when it has none."""
    policy = ValidationPolicy.objects.filter(essms_id=essms_id).first()
    return policy or ValidationPolicy(essms_id=essms_id, medication_window_minutes=DEFAULT_MEDICATION_WINDOW_MINUTES)


def window_of(occurrence, policy: ValidationPolicy, *, shift: Shift | None = None) -> Window:
    """Doses: ± the policy's minutes around due_at. Care at a set time: ± the care minutes when the ESSMS
    set them. Otherwise (care of the shift, follow-ups): the shift the occurrence belongs to (`shift` when
    the caller already knows it). `occurrence` is a CareOccurrence or a worklist row."""
    if occurrence.prescription_id is not None:
        margin = datetime.timedelta(minutes=policy.medication_window_minutes)
        return Window(occurrence.due_at - margin, occurrence.due_at + margin)
    timed = occurrence.plan_item_id is not None and occurrence.due_before - occurrence.due_at <= datetime.timedelta(
        hours=1
    )
    if timed and policy.care_window_minutes is not None:
        margin = datetime.timedelta(minutes=policy.care_window_minutes)
        return Window(occurrence.due_at - margin, occurrence.due_at + margin)
    shift = shift or shift_at(occurrence.due_at)
    if occurrence.evaluation_id is not None:  # a follow-up may be done from the evaluation on, until its shift ends
        return Window(min(getattr(occurrence, "created_at", None) or shift.start, shift.start), shift.end)
    return Window(shift.start, shift.end)

"""When a dose or a care may be validated: the ESSMS's window around its planned time.

The moment that counts is when the caregiver tapped "Fait" (`performed_at`, sent by the tablet with
the offline queue), bounded by the server: never in the future beyond clock drift, never more than
24 h old (see worklist.MAX_LATE_RECORDING). Inside the window: on time. Outside: a reason is
required and the validation is flagged early or late. Before the occurrence's shift has started
(a dose of the next shift): refused outright, reason or not — except an evaluation's follow-up
(a re-evaluation within the hour), which may start before its shift does.
"""

import datetime

from django.core.exceptions import ValidationError

from dui.shifts import SHIFT_TIMEZONE, shift_at
from soins.models import CareOccurrence, Timing
from soins.selectors.windows import policy_for, window_of

REASON_REQUIRED = "reason_required"
LATER_SHIFT = "later_shift"


def check_timing(occurrence: CareOccurrence, *, performed_at: datetime.datetime, reason: str) -> tuple[str, str]:
    """(timing, reason kept) for a validation at `performed_at`; raises ValidationError (French) for a
    later shift, or for a moment outside the window without a reason."""
    shift = shift_at(occurrence.due_at)
    if performed_at < shift.start and occurrence.evaluation_id is None:
        start = shift.start.astimezone(SHIFT_TIMEZONE)
        raise ValidationError(
            f"Ce soin appartient au poste de {shift.label.lower()} du {shift.date:%d/%m/%Y} : il ne peut pas être "
            f"validé avant le début de ce poste ({start:%d/%m à %H h %M}).",
            code=LATER_SHIFT,
        )
    window = window_of(occurrence, policy_for(occurrence.essms_id))
    timing = window.timing(performed_at)
    reason = (reason or "").strip()
    if len(reason) > 300:
        raise ValidationError({"reason": "Motif trop long (300 caractères au plus)."})
    if timing == Timing.ON_TIME:
        return timing, ""
    if not reason:
        start, end = (moment.astimezone(SHIFT_TIMEZONE) for moment in (window.start, window.end))
        where = "en avance" if timing == Timing.EARLY else "en retard"
        raise ValidationError(
            {
                "reason": ValidationError(
                    f"Validation {where} : hors du créneau {start:%H:%M}–{end:%H:%M}. Indiquez le motif de l'écart.",
                    code=REASON_REQUIRED,
                )
            }
        )
    return timing, reason

"""Admission figures for the pilotage engine: pure reads of the requests and their dated steps.

Over the aware bounds [start, end) of a period, for some ESSMS:

- `requests_received`: requests received in the period, broken down by their current status.
- `days_in_status`: each stint in a status (from the step that entered it to the next step) that
  ended in the period; the mean days per status, and overall (sum of days / number of stints).
- `days_to_decision`: requests accepted or refused in the period (their first decision): days from
  reception to that decision.
- `days_to_entry`: requests whose entry was planned in the period: days from reception to the planned
  entry date (reception taken as its local day).
Days are counted in exact time (a stint of 36 hours is 1.5 days), except the entry, which is a date.
"""

import datetime
from collections import Counter, defaultdict

from django.utils import timezone

from admissions.models import DECISIONS, AdmissionRequest, AdmissionStatusChange, Status

SECONDS_PER_DAY = 86400


def _days(delta: datetime.timedelta) -> float:
    return delta.total_seconds() / SECONDS_PER_DAY


def requests_received(essms_ids, start, end) -> tuple[int, dict[str, int]]:
    statuses = AdmissionRequest.objects.filter(
        essms_id__in=essms_ids, received_at__gte=start, received_at__lt=end
    ).values_list("status", flat=True)
    counts = Counter(statuses)
    return sum(counts.values()), {label: counts[code] for code, label in Status.choices if counts[code]}


def days_in_status(essms_ids, start, end) -> tuple[float, int, dict[str, float]]:
    steps = AdmissionStatusChange.objects.filter(essms_id__in=essms_ids, at__lt=end).order_by("request_id", "at", "pk")
    per_status: dict[str, list[float]] = defaultdict(list)
    previous = None
    for step in steps.values_list("request_id", "to_status", "at"):
        if previous is not None and previous[0] == step[0] and start <= step[2] < end:
            per_status[previous[1]].append(_days(step[2] - previous[2]))
        previous = step
    total = sum(sum(days) for days in per_status.values())
    count = sum(len(days) for days in per_status.values())
    means = {label: round(sum(per_status[c]) / len(per_status[c]), 2) for c, label in Status.choices if per_status[c]}
    return round(total, 4), count, means


def days_to_decision(essms_ids, start, end) -> tuple[float, int]:
    decisions = AdmissionStatusChange.objects.filter(essms_id__in=essms_ids, to_status__in=DECISIONS).order_by(
        "request_id", "at", "pk"
    )
    firsts = {}
    for request_id, received_at, at in decisions.values_list("request_id", "request__received_at", "at"):
        firsts.setdefault(request_id, (received_at, at))
    delays = [_days(at - received) for received, at in firsts.values() if start <= at < end]
    return round(sum(delays), 4), len(delays)


def days_to_entry(essms_ids, start, end) -> tuple[float, int]:
    planned = AdmissionStatusChange.objects.filter(
        essms_id__in=essms_ids, to_status=Status.ENTREE_PLANIFIEE, at__gte=start, at__lt=end
    ).values_list("request_id", "request__received_at", "request__planned_entry_on")
    delays = {
        request_id: (entry - timezone.localdate(received)).days
        for request_id, received, entry in planned
        if entry is not None
    }
    return float(sum(delays.values())), len(delays)

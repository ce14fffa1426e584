"""Handover sources read by this app: events (falls, crises, incidents) and séjour movements.

Séjours belong to `dui`, which imports no other app: their source lives here and is registered
from TransmissionsConfig.ready, like the ppa sources from PpaConfig.ready. One query each.
"""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.urls import reverse

from dui.catalogue import READ
from dui.models import Absence, AbsenceKind, Sejour
from dui.permissions import active_membership, can
from dui.shifts import SHIFT_TIMEZONE
from transmissions.models import EventKind, EventSeverity
from transmissions.sources import ALERT, IMPORTANT, INFO, SourceItem, register_handover_source

ALERT_KINDS = frozenset({EventKind.CHUTE, EventKind.EPILEPSIE})
_KIND_LABELS = dict(EventKind.choices)
_SEVERITY_LABELS = dict(EventSeverity.choices)


def events_source(*, user, essms, unit, start, end, usagers) -> list[SourceItem]:
    """Events of the window: falls and seizures are alerts, so is any event marked grave."""
    from transmissions.selectors.handover import readable_events

    ids = [usager.pk for usager in usagers]
    if not ids:
        return []
    rows = (
        readable_events(user)
        .filter(usager_id__in=ids, occurred_at__gte=start, occurred_at__lt=end)
        .order_by("occurred_at", "id")
        .values_list("usager_id", "kind", "occurred_at", "severity", "place", "transmission_id")
    )
    items = []
    for usager_id, kind, occurred_at, severity, place, transmission_id in rows:
        label = _KIND_LABELS.get(kind, kind)
        if severity:
            label += f" (gravité {_SEVERITY_LABELS.get(severity, severity).lower()})"
        if place:
            label += f", {place}"
        alert = kind in ALERT_KINDS or severity == EventSeverity.GRAVE
        url = reverse("transmission-detail", args=[transmission_id])
        items.append(SourceItem(usager_id, occurred_at, ALERT if alert else IMPORTANT, label, url, kind="evenement"))
    return items


def _day_start(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(0, 0), tzinfo=SHIFT_TIMEZONE)


def _days(start: datetime.datetime, end: datetime.datetime) -> tuple[datetime.date, datetime.date]:
    """Local days touched by [start, end)."""
    last = end - datetime.timedelta(microseconds=1) if end > start else end
    return start.astimezone(SHIFT_TIMEZONE).date(), last.astimezone(SHIFT_TIMEZONE).date()


def sejours_source(*, user, essms, unit, start, end, usagers) -> list[SourceItem]:
    """Admissions, departures in hospitalisation or absence, and returns dated in the window's days."""
    membership = active_membership(user)
    ids = [usager.pk for usager in usagers]
    if membership is None or not ids or not can(user, READ, Sejour.document_class_code):
        return []
    first, last = _days(start, end)
    items = []
    for usager_id, admitted_on in Sejour.objects.filter(
        essms_id=membership.essms_id, usager_id__in=ids, admitted_on__gte=first, admitted_on__lte=last
    ).values_list("usager_id", "admitted_on"):
        url = reverse("usager-sejours", args=[usager_id])
        items.append(SourceItem(usager_id, _day_start(admitted_on), INFO, "Admission", url, "sejour", all_day=True))
    absences = Absence.objects.filter(essms_id=membership.essms_id, usager_id__in=ids).filter(
        Q(starts_on__gte=first, starts_on__lte=last) | Q(ends_on__gte=first, ends_on__lte=last)
    )
    for usager_id, kind, starts_on, ends_on in absences.values_list("usager_id", "kind", "starts_on", "ends_on"):
        url = reverse("usager-sejours", args=[usager_id])
        hospital = kind == AbsenceKind.HOSPITALISATION
        if first <= starts_on <= last:
            label = "Départ en hospitalisation" if hospital else f"Départ : {AbsenceKind(kind).label.lower()}"
            items.append(SourceItem(usager_id, _day_start(starts_on), IMPORTANT, label, url, "sejour", all_day=True))
        if ends_on is not None and first <= ends_on <= last:
            label = "Retour d'hospitalisation" if hospital else "Retour d'absence"
            items.append(SourceItem(usager_id, _day_start(ends_on), IMPORTANT, label, url, "sejour", all_day=True))
    return items


def register() -> None:
    register_handover_source("evenements", events_source)
    register_handover_source("sejours", sejours_source)

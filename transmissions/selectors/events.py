"""Reads of structured events: active ESSMS, the 'evenements' class of the matrix, and the
visibility level of the event's transmission (its current version, in case it was corrected)."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from dui import audit
from dui.catalogue import READ
from dui.errors import NotFound
from dui.models import AccessAction, Usager
from dui.permissions import active_membership, can
from transmissions.models import Event, EventKind, Transmission
from transmissions.visibility import levels_readable_by

MAX_PERIOD_DAYS = 5 * 365 + 2  # five years, leap days included
EARLIEST_DAY = datetime.date(1900, 1, 1)
LATEST_DAY = datetime.date(2999, 12, 31)


def events_for_user(user) -> QuerySet[Event]:
    """Events the user may read in the active ESSMS, newest first."""
    membership = active_membership(user)
    if membership is None or not can(user, READ, Event.document_class_code):
        return Event.objects.none()
    readable_version = Transmission.objects.filter(
        Q(pk=OuterRef("transmission_id")) | Q(original_id=OuterRef("transmission_id")),
        is_current=True,
        visibility__in=levels_readable_by(user),
    )
    return (
        Event.objects.filter(essms_id=membership.essms_id)
        .filter(Exists(readable_version))
        .select_related("usager", "transmission", "created_by")
    )


def access_event(actor, pk, *, log: bool = False) -> Event:
    """The event, or NotFound whether it is missing or out of reach; logged as read with `log`."""
    event = events_for_user(actor).filter(pk=pk).first()
    if event is None:
        raise NotFound
    if log:
        audit.log_access(actor, AccessAction.READ, event)
    return event


def events_shown(actor, events, *, detail: str) -> None:
    """Log as read the events a page or the API shows (read through `events_for_user`)."""
    audit.log_reads(actor, events, detail=detail)


def releve_events(
    actor,
    *,
    usager: Usager,
    kinds: list[str],
    first: datetime.date,
    last: datetime.date,
    family_only: bool,
    output: str,
) -> list[Event]:
    """The events of a person's relevé over a period, oldest first; the export and each event read are logged."""
    events = list(
        filter_events(
            events_for_user(actor), usager=usager, kinds=kinds, first=first, last=last, family_only=family_only
        ).order_by("occurred_at", "pk")
    )
    period = f"du {first:%d/%m/%Y} au {last:%d/%m/%Y}"
    scope = ", pour la famille" if family_only else ""
    detail = f"relevé des événements {period} ({output.upper()}{scope}, {len(events)} événement(s))"
    audit.log_access(actor, AccessAction.EXPORT, usager, detail=detail)
    audit.log_reads(actor, events, detail=f"relevé des événements {period} ({output.upper()})")
    return events


def can_record_events(user) -> bool:
    return can(user, "write", Event.document_class_code) and can(user, "write", Transmission.document_class_code)


def day_bounds(first: datetime.date, last: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """[first 00:00, the day after last 00:00) in local time."""
    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min))
    return start, end


def parse_period(raw_from: str, raw_to: str, *, required: bool) -> tuple[datetime.date | None, datetime.date | None]:
    """The period 'du'–'au' (YYYY-MM-DD); French ValidationError when malformed, reversed or over five years."""
    errors: dict[str, list[str]] = {}
    values = {}
    for key, raw, label in (("du", raw_from, "de début"), ("au", raw_to, "de fin")):
        raw = (raw or "").strip()
        if not raw:
            if required:
                errors.setdefault(key, []).append(f"Indiquez la date {label} de la période (AAAA-MM-JJ).")
            values[key] = None
            continue
        try:
            values[key] = datetime.date.fromisoformat(raw)
        except ValueError:
            errors.setdefault(key, []).append(f"Date {label} invalide : « {raw[:20]} » (format AAAA-MM-JJ attendu).")
            values[key] = None
        else:
            if not EARLIEST_DAY <= values[key] <= LATEST_DAY:
                errors.setdefault(key, []).append(f"Date {label} hors limites (de 1900 à 2999).")
                values[key] = None
    if errors:
        raise ValidationError(errors)
    first, last = values["du"], values["au"]
    if first and last:
        if first > last:
            raise ValidationError({"au": ["La date de fin doit être postérieure ou égale à la date de début."]})
        if (last - first).days > MAX_PERIOD_DAYS:
            raise ValidationError({"au": ["La période ne peut pas dépasser cinq ans."]})
    return first, last


def filter_events(
    qs: QuerySet[Event],
    *,
    usager: Usager | None = None,
    kinds: list[str] | None = None,
    first: datetime.date | None = None,
    last: datetime.date | None = None,
    family_only: bool = False,
) -> QuerySet[Event]:
    """Narrow a scoped queryset; `family_only` keeps the events whose transmission (current version) the
    family may read."""
    if family_only:
        qs = qs.filter(
            Exists(
                Transmission.objects.filter(
                    Q(pk=OuterRef("transmission_id")) | Q(original_id=OuterRef("transmission_id")),
                    is_current=True,
                    family_visible=True,
                )
            )
        )
    if usager is not None:
        qs = qs.filter(usager_id=usager.pk)
    if kinds:
        qs = qs.filter(kind__in=kinds)
    if first is not None:
        qs = qs.filter(occurred_at__gte=day_bounds(first, first)[0])
    if last is not None:
        qs = qs.filter(occurred_at__lt=day_bounds(last, last)[1])
    return qs


def parse_kinds(raw: list[str]) -> list[str]:
    """Known kinds among the values given (French ValidationError for an unknown one)."""
    kinds = [value.strip() for value in raw if value.strip()]
    unknown = [value for value in kinds if value not in EventKind.values]
    if unknown:
        raise ValidationError({"kind": [f"Type d'événement inconnu : « {unknown[0][:30]} »."]})
    return kinds


@dataclass
class KindSummary:
    kind: str
    label: str
    count: int
    total_seconds: int | None
    mean_seconds: int | None
    timed_count: int


def summarise(events: list[Event]) -> list[KindSummary]:
    """Per kind, in the catalogue order: count; for seizures the total and mean duration."""
    rows = []
    for kind in EventKind:
        of_kind = [event for event in events if event.kind == kind]
        if not of_kind:
            continue
        durations = [event.duration_seconds for event in of_kind if event.duration_seconds]
        total = sum(durations) if durations else None
        rows.append(
            KindSummary(
                kind=kind.value,
                label=kind.label,
                count=len(of_kind),
                total_seconds=total,
                mean_seconds=round(total / len(durations)) if durations else None,
                timed_count=len(durations),
            )
        )
    return rows

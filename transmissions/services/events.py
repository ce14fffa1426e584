"""Recording structured events (seizures, falls, incidents, behaviour).

Each event is written with its transmission, in one transaction: the transmission goes through
`transmission_create` (the one write road of the feed), then the Event row points at it. Bad input
raises a French ValidationError before anything is written.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from dui import audit
from dui.actor import user_of
from dui.catalogue import WRITE
from dui.ins import search_key
from dui.models import AccessAction, Usager
from dui.permissions import active_membership, can
from dui.selectors.catalogue_kinds import event_kind_offered
from transmissions.models import Cible, Event, EventKind, Theme, Transmission, Visibility
from transmissions.services.transmissions import FUTURE_TOLERANCE, transmission_create

MAX_DURATION_SECONDS = 24 * 3600
EARLIEST_YEAR = 1900
SEVERITIES = {value for value, _ in Event._meta.get_field("severity").choices}
SEVERITY_LABELS = dict(Event._meta.get_field("severity").choices)

# Catalogue labels looked up (case-insensitive, first found wins) for each kind's transmission.
CIBLE_LABELS = {
    EventKind.EPILEPSIE: ("Crise d'épilepsie", "Épilepsie"),
    EventKind.CHUTE: ("Chute",),
    EventKind.INCIDENT: ("Incident",),
    EventKind.COMPORTEMENT: ("Comportement", "Trouble du comportement"),
}
# Theme of the transmission when the catalogue has no matching cible.
KIND_THEMES = {
    EventKind.EPILEPSIE: Theme.SOINS,
    EventKind.CHUTE: Theme.MOBILITE,
    EventKind.INCIDENT: Theme.AUTRE,
    EventKind.COMPORTEMENT: Theme.COMPORTEMENT,
}
INCIDENT_KINDS = (EventKind.INCIDENT, EventKind.COMPORTEMENT)


def format_duration(seconds: int | None) -> str:
    """'2 min 30 s', '45 s', '1 h 05 min' (empty when unknown)."""
    if seconds is None:
        return ""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        text = f"{hours} h {minutes:02d} min" if minutes else f"{hours} h"
        return f"{text} {secs} s" if secs else text
    if minutes:
        return f"{minutes} min {secs} s" if secs else f"{minutes} min"
    return f"{secs} s"


def format_time(moment: datetime.datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local.hour} h {local.minute:02d}"


def _label_key(label: str) -> str:
    return search_key(label).replace("’", "'").strip()


def _cible_for(essms, kind: str) -> Cible | None:
    """The OG's active cible for this kind, offered in this ESSMS (labels compared without accents,
    case or apostrophe style); none: the transmission gets the kind as its free cible."""
    keys = [_label_key(label) for label in CIBLE_LABELS[kind]]
    cibles = Cible.objects.filter(og_id=essms.og_id, is_active=True)
    found = {_label_key(cible.label): cible for cible in cibles if essms.kind in (cible.essms_kinds or ())}
    return next((found[key] for key in keys if key in found), None)


def _check_rights(actor) -> None:
    if not can(actor, WRITE, Event.document_class_code) or not can(actor, WRITE, Transmission.document_class_code):
        raise PermissionDenied("Votre métier ne permet pas d'enregistrer des événements.")


def _check_moment(errors: dict, field: str, moment, usager: Usager | None) -> None:
    if moment is None:
        errors.setdefault(field, []).append("Indiquez la date et l'heure de l'événement.")
    elif not isinstance(moment, datetime.datetime) or timezone.is_naive(moment) or moment.year < EARLIEST_YEAR:
        errors.setdefault(field, []).append("Date et heure de l'événement invalides.")
    elif moment > timezone.now() + FUTURE_TOLERANCE:
        errors.setdefault(field, []).append("L'événement ne peut pas être daté dans le futur.")
    elif usager is not None and timezone.localdate(moment) < usager.birth_date:
        errors.setdefault(field, []).append("L'événement ne peut pas précéder la naissance de la personne.")


def _check_severity(errors: dict, severity: str) -> None:
    if severity and severity not in SEVERITIES:
        errors.setdefault("severity", []).append("Gravité inconnue : faible, moyenne ou grave.")


def _check_length(errors: dict, field: str, value: str, label: str) -> None:
    limit = Event._meta.get_field(field).max_length
    if limit and len(value) > limit:
        errors.setdefault(field, []).append(f"{label} : {limit} caractères au plus.")


def _clauses(*parts: tuple[str, str]) -> str:
    """' ; label : value' for each non-empty value, then a final full stop."""
    text = "".join(f" ; {label} : {value}" for label, value in parts if value)
    return text if text.endswith((".", "!", "?", "…")) else f"{text}."


def _record(
    actor,
    *,
    usager: Usager,
    kind: str,
    occurred_at: datetime.datetime,
    narrative: str,
    visibility: str,
    family_visible: bool,
    **fields,
) -> Event:
    membership = active_membership(actor)
    if not event_kind_offered(user_of(actor), kind, usager):
        hint = (
            "renseignez d'abord l'épilepsie dans ses antécédents, ou déclarez un incident"
            if kind == EventKind.EPILEPSIE
            else "le catalogue de votre organisme ne le propose pas ici"
        )
        raise ValidationError(
            {
                "kind": [
                    f"« {EventKind(kind).label} » n'est pas proposé dans cet établissement "
                    f"({membership.essms.get_kind_display()}) pour cette personne : {hint}."
                ]
            }
        )
    cible = _cible_for(membership.essms, kind)
    transmission = transmission_create(
        actor,
        usager=usager,
        cible=cible,
        free_cible="" if cible else EventKind(kind).label,
        theme="" if cible else KIND_THEMES[kind],
        narrative=narrative,
        observed_at=occurred_at,
        visibility=visibility,
        family_visible=family_visible,
    )
    event = Event.objects.create(
        essms_id=transmission.essms_id,
        usager=usager,
        transmission=transmission,
        kind=kind,
        occurred_at=occurred_at,
        created_by=user_of(actor),
        **fields,
    )
    audit.log_access(actor, AccessAction.CREATE, event, detail=EventKind(kind).label)
    return event


@transaction.atomic
def event_record_epilepsy(
    actor,
    *,
    usager: Usager,
    started_at: datetime.datetime,
    duration_seconds: int | None,
    seizure_type: str,
    circumstances: str = "",
    treatment_given: str = "",
    visibility: str = Visibility.CARE_STAFF,
    family_visible: bool = False,
) -> Event:
    """A seizure: start, duration, type, circumstances, treatment given."""
    _check_rights(actor)
    seizure_type, circumstances, treatment_given = (
        (seizure_type or "").strip(),
        (circumstances or "").strip(),
        (treatment_given or "").strip(),
    )
    errors: dict[str, list[str]] = {}
    _check_moment(errors, "started_at", started_at, usager)
    if duration_seconds is None:
        errors.setdefault("duration_seconds", []).append("Indiquez la durée de la crise.")
    elif isinstance(duration_seconds, bool) or not isinstance(duration_seconds, int):
        errors.setdefault("duration_seconds", []).append("Durée invalide.")
    elif duration_seconds <= 0:
        errors.setdefault("duration_seconds", []).append("La durée de la crise doit être supérieure à zéro.")
    elif duration_seconds > MAX_DURATION_SECONDS:
        errors.setdefault("duration_seconds", []).append("La durée de la crise ne peut pas dépasser 24 heures.")
    if not seizure_type:
        errors.setdefault("seizure_type", []).append("Indiquez le type de crise.")
    _check_length(errors, "seizure_type", seizure_type, "Type de crise")
    _check_length(errors, "treatment_given", treatment_given, "Traitement administré")
    if errors:
        raise ValidationError(errors)
    narrative = (
        f"Crise d'épilepsie ({seizure_type}) de {format_duration(duration_seconds)} à {format_time(started_at)}"
        + _clauses(("circonstances", circumstances), ("traitement", treatment_given))
    )
    return _record(
        actor,
        usager=usager,
        kind=EventKind.EPILEPSIE,
        occurred_at=started_at,
        narrative=narrative,
        visibility=visibility,
        family_visible=family_visible,
        duration_seconds=duration_seconds,
        seizure_type=seizure_type,
        circumstances=circumstances,
        treatment_given=treatment_given,
    )


@transaction.atomic
def event_record_fall(
    actor,
    *,
    usager: Usager,
    occurred_at: datetime.datetime,
    place: str,
    circumstances: str = "",
    consequences: str = "",
    severity: str = "",
    visibility: str = Visibility.CARE_STAFF,
    family_visible: bool = False,
) -> Event:
    """A fall: place, circumstances, consequences, severity."""
    _check_rights(actor)
    place, circumstances, consequences = (
        (place or "").strip(),
        (circumstances or "").strip(),
        (consequences or "").strip(),
    )
    severity = severity or ""
    errors: dict[str, list[str]] = {}
    _check_moment(errors, "occurred_at", occurred_at, usager)
    if not place:
        errors.setdefault("place", []).append("Indiquez le lieu de la chute.")
    _check_length(errors, "place", place, "Lieu")
    _check_severity(errors, severity)
    if errors:
        raise ValidationError(errors)
    narrative = f"Chute à {format_time(occurred_at)}" + _clauses(
        ("lieu", place),
        ("circonstances", circumstances),
        ("conséquences", consequences),
        ("gravité", SEVERITY_LABELS.get(severity, "").lower()),
    )
    return _record(
        actor,
        usager=usager,
        kind=EventKind.CHUTE,
        occurred_at=occurred_at,
        narrative=narrative,
        visibility=visibility,
        family_visible=family_visible,
        place=place,
        circumstances=circumstances,
        consequences=consequences,
        severity=severity,
    )


@transaction.atomic
def event_record_incident(
    actor,
    *,
    usager: Usager,
    occurred_at: datetime.datetime,
    kind: str = EventKind.INCIDENT,
    circumstances: str,
    consequences: str = "",
    severity: str = "",
    place: str = "",
    visibility: str = Visibility.CARE_STAFF,
    family_visible: bool = False,
) -> Event:
    """An incident or a behaviour disorder: what happened, consequences, severity."""
    _check_rights(actor)
    circumstances, consequences, place = (
        (circumstances or "").strip(),
        (consequences or "").strip(),
        (place or "").strip(),
    )
    severity = severity or ""
    errors: dict[str, list[str]] = {}
    if kind not in INCIDENT_KINDS:
        errors.setdefault("kind", []).append("Type d'événement inconnu : incident ou comportement.")
    _check_moment(errors, "occurred_at", occurred_at, usager)
    if not circumstances:
        errors.setdefault("circumstances", []).append("Décrivez ce qui s'est passé (circonstances).")
    _check_length(errors, "place", place, "Lieu")
    _check_severity(errors, severity)
    if errors:
        raise ValidationError(errors)
    narrative = f"{EventKind(kind).label} à {format_time(occurred_at)}" + _clauses(
        ("lieu", place),
        ("circonstances", circumstances),
        ("conséquences", consequences),
        ("gravité", SEVERITY_LABELS.get(severity, "").lower()),
    )
    return _record(
        actor,
        usager=usager,
        kind=kind,
        occurred_at=occurred_at,
        narrative=narrative,
        visibility=visibility,
        family_visible=family_visible,
        place=place,
        circumstances=circumstances,
        consequences=consequences,
        severity=severity,
    )

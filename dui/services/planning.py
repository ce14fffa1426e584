"""Writes of the planning domain: appointments (with transport) and each user's preferences.

Appointments belong to the class `rendez_vous` of the habilitation matrix (the secrétaire
médicale writes them by default). Preferences belong to the acting user in their active
ESSMS: pinned home sections and named saved filters.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from dui import audit, dates
from dui.actor import Actor, user_of
from dui.catalogue import WRITE
from dui.models import AccessAction, Appointment, Transport, Usager, UserPreference
from dui.permissions import active_membership, can
from dui.selectors.planning import HOME_SECTION_KEYS, SAVED_FILTER_KEYS
from dui.services.common import refuse_archived

CANCELLED = "Ce rendez-vous est annulé : il ne peut plus être modifié."
NOT_ALLOWED = "Votre métier ne permet pas de saisir des rendez-vous pour cette personne."

# Fields a caller may set on an appointment (the rest is set by the services).
APPOINTMENT_FIELDS = (
    "starts_at",
    "ends_at",
    "title",
    "place",
    "practitioner",
    "transport",
    "transport_booked",
    "accompanied_by",
    "notes",
)

MAX_SAVED_FILTERS = 20
MAX_FILTER_NAME = 60
MAX_FILTER_VALUE = 200


def _check_writable(actor: Actor, appointment: Appointment) -> None:
    if not can(actor, WRITE, appointment):
        raise PermissionDenied(NOT_ALLOWED)
    refuse_archived(appointment.usager)


def _clean_appointment(appointment: Appointment) -> None:
    """The explicit rules first (clear French messages), then the model's own validation."""
    errors: dict[str, list[str]] = {}
    for field in ("starts_at", "ends_at"):
        value = getattr(appointment, field)
        if isinstance(value, datetime.datetime) and timezone.is_naive(value):
            setattr(appointment, field, timezone.make_aware(value))
    if appointment.starts_at is None:
        errors.setdefault("starts_at", []).append("La date et l'heure de début sont obligatoires.")
    elif not isinstance(appointment.starts_at, datetime.datetime):
        errors.setdefault("starts_at", []).append("La date et l'heure de début sont invalides.")
    for field in ("starts_at", "ends_at"):
        value = getattr(appointment, field)
        if isinstance(value, datetime.datetime) and field not in errors and not dates.in_range(value.date()):
            errors.setdefault(field, []).append(dates.OUT_OF_RANGE)
    if appointment.ends_at is None or "ends_at" in errors:
        pass  # nothing more to check on the end
    elif not isinstance(appointment.ends_at, datetime.datetime):
        errors.setdefault("ends_at", []).append("La date et l'heure de fin sont invalides.")
    elif "starts_at" not in errors and appointment.ends_at <= appointment.starts_at:
        errors.setdefault("ends_at", []).append("La fin du rendez-vous doit être après son début.")
    appointment.title = (appointment.title or "").strip()
    if not appointment.title:
        errors.setdefault("title", []).append("L'objet du rendez-vous est obligatoire.")
    if appointment.transport not in Transport.values:
        errors.setdefault("transport", []).append("Mode de transport inconnu.")
    if errors:
        raise ValidationError(errors)
    if appointment.transport == Transport.AUCUN:
        appointment.transport_booked = False
    for field in ("place", "practitioner", "accompanied_by", "notes"):
        setattr(appointment, field, (getattr(appointment, field) or "").strip())
    appointment.full_clean(exclude=["essms", "usager", "created_by"])


@transaction.atomic
def appointment_create(
    actor: Actor,
    *,
    usager: Usager,
    starts_at: datetime.datetime | None,
    title: str,
    ends_at: datetime.datetime | None = None,
    place: str = "",
    practitioner: str = "",
    transport: str = Transport.AUCUN,
    transport_booked: bool = False,
    accompanied_by: str = "",
    notes: str = "",
) -> Appointment:
    appointment = Appointment(
        essms_id=usager.essms_id,
        usager=usager,
        starts_at=starts_at,
        ends_at=ends_at,
        title=title,
        place=place,
        practitioner=practitioner,
        transport=transport,
        transport_booked=transport_booked,
        accompanied_by=accompanied_by,
        notes=notes,
        created_by=user_of(actor),
    )
    _check_writable(actor, appointment)
    _clean_appointment(appointment)
    appointment.save()
    audit.log_access(actor, AccessAction.CREATE, appointment, detail="rendez-vous créé")
    return appointment


@transaction.atomic
def appointment_update(actor: Actor, *, appointment: Appointment, **changes) -> Appointment:
    """Change some fields of an appointment (any of APPOINTMENT_FIELDS); audited with the field names."""
    unknown = sorted(set(changes) - set(APPOINTMENT_FIELDS))
    if unknown:
        raise ValidationError({"__all__": f"Champ(s) non modifiable(s) : {', '.join(unknown)}."})
    appointment = Appointment.objects.select_for_update().select_related("usager").get(pk=appointment.pk)
    _check_writable(actor, appointment)
    if appointment.cancelled_at is not None:
        raise ValidationError(CANCELLED)
    changed = [field for field, value in changes.items() if getattr(appointment, field) != value]
    for field in changed:
        setattr(appointment, field, changes[field])
    _clean_appointment(appointment)
    if changed:
        appointment.save(update_fields=[*APPOINTMENT_FIELDS])
        audit.log_access(actor, AccessAction.UPDATE, appointment, detail=f"rendez-vous modifié : {', '.join(changed)}")
    return appointment


@transaction.atomic
def appointment_cancel(actor: Actor, *, appointment: Appointment) -> Appointment:
    appointment = Appointment.objects.select_for_update().select_related("usager").get(pk=appointment.pk)
    _check_writable(actor, appointment)
    if appointment.cancelled_at is not None:
        raise ValidationError("Ce rendez-vous est déjà annulé.")
    appointment.cancelled_at = timezone.now()
    appointment.save(update_fields=["cancelled_at"])
    audit.log_access(actor, AccessAction.UPDATE, appointment, detail="rendez-vous annulé")
    return appointment


# ---------- Preferences (per user and active ESSMS) ----------


def _preference_for_update(actor: Actor) -> UserPreference:
    membership = active_membership(actor)
    if membership is None:
        raise PermissionDenied("Aucun établissement actif.")
    preference, _ = UserPreference.objects.select_for_update().get_or_create(
        user=user_of(actor), essms_id=membership.essms_id
    )
    return preference


@transaction.atomic
def preference_pin_sections(actor: Actor, *, sections: list[str]) -> UserPreference:
    """Pin these home sections, in this order (duplicates dropped); an unknown section changes nothing."""
    if isinstance(sections, str) or not isinstance(sections, list | tuple):
        raise ValidationError({"sections": "Liste de rubriques attendue."})
    unknown = [str(key) for key in sections if key not in HOME_SECTION_KEYS]
    if unknown:
        raise ValidationError({"sections": f"Rubrique inconnue : « {unknown[0]} »."})
    preference = _preference_for_update(actor)
    preference.pinned_sections = list(dict.fromkeys(sections))
    preference.save(update_fields=["pinned_sections"])
    pinned = ", ".join(preference.pinned_sections) or "aucune"
    audit.log_access(actor, AccessAction.UPDATE, preference, detail=f"rubriques d'accueil épinglées : {pinned}")
    return preference


def _clean_filter_params(params) -> dict[str, str]:
    if not isinstance(params, dict):
        raise ValidationError({"params": "Paramètres de filtre invalides."})
    cleaned = {}
    for key, value in params.items():
        if key not in SAVED_FILTER_KEYS:
            raise ValidationError({"params": f"Paramètre de filtre inconnu : « {key} »."})
        value = "" if value is None else str(value).strip()
        if len(value) > MAX_FILTER_VALUE:
            raise ValidationError({"params": "Valeur de filtre trop longue."})
        if value:
            cleaned[key] = value
    if not cleaned:
        raise ValidationError({"params": "Ce filtre est vide : choisissez au moins un critère avant de l'enregistrer."})
    return cleaned


@transaction.atomic
def preference_save_filter(actor: Actor, *, name: str, params: dict) -> UserPreference:
    """Store `params` (the active file's query parameters) under `name`, replacing a filter of that name."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": "Donnez un nom à ce filtre."})
    if len(name) > MAX_FILTER_NAME:
        raise ValidationError({"name": f"Le nom du filtre ne doit pas dépasser {MAX_FILTER_NAME} caractères."})
    cleaned = _clean_filter_params(params)
    preference = _preference_for_update(actor)
    filters = dict(preference.saved_filters or {})
    if name not in filters and len(filters) >= MAX_SAVED_FILTERS:
        raise ValidationError({"name": f"Vous avez déjà {MAX_SAVED_FILTERS} filtres : supprimez-en un d'abord."})
    filters[name] = cleaned
    preference.saved_filters = filters
    preference.save(update_fields=["saved_filters"])
    audit.log_access(actor, AccessAction.UPDATE, preference, detail=f"filtre enregistré : {name}")
    return preference


@transaction.atomic
def preference_delete_filter(actor: Actor, *, name: str) -> UserPreference:
    preference = _preference_for_update(actor)
    filters = dict(preference.saved_filters or {})
    if name not in filters:
        raise ValidationError({"name": "Ce filtre n'existe pas (ou plus)."})
    del filters[name]
    preference.saved_filters = filters
    preference.save(update_fields=["saved_filters"])
    audit.log_access(actor, AccessAction.UPDATE, preference, detail=f"filtre supprimé : {name}")
    return preference

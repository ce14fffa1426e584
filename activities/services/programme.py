"""Writes of the activity programme: the catalogue of activities and their dated sessions.

Written by those the matrix lets write `programme_activites` (animateur, AES, éducateur, cadre,
ergothérapeute, APA by default). One transaction each; every refusal is a French message.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from activities.models import PROGRAMME_CLASS, Activity, ActivityKind, ActivitySession, SessionStatus
from dui import audit, dates
from dui.actor import user_of
from dui.catalogue import WRITE
from dui.errors import NotFound
from dui.models import AccessAction, Membership, Unit
from dui.permissions import active_membership, require

PAST_PLANNED = (
    "Une séance passée ne peut pas être enregistrée comme prévue : indiquez si elle a été réalisée ou annulée."
)
FUTURE_HELD = "Une séance à venir ne peut pas être déjà réalisée."
CANCELLED = "Cette séance est annulée : elle ne peut plus être modifiée."


def _essms_id(actor) -> int:
    membership = active_membership(actor)
    if membership is None:
        raise NotFound
    require(actor, WRITE, PROGRAMME_CLASS)
    return membership.essms_id


def _clean_activity(activity: Activity) -> None:
    errors: dict[str, list[str]] = {}
    activity.name = (activity.name or "").strip()
    activity.default_place = (activity.default_place or "").strip()
    if not activity.name:
        errors["name"] = ["Le nom de l'activité est obligatoire."]
    elif len(activity.name) > 120:
        errors["name"] = ["Le nom de l'activité ne doit pas dépasser 120 caractères."]
    elif (
        Activity.objects.filter(essms_id=activity.essms_id, name__iexact=activity.name).exclude(pk=activity.pk).exists()
    ):
        errors["name"] = ["Une activité porte déjà ce nom dans l'établissement."]
    if activity.kind not in ActivityKind.values:
        errors["kind"] = ["Type d'activité inconnu."]
    if len(activity.default_place) > 120:
        errors["default_place"] = ["Le lieu ne doit pas dépasser 120 caractères."]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def activity_create(actor, *, kind: str, name: str, default_place: str = "") -> Activity:
    activity = Activity(
        essms_id=_essms_id(actor), kind=kind, name=name, default_place=default_place, created_by=user_of(actor)
    )
    _clean_activity(activity)
    activity.save()
    audit.log_access(actor, AccessAction.CREATE, activity)
    return activity


@transaction.atomic
def activity_update(actor, *, activity: Activity, **changes) -> Activity:
    """Change the name, kind, default place or active flag (an inactive activity gets no new session)."""
    require(actor, WRITE, activity)
    for field in ("kind", "name", "default_place", "is_active"):
        if field in changes:
            setattr(activity, field, changes[field])
    activity.is_active = bool(activity.is_active)
    _clean_activity(activity)
    activity.save(update_fields=["kind", "name", "default_place", "is_active"])
    audit.log_access(actor, AccessAction.UPDATE, activity)
    return activity


def _aware(value):
    if isinstance(value, datetime.datetime) and timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


def _clean_session(session: ActivitySession, *, now: datetime.datetime) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    session.starts_at, session.ends_at = _aware(session.starts_at), _aware(session.ends_at)
    if not isinstance(session.starts_at, datetime.datetime):
        errors["starts_at"] = ["La date et l'heure de début sont obligatoires."]
    elif not dates.in_range(session.starts_at.date()):
        errors["starts_at"] = [dates.OUT_OF_RANGE]
    if session.ends_at is not None and "starts_at" not in errors:
        if not isinstance(session.ends_at, datetime.datetime):
            errors["ends_at"] = ["La date et l'heure de fin sont invalides."]
        elif session.ends_at <= session.starts_at:
            errors["ends_at"] = ["La fin de la séance doit être après son début."]
        elif session.ends_at - session.starts_at > datetime.timedelta(days=7):
            errors["ends_at"] = ["Une séance dure au plus 7 jours."]
    if session.status not in SessionStatus.values:
        errors["status"] = ["Statut de séance inconnu."]
    elif "starts_at" not in errors:
        if session.status == SessionStatus.PLANNED and session.starts_at < now:
            errors["status"] = [PAST_PLANNED]
        elif session.status == SessionStatus.HELD and session.starts_at > now:
            errors["status"] = [FUTURE_HELD]
    session.place = (session.place or "").strip()
    session.comment = (session.comment or "").strip()
    if len(session.place) > 120:
        errors["place"] = ["Le lieu ne doit pas dépasser 120 caractères."]
    if len(session.comment) > 300:
        errors["comment"] = ["Le commentaire ne doit pas dépasser 300 caractères."]
    return errors


def _units(essms_id: int, unit_ids, errors) -> list[Unit]:
    ids = {int(pk) for pk in unit_ids or ()}
    units = list(Unit.objects.filter(essms_id=essms_id, pk__in=ids, is_active=True)) if ids else []
    if len(units) != len(ids):
        errors["units"] = ["Unité inconnue dans cet établissement."]
    return units


def _facilitators(essms_id: int, user_ids, errors) -> list:
    ids = {int(pk) for pk in user_ids or ()}
    members = list(Membership.objects.active().filter(essms_id=essms_id, user_id__in=ids).select_related("user"))
    users = list({m.user_id: m.user for m in members}.values())
    if len(users) != len(ids):
        errors["facilitators"] = ["Professionnel inconnu dans cet établissement."]
    return users


@transaction.atomic
def session_create(
    actor,
    *,
    activity: Activity,
    starts_at,
    ends_at=None,
    place: str | None = None,
    status: str = SessionStatus.PLANNED,
    unit_ids=(),
    facilitator_ids=(),
    comment: str = "",
    open_to_families: bool = False,
) -> ActivitySession:
    """A session of an activity of the actor's ESSMS; a past session is recorded as held or cancelled."""
    essms_id = _essms_id(actor)
    if activity.essms_id != essms_id:
        raise NotFound
    session = ActivitySession(
        essms_id=essms_id,
        activity=activity,
        starts_at=starts_at,
        ends_at=ends_at,
        place=activity.default_place if place is None else place,
        status=status,
        comment=comment,
        open_to_families=open_to_families,
        created_by=user_of(actor),
    )
    errors = _clean_session(session, now=timezone.now())
    if not activity.is_active:
        errors.setdefault("activity", []).append("Cette activité n'est plus proposée : réactivez-la d'abord.")
    units = _units(essms_id, unit_ids, errors)
    facilitators = _facilitators(essms_id, facilitator_ids, errors)
    if errors:
        raise ValidationError(errors)
    session.save()
    session.units.set(units)
    session.facilitators.set(facilitators)
    audit.log_access(actor, AccessAction.CREATE, session)
    return session


@transaction.atomic
def session_set_status(actor, *, session: ActivitySession, status: str) -> ActivitySession:
    """Mark a session held (once started) or cancelled; a cancelled session stays cancelled."""
    require(actor, WRITE, session)
    if session.status == SessionStatus.CANCELLED:
        raise ValidationError({"status": [CANCELLED]})
    session.status = status
    errors = _clean_session(session, now=timezone.now())
    if (
        status == SessionStatus.PLANNED
        and "status" not in errors
        and session.registrations.exclude(attendance="").exists()
    ):
        errors["status"] = ["Des présences sont déjà saisies : la séance a eu lieu."]
    if errors:
        raise ValidationError(errors)
    session.save(update_fields=["status"])
    audit.log_access(actor, AccessAction.UPDATE, session, detail=f"statut {session.get_status_display()}")
    return session

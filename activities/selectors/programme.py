"""Reads of the activity programme (catalogue and sessions): scoped to the actor's active ESSMS.

The programme holds no personal data, so these reads are not logged; the registrations are
(see participation.py).
"""

import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from activities.models import PROGRAMME_CLASS, Activity, ActivitySession
from dui.catalogue import READ
from dui.errors import NotFound, valid_pk
from dui.permissions import active_membership, can


def _essms_id(actor, action: str = READ) -> int | None:
    membership = active_membership(actor)
    if membership is None or not can(actor, action, PROGRAMME_CLASS):
        return None
    return membership.essms_id


def activities_for_user(actor) -> QuerySet[Activity]:
    essms_id = _essms_id(actor)
    if essms_id is None:
        return Activity.objects.none()
    return Activity.objects.filter(essms_id=essms_id)


def access_activity(actor, pk, *, action: str = READ) -> Activity:
    """The activity of the active ESSMS, or NotFound (missing, another ESSMS's, not a number)."""
    activity = activities_for_user(actor).filter(pk=valid_pk(pk)).first()
    if activity is None or not can(actor, action, activity):
        raise NotFound
    return activity


def sessions_for_user(actor) -> QuerySet[ActivitySession]:
    essms_id = _essms_id(actor)
    if essms_id is None:
        return ActivitySession.objects.none()
    return (
        ActivitySession.objects.filter(essms_id=essms_id)
        .select_related("activity")
        .prefetch_related("units", "facilitators")
    )


def access_session(actor, pk, *, action: str = READ) -> ActivitySession:
    session = sessions_for_user(actor).filter(pk=valid_pk(pk)).first()
    if session is None or not can(actor, action, session):
        raise NotFound
    return session


def day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return start, timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))


def sessions_of_day(actor, *, day: datetime.date, unit_id: int | None = None) -> list[ActivitySession]:
    """The day's sessions (all units, or those open to one unit), each with its number of registered persons."""
    start, end = day_bounds(day)
    qs = sessions_for_user(actor).filter(starts_at__gte=start, starts_at__lt=end)
    if unit_id is not None:
        qs = qs.filter(Q(units__isnull=True) | Q(units__id=unit_id)).distinct()
    return list(
        qs.annotate(
            registered=Count("registrations", distinct=True),
            recorded=Count("registrations", filter=~Q(registrations__attendance=""), distinct=True),
        ).order_by("starts_at", "pk")
    )


def professionals_for_user(actor) -> list:
    """The professionals with a membership in force in the active ESSMS (who may run a session), by name."""
    from dui.models import Membership

    essms_id = _essms_id(actor)
    if essms_id is None:
        return []
    members = (
        Membership.objects.active()
        .filter(essms_id=essms_id)
        .exclude(metier="partenaire")
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user_id")
    )
    return list({m.user_id: m.user for m in members}.values())

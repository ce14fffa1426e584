"""Helpers of the activity tests: persons with a séjour in progress, activities, sessions."""

import datetime

from django.utils import timezone

from activities.models import Activity, ActivityKind, ActivitySession, Registration, SessionStatus
from dui.models import Sejour, SejourStatus


def admitted(usager, *, by, on=datetime.date(2024, 1, 2)):
    """Give the person a séjour in progress in its ESSMS (who may be registered to an activity)."""
    Sejour.objects.create(
        essms_id=usager.essms_id, usager=usager, status=SejourStatus.ACTIVE, first_contact_on=on, admitted_on=on,
        created_by=by,
    )  # fmt: skip
    return usager


def activity(essms, *, by, name="Loto", kind=ActivityKind.ANIMATION, place="Salon"):
    return Activity.objects.create(essms=essms, kind=kind, name=name, default_place=place, created_by=by)


def session(act, *, by, starts_at=None, status=SessionStatus.PLANNED, place="Salon"):
    starts_at = starts_at or timezone.now() + datetime.timedelta(hours=2)
    return ActivitySession.objects.create(
        essms_id=act.essms_id, activity=act, starts_at=starts_at, status=status, place=place, created_by=by
    )


def register(sess, usager, *, by, attendance="", satisfaction=None):
    return Registration.objects.create(
        essms_id=sess.essms_id, session=sess, usager=usager, created_by=by, attendance=attendance,
        satisfaction=satisfaction,
    )  # fmt: skip


def isolation_objects(usager, marker: str):
    """An activity, a session and a registration of this person (created once): the objects the isolation walk names."""
    from dui.models import Metier
    from tests.factories import professional

    registration = Registration.objects.filter(usager=usager).select_related("session__activity").first()
    if registration is not None:
        return registration.session.activity, registration.session, registration
    by = professional(usager.essms, Metier.ANIMATEUR)
    act = activity(usager.essms, by=by, name=marker, place=marker)
    sess = session(act, by=by, starts_at=timezone.now() - datetime.timedelta(minutes=5), status="held", place=marker)
    return act, sess, register(sess, usager, by=by, attendance="present", satisfaction=4)

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

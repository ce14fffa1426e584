"""Shared helpers of the event and relevé tests (no test here)."""

import datetime

from django.utils import timezone

from dui.models import Metier
from tests.factories import professional
from transmissions.services.events import event_record_epilepsy, event_record_fall, event_record_incident


def local(year, month, day, hour=12, minute=0):
    """An aware datetime in the project's time zone (Europe/Paris)."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=timezone.get_current_timezone())


def ago(**delta):
    return timezone.now() - datetime.timedelta(**delta)


def seizure(user, usager, *, at=None, seconds=150, seizure_type="tonico-clonique", **kwargs):
    return event_record_epilepsy(
        user,
        usager=usager,
        started_at=at or ago(hours=1),
        duration_seconds=seconds,
        seizure_type=seizure_type,
        **kwargs,
    )


def fall(user, usager, *, at=None, place="Salle de bain", **kwargs):
    return event_record_fall(user, usager=usager, occurred_at=at or ago(hours=2), place=place, **kwargs)


def incident(user, usager, *, at=None, kind="incident", circumstances="Porte de sortie forcée", **kwargs):
    moment = at or ago(hours=3)
    return event_record_incident(
        user, usager=usager, occurred_at=moment, kind=kind, circumstances=circumstances, **kwargs
    )


def ide(essms):
    return professional(essms, Metier.IDE)

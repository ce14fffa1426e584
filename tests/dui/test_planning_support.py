"""Shared helpers of the planning, active file and preference tests (rows written with the ORM)."""

import datetime

from django.utils import timezone

from dui.ins import search_key
from dui.models import Appointment, Modality, Placement, Sejour, SejourStatus, Transport

TODAY = datetime.date(2026, 3, 16)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def searchable(usager):
    """Fill `search_text` as the identity services do (accent-free key of the names)."""
    usager.search_text = search_key(usager.birth_name, usager.first_names, usager.used_name, usager.used_first_name)
    usager.save(update_fields=["search_text"])
    return usager


def admit(usager, unit, *, by, room="12", starts_on=None, ends_on=None, status=SejourStatus.ACTIVE):
    """An active séjour with one placement of the person in `unit`."""
    starts_on = starts_on or datetime.date(2024, 1, 8)
    sejour = Sejour.objects.create(
        essms=usager.essms,
        usager=usager,
        status=status,
        first_contact_on=starts_on - datetime.timedelta(days=20),
        admitted_on=starts_on,
        created_by=by,
    )
    Placement.objects.create(
        essms=usager.essms,
        sejour=sejour,
        usager=usager,
        unit=unit,
        room=room,
        modality=Modality.HEBERGEMENT_PERMANENT,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=by,
    )
    return sejour


def appointment(usager, *, by, starts_at, title="Consultation de cardiologie", **fields):
    fields.setdefault("transport", Transport.AMBULANCE)
    return Appointment.objects.create(
        essms=usager.essms, usager=usager, starts_at=starts_at, title=title, created_by=by, **fields
    )

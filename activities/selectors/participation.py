"""Reads of the registrations (class `activites`): who is registered, who came, how it was liked.

Each registration names a person: the page and list selectors log what they return as read.
"""

import datetime

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from activities.models import PARTICIPATION_CLASS, ActivitySession, Registration, SessionStatus
from dui import audit
from dui.catalogue import READ, WRITE
from dui.errors import NotFound
from dui.models import AccessAction, Sejour, SejourStatus, Usager
from dui.permissions import active_membership, can
from dui.providers import PlannedActivity
from dui.selectors import usagers_for_user

PAST_DAYS = 30
COMING_DAYS = 30


def registrations_for_user(actor) -> QuerySet[Registration]:
    membership = active_membership(actor)
    if membership is None or not can(actor, READ, PARTICIPATION_CLASS):
        return Registration.objects.none()
    return Registration.objects.filter(essms_id=membership.essms_id).select_related(
        "usager", "session", "session__activity"
    )


def registrations_listed(actor, rows, *, detail: str = "liste des inscriptions aux activités") -> list[Registration]:
    rows = list(rows)
    audit.log_reads(actor, rows, detail=detail)
    return rows


def attendance_sheet(actor, *, session: ActivitySession) -> list[Registration]:
    """Every person registered to the session, by name, for the one-screen attendance; logged as read."""
    rows = list(
        registrations_for_user(actor)
        .filter(session_id=session.pk)
        .order_by("usager__birth_name", "usager__first_names", "pk")
    )
    audit.log_reads(actor, rows, detail=f"feuille de présence {session.activity.name}")
    return rows


def can_record_attendance(actor) -> bool:
    return can(actor, WRITE, PARTICIPATION_CLASS)


def registrable_usagers(actor, *, session: ActivitySession) -> list[Usager]:
    """Persons with a séjour in progress in the session's ESSMS, not yet registered (the registration picker)."""
    if not can_record_attendance(actor):
        return []
    in_progress = Sejour.objects.filter(essms_id=session.essms_id, status=SejourStatus.ACTIVE).values("usager_id")
    return list(
        usagers_for_user(actor)
        .filter(essms_id=session.essms_id, archived_at__isnull=True, pk__in=in_progress)
        .exclude(activity_registrations__session_id=session.pk)
        .order_by("birth_name", "first_names", "pk")
    )


def planned_activities_of(actor, usager: Usager) -> list[PlannedActivity] | None:
    """The person's sessions of the last and next 30 days, for dui's planning (None: may not read them)."""
    probe = Registration(essms_id=usager.essms_id, usager_id=usager.pk)
    if not can(actor, READ, probe):
        return None
    now = timezone.now()
    rows = list(
        Registration.objects.filter(
            essms_id=usager.essms_id,
            usager_id=usager.pk,
            session__starts_at__gte=now - datetime.timedelta(days=PAST_DAYS),
            session__starts_at__lt=now + datetime.timedelta(days=COMING_DAYS),
        )
        .select_related("session", "session__activity")
        .order_by("session__starts_at", "pk")
    )
    audit.log_reads(actor, rows, detail="activités de la personne")
    statuses = dict(SessionStatus.choices)
    return [
        PlannedActivity(
            starts_at=row.session.starts_at,
            label=row.session.activity.name,
            place=row.session.place,
            status=statuses.get(row.session.status, ""),
            attendance=row.get_attendance_display() if row.attendance else "",
            url=reverse("activity-session-detail", args=[row.session_id]),
        )
        for row in rows
    ]


def usager_participation(actor, *, usager: Usager) -> list[Registration]:
    """Every registration of the person (the dossier's activity page), latest first; logged as read."""
    rows = list(registrations_for_user(actor).filter(usager_id=usager.pk).order_by("-session__starts_at", "-pk")[:200])
    audit.log_reads(actor, rows, detail="participation aux activités")
    return rows


def access_registration(actor, pk, *, action: str = READ) -> Registration:
    """The registration, or NotFound (missing, another ESSMS's, not a number); the service logs a change."""
    from dui.errors import valid_pk

    registration = registrations_for_user(actor).filter(pk=valid_pk(pk)).first()
    if registration is None or not can(actor, action, registration):
        raise NotFound
    if action == READ:
        audit.log_access(actor, AccessAction.READ, registration)
    return registration


def usager_participation_page(actor, *, usager: Usager) -> list[Registration]:
    """The dossier's activity page: NotFound when the class is not readable on this dossier."""
    if not can(actor, READ, Registration(essms_id=usager.essms_id, usager_id=usager.pk)):
        raise NotFound
    return usager_participation(actor, usager=usager)

"""Demo activities: a small catalogue per establishment, sessions of the last days with attendance and
satisfaction, today's session to record on the tablet and coming ones. Idempotent: activities by
name, sessions by activity and start, registrations by session and person."""

import datetime

from django.utils import timezone

from activities.models import Activity, ActivitySession, Registration, SessionStatus
from activities.services import participation, programme
from demo.seed.ward import _acting
from dui.models import EssmsKind, Sejour, SejourStatus, Unit, Usager

# (name, kind, default place)
CATALOGUE = {
    EssmsKind.EHPAD: [
        ("Loto", "animation", "Salon du rez-de-chaussée"),
        ("Atelier mémoire", "therapeutique", "Salle d'activités"),
        ("Gym douce", "physique", "Salle d'activités"),
        ("Sortie au marché", "sortie", "Marché de Riom"),
    ],
    EssmsKind.IME: [
        ("Atelier cuisine", "atelier", "Cuisine pédagogique"),
        ("Piscine", "physique", "Piscine municipale"),
        ("Atelier horticulture", "atelier", "Jardin"),
    ],
}

# (catalogue index, days from today, hour, [attendance of the registered persons, in order; "" = not yet])
SESSIONS = {
    EssmsKind.EHPAD: [
        (0, -7, 15, ["present", "present", "absent", "refused"]),
        (1, -3, 10, ["present", "present", "present"]),
        (2, -1, 11, ["present", "refused", "present", "absent"]),
        (0, 0, 15, ["", "", "", "", ""]),
        (3, 2, 9, ["", "", ""]),
    ],
    EssmsKind.IME: [
        (0, -6, 10, ["present", "present", "absent"]),
        (1, -2, 14, ["present", "refused"]),
        (2, 0, 14, ["", "", ""]),
        (0, 3, 10, ["", ""]),
    ],
}
SATISFACTION = (5, 4, 3, 4, 5)


def _people(essms) -> list[Usager]:
    in_progress = Sejour.objects.filter(essms=essms, status=SejourStatus.ACTIVE).values("usager_id")
    return list(Usager.objects.filter(essms=essms, archived_at__isnull=True, pk__in=in_progress).order_by("pk")[:6])


def seed(essms, users: dict) -> int:
    prefix = "ehpad" if essms.kind == EssmsKind.EHPAD else "ime"
    animator = _acting(users, essms, prefix, ("animateur", "educateur", "cadre_sante"))
    people = _people(essms)
    if animator is None or not people:
        return 0
    created = 0
    activities = []
    for name, kind, place in CATALOGUE.get(essms.kind, []):
        activity = Activity.objects.filter(essms=essms, name=name).first()
        if activity is None:
            activity = programme.activity_create(animator, kind=kind, name=name, default_place=place)
            created += 1
        activities.append(activity)
    unit = Unit.objects.filter(essms=essms, is_active=True).order_by("pk").first()
    now, today = timezone.now(), timezone.localdate()
    for index, days, hour, attendances in SESSIONS.get(essms.kind, []):
        activity = activities[index]
        starts_at = timezone.make_aware(
            datetime.datetime.combine(today + datetime.timedelta(days=days), datetime.time(hour))
        )
        session = ActivitySession.objects.filter(activity=activity, starts_at=starts_at).first()
        if session is None:
            session = programme.session_create(
                animator,
                activity=activity,
                starts_at=starts_at,
                ends_at=starts_at + datetime.timedelta(hours=1),
                status=SessionStatus.PLANNED if starts_at > now else SessionStatus.HELD,
                unit_ids=[unit.pk] if unit and index % 2 else [],
                facilitator_ids=[animator.pk],
            )
            created += 1
        for position, (person, attendance) in enumerate(zip(people, attendances, strict=False)):
            if Registration.objects.filter(session=session, usager=person).exists():
                continue
            participation.registration_create(animator, session=session, usager=person)
            created += 1
            if attendance:
                participation.attendance_record(
                    animator, session=session, usager_id=person.pk, attendance=attendance,
                    satisfaction=SATISFACTION[position % len(SATISFACTION)] if attendance == "present" else None,
                )  # fmt: skip
    return created

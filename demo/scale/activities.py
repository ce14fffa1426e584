"""Scale data of the activities: a catalogue per ESSMS, two sessions a day over the whole window with
about ten persons registered each (chosen among those placed that day), attendance and satisfaction
recorded on the held ones, a few cancelled, the next two weeks planned.

Runs after the dossiers are generated (demo.scale.generate), or alone on an existing scale data set
(`generate_activity_scale_data`). Rows are bulk-inserted, one ESSMS per transaction.
"""

import bisect
import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from activities.models import Activity, ActivitySession, Attendance, Registration, SessionStatus
from dui.models import Essms, Membership, Metier, Placement

CATALOGUE = (
    ("Loto", "animation", "Salon"),
    ("Atelier mémoire", "therapeutique", "Salle d'activités"),
    ("Gym douce", "physique", "Salle d'activités"),
    ("Atelier cuisine", "atelier", "Cuisine"),
    ("Chorale", "animation", "Salon"),
    ("Sortie au marché", "sortie", "Marché"),
)
SESSION_HOURS = (10, 15)
REGISTERED = (8, 12)
CANCELLED_SHARE = 0.04
ABSENT_SHARE = 0.12
REFUSED_SHARE = 0.08
SATISFACTION_SHARE = 0.6
SATISFACTION_WEIGHTS = (1, 2, 10, 30, 25)  # scores 1 to 5
DAYS_AHEAD = 14


@dataclass
class ActivityReport:
    activities: int = 0
    sessions: int = 0
    registrations: int = 0


class _Presence:
    """Who is placed in the ESSMS on a day, from the placements: a sweep over sorted starts and ends."""

    def __init__(self, placements: list[tuple[int, int, datetime.date, datetime.date | None]]):
        self.rows = sorted(placements, key=lambda row: row[2])
        self.starts = [row[2] for row in self.rows]

    def on(self, day: datetime.date) -> list[tuple[int, int]]:
        """(usager id, unit id) of the placements covering `day`, one per person."""
        found = {}
        for usager_id, unit_id, _starts, ends in self.rows[: bisect.bisect_right(self.starts, day)]:
            if ends is None or ends >= day:
                found[usager_id] = unit_id
        return list(found.items())


def _authors(essms: Essms) -> list[int]:
    runners = (Metier.ANIMATEUR, Metier.AES, Metier.EDUCATEUR, Metier.CADRE_SANTE)
    ids = list(Membership.objects.filter(essms=essms, metier__in=runners).values_list("user_id", flat=True))
    return ids or list(Membership.objects.filter(essms=essms).values_list("user_id", flat=True)[:1])


def generate_essms(
    essms: Essms, *, start: datetime.date, today: datetime.date, rng: random.Random, tz, report: ActivityReport
) -> None:
    authors = _authors(essms)
    if not authors:
        return
    activities = Activity.objects.bulk_create(
        [
            Activity(essms=essms, kind=kind, name=name, default_place=place, created_by_id=authors[0])
            for name, kind, place in CATALOGUE
        ]
    )
    report.activities += len(activities)
    presence = _Presence(
        list(Placement.objects.filter(essms=essms).values_list("usager_id", "unit_id", "starts_on", "ends_on"))
    )
    now = timezone.now()
    sessions, registered = [], []
    day = start
    while day <= today + datetime.timedelta(days=DAYS_AHEAD):
        present = presence.on(day)
        for hour in SESSION_HOURS:
            if not present:
                continue
            activity = rng.choice(activities)
            starts_at = datetime.datetime.combine(day, datetime.time(hour), tzinfo=tz)
            if starts_at > now:
                status = SessionStatus.PLANNED
            else:
                status = SessionStatus.CANCELLED if rng.random() < CANCELLED_SHARE else SessionStatus.HELD
            sessions.append(
                ActivitySession(
                    essms=essms,
                    activity=activity,
                    starts_at=starts_at,
                    ends_at=starts_at + datetime.timedelta(hours=1),
                    place=activity.default_place,
                    status=status,
                    created_by_id=rng.choice(authors),
                )
            )
            count = min(len(present), rng.randint(*REGISTERED))
            registered.append([usager_id for usager_id, _unit in rng.sample(present, count)])
        day += datetime.timedelta(days=1)
    sessions = ActivitySession.objects.bulk_create(sessions, batch_size=2000)
    Through = ActivitySession.facilitators.through  # noqa: N806 (a model class)
    Through.objects.bulk_create(
        [Through(activitysession_id=s.pk, user_id=s.created_by_id) for s in sessions], batch_size=5000
    )
    rows = []
    for session, persons in zip(sessions, registered, strict=True):
        held = session.status == SessionStatus.HELD
        for usager_id in persons:
            attendance, score, recorded_at = "", None, None
            if held:
                draw = rng.random()
                if draw < ABSENT_SHARE:
                    attendance = Attendance.ABSENT
                elif draw < ABSENT_SHARE + REFUSED_SHARE:
                    attendance = Attendance.REFUSED
                else:
                    attendance = Attendance.PRESENT
                    if rng.random() < SATISFACTION_SHARE:
                        score = rng.choices(range(1, 6), weights=SATISFACTION_WEIGHTS)[0]
                recorded_at = session.ends_at
            rows.append(
                Registration(
                    essms=essms,
                    session_id=session.pk,
                    usager_id=usager_id,
                    attendance=attendance,
                    attendance_recorded_at=recorded_at,
                    satisfaction=score,
                    attendance_recorded_by_id=session.created_by_id if held else None,
                    created_by_id=session.created_by_id,
                )
            )
    Registration.objects.bulk_create(rows, batch_size=5000)
    report.sessions += len(sessions)
    report.registrations += len(rows)


def generate_activities(
    *,
    seed: int,
    years: int,
    today: datetime.date | None = None,
    progress: Callable[[str], None] | None = None,
) -> ActivityReport:
    """Activities of every ESSMS that has none yet, over [today − years, today + 14 days]."""
    rng = random.Random(f"activities-{seed}")  # noqa: S311 (reproducible data, not secrets)
    today = today or timezone.localdate()
    start = today - datetime.timedelta(days=round(365.25 * years))
    tz = timezone.get_current_timezone()
    progress = progress or (lambda message: None)
    report = ActivityReport()
    done = set(Activity.objects.values_list("essms_id", flat=True))
    for essms in Essms.objects.order_by("pk"):
        if essms.pk in done:
            continue
        with transaction.atomic():
            generate_essms(essms, start=start, today=today, rng=rng, tz=tz, report=report)
        progress(f"Activités : {essms.name} ({report.sessions} séances, {report.registrations} inscriptions)")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (Activity, ActivitySession, Registration):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return report

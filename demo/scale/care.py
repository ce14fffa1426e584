"""Scale data of the plan de soins: each person present gets a realistic schedule, and the worklist
rows of a few days around today exist, the past ones validated as a ward would (a few missed).

Runs after the dossiers are generated (demo.scale.generate), or alone on an existing scale data
set (`generate_care_scale_data`). Plan items are bulk-inserted; occurrences go through the same
generation service as the Celery task, so the benchmark reads what production would hold.
"""

import datetime
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from dui.models import Essms, Membership, Metier, Placement, Sejour, SejourStatus
from dui.shifts import Poste
from soins.models import CareAction, CareOccurrence, CarePlanItem, OccurrenceStatus
from soins.services.care import catalogue_ensure_default, occurrences_generate

# A day of care in an EHPAD unit: (catalogue label, poste, time or None for "during the shift", weekdays).
# Ten day items and four night items per person: the reference load of the worklist benchmark.
SCHEDULE: tuple[tuple[str, str, datetime.time | None, str], ...] = (
    ("Toilette complète", Poste.JOUR, datetime.time(8, 0), "1234567"),
    ("Distribution des médicaments", Poste.JOUR, datetime.time(8, 30), "1234567"),
    ("Lever et installation au fauteuil", Poste.JOUR, datetime.time(9, 0), "1234567"),
    ("Prise des constantes", Poste.JOUR, datetime.time(10, 0), "1234567"),
    ("Aide au repas", Poste.JOUR, datetime.time(12, 0), "1234567"),
    ("Change", Poste.JOUR, None, "1234567"),
    ("Prévention d'escarres (changement de position)", Poste.JOUR, datetime.time(14, 0), "1234567"),
    ("Hydratation (proposer à boire)", Poste.JOUR, datetime.time(15, 30), "1234567"),
    ("Surveillance cutanée", Poste.JOUR, None, "1234567"),
    ("Coucher", Poste.JOUR, datetime.time(18, 30), "1234567"),
    ("Change", Poste.NUIT, datetime.time(23, 0), "1234567"),
    ("Prévention d'escarres (changement de position)", Poste.NUIT, datetime.time(2, 0), "1234567"),
    ("Change", Poste.NUIT, datetime.time(5, 0), "1234567"),
    ("Hydratation (proposer à boire)", Poste.NUIT, None, "1234567"),
)
MISSED_SHARE = 0.03
NOT_DONE_SHARE = 0.02
REFUSED_SHARE = 0.03


@dataclass
class CareReport:
    plan_items: int = 0
    occurrences: int = 0
    validated: int = 0
    seconds_by_step: dict[str, float] = field(default_factory=dict)


def _present_placements(essms: Essms, today: datetime.date):
    return (
        Placement.objects.filter(essms=essms, sejour__status=SejourStatus.ACTIVE, starts_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .values_list("usager_id", flat=True)
        .distinct()
    )


def _caregivers(essms: Essms) -> list[int]:
    ids = list(
        Membership.objects.filter(essms=essms, metier__in=[Metier.AIDE_SOIGNANT, Metier.IDE]).values_list(
            "user_id", flat=True
        )
    )
    return ids or list(Membership.objects.filter(essms=essms).values_list("user_id", flat=True)[:1])


def plan_essms(essms: Essms, *, today: datetime.date, rng: random.Random) -> int:
    """Give every person present (not yet planned) the reference schedule; returns the plan items created."""
    catalogue_ensure_default(essms)
    actions = {a.label: a for a in CareAction.objects.filter(essms=essms, is_active=True)}
    authors = _caregivers(essms)
    if not authors:
        return 0
    starts_on = today - datetime.timedelta(days=60)
    rows = []
    already_planned = set(CarePlanItem.objects.filter(essms=essms).values_list("usager_id", flat=True))
    for usager_id in _present_placements(essms, today):
        if usager_id in already_planned:
            continue
        for label, poste, time, weekdays in SCHEDULE:
            action = actions.get(label)
            if action is None:
                continue
            rows.append(
                CarePlanItem(
                    essms=essms,
                    usager_id=usager_id,
                    action=action,
                    metier=action.default_metier or Metier.AIDE_SOIGNANT,
                    weekdays=weekdays,
                    poste=poste,
                    time=time,
                    starts_on=starts_on,
                    created_by_id=rng.choice(authors),
                )
            )
    CarePlanItem.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def validate_past(essms: Essms, *, now: datetime.datetime, rng: random.Random) -> int:
    """Validate the past occurrences as the ward did: most done on time, a few refused, not done or missed."""
    authors = _caregivers(essms)
    past = list(
        CareOccurrence.objects.filter(essms=essms, status=OccurrenceStatus.PENDING, due_before__lt=now).values_list(
            "pk", "due_at"
        )
    )
    updates = []
    for pk, due_at in past:
        draw = rng.random()
        if draw < MISSED_SHARE:
            continue
        if draw < MISSED_SHARE + NOT_DONE_SHARE:
            status, comment = OccurrenceStatus.NOT_DONE, "Personne endormie, reporté à l'équipe suivante."
        elif draw < MISSED_SHARE + NOT_DONE_SHARE + REFUSED_SHARE:
            status, comment = OccurrenceStatus.REFUSED, "Refus de la personne, proposé de nouveau plus tard."
        else:
            status, comment = OccurrenceStatus.DONE, ""
        performed_at = due_at + datetime.timedelta(minutes=rng.randint(0, 50))
        updates.append(
            CareOccurrence(
                pk=pk,
                status=status,
                comment=comment,
                performed_at=performed_at,
                recorded_at=performed_at + datetime.timedelta(seconds=rng.randint(1, 600)),
                validated_by_id=rng.choice(authors),
                idempotency_key=uuid.uuid4(),  # unique across runs, even with the same seed
            )
        )
    CareOccurrence.objects.bulk_update(
        updates,
        ["status", "comment", "performed_at", "recorded_at", "validated_by", "idempotency_key"],
        batch_size=1000,
    )
    return len(updates)


def generate_care(
    *,
    seed: int,
    today: datetime.date | None = None,
    days_back: int = 3,
    days_ahead: int = 1,
    progress: Callable[[str], None] | None = None,
) -> CareReport:
    """Plan items for everyone present in every ESSMS, occurrences of [today - days_back, today + days_ahead]."""
    rng = random.Random(f"care-{seed}")  # noqa: S311 (reproducible data, not secrets)
    today = today or timezone.localdate()
    now = timezone.now()
    progress = progress or (lambda message: None)
    report = CareReport()
    for essms in Essms.objects.order_by("pk"):
        if not Sejour.objects.filter(essms=essms, status=SejourStatus.ACTIVE).exists():
            continue
        with transaction.atomic():
            report.plan_items += plan_essms(essms, today=today, rng=rng)
            report.occurrences += occurrences_generate(
                essms, today - datetime.timedelta(days=days_back), today + datetime.timedelta(days=days_ahead)
            )
            report.validated += validate_past(essms, now=now, rng=rng)
        progress(f"Plan de soins : {essms.name} ({report.plan_items} soins planifiés, {report.occurrences} à valider)")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (CareAction, CarePlanItem, CareOccurrence):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return report

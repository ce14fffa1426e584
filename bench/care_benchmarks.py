"""Benchmarks of the plan de soins (issue 5): a unit's shift worklist, and one validation round trip.

The unit measured is the fixture ESSMS's unit whose number of persons present is nearest to 40
(at least 40 when one has that many), each with the reference schedule of the scale data (ten
day items, four night items); the shift is the day shift running now, or the next one.
The validation posts the JSON the tablet's offline queue sends, on a
new pending item with a new idempotency key at every request: each call records a real validation,
on the unit's items of the following days, so the measured worklist stays as it was.
"""

import datetime
import uuid
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from bench.core import Benchmark, BenchmarkError, Fixture

ISSUE_5 = "issue 5 (plan de soins)"
TARGET_PERSONS = 40

# The shift's occurrences of the persons placed in the unit, with name and room.
WORKLIST_SQL = """
SELECT o.id, o.label, o.metier, o.due_at, o.due_before, o.status, o.comment, o.performed_at, o.validated_by_id,
       u.id, u.birth_name, u.used_name, u.first_names, p.room
FROM ppa_careoccurrence o
JOIN dui_usager u ON u.id = o.usager_id
JOIN dui_placement p ON p.usager_id = o.usager_id AND p.unit_id = %s AND p.starts_on <= %s
     AND (p.ends_on IS NULL OR p.ends_on >= %s)
WHERE o.essms_id = %s AND o.due_at >= %s AND o.due_at < %s
ORDER BY p.room, u.birth_name, o.due_at, o.id
"""

# What the validation has to read and lock: the key lookup and the occurrence by id.
VALIDATION_SQL = "SELECT id, status, idempotency_key FROM ppa_careoccurrence WHERE idempotency_key = %s OR id = %s"


def _shift(fixture: Fixture):
    """The day shift running now, or the next one: the shift with ten items per person."""
    from dui.shifts import Poste, shift_at

    if not hasattr(fixture, "care_shift"):
        shift = shift_at(timezone.now())
        fixture.care_shift = shift if shift.poste == Poste.JOUR else shift.next()
    return fixture.care_shift


def care_unit(fixture: Fixture):
    """The unit of the fixture ESSMS whose persons present today are nearest to 40 (40 or more first)."""
    if not hasattr(fixture, "care_unit"):
        from django.db.models import Count

        from dui.models import Placement, SejourStatus, Unit

        rows = (
            Placement.objects.filter(essms=fixture.essms, sejour__status=SejourStatus.ACTIVE)
            .filter(starts_on__lte=fixture.today)
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=fixture.today))
            .values("unit_id")
            .annotate(n=Count("usager_id", distinct=True))
        )
        ranked = sorted(rows, key=lambda r: (r["n"] < TARGET_PERSONS, abs(r["n"] - TARGET_PERSONS), r["unit_id"]))
        if not ranked:
            raise BenchmarkError("Aucune personne placée : lancez d'abord « generate_scale_data ».")
        fixture.care_unit = Unit.objects.get(pk=ranked[0]["unit_id"])
        fixture.care_unit_persons = ranked[0]["n"]
    return fixture.care_unit


def _worklist_path(fixture: Fixture) -> str:
    shift = _shift(fixture)
    query = {"unite": care_unit(fixture).pk, "poste": shift.poste, "date": shift.date.isoformat()}
    return f"{reverse('worklist')}?{urlencode(query)}"


def _worklist_floor_params(fixture: Fixture) -> list:
    shift = _shift(fixture)
    unit = care_unit(fixture)
    return [unit.pk, shift.date, shift.date, fixture.essms.pk, shift.start, shift.end]


VALIDATION_DAYS = 6


def _pending(fixture: Fixture) -> list[int]:
    """Pending occurrences of the unit in the day shifts before the measured one, generated first as
    opening their worklist does: validating them leaves the measured worklist as it was. (Past ones:
    a coming shift cannot be validated; a past one is validated late, with its reason.)"""
    if not hasattr(fixture, "care_pending"):
        from soins.models import CareOccurrence, OccurrenceStatus
        from soins.services.care import occurrences_generate_for_shift

        measured, unit = _shift(fixture), care_unit(fixture)
        shifts = [measured.previous().previous()]
        for _ in range(VALIDATION_DAYS - 1):
            shifts.insert(0, shifts[0].previous().previous())
        for shift in shifts:
            occurrences_generate_for_shift(fixture.essms.pk, shift, unit=unit)
        fixture.care_pending = list(
            CareOccurrence.objects.filter(
                essms=fixture.essms,
                usager_id__in=_placed_in(unit, measured.date),
                status=OccurrenceStatus.PENDING,
                due_at__gte=shifts[0].start,
                due_at__lt=shifts[-1].end,
            )
            .order_by("due_at", "pk")
            .values_list("pk", flat=True)
        )
    return fixture.care_pending


def _placed_in(unit, day: datetime.date):
    from dui.models import Placement

    return (
        Placement.objects.filter(unit=unit, starts_on__lte=day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .values("usager_id")
    )


def _next_validation_path(fixture: Fixture) -> str:
    pending = _pending(fixture)
    if not pending:
        raise BenchmarkError("Plus aucun soin à valider dans le poste de l'unité mesurée.")
    fixture.care_current = pending.pop(0)
    return reverse("worklist-validate", args=[fixture.care_current])


def _validation_body(fixture: Fixture) -> dict:
    return {
        "unit": care_unit(fixture).pk,
        "status": "done",
        "idempotency_key": str(uuid.uuid4()),
        "performed_at": timezone.now().isoformat(),
        "reason": "Saisie différée",
    }


def _validation_floor_params(fixture: Fixture) -> list:
    return [str(uuid.uuid4()), _pending(fixture)[0] if _pending(fixture) else 0]


CARE_BENCHMARKS: list[Benchmark] = [
    Benchmark(
        name="Liste de soins du poste (unité ~40 personnes)",
        path=_worklist_path,
        floor_sql=WORKLIST_SQL,
        floor_params=_worklist_floor_params,
        target_ms=150,
        target_source=ISSUE_5,
        metier="aide_soignant",
        analyze=("ppa_careoccurrence",),
    ),
    Benchmark(
        name="Validation d'un soin (aller-retour JSON)",
        path=_next_validation_path,
        floor_sql=VALIDATION_SQL,
        floor_params=_validation_floor_params,
        target_ms=100,
        target_source=ISSUE_5,
        metier="aide_soignant",
        body=_validation_body,
        expected_status=(201,),
    ),
]

"""Benchmark of the continuity plan on the scale data (PostgreSQL): one unit's pack (PDF + CSV) generated,
target < 30 s for a unit of 40 persons (issue 17). Prints p50 / p95 against the target.

    DATABASE_URL=postgres://…/dui_bench_copy python bench/continuity_bench.py [--runs 3] [--persons 40]

Picks the open unit whose number of persons present today is closest to --persons. It writes into the
database it is pointed at (the packs, deleted again at the end; the care occurrences the worklists
generate; access-log rows) and keeps the files in a temporary MEDIA_ROOT: run it on a copy of the
scale base (`createdb -T dui_bench dui_bench_copy`), never on the shared one.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 30_000


def unit_of_size(persons: int):
    """(unit, persons present today) of the open unit closest to `persons` (ties: the larger unit)."""
    from django.db.models import Count, Exists, OuterRef, Q
    from django.utils import timezone

    from dui.models import Absence, Placement, Unit

    today = timezone.localdate()
    covering = Q(starts_on__lte=today) & (Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    absent = Absence.objects.filter(sejour_id=OuterRef("sejour_id")).filter(covering)
    counts = (
        Placement.objects.filter(covering, unit__is_active=True)
        .exclude(Exists(absent))
        .values("unit_id")
        .annotate(n=Count("usager_id", distinct=True))
    )
    best = min(counts, key=lambda row: (abs(row["n"] - persons), -row["n"]), default=None)
    if best is None:
        return None, 0
    return Unit.objects.select_related("essms").get(pk=best["unit_id"]), best["n"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--persons", type=int, default=40)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="continuity-bench-"))
    import django

    django.setup()
    from django.db import connection

    from continuity.models import ContinuityPack, PackKind
    from continuity.services import pack_generate

    if connection.vendor != "postgresql":
        print("Attention : base non PostgreSQL, mesure indicative seulement.")
    unit, present = unit_of_size(args.persons)
    if unit is None:
        print("Aucune unité ouverte avec des personnes présentes : lancez generate_scale_data.")
        return 1
    print(f"Unité « {unit.name} » ({unit.essms.name}) : {present} personnes présentes.")
    samples, made = [], []
    for _ in range(args.runs):
        started = time.perf_counter()
        pack = pack_generate(unit_id=unit.pk, kind=PackKind.ON_DEMAND)
        samples.append((time.perf_counter() - started) * 1000)
        made.append(pack)
        size = pack.pdf.size // 1024
        print(f"  pack {pack.pk} : {pack.persons_count} personnes, PDF {size} Kio, {samples[-1]:.0f} ms")
    for pack in made:  # leave the base as it was (the files are in the temporary MEDIA_ROOT)
        pack.pdf.delete(save=False)
        pack.csv.delete(save=False)
    ContinuityPack.objects.filter(pk__in=[p.pk for p in made]).delete()
    p50 = statistics.median(samples)
    p95 = sorted(samples)[max(0, round(0.95 * len(samples)) - 1)]
    verdict = "OK" if p95 < TARGET_MS else "DÉPASSÉ"
    print(f"{'Continuity pack, one unit':<40} n={len(samples):<3} p50={p50:>9.1f} ms  p95={p95:>9.1f} ms  "
          f"cible={TARGET_MS} {verdict}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())

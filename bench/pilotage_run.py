"""Benchmarks of pilotage on the scale data (PostgreSQL): facts rebuild and nightly run, dashboards,
API, headquarters' consolidation and the annual report PDF. Prints p50 / p95 against the targets.

    DATABASE_URL=postgres://…/dui_bench_copy python bench/pilotage_run.py [--runs 20]

Writes into the database it is pointed at (facts, one report, a benchmark membership): run it
on a copy of the scale base, never on the shared one.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS_MS = {
    "ESSMS dashboard, one year (page)": 300,
    "ESSMS indicators, one year (API)": 300,
    "OG side by side, one year (page)": 1000,
    "20 ESSMS consolidated, one year": 1000,
    "Nightly facts, one day, whole base": 60_000,
    "Annual report PDF (ESSMS)": 10_000,
}


def timed(fn, runs: int, warmup: int = 2) -> list[float]:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def report(name: str, samples: list[float]) -> None:
    p50 = statistics.median(samples)
    p95 = sorted(samples)[max(0, round(0.95 * len(samples)) - 1)]
    target = TARGETS_MS.get(name)
    verdict = "" if target is None else ("OK" if p95 < target else "DÉPASSÉ")
    print(f"{name:<40} n={len(samples):<3} p50={p50:>9.1f} ms  p95={p95:>9.1f} ms  cible={target or '-'} {verdict}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--skip-rebuild", action="store_true", help="Facts already built: measure the rest.")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db.models import Count
    from django.test import Client
    from django.utils import timezone

    from dui.middleware import SESSION_KEY
    from dui.models import Essms, EssmsKind, Membership, Metier, User
    from pilotage import facts
    from pilotage.models import FactsWatermark
    from pilotage.periods import preset
    from pilotage.selectors import _consolidated, side_by_side
    from pilotage.services.reports import render_report

    settings.ALLOWED_HOSTS = ["*"]
    settings.SECURE_SSL_REDIRECT = False
    # No collectstatic on a bench machine: plain static storage (no manifest).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    year = preset("year", yesterday - datetime.timedelta(days=200))

    if not args.skip_rebuild:
        started = time.perf_counter()
        rows = facts.rebuild(until=yesterday - datetime.timedelta(days=1))
        print(f"Full rebuild of the facts: {rows} rows in {time.perf_counter() - started:.1f} s")
    report("Nightly facts, one day, whole base", timed(lambda: _night(facts, FactsWatermark, yesterday), 3, 0))

    essms = Essms.objects.filter(kind=EssmsKind.EHPAD).annotate(n=Count("units__placements")).order_by("-n").first()
    director = User.objects.filter(memberships__essms=essms, memberships__metier=Metier.DIRECTION).first()
    membership = Membership.objects.filter(user=director, essms=essms).first()
    client = Client(HTTP_X_FORWARDED_PROTO="https")
    client.force_login(director)
    session = client.session
    session[SESSION_KEY] = membership.pk
    session.save()
    query = {"start": year.start.isoformat(), "end": year.end.isoformat()}
    assert client.get("/pilotage/", query).status_code == 200
    report("ESSMS dashboard, one year (page)", timed(lambda: client.get("/pilotage/", query), args.runs))
    report("ESSMS indicators, one year (API)", timed(lambda: client.get("/api/v1/indicators/", query), args.runs))
    report("OG side by side, one year (page)", timed(lambda: client.get("/pilotage/siege/", query), args.runs))
    every = list(Essms.objects.order_by("name"))
    report(
        "20 ESSMS consolidated, one year",
        timed(lambda: _consolidated([v for _, v in side_by_side(every, year)]), max(3, args.runs // 4)),
    )
    from pilotage.models import AnnualReport

    def one_report():
        r = AnnualReport.objects.create(
            og=essms.og, essms=essms, year=year.start.year, version=999, requested_by=director
        )
        render_report(r.pk)
        r.file.delete(save=False)
        r.delete()

    report("Annual report PDF (ESSMS)", timed(one_report, 3, 1))
    print(f"ESSMS measured: {essms} ({len(every)} ESSMS in the base)")
    return 0


def _night(facts, watermark, yesterday):
    watermark.objects.update(computed_until=yesterday - datetime.timedelta(days=1))
    facts.nightly(until=yesterday)


if __name__ == "__main__":
    raise SystemExit(main())

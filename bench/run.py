"""Benchmark runner: key pages and API calls through the full Django stack, beside a SQL floor.

    DATABASE_URL=postgres://… python bench/run.py [--quick] [--json bench/results/latest.json]

Run against PostgreSQL after `python manage.py generate_scale_data`. Prints a table (p50, p95,
target, queries per request, floor, ratio) and writes the JSON. Never part of the test suite.
"""

import argparse
import datetime
import json
import os
import platform
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_JSON = ROOT / "bench" / "results" / "latest.json"


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Mesure les écrans et l'API sur PostgreSQL (données de volume).")
    parser.add_argument("--quick", action="store_true", help="10 requêtes par mesure au lieu de 50.")
    parser.add_argument("--runs", type=int, help="Requêtes mesurées par mesure (défaut : 50, ou 10 avec --quick).")
    parser.add_argument("--warmup", type=int, help="Requêtes d'échauffement non mesurées (défaut : 5, ou 2).")
    parser.add_argument(
        "--json", default=str(DEFAULT_JSON), help=f"Fichier JSON des résultats (défaut : {DEFAULT_JSON})."
    )
    parser.add_argument("--only", default="", help="Ne lancer que les mesures dont le nom contient ce texte.")
    parser.add_argument("--essms", default="", help="FINESS de l'ESSMS mesuré (défaut : l'EHPAD le plus rempli).")
    parser.add_argument(
        "--show-queries", action="store_true", help="Afficher les requêtes SQL les plus lentes de chaque mesure."
    )
    parser.add_argument("--strict", action="store_true", help="Code de sortie 1 si une cible est dépassée.")
    parser.add_argument(
        "--heure",
        type=datetime.time.fromisoformat,
        help="Mesurer comme s'il était cette heure de Paris aujourd'hui (ex. 10:00 : liste de soins en plein poste).",
    )
    return parser.parse_args(argv)


def shift_clock(wall: datetime.time) -> None:
    """Make django.utils.timezone.now tell today's `wall` (Paris), ticking from there: a worklist
    measured at night shows a shift still to come (no form to validate) and costs less than at 10:00."""
    from django.utils import timezone

    from dui.shifts import SHIFT_TIMEZONE

    real_now = timezone.now
    offset = datetime.datetime.combine(timezone.localdate(), wall, tzinfo=SHIFT_TIMEZONE) - real_now()
    timezone.now = lambda: real_now() + offset


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    # The runner serves no static file: WhiteNoise's notice about a missing STATIC_ROOT is noise here.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def run_selector_benchmark(benchmark, fixture, *, runs: int, warmup: int):
    """A selector called directly, timed like a page (queries counted, floor beside it)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.core import Result, measure

    call = benchmark.call(fixture)
    user, membership = fixture.acting(benchmark.metier)
    for _ in range(warmup):
        call()
    with CaptureQueriesContext(connection) as captured:
        call()
    queries = len(captured.captured_queries)
    slowest = sorted(
        ((float(q["time"]) * 1000, q["sql"]) for q in captured.captured_queries), key=lambda item: -item[0]
    )[:5]
    stack = measure(call, runs=runs, warmup=0)
    params = list(benchmark.floor_params(fixture))
    fetched = []

    def floor():
        with connection.cursor() as cursor:
            cursor.execute(benchmark.floor_sql, params)
            fetched[:] = cursor.fetchall()

    return Result(
        name=benchmark.name,
        url=f"{benchmark.call.__module__}.{benchmark.call.__name__}",
        runs=runs,
        stack=stack,
        queries=queries,
        slowest=slowest,
        floor=measure(floor, runs=runs, warmup=warmup),
        floor_rows=len(fetched),
        target_ms=benchmark.target_ms,
        target_source=benchmark.target_source,
        acting=f"{user.username} ({membership.get_metier_display()}), sans page",
        status=200,
    )


def main(argv=None) -> int:
    args = parse_args(argv)
    setup_django()

    from django.conf import settings
    from django.db import connection
    from django.test.utils import override_settings
    from django.utils import timezone

    from bench.benchmarks import BENCHMARKS, SELECTOR_BENCHMARKS
    from bench.core import BenchmarkError, build_fixture, format_table, run_benchmark
    from dui.models import AccessLog, Document, Essms, Sejour, Usager
    from transmissions.models import Transmission

    if connection.vendor != "postgresql":
        print(
            "Les benchmarks se mesurent sur PostgreSQL, pas sur "
            f"{connection.vendor} : définissez DATABASE_URL=postgres://… (voir bench/README.md).",
            file=sys.stderr,
        )
        return 2
    if args.heure is not None:
        shift_clock(args.heure)
    runs = args.runs or (10 if args.quick else 50)
    warmup = args.warmup if args.warmup is not None else (2 if args.quick else 5)
    selected = [b for b in BENCHMARKS if args.only.lower() in b.name.lower()]
    selected_selectors = [b for b in SELECTOR_BENCHMARKS if args.only.lower() in b.name.lower()]
    if not selected and not selected_selectors:
        print(f"Aucune mesure ne contient « {args.only} ».", file=sys.stderr)
        return 2

    # Static URLs without a collected manifest; the test client's host; HTTPS as behind the proxy.
    overrides = override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
    )
    with overrides:
        try:
            fixture = build_fixture(essms_finess=args.essms)
        except LookupError as error:
            print(str(error), file=sys.stderr)
            return 2
        dataset = {
            "essms": Essms.objects.count(),
            "usagers": Usager.objects.count(),
            "sejours": Sejour.objects.count(),
            "documents": Document.objects.count(),
            "access_log_before": AccessLog.objects.count(),
        }
        print(
            f"Base {settings.DATABASES['default']['NAME']} : {dataset['essms']} ESSMS, {dataset['usagers']} usagers, "
            f"{dataset['sejours']} séjours, {dataset['documents']} documents."
        )
        print(
            f"ESSMS mesuré : {fixture.essms} ({fixture.essms.finess}), unité « {fixture.unit} », "
            f"dossier n° {fixture.usager.pk}, recherche « {fixture.query} » ; "
            f"{runs} requêtes par mesure après {warmup} d'échauffement."
        )
        load_before = os.getloadavg()
        results = []
        for benchmark in selected:
            try:
                result = run_benchmark(benchmark, fixture, runs=runs, warmup=warmup)
            except BenchmarkError as error:
                print(str(error), file=sys.stderr)
                return 1
            results.append(result)
            print(f"  {result.name} : p95 {result.stack.p95:.1f} ms ({result.acting})", flush=True)
            if args.show_queries:
                for ms, sql in result.slowest:
                    print(f"      {ms:7.2f} ms  {sql[:400]}")
        for benchmark in selected_selectors:
            result = run_selector_benchmark(benchmark, fixture, runs=runs, warmup=warmup)
            results.append(result)
            print(f"  {result.name} : p95 {result.stack.p95:.1f} ms ({result.acting})", flush=True)
            if args.show_queries:
                for ms, sql in result.slowest:
                    print(f"      {ms:7.2f} ms  {sql[:400]}")
        dataset["access_log_after"] = AccessLog.objects.count()
        dataset["transmissions"] = Transmission.objects.count()

    print()
    print(format_table(results))
    print()
    print(
        "Plancher : la même donnée lue par une seule requête SQL écrite à la main ; "
        "ratio = p95 de la pile complète / p95 du plancher ; CPU p50 = temps processeur Python par requête "
        "(peu sensible à la charge de la machine)."
    )
    print(
        f"Charge de la machine (1 min) : {load_before[0]:.2f} avant, {os.getloadavg()[0]:.2f} après "
        f"({os.cpu_count()} cœurs)."
    )
    report = {
        "generated_at": timezone.now().isoformat(),
        "runs": runs,
        "warmup": warmup,
        "database": {
            "vendor": connection.vendor,
            "name": settings.DATABASES["default"]["NAME"],
            "server_version": connection.pg_version,
        },
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load_1min_before": round(load_before[0], 2),
            "load_1min_after": round(os.getloadavg()[0], 2),
        },
        "dataset": dataset,
        "fixture": {
            "essms": fixture.essms.name,
            "finess": fixture.essms.finess,
            "unit": fixture.unit.name,
            "usager_id": fixture.usager.pk,
            "query": fixture.query,
        },
        "benchmarks": [result.as_dict() for result in results],
    }
    if args.json:
        path = Path(args.json)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"Résultats écrits dans {path}.")
    if args.strict and any(result.passed is False for result in results):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

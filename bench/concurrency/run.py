"""Concurrency benchmark runner: gunicorn on the scale database, locust headless for each N.

    DATABASE_URL=postgres://… python bench/concurrency/run.py --users 20,40,80 --duration 60

1. Collects the static files, creates (once; rerunning reuses them) one professional (IDE) per simulated user, with a
   password and memberships in a few ESSMS of the scale data, and writes the plan the locustfile
   reads (accounts, ESSMS, units, persons, URLs).
2. Starts gunicorn (4 workers by default) on that database, DEBUG=0, plain HTTP (no HTTPS
   redirect, no secure-only cookies: the proxy's part in production).
3. Runs locust headless for each N (users started over 5 s, each logging in first), and measures
   the last `--duration` seconds after `--warmup` seconds (logins left out: a password hash
   each, once a shift); prints a table (req/s, p50/p95/p99, errors), also written as markdown.

Final figures are taken on an idle machine (bench/README.md). Never part of the test suite.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

PASSWORD = "Releve-Tablette-Nuit-42"  # noqa: S105 (the bench accounts' password, on a bench database only)
USERNAME = "charge.ide.{:03d}"
ESSMS_PER_USER = 3
PERSONS_PER_PLACE = 30
DEFAULT_MARKDOWN = ROOT / "bench" / "results" / "concurrency.md"


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Test de charge : N professionnels, une relève de poste.")
    parser.add_argument("--users", default="20,40,80", help="Nombres d'utilisateurs simultanés (défaut : 20,40,80).")
    parser.add_argument("--duration", type=int, default=60, help="Secondes de mesure par palier (défaut : 60).")
    parser.add_argument(
        "--warmup", type=int, default=15, help="Secondes non mesurées au début de chaque palier (défaut : 15)."
    )
    parser.add_argument("--workers", type=int, default=4, help="Workers gunicorn (défaut : 4).")
    parser.add_argument("--port", type=int, default=8765, help="Port de gunicorn (défaut : 8765).")
    parser.add_argument("--markdown", default=str(DEFAULT_MARKDOWN), help="Tableau écrit en markdown ici.")
    return parser.parse_args(argv)


# --- 1. Accounts and plan (Django) --------------------------------------------------------------


def setup_accounts(count: int) -> dict:
    """The bench accounts (created once, reused) and what each may open: idempotent."""
    from bench.run import setup_django

    setup_django()
    from django.contrib.auth.password_validation import validate_password
    from django.core.management import call_command
    from django.urls import reverse

    from dui.models import Essms, Membership, Metier, User
    from dui.selectors.active_file import active_file
    from dui.services import membership_create

    # gunicorn serves the static files with WhiteNoise's manifest, as in production.
    call_command("collectstatic", "--noinput", verbosity=0)
    establishments = list(Essms.objects.order_by("pk"))
    if not establishments:
        raise SystemExit("Base vide : lancez d'abord « python manage.py generate_scale_data ».")
    accounts = []
    for number in range(count):
        username = USERNAME.format(number + 1)
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, first_name="Charge", last_name=f"IDE {number + 1}")
        if user.pk is None or not user.check_password(PASSWORD):
            validate_password(PASSWORD, user)
            user.set_password(PASSWORD)
            user.full_clean()
            user.save()
        wanted = [establishments[(number + k) % len(establishments)] for k in range(ESSMS_PER_USER)]
        for essms in dict.fromkeys(wanted):
            if not Membership.objects.active().filter(user=user, essms=essms, metier=Metier.IDE).exists():
                membership_create(user=user, essms_finess=essms.finess, metier=Metier.IDE)
        places = []
        for membership in Membership.objects.active().filter(user=user).select_related("essms").order_by("pk"):
            user.membership = membership  # acting in that ESSMS, as the middleware would
            people = list(active_file(user)[0].values_list("pk", "current_unit_id")[:PERSONS_PER_PLACE])
            units = sorted({unit for _pk, unit in people if unit})
            if people and units:
                places.append(
                    {
                        "activate_url": reverse("switch-essms", args=[membership.pk]),
                        "unit_ids": units,
                        "usager_ids": [pk for pk, _unit in people],
                    }
                )
        accounts.append({"username": username, "places": places})
    urls = {
        "login": reverse("login"),
        "active_file": reverse("usager-list"),
        "handover": reverse("handover"),
        "worklist": reverse("worklist"),
        "transmission_create": reverse("transmission-create"),
        "feed": reverse("transmission-feed"),
        "dossier": reverse("usager-detail", args=[987654321]).replace("987654321", "{id}"),
    }
    return {"password": PASSWORD, "urls": urls, "accounts": accounts}


# --- 2. gunicorn ----------------------------------------------------------------------------------


def server_env() -> dict:
    env = dict(os.environ)
    env.update(
        DEBUG="0",
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        SECURE_HSTS_SECONDS="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        AXES_FAILURE_LIMIT="1000",
        LOG_LEVEL="WARNING",
        PYTHONPATH=f"{ROOT}{os.pathsep}{env.get('PYTHONPATH', '')}",
    )
    return env


def start_gunicorn(args) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [str(gunicorn), "config.wsgi", "--workers", str(args.workers), "--bind", f"127.0.0.1:{args.port}"]
    command += ["--log-level", "warning"]
    server = subprocess.Popen(command, cwd=ROOT, env=server_env(), stdout=subprocess.DEVNULL)  # noqa: S603
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{args.port}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("gunicorn n'a pas répondu sur /healthz en 60 s.")


# --- 3. locust ------------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))] if ordered else 0.0


def run_locust(users: int, args, plan_path: Path, folder: Path) -> dict:
    """One level: `users` professionals for warm-up + duration seconds; the samples of the last
    `duration` seconds (logins and the warm-up left out) make the figures."""
    samples_path = folder / f"n{users}.json"
    command = [
        str(Path(sys.executable).with_name("locust")),
        "-f", str(Path(__file__).with_name("locustfile.py")),
        "--headless", "--users", str(users), "--spawn-rate", str(max(1, users // 5)),
        "--run-time", f"{args.warmup + args.duration}s", "--host", f"http://127.0.0.1:{args.port}",
        "--only-summary", "--loglevel", "WARNING",
    ]  # fmt: skip
    env = {**os.environ, "BENCH_PLAN": str(plan_path), "BENCH_SAMPLES": str(samples_path)}
    started = time.time()
    subprocess.run(command, env=env, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
    kept = [s for s in json.loads(samples_path.read_text(encoding="utf-8")) if s[0] >= started + args.warmup]
    times = [ms for _when, _name, ms, _ok in kept]
    by_name: dict[str, list] = {}
    for _when, name, ms, ok in kept:
        by_name.setdefault(name, []).append((ms, ok))
    return {
        "users": users,
        "requests": len(kept),
        "rps": len(kept) / args.duration,
        "p50": percentile(times, 50),
        "p95": percentile(times, 95),
        "p99": percentile(times, 99),
        "errors": sum(1 for *_rest, ok in kept if not ok),
        "by_name": {
            name: (percentile([ms for ms, _ok in rows], 95), sum(1 for _ms, ok in rows if not ok))
            for name, rows in by_name.items()
        },
    }


def table(results: list[dict]) -> str:
    lines = [
        "| Utilisateurs | Requêtes | req/s | p50 ms | p95 ms | p99 ms | Erreurs |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        errors = f"{r['errors']} ({100 * r['errors'] / max(r['requests'], 1):.1f} %)"
        lines.append(
            f"| {r['users']} | {r['requests']} | {r['rps']:.1f} | {r['p50']:.0f} | {r['p95']:.0f} "
            f"| {r['p99']:.0f} | {errors} |"
        )
    return "\n".join(lines)


def main(argv=None) -> int:
    args = parse_args(argv)
    levels = [int(n) for n in args.users.split(",") if n.strip()]
    if not levels or min(levels) < 1:
        print("--users : une liste d'entiers positifs, par exemple 20,40,80.", file=sys.stderr)
        return 2
    plan = setup_accounts(max(levels))
    if not any(account["places"] for account in plan["accounts"]):
        print("Aucune personne en séjour dans les ESSMS des comptes de test.", file=sys.stderr)
        return 2
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as folder:
        plan_path = Path(folder) / "plan.json"
        plan_path.write_text(json.dumps(plan), encoding="utf-8")
        server = start_gunicorn(args)
        try:
            results = []
            for users in levels:
                print(f"{users} utilisateurs pendant {args.duration} s…", flush=True)
                results.append(run_locust(users, args, plan_path, Path(folder)))
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    load_after = os.getloadavg()[0]
    cores = os.cpu_count()
    report = (
        f"Test de charge du {time.strftime('%d/%m/%Y %H:%M UTC', time.gmtime())} : gunicorn {args.workers} workers, "
        f"{args.duration} s mesurées par palier après {args.warmup} s, {cores} cœurs, "
        f"charge de la machine {load_before:.1f} avant, "
        f"{load_after:.1f} après{' (machine partagée)' if load_before > 1 else ''}.\n\n{table(results)}\n"
    )
    slowest = max(results, key=lambda r: r["users"])
    report += "\np95 par page au palier le plus haut :\n\n" + "\n".join(
        f"- {name} : {p95:.0f} ms{f', {errors} erreurs' if errors else ''}"
        for name, (p95, errors) in sorted(slowest["by_name"].items())
    )
    print(report)
    Path(args.markdown).parent.mkdir(parents=True, exist_ok=True)
    Path(args.markdown).write_text(report + "\n", encoding="utf-8")
    print(f"Tableau écrit dans {args.markdown}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

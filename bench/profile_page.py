"""Where a page's CPU goes: one page benchmark of bench/run.py replayed under py-spy.

    DATABASE_URL=postgres://… python bench/profile_page.py --only "Fil des transmissions (page 1)"

py-spy samples the stacks of a child process that requests the page in a loop (idle time,
waiting for PostgreSQL, is not sampled: the shares are shares of CPU). Prints the CPU per view
(process time, as bench/core.py's "CPU p50"), the share of the samples spent in each part of
the page (a sample counts for every part on its stack) and the functions that run the most
themselves. Needs `pip install py-spy` (root, or ptrace allowed). Never part of the test suite.
"""

import argparse
import collections
import datetime
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Parts of a page: a sample belongs to a part when one of its frames matches (file, function).
PARTS = (
    ("rendu des gabarits", "django/template/", ""),
    ("requêtes SQL (ORM + pilote)", "django/db/models/sql/compiler.py", "execute_sql"),
    ("construction des objets du résultat", "django/db/models/query.py", "__iter__"),
    ("journal des accès", "dui/audit.py", ""),
    ("formulaire de filtres du fil", "transmissions/forms.py", ""),
    ("sélecteur du fil (feed_page)", "transmissions/selectors/feed.py", "feed_page"),
    ("open_worklist", "soins/selectors/", "open_worklist"),
    ("étiquettes de gabarit du projet", "/templatetags/", ""),
    ("middlewares et session", "django/contrib/sessions/", ""),
)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Profil CPU (py-spy) d'une page de bench/run.py.")
    parser.add_argument("--only", required=True, help="Nom (ou partie du nom) de la mesure.")
    parser.add_argument("--runs", type=int, default=200, help="Vues demandées (défaut : 200).")
    parser.add_argument("--top", type=int, default=12, help="Fonctions affichées (défaut : 12).")
    parser.add_argument("--essms", default="", help="FINESS de l'ESSMS mesuré (défaut : le plus rempli).")
    parser.add_argument("--rate", type=int, default=250, help="Échantillons par seconde (défaut : 250).")
    parser.add_argument("--keep", default="", help="Garder les piles brutes de py-spy dans ce fichier.")
    parser.add_argument(
        "--heure", type=datetime.time.fromisoformat, help="Heure de Paris simulée, comme pour bench/run.py (ex. 10:00)."
    )
    parser.add_argument("--loop", action="store_true", help=argparse.SUPPRESS)  # the sampled child
    return parser.parse_args(argv)


def measured(client, url: str, runs: int) -> float:
    """The sampled views (summarise keeps only the stacks under this function); CPU ms per view."""
    started = time.process_time()
    for _ in range(runs):
        client.get(url, secure=True)
    return (time.process_time() - started) * 1000 / runs


def loop(args) -> int:
    """The child: the page requested `runs` times after a warm-up; prints the CPU per view."""
    from bench.run import setup_django, shift_clock

    setup_django()
    if args.heure is not None:
        shift_clock(args.heure)
    from django.conf import settings
    from django.test.utils import override_settings

    from bench.benchmarks import BENCHMARKS
    from bench.core import build_fixture, client_for

    selected = [b for b in BENCHMARKS if args.only.lower() in b.name.lower() and b.body is None]
    if not selected:
        print(f"Aucune mesure de page ne contient « {args.only} ».", file=sys.stderr)
        return 2
    benchmark = selected[0]
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(
        STORAGES={**settings.STORAGES, "staticfiles": static},
        ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
    ):
        fixture = build_fixture(essms_finess=args.essms)
        if benchmark.setup is not None:
            benchmark.setup(fixture)
        client, acting = client_for(benchmark, fixture)
        url = benchmark.path(fixture)
        for _ in range(5):
            client.get(url, secure=True)
        cpu_ms = measured(client, url, args.runs)
    print(f"{benchmark.name} — {url} — {acting}")
    print(f"CPU par vue (profil attaché) : {cpu_ms:.1f} ms sur {args.runs} vues")
    return 0


WAITS = {"Connection.wait"}


def _function(frame: str) -> str:
    """ "Class.method (file:line)" → "Class.method"."""
    return frame.partition(" (")[0]


def summarise(collapsed: str, top: int) -> str:
    """Shares of the samples of py-spy's raw output ("frame;frame;… count" per line).

    Only the measured views count (stacks under `measured`). A sample whose innermost frame
    waits for PostgreSQL's answer (psycopg's Connection.wait, which py-spy sees as active) is
    waiting, not computing: it is counted apart and left out of the shares."""
    own, parts = collections.Counter(), collections.Counter()
    total = waiting = 0
    for line in collapsed.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = stack.split(";")
        if not any(f.startswith("measured (") and "profile_page.py" in f for f in frames):
            continue  # set-up and warm-up, not the measured views
        if _function(frames[-1]) in WAITS:
            waiting += int(count)
            continue
        total += int(count)
        own[frames[-1]] += int(count)
        for name, where, function in PARTS:
            if any(where in f and (not function or _function(f).endswith(function)) for f in frames):
                parts[name] += int(count)
    if not total:
        return "Aucun échantillon dans la boucle mesurée."
    lines = [
        f"Échantillons : {total} en calcul, {waiting} en attente de PostgreSQL (non comptés)",
        "Part du CPU par partie de la page (inclusive) :",
    ]
    lines += [f"  {100 * parts[name] / total:5.1f} %  {name}" for name, _w, _f in PARTS if parts[name]]
    lines.append("Fonctions les plus coûteuses (temps propre) :")
    for frame, count in own.most_common(top):
        short = frame.replace(str(ROOT) + "/", "").split("site-packages/")[-1]
        lines.append(f"  {100 * count / total:5.1f} %  {short}")
    return "\n".join(lines)


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.loop:
        return loop(args)
    spy = Path(sys.executable).with_name("py-spy")
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "profil.txt"
        # The child starts as this process did (a launcher before the script is kept).
        script = next(i for i, arg in enumerate(sys.orig_argv) if arg.endswith("profile_page.py"))
        child = [*sys.orig_argv[: script + 1], "--loop", "--only", args.only, "--runs", str(args.runs)]
        if args.essms:
            child += ["--essms", args.essms]
        if args.heure is not None:
            child += ["--heure", args.heure.isoformat(timespec="minutes")]
        command = [str(spy), "record", "--format", "raw", "--rate", str(args.rate), "-o", str(output), "--"]
        # Our own interpreter and py-spy, arguments built here: nothing untrusted is run.
        result = subprocess.run(  # noqa: S603
            [*command, *child], env=os.environ, capture_output=True, text=True, check=False
        )
        print(result.stdout.strip())
        if result.returncode != 0 or not output.exists():
            print(result.stderr.strip(), file=sys.stderr)
            return result.returncode or 1
        print(summarise(output.read_text(), args.top))
        if args.keep:
            Path(args.keep).write_text(output.read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())

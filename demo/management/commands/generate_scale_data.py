"""Scale data for the benchmarks: organismes, ESSMS, professionals and years of dossiers, in bulk.

    python manage.py generate_scale_data --essms 20 --persons 300 --years 5 [--seed N] [--append]

Refuses a database that already holds ESSMS or usagers, unless --append.
"""

from django.core.management.base import BaseCommand, CommandError

from demo.scale import (
    DEFAULT_BATCH_SIZE,
    DEFAULT_TRANSMISSIONS_PER_PERSON_YEAR,
    Report,
    ScaleDataRefusedError,
    generate,
)


def _number(value: float) -> str:
    return f"{value:,.0f}".replace(",", "\u202f")


class Command(BaseCommand):
    help = (
        "Génère un jeu de données réaliste à l'échelle d'un organisme (ESSMS, professionnels, usagers, "
        "séjours, entourage, données médicales, rendez-vous, documents, transmissions), reproductible avec --seed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--essms", type=int, default=20, help="Nombre d'ESSMS (défaut : 20).")
        parser.add_argument(
            "--persons", type=int, default=300, help="Personnes accompagnées aujourd'hui par ESSMS (défaut : 300)."
        )
        parser.add_argument("--years", type=int, default=5, help="Années d'historique (défaut : 5).")
        parser.add_argument("--seed", type=int, default=2026, help="Graine du hasard (défaut : 2026).")
        parser.add_argument(
            "--append",
            action="store_true",
            help="Ajouter un jeu de données à une base qui contient déjà des ESSMS ou des usagers.",
        )
        parser.add_argument(
            "--transmissions-per-person-year",
            type=int,
            default=DEFAULT_TRANSMISSIONS_PER_PERSON_YEAR,
            help=(
                "Transmissions par personne et par année de séjour dans la période, plus les notes d'unité, "
                "les événements et les accusés de lecture ; 0 : aucune "
                f"(défaut : {DEFAULT_TRANSMISSIONS_PER_PERSON_YEAR}, "
                "environ 2 millions pour la taille par défaut)."
            ),
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH_SIZE,
            help=f"Lignes par insertion groupée (défaut : {DEFAULT_BATCH_SIZE}).",
        )

    def handle(self, *args, **options):
        for name in ("essms", "persons", "years", "batch_size"):
            if options[name] < 1:
                raise CommandError(f"--{name.replace('_', '-')} doit être un entier positif.")
        if options["transmissions_per_person_year"] < 0:
            raise CommandError("--transmissions-per-person-year doit être un entier positif ou nul.")
        self.stdout.write(
            f"Génération : {options['essms']} ESSMS × {options['persons']} personnes × {options['years']} ans "
            f"(graine {options['seed']})…"
        )
        progress = self.stdout.write if options["verbosity"] >= 1 else None
        try:
            report = generate(
                essms=options["essms"],
                persons=options["persons"],
                years=options["years"],
                seed=options["seed"],
                append=options["append"],
                batch_size=options["batch_size"],
                progress=progress,
                transmissions_per_person_year=options["transmissions_per_person_year"],
            )
        except ScaleDataRefusedError as refused:
            raise CommandError(
                f"La base contient déjà des données ({refused}) : rien n'a été écrit. Relancez avec --append "
                "pour ajouter ce jeu de données à côté de l'existant, ou utilisez une base vide."
            ) from refused
        self._report(report)

    def _report(self, report: Report) -> None:
        rows = [("Table", "Lignes", "Secondes", "Lignes/s")]
        for label, stat in report.tables.items():
            rate = stat.rows / stat.seconds if stat.seconds else 0
            rows.append((label, _number(stat.rows), f"{stat.seconds:.2f}", _number(rate)))
        insert_rate = report.rows / report.insert_seconds if report.insert_seconds else 0
        rows.append(("Total (insertions)", _number(report.rows), f"{report.insert_seconds:.2f}", _number(insert_rate)))
        widths = [max(len(row[i]) for row in rows) for i in range(4)]

        def line(row):
            return "  ".join(
                cell.ljust(width) if i == 0 else cell.rjust(width)
                for i, (cell, width) in enumerate(zip(row, widths, strict=True))
            )

        self.stdout.write("")
        self.stdout.write(line(rows[0]))
        self.stdout.write("  ".join("-" * width for width in widths))
        for row in rows[1:]:
            self.stdout.write(line(row))
        overall = report.rows / report.seconds if report.seconds else 0
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                f"{_number(report.rows)} lignes écrites en {report.seconds:.1f} s "
                f"({_number(overall)} lignes/s, génération et validation de la transaction comprises)."
            )
        )
        if report.analyse_seconds:
            self.stdout.write(f"Statistiques du planificateur PostgreSQL (ANALYZE) : {report.analyse_seconds:.1f} s.")
        self.stdout.write(f"Organismes : {', '.join(report.og_names)}.")
        self.stdout.write(
            f"Mot de passe commun des comptes générés : {report.password} "
            "(identifiants : prenom.nom, voir la table des utilisateurs)."
        )

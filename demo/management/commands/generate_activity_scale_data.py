"""Add the activities to an existing scale data set (generate_scale_data does it for a new one).

python manage.py generate_activity_scale_data [--years 5] [--seed N]
"""

from django.core.management.base import BaseCommand, CommandError

from activities.models import Activity
from demo.scale.activities import generate_activities


class Command(BaseCommand):
    help = "Ajoute les activités (séances, inscriptions, présences) au jeu de données de mesure."

    def add_arguments(self, parser):
        parser.add_argument("--years", type=int, default=5, help="Années d'historique (défaut : 5).")
        parser.add_argument("--seed", type=int, default=2026, help="Graine du hasard (défaut : 2026).")

    def handle(self, *args, **options):
        if not 1 <= options["years"] <= 10:
            raise CommandError("--years doit être entre 1 et 10.")
        if Activity.objects.exists():
            raise CommandError("La base contient déjà des activités : rien n'a été ajouté.")
        report = generate_activities(
            seed=options["seed"],
            years=options["years"],
            progress=self.stdout.write if options["verbosity"] >= 1 else None,
        )
        self.stdout.write(
            f"{report.activities} activités, {report.sessions} séances, {report.registrations} inscriptions."
        )

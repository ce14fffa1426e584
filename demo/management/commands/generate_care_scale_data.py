"""Add the plan de soins to an existing scale data set (generate_scale_data does it for a new one).

python manage.py generate_care_scale_data [--days-back 3] [--days-ahead 1] [--seed N]
"""

from django.core.management.base import BaseCommand, CommandError

from demo.scale.care import generate_care
from soins.models import CarePlanItem


class Command(BaseCommand):
    help = "Ajoute le plan de soins (soins planifiés et soins à valider de quelques jours) au jeu de données de mesure."

    def add_arguments(self, parser):
        parser.add_argument("--days-back", type=int, default=3, help="Jours passés à générer (défaut : 3).")
        parser.add_argument("--days-ahead", type=int, default=1, help="Jours à venir à générer (défaut : 1).")
        parser.add_argument("--seed", type=int, default=2026, help="Graine du hasard (défaut : 2026).")

    def handle(self, *args, **options):
        if not 0 <= options["days_back"] <= 20 or not 0 <= options["days_ahead"] <= 7:
            raise CommandError("--days-back doit être entre 0 et 20, --days-ahead entre 0 et 7.")
        if CarePlanItem.objects.exists():
            raise CommandError("La base contient déjà des soins planifiés : rien n'a été ajouté.")
        report = generate_care(
            seed=options["seed"],
            days_back=options["days_back"],
            days_ahead=options["days_ahead"],
            progress=self.stdout.write if options["verbosity"] >= 1 else None,
        )
        self.stdout.write(
            f"{report.plan_items} soins planifiés, {report.occurrences} soins à valider, "
            f"dont {report.validated} déjà validés."
        )

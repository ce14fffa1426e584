"""Create the access log's monthly partitions ahead of time (PostgreSQL; idempotent)."""

from django.core.management.base import BaseCommand, CommandError

from dui.services import access_log
from dui.tasks import PARTITION_MONTHS_AHEAD


class Command(BaseCommand):
    help = (
        "Crée les partitions mensuelles du journal des accès pour le mois en cours et les N mois suivants "
        "(PostgreSQL ; sans effet si elles existent). Lancée chaque mois par la tâche planifiée."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--months",
            type=int,
            default=PARTITION_MONTHS_AHEAD,
            help=f"Nombre de mois à préparer après le mois en cours (défaut : {PARTITION_MONTHS_AHEAD}).",
        )

    def handle(self, *args, months=PARTITION_MONTHS_AHEAD, **options):
        if not 0 <= months <= 120:
            raise CommandError("--months doit être compris entre 0 et 120.")
        if not access_log.is_partitioned():
            self.stdout.write("Base SQLite : le journal des accès n'est pas partitionné, rien à faire.")
            return
        created = access_log.partitions_ensure(months)
        for name in created:
            self.stdout.write(f"Partition créée : {name}")
        self.stdout.write(f"{len(created)} partition(s) créée(s), {len(access_log.monthly_partitions())} au total.")

"""Archive the access log's old months to files, then detach their partitions (PostgreSQL)."""

import datetime
import re
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dui.services import access_log


def _month(value: str) -> datetime.date:
    match = re.fullmatch(r"(\d{4})-(\d{2})", value.strip())
    if not match or not 1 <= int(match[2]) <= 12:
        raise CommandError(f"Mois invalide « {value} » : attendu AAAA-MM, par exemple 2020-01.")
    return datetime.date(int(match[1]), int(match[2]), 1)


class Command(BaseCommand):
    help = (
        "Exporte chaque mois du journal des accès antérieur à --before (CSV.gz des événements, un par objet, "
        "et son empreinte .sha256), vérifie le nombre d'événements, puis détache et supprime la partition "
        "(ou la garde détachée avec --keep-detached). Défaut de --before : le mois en cours moins "
        "ACCESS_LOG_RETENTION_MONTHS. Refuse le mois en cours."
    )

    def add_arguments(self, parser):
        parser.add_argument("--before", help="Archiver les mois antérieurs à ce mois (AAAA-MM).")
        parser.add_argument("--to", required=True, help="Dossier où écrire les archives.")
        parser.add_argument(
            "--keep-detached",
            action="store_true",
            help="Garder les partitions archivées comme tables détachées au lieu de les supprimer.",
        )

    def handle(self, *args, before=None, to=None, keep_detached=False, **options):
        current = access_log.month_start(timezone.now().astimezone(datetime.UTC).date())
        limit = _month(before) if before else access_log.add_months(current, -settings.ACCESS_LOG_RETENTION_MONTHS)
        if limit > current:
            raise CommandError(f"--before {limit:%Y-%m} inclurait le mois en cours : refusé.")
        if not access_log.is_partitioned():
            raise CommandError("L'archivage des partitions du journal n'existe que sur PostgreSQL.")
        months = [month for _, month in access_log.monthly_partitions() if month < limit]
        if not months:
            self.stdout.write(f"Aucune partition antérieure à {limit:%m/%Y}.")
            return
        for month in months:
            try:
                archived = access_log.month_archive(month, Path(to), keep_detached=keep_detached)
            except access_log.ArchiveError as error:
                raise CommandError(str(error)) from error
            fate = "supprimée" if archived.dropped else "détachée"
            self.stdout.write(
                f"{archived.partition} : {archived.events} événements → {archived.path} ; partition {fate}."
            )

"""Copy the latest continuity pack of each unit to a folder (a USB key, a local share), for a cron job."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from continuity.services import packs_export
from dui.models import Essms


class Command(BaseCommand):
    help = "Copie le dernier plan de continuité (PDF et CSV) de chaque unité dans un dossier ; garde 7 jours."

    def add_arguments(self, parser):
        parser.add_argument("--to", required=True, help="Dossier de destination (clé USB, partage réseau).")
        parser.add_argument("--essms", default="", help="FINESS d'un établissement (par défaut : tous).")

    def handle(self, *args, to: str, essms: str, **options):
        if essms and not Essms.objects.filter(finess=essms).exists():
            raise CommandError(f"Aucun établissement de FINESS « {essms} ».")
        try:
            written = packs_export(Path(to), finess=essms)
        except OSError as error:
            raise CommandError(f"Copie impossible vers « {to} » : {error}") from error
        self.stdout.write(f"{len(written)} fichier(s) copié(s) dans {to}.")

"""Import admission requests from a CSV file into one ESSMS (all or nothing; each bad line reported)."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from admissions.services.imports import CSV_COLUMNS, connector_actor, csv_import
from dui.models import Essms


class Command(BaseCommand):
    help = "Importe des demandes d'admission depuis un fichier CSV (tout ou rien). Colonnes : " + ";".join(CSV_COLUMNS)

    def add_arguments(self, parser):
        parser.add_argument("path", help="Fichier CSV (UTF-8 ou Windows-1252, séparateur « ; » ou « , »).")
        parser.add_argument("--essms", required=True, help="Numéro FINESS géographique de l'ESSMS.")

    def handle(self, *args, path: str, essms: str, **options):
        target = Essms.objects.filter(finess=essms).first()
        if target is None:
            raise CommandError(f"Aucun ESSMS n'a le numéro FINESS {essms}.")
        try:
            raw = Path(path).read_bytes()
        except OSError as error:
            raise CommandError(f"Fichier illisible : {error}") from error
        try:
            result = csv_import(connector_actor(target), raw=raw)
        except ValidationError as error:
            raise CommandError("Rien n'a été importé.\n" + "\n".join(error.messages)) from error
        self.stdout.write(
            f"{len(result.created)} demande(s) importée(s), {len(result.skipped)} déjà présente(s) ignorée(s)."
        )

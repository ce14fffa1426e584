"""Import the BDPM public files (specialities, compositions, presentations) from disk, all or nothing."""

from pathlib import Path
from types import SimpleNamespace

from django.core.management.base import BaseCommand, CommandError

from dui.actor import Actor
from dui.drugs_referential import BdpmError, bdpm_import

# Who the access log names for an import run from the command line.
COMMAND_USER = SimpleNamespace(username="commande import_bdpm", pk=None)


class Command(BaseCommand):
    help = "Importe CIS_bdpm.txt, CIS_COMPO_bdpm.txt et CIS_CIP_bdpm.txt (dossier des fichiers BDPM)."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="Dossier contenant les fichiers BDPM téléchargés.")
        parser.add_argument("--sans-presentations", action="store_true", help="Ne pas importer CIS_CIP_bdpm.txt.")

    def handle(self, directory, sans_presentations=False, **options):
        folder = Path(directory)
        cis, compo, cip = folder / "CIS_bdpm.txt", folder / "CIS_COMPO_bdpm.txt", folder / "CIS_CIP_bdpm.txt"
        needed = [cis, compo] if sans_presentations else [cis, compo, cip]
        missing = [path.name for path in needed if not path.is_file()]
        if missing:
            raise CommandError(f"Fichier(s) absent(s) dans {folder} : {', '.join(missing)}.")
        actor = Actor.for_task(COMMAND_USER)
        try:
            result = bdpm_import(actor, cis, compo, None if sans_presentations else cip)
        except BdpmError as error:
            raise CommandError(f"Import annulé, rien n'a été chargé. {error}") from error
        self.stdout.write(
            f"{result.drugs} spécialité(s), {result.components} composant(s), "
            f"{result.presentations} présentation(s) importés."
        )

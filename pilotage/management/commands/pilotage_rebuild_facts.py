"""Rebuild every daily fact from the dated history (after an import, or to check the nightly run)."""

import time

from django.core.management.base import BaseCommand

from pilotage import facts


class Command(BaseCommand):
    help = "Recalcule tous les faits quotidiens du pilotage à partir de l'historique des séjours."

    def add_arguments(self, parser):
        parser.add_argument("--essms", type=int, action="append", help="Identifiant d'ESSMS (répétable).")

    def handle(self, *args, essms=None, **options):
        started = time.perf_counter()
        rows = facts.rebuild(essms)
        self.stdout.write(f"{rows} lignes de faits écrites en {time.perf_counter() - started:.1f} s.")

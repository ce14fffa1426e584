"""Demo data: one organisme gestionnaire, an EHPAD and an IME, their units, staff and usagers (demo.seed).

Idempotent: a second run creates nothing and never resets a password that was changed since.
"""

from django.core.management.base import BaseCommand

from demo.seed import seed_demo
from demo.seed.report import write_report


class Command(BaseCommand):
    help = "Crée (ou complète) les données de démonstration : organisme, EHPAD, IME, unités, comptes et usagers."

    def handle(self, *args, **options):
        created, establishments = seed_demo()
        write_report(created, establishments, write=self.stdout.write, success=self.style.SUCCESS)

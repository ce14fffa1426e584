"""Anonymise archived dossiers past the retention period (GDPR storage limitation)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dui import gdpr


class Command(BaseCommand):
    help = (
        "Anonymise les dossiers archivés depuis plus de N jours et pas encore anonymisés : traits d'identité "
        "remplacés, matricule INS, photo, coordonnées de l'entourage, textes des habitudes de vie et fichiers "
        "des documents effacés ; le journal des accès est conservé. Durée par défaut : réglage "
        f"DOSSIER_RETENTION_DAYS, sinon {gdpr.DEFAULT_RETENTION_DAYS} jours (20 ans)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Durée de conservation après archivage, en jours (défaut : DOSSIER_RETENTION_DAYS ou 20 ans).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Affiche les dossiers qui seraient anonymisés sans rien modifier.",
        )

    def handle(self, *args, days=None, dry_run=False, **options):
        days = gdpr.retention_days() if days is None else days
        if days < 1:
            raise CommandError("--days doit être un nombre de jours positif.")
        dossiers = list(gdpr.dossiers_to_anonymise(days=days))
        actor = gdpr.anonymisation_actor()
        verb = "serait anonymisé" if dry_run else "anonymisé"
        for usager in dossiers:
            plan = gdpr.anonymisation_plan(usager) if dry_run else gdpr.usager_anonymise(actor, usager=usager)
            self.stdout.write(
                f"Dossier n° {usager.pk} (FINESS {usager.essms.finess}), archivé le "
                f"{timezone.localtime(usager.archived_at):%d/%m/%Y} : {verb} — {plan.get('contacts', 0)} contact(s), "
                f"{plan.get('life_notes', 0)} note(s) de vie, {plan.get('documents', 0)} document(s), "
                f"{plan.get('files', 0)} fichier(s) à effacer."
            )
        if dry_run:
            self.stdout.write(
                self.style.WARNING(
                    f"Simulation : {len(dossiers)} dossier(s) archivé(s) depuis plus de {days} jours "
                    "seraient anonymisés. Rien n'a été modifié."
                )
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(f"{len(dossiers)} dossier(s) archivé(s) depuis plus de {days} jours anonymisé(s).")
            )

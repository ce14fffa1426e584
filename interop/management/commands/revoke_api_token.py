"""Revoke the active partner API token of one client in one ESSMS."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from dui.actor import Actor
from dui.finess import normalise_finess, validate_finess
from interop.models import ApiToken
from interop.services import api_token_revoke


class Command(BaseCommand):
    help = "Révoque le jeton d'API actif d'un client partenaire pour un ESSMS."

    def add_arguments(self, parser):
        parser.add_argument("--essms", required=True, help="Numéro FINESS géographique de l'ESSMS.")
        parser.add_argument("--name", required=True, help="Nom du client partenaire.")

    def handle(self, *args, essms: str, name: str, **options):
        try:
            validate_finess(essms)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        name = (name or "").strip()
        if not name:
            raise CommandError("Le nom du client est obligatoire.")
        finess = normalise_finess(essms)
        token = ApiToken.objects.filter(essms__finess=finess, name=name, revoked_at__isnull=True).first()
        if token is None:
            raise CommandError(f"Aucun jeton actif nommé « {name} » pour l'ESSMS de FINESS « {finess} ».")
        api_token_revoke(Actor.for_task(None), token=token)
        self.stdout.write(f"Jeton « {name} » révoqué pour {token.essms.name} (FINESS {finess}).")

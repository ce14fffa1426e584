"""Create a partner API token bound to one ESSMS; the raw token is printed once, on the last line."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from dui.actor import Actor
from dui.finess import validate_finess
from interop.services import api_token_create


def validation_message(error: ValidationError) -> str:
    return " ".join(error.messages)


class Command(BaseCommand):
    help = "Crée un jeton d'API pour un client partenaire, rattaché à un ESSMS (affiché une seule fois)."

    def add_arguments(self, parser):
        parser.add_argument("--essms", required=True, help="Numéro FINESS géographique de l'ESSMS.")
        parser.add_argument("--name", required=True, help="Nom du client partenaire (unique parmi les jetons actifs).")

    def handle(self, *args, essms: str, name: str, **options):
        try:
            validate_finess(essms)
            token, raw = api_token_create(Actor.for_task(None), essms_finess=essms, name=name)
        except ValidationError as error:
            raise CommandError(validation_message(error)) from error
        self.stdout.write(
            f"Jeton « {token.name} » créé pour {token.essms.name} (FINESS {token.essms.finess}). "
            "Il n'est affiché qu'une seule fois : conservez-le en lieu sûr."
        )
        self.stdout.write(raw)

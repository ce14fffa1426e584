"""Create a partner API token bound to one ESSMS; the raw token is printed once, on the last line."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from dui.actor import Actor
from dui.finess import validate_finess
from dui.models import Metier
from interop.services import api_token_create


def validation_message(error: ValidationError) -> str:
    return " ".join(error.messages)


class Command(BaseCommand):
    help = "Crée un jeton d'API pour un client partenaire, rattaché à un ESSMS (affiché une seule fois)."

    def add_arguments(self, parser):
        parser.add_argument("--essms", required=True, help="Numéro FINESS géographique de l'ESSMS.")
        parser.add_argument("--name", required=True, help="Nom du client partenaire (unique parmi les jetons actifs).")
        parser.add_argument(
            "--scope",
            action="append",
            dest="scopes",
            help="Portée (répétable, ou séparées par des espaces) : system/Patient.read, system/Observation.write, "
            "transmissions.write… Sans portée : toutes les lectures.",
        )
        parser.add_argument(
            "--metier",
            default=Metier.PARTENAIRE,
            help="Métier dont la colonne de la matrice d'habilitation s'applique (défaut : partenaire).",
        )

    def handle(self, *args, essms: str, name: str, scopes=None, metier: str = Metier.PARTENAIRE, **options):
        try:
            validate_finess(essms)
            token, raw = api_token_create(
                Actor.for_task(None), essms_finess=essms, name=name, scopes=scopes, metier=metier
            )
        except ValidationError as error:
            raise CommandError(validation_message(error)) from error
        self.stdout.write(f"Métier : {metier}. Portées : {' '.join(token.access.scopes)}")
        self.stdout.write(
            f"Jeton « {token.name} » créé pour {token.essms.name} (FINESS {token.essms.finess}). "
            "Il n'est affiché qu'une seule fois : conservez-le en lieu sûr."
        )
        self.stdout.write(raw)

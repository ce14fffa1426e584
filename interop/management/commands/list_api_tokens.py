"""List the partner API tokens (never their secret): client, ESSMS, métier, scopes, last use, state."""

from django.core.management.base import BaseCommand

from interop.selectors import api_tokens_listing


class Command(BaseCommand):
    help = "Liste les jetons d'API (client, ESSMS, métier, portées, dernier usage, état), sans leur secret."

    def add_arguments(self, parser):
        parser.add_argument("--essms", help="Numéro FINESS : les jetons de cet ESSMS seulement.")
        parser.add_argument("--all", action="store_true", help="Inclure les jetons révoqués.")

    def handle(self, *args, essms=None, all=False, **options):
        rows = api_tokens_listing(essms_finess=essms, include_revoked=all)
        if not rows:
            self.stdout.write("Aucun jeton d'API.")
            return
        for row in rows:
            state = f"révoqué le {row.token.revoked_at:%d/%m/%Y %H:%M}" if row.token.revoked_at else "actif"
            used = f"{row.token.last_used_at:%d/%m/%Y %H:%M}" if row.token.last_used_at else "jamais"
            self.stdout.write(
                f"{row.token.name}\t{row.token.essms.finess}\t{row.token.prefix}…\t{row.metier}\t"
                f"{' '.join(row.scopes)}\tdernier usage : {used}\t{state}"
            )

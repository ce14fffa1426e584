"""Writes of the partner-access domain."""

import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from dui.finess import normalise_finess
from dui.models import Essms, Membership, Metier, User
from interop.models import ApiToken

TOKEN_PREFIX_BYTES = 6


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, essms_finess: str, name: str) -> tuple[ApiToken, str]:
    """Create a token and its partner account; the raw token is returned once, never stored."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Le nom du client est obligatoire."})
    essms = Essms.objects.filter(finess=normalise_finess(essms_finess)).first()
    if essms is None:
        raise ValidationError({"essms": f"Aucun ESSMS ne porte le numéro FINESS « {essms_finess} »."})
    if ApiToken.objects.filter(essms=essms, name=name, revoked_at__isnull=True).exists():
        raise ValidationError({"name": f"Un jeton actif nommé « {name} » existe déjà pour cet ESSMS."})
    username = f"api-{essms.finess}-{slugify(name)}"[:150]
    user, created = User.objects.get_or_create(username=username, defaults={"is_partner_system": True})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    if not Membership.objects.active().filter(user=user, essms=essms).exists():
        Membership.objects.create(user=user, essms=essms, metier=Metier.PARTENAIRE)
    prefix = secrets.token_hex(TOKEN_PREFIX_BYTES)
    raw = f"{prefix}.{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(essms=essms, name=name, user=user, prefix=prefix, key_hash=hash_token(raw))
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> ApiToken:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    return token

"""Writes of the partner-access domain: each one audited with the actor who made it (a management
command acts as a task, with no user)."""

import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from dui import audit
from dui.actor import Actor
from dui.finess import normalise_finess
from dui.models import AccessAction, Essms, Membership, Metier, User
from interop.models import ApiToken, TokenAccess
from interop.scopes import clean_scopes, read_only_scopes

TOKEN_PREFIX_BYTES = 6


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _actor_or_command(actor: Actor | None) -> Actor:
    return actor if actor is not None else Actor.for_task(None)


@transaction.atomic
def api_token_create(
    actor: Actor | None = None,
    *,
    essms_finess: str,
    name: str,
    scopes=None,
    metier: str = Metier.PARTENAIRE,
) -> tuple[ApiToken, str]:
    """Create a token and its partner account; the raw token is returned once, never stored.

    `scopes`: interop.scopes (None: every read scope, as before scopes existed). `metier`: the column
    of the habilitation matrix that applies to the token's account. `actor`: who creates it (None: the
    command line, logged as a task)."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Le nom du client est obligatoire."})
    if metier not in Metier.values:
        raise ValidationError(
            {"metier": f"Métier inconnu : « {str(metier)[:40]} ». Métiers : {', '.join(Metier.values)}."}
        )
    try:
        scopes = clean_scopes(scopes) if scopes is not None else read_only_scopes()
    except ValueError as error:
        raise ValidationError({"scope": str(error)}) from None
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
    membership = Membership.objects.active().filter(user=user, essms=essms).first()
    if membership is None:
        Membership.objects.create(user=user, essms=essms, metier=metier)
    elif membership.metier != metier:
        membership.metier = metier
        membership.save(update_fields=["metier"])
    prefix = secrets.token_hex(TOKEN_PREFIX_BYTES)
    raw = f"{prefix}.{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(essms=essms, name=name, user=user, prefix=prefix, key_hash=hash_token(raw))
    TokenAccess.objects.create(token=token, scopes=scopes)
    detail = f"jeton d'API « {name} » créé ({token.prefix}…, compte {user.username}, métier {metier}) : " + " ".join(
        scopes
    )
    audit.log_access(_actor_or_command(actor), AccessAction.CREATE, token, detail=detail)
    return token, raw


@transaction.atomic
def api_token_revoke(actor: Actor | None = None, *, token: ApiToken) -> ApiToken:
    """Revoke a token now (it stops working at the next call). `actor`: as for `api_token_create`."""
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    detail = f"jeton d'API « {token.name} » révoqué ({token.prefix}…)"
    audit.log_access(_actor_or_command(actor), AccessAction.UPDATE, token, detail=detail)
    return token

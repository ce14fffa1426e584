"""Bearer-token authentication: the token decides the user and the ESSMS, never the request body."""

import datetime
import hmac
import re

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions

from dui.middleware import resolve_membership
from dui.models import Channel
from interop.models import ApiToken
from interop.scopes import OPEN_ROUTES, READ, WRITE, grants, rest_scope
from interop.services import hash_token

TOKEN_RE = re.compile(r"^(?P<prefix>[0-9a-f]{12})\.[A-Za-z0-9_-]{20,}$")
INVALID = "Jeton d'API invalide ou révoqué."
# "Last used" is shown to the minute: one write per minute per token, not one per call.
LAST_USE_PRECISION = datetime.timedelta(minutes=1)


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        parts = header.split()
        if parts[0].lower() != self.keyword.lower():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("En-tête Authorization mal formé : « Bearer <jeton> » attendu.")
        raw = parts[1]
        match = TOKEN_RE.match(raw)
        if not match:
            raise exceptions.AuthenticationFailed("Jeton d'API mal formé.")
        token = (
            ApiToken.objects.select_related("user", "essms__og", "access")
            .filter(prefix=match["prefix"], revoked_at__isnull=True)
            .first()
        )
        if token is None or not hmac.compare_digest(token.key_hash, hash_token(raw)):
            raise exceptions.AuthenticationFailed(INVALID)
        user = token.user
        membership = resolve_membership(user, None)
        membership = membership if membership and membership.essms_id == token.essms_id else None
        if membership is None or not user.is_active:
            raise exceptions.AuthenticationFailed(INVALID)
        user.membership = membership
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USE_PRECISION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        # The actor of this call (dui.actor.actor_of) takes its channel and token name from here,
        # whether it is built from the DRF request or from the Django request under it.
        request._request.audit_channel = Channel.API
        request._request.auth = token
        return user, token

    def authenticate_header(self, request):
        return self.keyword


class HasActiveMembership(permissions.BasePermission):
    """Authenticated, with an active membership (session users included)."""

    message = "Authentification requise."

    def has_permission(self, request, view):
        user = request.user
        if not user or not user.is_authenticated:
            return False
        if getattr(user, "membership", None) is None:
            raise exceptions.NotFound()
        if request.auth is None:
            request._request.audit_channel = Channel.API
            return True
        missing = missing_rest_scope(request)
        if missing:
            raise exceptions.PermissionDenied(f"Portée manquante pour ce jeton : « {missing} ».")
        return True


def token_scopes(token) -> list[str]:
    access = getattr(token, "access", None) if isinstance(token, ApiToken) else None
    return list(access.scopes) if access is not None else []


def missing_rest_scope(request) -> str:
    """The REST scope this call needs and the token lacks ('' when granted or not needed)."""
    path = request.path
    marker = "/api/v1/"
    family = path[path.find(marker) + len(marker) :].split("/")[0] if marker in path else ""
    if not family or family in OPEN_ROUTES:
        return ""
    needed = rest_scope(family, READ if request.method in permissions.SAFE_METHODS else WRITE)
    return "" if grants(token_scopes(request.auth), needed) else needed


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """Documents the partner token in the OpenAPI schema."""

    target_class = "interop.authentication.BearerTokenAuthentication"
    name = "jetonPartenaire"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "Jeton d'API lié à un ESSMS."}

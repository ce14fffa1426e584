"""Authentication backend for the Pro Santé Connect callback (mozilla-django-oidc, code flow).

On top of the library: endpoints from the discovery document, the id_token's audience, issuer and
expiry verified (the library checks only the signature and the nonce), the professional matched by
RPPS and never created. A refusal leaves its French reason on the request for the callback page."""

import logging

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from dui.rpps import rpps_from_national_id
from dui.selectors.people import user_for_rpps
from interop.psc import library_setting, psc_enabled
from interop.psc.discovery import provider_metadata

logger = logging.getLogger("interop.psc")

REFUSAL_ATTRIBUTE = "psc_refusal"
NO_RPPS = (
    "Votre identité Pro Santé Connect ne comporte pas de numéro RPPS : la connexion par e-CPS est "
    "impossible. Connectez-vous avec votre identifiant et votre mot de passe."
)
UNKNOWN_RPPS = (
    "Aucun compte actif ne correspond à votre numéro RPPS {rpps}. Aucun compte n'a été créé : "
    "demandez à l'administrateur de votre établissement d'enregistrer ce numéro sur votre compte."
)
# Claims that carry the professional's national identifier, in order of preference (PSC userinfo).
NATIONAL_ID_CLAIMS = ("SubjectNameID", "preferred_username")


class BadIdTokenError(SuspiciousOperation):
    """The id_token is signed by the provider but not meant for this login (audience, issuer, expiry)."""


class ProSanteConnectBackend(OIDCAuthenticationBackend):
    def __init__(self, *args, **kwargs):
        # Built for every request that has a session (get_user): read nothing from the provider here.
        self.OIDC_RP_CLIENT_ID = settings.PSC_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.PSC_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.PSC_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        if request is None or request.path != reverse("psc-callback") or not psc_enabled():
            return None  # the password login, or any other: not ours
        if "code" not in request.GET or "state" not in request.GET:
            return None
        metadata = provider_metadata()
        self.issuer = metadata["issuer"]
        self.OIDC_OP_TOKEN_ENDPOINT = metadata["token_endpoint"]
        self.OIDC_OP_USER_ENDPOINT = metadata["userinfo_endpoint"]
        self.OIDC_OP_JWKS_ENDPOINT = metadata["jwks_uri"]
        return super().authenticate(request, **kwargs)

    def verify_token(self, token, **kwargs):
        try:
            return super().verify_token(token, **kwargs)
        except (jwt.PyJWTError, KeyError, TypeError, ValueError) as exc:  # missing or malformed token
            raise BadIdTokenError(f"id_token unreadable: {exc}") from exc

    def retrieve_matching_jwk(self, token):
        """The provider's signing key named by the token's `kid`; without `kid`, the only key the
        provider publishes for the algorithm (OpenID Connect Core §10.1). Anything else is refused."""
        response = requests.get(self.OIDC_OP_JWKS_ENDPOINT, timeout=settings.PSC_TIMEOUT_SECONDS)
        response.raise_for_status()
        header = jwt.get_unverified_header(token)
        keys = [
            key
            for key in response.json().get("keys", [])
            if key.get("alg", header.get("alg")) == header.get("alg") and key.get("use", "sig") == "sig"
        ]
        if "kid" in header:
            keys = [key for key in keys if key.get("kid") == header["kid"]]
        if len(keys) != 1:
            raise BadIdTokenError("no single signing key of the provider matches the id_token")
        return jwt.PyJWK(keys[0])

    def _verify_jws(self, payload, key):
        header = jwt.get_unverified_header(payload)
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise BadIdTokenError(f"unexpected algorithm {header.get('alg')!r}")
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=self.issuer,
                leeway=settings.PSC_CLOCK_SKEW_SECONDS,
                options={"require": ["exp", "iat", "aud", "iss"]},
            )
        except jwt.InvalidTokenError as exc:
            raise BadIdTokenError(f"id_token refused: {exc}") from exc

    def verify_claims(self, claims):
        return True  # the RPPS is checked in filter_users_by_claims, with a reason for the page

    def filter_users_by_claims(self, claims):
        national_id = next((str(claims[name]) for name in NATIONAL_ID_CLAIMS if claims.get(name)), "")
        rpps = rpps_from_national_id(national_id)
        if not rpps:
            logger.warning("Connexion Pro Santé Connect refusée : identité sans RPPS.")
            self.refuse(NO_RPPS)
            return self.UserModel.objects.none()
        user = user_for_rpps(rpps)
        if user is None:
            logger.warning("Connexion Pro Santé Connect refusée : RPPS %s inconnu ou compte inactif.", rpps)
            self.refuse(UNKNOWN_RPPS.format(rpps=rpps))
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(pk=user.pk)

    def get_user(self, user_id):
        """As the password login: a session of an account deactivated since ends at its next request."""
        return ModelBackend.get_user(self, user_id)

    def create_user(self, claims):
        raise SuspiciousOperation("Pro Santé Connect never creates an account")

    def refuse(self, reason: str) -> None:
        setattr(self.request, REFUSAL_ATTRIBUTE, reason)

    get_settings = staticmethod(library_setting)

"""Pro Santé Connect: OpenID Connect login of professionals with their e-CPS (INTEROP.md §10).

The professional is matched to an existing active account by the RPPS inside their national
identifier; the login never creates an account. Configured from the environment (PSC_* settings)."""

from django.conf import settings


def psc_enabled() -> bool:
    """True when a client id, its secret and the provider's discovery document are configured."""
    return bool(settings.PSC_CLIENT_ID and settings.PSC_CLIENT_SECRET and settings.PSC_DISCOVERY_URL)


def _library_settings() -> dict:
    from django.urls import reverse

    return {
        "OIDC_RP_SCOPES": settings.PSC_SCOPES,
        "OIDC_AUTH_REQUEST_EXTRA_PARAMS": {"acr_values": settings.PSC_ACR_VALUES},
        "OIDC_AUTHENTICATION_CALLBACK_URL": "psc-callback",
        "OIDC_USE_NONCE": True,
        "OIDC_USE_PKCE": False,
        "OIDC_CREATE_USER": False,
        "OIDC_VERIFY_SSL": True,
        "OIDC_TIMEOUT": settings.PSC_TIMEOUT_SECONDS,
        "LOGIN_REDIRECT_URL": settings.LOGIN_REDIRECT_URL,
        "LOGIN_REDIRECT_URL_FAILURE": reverse("login"),
    }


def library_setting(attr, *args):
    """mozilla-django-oidc's settings, derived from the PSC_* ones (so OIDC_* never need setting)."""
    values = _library_settings()
    if attr in values:
        return values[attr]
    return getattr(settings, attr, *args)

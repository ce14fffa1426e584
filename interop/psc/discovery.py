"""The provider's endpoints, read from its discovery document when first needed (never at start-up,
so the application starts while the provider is down) and kept an hour."""

import requests
from django.conf import settings
from django.core.cache import cache

CACHE_KEY = "psc:provider-metadata"
CACHE_SECONDS = 3600
REQUIRED = ("issuer", "authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri")


class ProviderUnavailableError(Exception):
    """The provider did not answer, or answered something that is not a discovery document."""


def provider_metadata() -> dict:
    metadata = cache.get(CACHE_KEY)
    if metadata is not None:
        return metadata
    try:
        response = requests.get(settings.PSC_DISCOVERY_URL, timeout=settings.PSC_TIMEOUT_SECONDS)
        response.raise_for_status()
        metadata = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise ProviderUnavailableError(str(exc)) from exc
    if not isinstance(metadata, dict) or any(not metadata.get(key) for key in REQUIRED):
        raise ProviderUnavailableError("discovery document without the required endpoints")
    cache.set(CACHE_KEY, metadata, CACHE_SECONDS)
    return metadata


def forget_provider_metadata() -> None:
    cache.delete(CACHE_KEY)

"""An OpenID provider on loopback (oidc-provider-mock, authlib underneath) and the steps of a login
against it: the tests drive the real redirects, token exchange, signature and userinfo calls."""

from urllib.parse import parse_qs, quote, urlparse

import httpx
import oidc_provider_mock
import pytest

from interop.psc.discovery import forget_provider_metadata

CLIENT_ID = "dui-essai"
CLIENT_SECRET = "secret-essai"


@pytest.fixture(scope="session")
def provider_url():
    with oidc_provider_mock.run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
def psc(settings, provider_url):
    """Pro Santé Connect configured against the loopback provider."""
    settings.PSC_CLIENT_ID = CLIENT_ID
    settings.PSC_CLIENT_SECRET = CLIENT_SECRET
    settings.PSC_DISCOVERY_URL = f"{provider_url}/.well-known/openid-configuration"
    settings.PSC_TIMEOUT_SECONDS = 5
    forget_provider_metadata()
    yield provider_url
    forget_provider_metadata()


def psc_identity(provider_url: str, sub: str, **claims) -> None:
    """What the provider will say about `sub` (userinfo claims; extra keys also land in the id_token)."""
    response = httpx.put(f"{provider_url}/users/{quote(sub)}", json=claims)
    assert response.status_code == 204


def authorize(provider_url: str, authorization_url: str, sub: str) -> str:
    """The professional authenticates at the provider: the callback URL it sends the browser back to."""
    response = httpx.post(authorization_url, data={"sub": sub})
    assert response.status_code == 302, response.text
    location = response.headers["location"]
    assert "code=" in location
    return location


def callback_path(location: str) -> str:
    parsed = urlparse(location)
    return f"{parsed.path}?{parsed.query}"


def query_of(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlparse(url).query).items()}

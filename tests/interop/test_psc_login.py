"""Pro Santé Connect login against an OpenID provider on loopback: matched by RPPS, never created."""

import httpx
import pytest
from axes.models import AccessLog
from django.contrib.auth import SESSION_KEY as AUTH_SESSION_KEY
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from dui.models import Metier, User
from interop.psc import discovery
from interop.views import psc as psc_views
from tests.factories import TEST_PASSWORD, professional
from tests.interop.psc_provider import (
    CLIENT_ID,
    authorize,
    callback_path,
    psc_identity,
    query_of,
)

RPPS = "10001023232"
NATIONAL_ID = "8" + RPPS


@pytest.fixture
def ide(essms):
    return professional(essms, Metier.IDE, username="j.bernard", rpps=RPPS)


def start_login(client, **params):
    response = client.get(reverse("psc-login"), params)
    assert response.status_code == 302
    return response.url


def finish_login(client, provider, sub):
    location = authorize(provider, start_login(client), sub)
    return client.get(callback_path(location))


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def logged_in(client) -> bool:
    return AUTH_SESSION_KEY in client.session


def test_button_shown_only_when_configured(client, db, settings):
    settings.PSC_CLIENT_ID = ""
    assert "Pro Santé Connect" not in client.get(reverse("login")).content.decode()
    assert client.get(reverse("psc-login")).status_code == 404
    assert client.get(reverse("psc-callback"), {"code": "x", "state": "y"}).status_code == 404


def test_button_shown_when_configured(client, db, psc):
    content = client.get(reverse("login")).content.decode()
    assert "Se connecter avec Pro Santé Connect" in content
    assert f'href="{reverse("psc-login")}"' in content
    assert 'name="password"' in content  # the password login stays


def test_authorization_request_asks_eidas1_and_psc_scopes(client, db, psc):
    params = query_of(start_login(client))
    assert params["acr_values"] == "eidas1"
    assert params["scope"] == "openid scope_all"
    assert params["client_id"] == CLIENT_ID
    assert params["response_type"] == "code"
    assert params["state"] and params["nonce"]
    assert params["redirect_uri"] == "http://testserver" + reverse("psc-callback")


def test_login_by_rpps_in_national_id(client, psc, ide):
    psc_identity(psc, "psc-julie", SubjectNameID=NATIONAL_ID, preferred_username=NATIONAL_ID)
    response = finish_login(client, psc, "psc-julie")
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert int(client.session[AUTH_SESSION_KEY]) == ide.pk
    assert client.session["active_membership_id"] == ide.membership.pk  # the usual flow follows
    assert client.get(reverse("home")).status_code == 200
    assert AccessLog.objects.filter(username="j.bernard").count() == 1  # journalled like the password login


def test_session_ends_when_the_account_is_deactivated(client, psc, ide):
    psc_identity(psc, "psc-julie-later", SubjectNameID=NATIONAL_ID)
    finish_login(client, psc, "psc-julie-later")
    assert client.get(reverse("home")).status_code == 200
    User.objects.filter(pk=ide.pk).update(is_active=False)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert reverse("login") in response.url


def test_login_by_preferred_username_bare_rpps(client, psc, ide, settings):
    settings.PSC_SCOPES = "openid scope_all profile"  # the loopback provider gives preferred_username with profile
    psc_identity(psc, "psc-julie-2", preferred_username=RPPS)
    response = finish_login(client, psc, "psc-julie-2")
    assert response.url == reverse("home")
    assert int(client.session[AUTH_SESSION_KEY]) == ide.pk


def test_login_keeps_the_next_page(client, psc, ide):
    psc_identity(psc, "psc-julie-3", SubjectNameID=NATIONAL_ID)
    location = authorize(psc, start_login(client, next="/transmissions/"), "psc-julie-3")
    response = client.get(callback_path(location))
    assert response.url == "/transmissions/"


def test_unknown_rpps_refused_and_no_account_created(client, psc, ide):
    users_before = User.objects.count()
    psc_identity(psc, "psc-inconnu", SubjectNameID="810001034346")
    response = finish_login(client, psc, "psc-inconnu")
    assert response.url == reverse("login")
    assert not logged_in(client)
    assert User.objects.count() == users_before
    [message] = messages_of(response)
    assert "Aucun compte actif ne correspond à votre numéro RPPS 10001034346" in message
    assert "Aucun compte n'a été créé" in message


def test_inactive_account_refused(client, psc, ide):
    ide.is_active = False
    ide.save()
    psc_identity(psc, "psc-julie-inactive", SubjectNameID=NATIONAL_ID)
    response = finish_login(client, psc, "psc-julie-inactive")
    assert not logged_in(client)
    assert "Aucun compte actif" in messages_of(response)[0]


def test_partner_system_never_logs_in_with_psc(client, psc, essms):
    professional(essms, Metier.PARTENAIRE, username="systeme", rpps=RPPS, is_partner_system=True)
    psc_identity(psc, "psc-systeme", SubjectNameID=NATIONAL_ID)
    finish_login(client, psc, "psc-systeme")
    assert not logged_in(client)


def test_identity_without_rpps_refused(client, psc, ide):
    psc_identity(psc, "psc-adeli", SubjectNameID="0123456789", email="x@example.org")
    response = finish_login(client, psc, "psc-adeli")
    assert not logged_in(client)
    assert "ne comporte pas de numéro RPPS" in messages_of(response)[0]


def test_identity_without_any_national_id_refused(client, psc, ide):
    psc_identity(psc, "psc-vide", email="x@example.org")
    response = finish_login(client, psc, "psc-vide")
    assert not logged_in(client)
    assert "ne comporte pas de numéro RPPS" in messages_of(response)[0]


def test_id_token_for_another_audience_refused(client, psc, ide):
    # The provider signs an id_token whose audience is another application.
    psc_identity(psc, "psc-aud", SubjectNameID=NATIONAL_ID, aud="une-autre-application")
    response = finish_login(client, psc, "psc-aud")
    assert not logged_in(client)
    assert response.url == reverse("login")
    assert messages_of(response) == [psc_views.UNTRUSTED_ID]


def test_id_token_from_another_issuer_refused(client, psc, ide):
    psc_identity(psc, "psc-iss", SubjectNameID=NATIONAL_ID, iss="https://ailleurs.example.org")
    response = finish_login(client, psc, "psc-iss")
    assert not logged_in(client)
    assert messages_of(response) == [psc_views.UNTRUSTED_ID]


def test_id_token_with_wrong_nonce_refused(client, psc, ide):
    psc_identity(psc, "psc-nonce", SubjectNameID=NATIONAL_ID, nonce="un-autre-nonce")
    response = finish_login(client, psc, "psc-nonce")
    assert not logged_in(client)
    assert messages_of(response) == [psc_views.NONCE_MISMATCH]


def test_unknown_state_refused(client, psc, ide):
    psc_identity(psc, "psc-state", SubjectNameID=NATIONAL_ID)
    location = authorize(psc, start_login(client), "psc-state")
    forged = callback_path(location).replace("state=", "state=forge")
    response = client.get(forged)
    assert not logged_in(client)
    assert messages_of(response) == [psc_views.STALE_ANSWER]


def test_replayed_answer_refused(client, psc, ide):
    psc_identity(psc, "psc-replay", SubjectNameID=NATIONAL_ID)
    location = authorize(psc, start_login(client), "psc-replay")
    assert client.get(callback_path(location)).url == reverse("home")
    client.logout()
    response = client.get(callback_path(location))
    assert not logged_in(client)
    assert messages_of(response) == [psc_views.STALE_ANSWER]


def test_answer_in_another_browser_refused(client, psc, ide):
    psc_identity(psc, "psc-other", SubjectNameID=NATIONAL_ID)
    location = authorize(psc, start_login(client), "psc-other")
    other = Client()
    response = other.get(callback_path(location))
    assert AUTH_SESSION_KEY not in other.session
    assert messages_of(response) == [psc_views.STALE_ANSWER]


def test_denied_at_provider(client, psc, ide):
    response = httpx.post(start_login(client), data={"action": "deny"})
    back = client.get(callback_path(response.headers["location"]))
    assert not logged_in(client)
    assert messages_of(back) == [psc_views.CANCELLED]


def test_provider_down_when_starting(client, db, settings, psc):
    settings.PSC_DISCOVERY_URL = "http://127.0.0.1:9/.well-known/openid-configuration"
    response = client.get(reverse("psc-login"))
    assert response.url == reverse("login")
    assert messages_of(response) == [psc_views.PROVIDER_DOWN]
    page = client.get(reverse("login")).content.decode()
    assert "Pro Santé Connect ne répond pas" in page


def test_provider_down_at_token_exchange(client, psc, ide, monkeypatch):
    psc_identity(psc, "psc-down", SubjectNameID=NATIONAL_ID)
    location = authorize(psc, start_login(client), "psc-down")
    metadata = dict(discovery.provider_metadata(), token_endpoint="http://127.0.0.1:9/token")
    monkeypatch.setattr("interop.psc.backend.provider_metadata", lambda: metadata)
    response = client.get(callback_path(location))
    assert not logged_in(client)
    assert messages_of(response) == [psc_views.PROVIDER_DOWN]


def test_password_login_still_works_with_psc_configured(client, psc, ide):
    response = client.post(reverse("login"), {"username": "j.bernard", "password": TEST_PASSWORD})
    assert response.url == reverse("home")


def test_code_refused_by_the_provider(client, psc, ide):
    psc_identity(psc, "psc-code", SubjectNameID=NATIONAL_ID)
    location = authorize(psc, start_login(client), "psc-code")
    response = client.get(callback_path(location).replace("code=", "code=faux"))
    assert not logged_in(client)
    assert messages_of(response) == [psc_views.FAILED]


def test_malformed_id_token_refused(client, psc, ide, monkeypatch):
    from mozilla_django_oidc.auth import OIDCAuthenticationBackend

    exchange = OIDCAuthenticationBackend.get_token
    monkeypatch.setattr(
        OIDCAuthenticationBackend, "get_token", lambda self, payload: exchange(self, payload) | {"id_token": "abc"}
    )
    psc_identity(psc, "psc-malformed", SubjectNameID=NATIONAL_ID)
    response = finish_login(client, psc, "psc-malformed")
    assert not logged_in(client)
    assert messages_of(response) == [psc_views.UNTRUSTED_ID]

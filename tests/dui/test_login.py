"""Login, lockout, logout, password change and idle timeout."""

import datetime
import re

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import SESSION_KEY as AUTH_SESSION_KEY
from django.urls import reverse
from django.utils import timezone

from dui.models import Metier
from tests.factories import TEST_PASSWORD, professional

GENERIC_ERROR = "Identifiant ou mot de passe incorrect."
LOCKOUT_TEXT = "Compte temporairement bloqué"
CSRF_RE = re.compile(r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]+"')


@pytest.fixture(autouse=True)
def _plain_http(settings):
    """Tests speak plain HTTP; production redirects to HTTPS."""
    settings.SECURE_SSL_REDIRECT = False


def page_text(response, *replace: str) -> str:
    """The page without its per-request CSRF tokens (and without the given strings)."""
    text = CSRF_RE.sub("CSRF", response.content.decode())
    for value in replace:
        text = text.replace(value, "USERNAME")
    return text


def post_login(client, username, password, **extra):
    return client.post(reverse("login"), {"username": username, "password": password, **extra})


@pytest.fixture
def ide(essms):
    return professional(essms, Metier.IDE, username="c.martin")


def test_login_page_is_french_and_labelled(client, db):
    response = client.get(reverse("login"))
    content = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr">' in content
    assert '<label for="id_username">Identifiant' in content
    assert '<label for="id_password">Mot de passe' in content
    assert 'autocomplete="current-password"' in content
    assert "Se connecter" in content


def test_successful_login_goes_home(client, ide):
    response = post_login(client, "c.martin", TEST_PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("home")
    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert "EHPAD Les Cèdres" in home.content.decode()


def test_login_honours_next(client, ide):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login") + "?next=")
    response = post_login(client, "c.martin", TEST_PASSWORD, next=reverse("password_change"))
    assert response.url == reverse("password_change")


def test_logged_in_user_visiting_login_is_sent_home(client, ide):
    post_login(client, "c.martin", TEST_PASSWORD)
    response = client.get(reverse("login"))
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_wrong_password_and_unknown_user_get_the_same_generic_message(client, ide):
    wrong_password = post_login(client, "c.martin", "not-the-password")
    unknown_user = post_login(client, "nobody.here", "not-the-password")
    for response in (wrong_password, unknown_user):
        assert response.status_code == 200
        assert GENERIC_ERROR in response.content.decode()
        assert AUTH_SESSION_KEY not in client.session
    assert page_text(wrong_password, "c.martin") == page_text(unknown_user, "nobody.here")


def test_empty_login_form_shows_french_required_errors(client, db):
    response = post_login(client, "", "")
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in response.content.decode()


@pytest.mark.parametrize("username", ["c.martin", "nobody.here"], ids=["existing", "unknown"])
def test_repeated_failures_lock_the_username(client, ide, username):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = post_login(client, username, "wrong-password")
        assert response.status_code == 200
        assert GENERIC_ERROR in response.content.decode()
    response = post_login(client, username, "wrong-password")
    assert response.status_code == 429
    content = response.content.decode()
    assert LOCKOUT_TEXT in content
    assert "contactez l'administrateur" in content
    assert username not in content
    # Even the right password is refused while the lock lasts.
    response = post_login(client, username, TEST_PASSWORD)
    assert response.status_code == 429
    assert AUTH_SESSION_KEY not in client.session


def test_lockout_page_is_identical_for_existing_and_unknown_usernames(client, ide):
    pages = {}
    for username in ("c.martin", "nobody.here"):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            response = post_login(client, username, "wrong-password")
        pages[username] = response
    existing, unknown = pages["c.martin"], pages["nobody.here"]
    assert existing.status_code == unknown.status_code == 429
    assert page_text(existing) == page_text(unknown)


def test_lock_is_per_username_not_per_address(client, ide, essms):
    professional(essms, Metier.AIDE_SOIGNANT, username="a.durand")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, "c.martin", "wrong-password")
    response = post_login(client, "a.durand", TEST_PASSWORD)
    assert response.status_code == 302


def test_logout_is_post_only_and_returns_to_login(client, ide):
    post_login(client, "c.martin", TEST_PASSWORD)
    assert client.get(reverse("logout")).status_code == 405
    assert AUTH_SESSION_KEY in client.session
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response.url == reverse("login")
    assert client.get(reverse("home")).status_code == 302


def test_password_change_rejects_a_weak_password_in_french(client, ide):
    post_login(client, "c.martin", TEST_PASSWORD)
    response = client.post(
        reverse("password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": "azerty", "new_password2": "azerty"},
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Le mot de passe n'a pas été modifié" in content
    assert "Ce mot de passe est trop court" in content
    assert "12 caractères" in content
    ide.refresh_from_db()
    assert ide.check_password(TEST_PASSWORD)


def test_password_change_rejects_a_wrong_old_password(client, ide):
    post_login(client, "c.martin", TEST_PASSWORD)
    new = "Un-nouveau-mot-de-passe-solide-7"
    response = client.post(
        reverse("password_change"), {"old_password": "wrong", "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 200
    assert "Votre ancien mot de passe est incorrect" in response.content.decode()
    ide.refresh_from_db()
    assert ide.check_password(TEST_PASSWORD)


def test_password_change_succeeds_and_keeps_the_session(client, ide):
    post_login(client, "c.martin", TEST_PASSWORD)
    new = "Un-nouveau-mot-de-passe-solide-7"
    response = client.post(
        reverse("password_change"), {"old_password": TEST_PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    assert response.url == reverse("password_change_done")
    done = client.get(response.url)
    assert "Mot de passe modifié" in done.content.decode()
    ide.refresh_from_db()
    assert ide.check_password(new)
    assert client.get(reverse("home")).status_code == 200


def test_idle_session_expires_after_the_timeout(client, ide):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        post_login(client, "c.martin", TEST_PASSWORD)
        assert client.get(reverse("home")).status_code == 200
        traveller.shift(datetime.timedelta(minutes=settings.SESSION_IDLE_MINUTES + 1))
        response = client.get(reverse("home"))
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_activity_keeps_the_session_alive(client, ide):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        post_login(client, "c.martin", TEST_PASSWORD)
        for _ in range(6):  # two hours of work, one request every 20 minutes
            traveller.shift(datetime.timedelta(minutes=20))
            assert client.get(reverse("home")).status_code == 200


def test_the_session_is_written_at_most_once_a_minute(client, ide):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def session_writes():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("home")).status_code == 200
        return sum('UPDATE "django_session"' in q["sql"] for q in queries)

    with time_machine.travel(timezone.now(), tick=False) as traveller:
        post_login(client, "c.martin", TEST_PASSWORD)
        assert session_writes() == 0  # the login recorded the activity and the establishment
        traveller.shift(datetime.timedelta(seconds=61))
        assert session_writes() == 1
        traveller.shift(datetime.timedelta(seconds=30))
        assert session_writes() == 0
        traveller.shift(datetime.timedelta(seconds=31))
        assert session_writes() == 1

"""The /healthz probe: database and broker status, no login."""

from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.urls import reverse


@pytest.fixture(autouse=True)
def _plain_http(settings):
    """Tests speak plain HTTP; production redirects to HTTPS."""
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture
def no_broker(settings):
    settings.REDIS_URL = ""


def test_healthz_ok_without_broker(client, db, no_broker):
    response = client.get(reverse("healthz"))
    assert reverse("healthz") == "/healthz"
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "eager"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_ok_with_a_reachable_broker(client, db, settings):
    settings.REDIS_URL = "redis://broker.example:6379/0"
    with mock.patch("dui.views.shell.redis.Redis.from_url") as from_url:
        from_url.return_value.ping.return_value = True
        response = client.get(reverse("healthz"))
    from_url.assert_called_once_with("redis://broker.example:6379/0", socket_connect_timeout=1, socket_timeout=1)
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_healthz_degraded_when_broker_unreachable(client, db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "degraded", "database": "ok", "broker": "error"}


def test_healthz_degraded_when_database_fails(client, db, no_broker):
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("connection refused")):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "degraded", "database": "error", "broker": "eager"}


def test_healthz_is_get_only(client, db, no_broker):
    assert client.post(reverse("healthz")).status_code == 405

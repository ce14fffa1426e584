"""Security headers on every page: CSP, HSTS outside DEBUG, nosniff, frame denial, referrer policy."""

import pytest
from django.urls import reverse

from tests.factories import professional


@pytest.fixture
def page(client, essms):
    client.force_login(professional(essms))
    return client.get(reverse("home"), secure=True)


def test_content_security_policy_allows_only_the_app_itself(page):
    policy = page["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy
    assert "unsafe-inline" not in policy


def test_classic_headers(page):
    assert page["X-Content-Type-Options"] == "nosniff"
    assert page["X-Frame-Options"] == "DENY"
    assert page["Referrer-Policy"] == "same-origin"


def test_hsts_when_not_debug(page):
    assert page["Strict-Transport-Security"].startswith("max-age=31536000")


def test_no_hsts_in_debug(client, settings, db):
    settings.SECURE_HSTS_SECONDS = 0
    assert "Strict-Transport-Security" not in client.get(reverse("login"), secure=True)


def test_api_docs_need_no_inline_script_or_cdn(client, db):
    response = client.get(reverse("api-docs"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "cdn.jsdelivr" not in body
    assert "<script>" not in body

"""Scopes on the REST API, the token listing command and the administrator's token page."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from dui.models import AccessLog, Metier
from interop.models import ApiToken
from interop.services import api_token_create
from tests.factories import professional


def bearer(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_rest_call_outside_the_scopes_is_403_naming_the_scope(client, essms, usager):
    _, raw = api_token_create(essms_finess=essms.finess, name="Lecteur", scopes="usagers.read")
    assert client.get("/api/v1/usagers/", **bearer(raw)).status_code == 200
    response = client.get("/api/v1/transmissions/", **bearer(raw))
    assert response.status_code == 403
    assert "transmissions.read" in response.json()["detail"]
    response = client.patch(f"/api/v1/usagers/{usager.pk}/", {}, content_type="application/json", **bearer(raw))
    assert response.status_code == 403 and "usagers.write" in response.json()["detail"]
    assert client.get("/api/v1/me/", **bearer(raw)).status_code == 200


def test_calls_are_logged_with_the_token_name(client, essms, usager):
    _, raw = api_token_create(essms_finess=essms.finess, name="Logiciel X", scopes="usagers.read")
    client.get(f"/api/v1/usagers/{usager.pk}/", **bearer(raw))
    assert AccessLog.objects.filter(usager_id=usager.pk, detail__contains="jeton « Logiciel X »").exists()


def test_unknown_scope_or_metier_is_refused_and_nothing_written(essms):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="Portée inconnue"):
        api_token_create(essms_finess=essms.finess, name="A", scopes="everything.read")
    with pytest.raises(ValidationError, match="Ressource FHIR inconnue"):
        api_token_create(essms_finess=essms.finess, name="A", scopes="system/Spaceship.read")
    with pytest.raises(ValidationError, match="Métier inconnu"):
        api_token_create(essms_finess=essms.finess, name="A", scopes="usagers.read", metier="pilote")
    assert ApiToken.objects.count() == 0


def test_cibles_route_lists_the_offered_catalogue(client, essms):
    from transmissions.models import Cible

    Cible.objects.create(og=essms.og, label="Douleur", theme="soins")
    Cible.objects.create(og=essms.og, label="Ancienne", theme="soins", is_active=False)
    _, raw = api_token_create(essms_finess=essms.finess, name="Soins", scopes="cibles.read")
    body = client.get("/api/v1/cibles/", **bearer(raw)).json()
    assert [row["label"] for row in body["results"]] == ["Douleur"]
    assert client.get("/api/v1/cibles/abc/", **bearer(raw)).status_code == 404


def test_create_command_with_scopes_and_metier_then_list(essms):
    out = StringIO()
    call_command(
        "create_api_token", "--essms", essms.finess, "--name", "Balance", "--scope", "system/Observation.write",
        "--scope", "system/Patient.read", "--metier", "aide_soignant", stdout=out,
    )  # fmt: skip
    token = ApiToken.objects.get()
    assert token.access.scopes == ["system/Observation.write", "system/Patient.read"]
    assert token.user.memberships.get().metier == Metier.AIDE_SOIGNANT
    listing = StringIO()
    call_command("list_api_tokens", stdout=listing)
    assert "Balance" in listing.getvalue() and "system/Observation.write" in listing.getvalue()
    assert token.key_hash not in listing.getvalue()


def test_administrator_sees_and_revokes_tokens(client, essms, foreign_essms):
    token, raw = api_token_create(essms_finess=essms.finess, name="Pharmacie", scopes="usagers.read")
    other, _ = api_token_create(essms_finess=foreign_essms.finess, name="Ailleurs", scopes="usagers.read")
    client.force_login(professional(essms, Metier.ADMINISTRATEUR))
    page = client.get(reverse("api-token-list"))
    assert b"Pharmacie" in page.content and b"Ailleurs" not in page.content
    assert client.post(reverse("api-token-revoke", args=[other.pk])).status_code == 404
    assert client.post(reverse("api-token-revoke", args=[token.pk])).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.get("/api/v1/usagers/", **bearer(raw)).status_code == 401


def test_a_nurse_has_no_token_page(client, essms):
    client.force_login(professional(essms, Metier.IDE))
    assert client.get(reverse("api-token-list")).status_code == 404

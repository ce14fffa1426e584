"""Partner tokens: hashed, bound to one ESSMS, revocable, and every bad token refused."""

import pytest
from django.core.exceptions import ValidationError

from dui.models import AccessLog, Metier
from interop.models import ApiToken
from interop.services import api_token_create, api_token_revoke
from tests.factories import UsagerFactory, professional

TOKEN_TYPE = "interop.apitoken"  # the token's own creation is logged too


@pytest.fixture
def token(essms):
    return api_token_create(essms_finess=essms.finess, name="Logiciel pharmacie")


def bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_token_is_stored_hashed_and_bound_to_its_essms(client, essms, token):
    row, raw = token
    assert raw not in {row.key_hash, row.prefix}
    assert raw.startswith(row.prefix + ".")
    response = client.get("/api/v1/me/", **bearer(raw))
    assert response.status_code == 200
    assert response.json()["essms_finess"] == essms.finess
    assert response.json()["metier"] == Metier.PARTENAIRE
    row.refresh_from_db()
    assert row.last_used_at is not None


def test_token_lists_only_its_essms(client, essms, foreign_essms, token):
    mine = UsagerFactory(essms=essms)
    UsagerFactory(essms=foreign_essms)
    response = client.get("/api/v1/usagers/", **bearer(token[1]))
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [mine.pk]
    log = AccessLog.objects.exclude(object_type=TOKEN_TYPE).get()
    assert (log.channel, log.action, log.usager_id) == ("api", "read", mine.pk)


def test_other_essms_object_is_404(client, foreign_essms, token):
    other = UsagerFactory(essms=foreign_essms)
    assert client.get(f"/api/v1/usagers/{other.pk}/", **bearer(token[1])).status_code == 404


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("Bearer", "mal formé"),
        ("Bearer a b", "mal formé"),
        ("Bearer not-a-token", "mal formé"),
        ("Bearer 0123456789ab.AAAAAAAAAAAAAAAAAAAAAAAAAAAA", "invalide"),
    ],
)
def test_bad_tokens_get_401_with_a_clear_message(client, token, header, message):
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert message in response.json()["detail"]


def test_tampered_secret_is_refused(client, token):
    raw = token[1]
    tampered = raw[:-1] + ("A" if raw[-1] != "A" else "B")
    assert client.get("/api/v1/me/", **bearer(tampered)).status_code == 401


def test_revoked_token_is_refused(client, token):
    api_token_revoke(token=token[0])
    assert client.get("/api/v1/me/", **bearer(token[1])).status_code == 401


def test_no_credentials_is_401(client, db):
    response = client.get("/api/v1/usagers/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


def test_session_user_uses_the_api_in_their_active_essms(client, essms):
    user = professional(essms, Metier.IDE)
    client.force_login(user)
    assert client.get("/api/v1/me/").json()["essms_finess"] == essms.finess


@pytest.mark.parametrize(
    ("finess", "name", "message"),
    [("999999999", "Client", "FINESS"), ("630781227", "Client", "Aucun ESSMS"), (None, "  ", "obligatoire")],
)
def test_bad_token_creation_writes_nothing(essms, finess, name, message):
    with pytest.raises(ValidationError, match=message):
        api_token_create(essms_finess=finess or essms.finess, name=name)
    assert not ApiToken.objects.exists()


def test_duplicate_active_name_is_refused(essms, token):
    with pytest.raises(ValidationError, match="existe déjà"):
        api_token_create(essms_finess=essms.finess, name="Logiciel pharmacie")
    api_token_revoke(token=token[0])
    api_token_create(essms_finess=essms.finess, name="Logiciel pharmacie")
    assert ApiToken.objects.count() == 2


def test_schema_and_docs_are_served(client, db):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/usagers/" in schema.content
    assert client.get("/api/docs/").status_code == 200


# --- Audit of the token's own life, and the actor of a token call ------------------------------------


def token_rows():
    return list(AccessLog.objects.filter(object_type=TOKEN_TYPE).order_by("pk"))


def test_creating_a_token_writes_one_audit_row(essms):
    admin = professional(essms, Metier.ADMINISTRATEUR)
    row, _ = api_token_create(admin, essms_finess=essms.finess, name="Logiciel de soins")
    [log] = token_rows()
    assert (log.action, log.object_id, log.essms_id, log.user, log.channel) == (
        "create",
        str(row.pk),
        essms.pk,
        admin,
        "web",
    )
    assert "Logiciel de soins" in log.detail and row.prefix in log.detail


def test_revoking_a_token_writes_one_audit_row(essms, token):
    api_token_revoke(token=token[0])
    created, revoked = token_rows()
    assert (created.action, revoked.action) == ("create", "update")
    assert revoked.object_id == str(token[0].pk) and "révoqué" in revoked.detail
    assert (revoked.channel, revoked.user, revoked.essms_id) == ("task", None, essms.pk)


def test_a_refused_token_writes_no_audit_row(essms, token):
    with pytest.raises(ValidationError):
        api_token_create(essms_finess=essms.finess, name="Logiciel pharmacie")
    assert len(token_rows()) == 1


def test_the_actor_of_a_token_call_carries_the_token_name(rf, essms, token):
    from rest_framework.request import Request

    from dui.actor import actor_of
    from interop.authentication import BearerTokenAuthentication

    raw_request = rf.get("/api/v1/me/", **bearer(token[1]), REMOTE_ADDR="10.1.2.3")
    request = Request(raw_request, authenticators=[BearerTokenAuthentication()])
    assert request.user == token[0].user
    actor = actor_of(request)
    assert (actor.token_name, actor.channel, actor.ip, actor.essms_id) == (
        "Logiciel pharmacie",
        "api",
        "10.1.2.3",
        essms.pk,
    )
    assert actor_of(raw_request).token_name == "Logiciel pharmacie"


@pytest.mark.parametrize(
    "path", ["/api/v1/usagers/abc/", "/api/v1/usagers/99999999999999999999/", "/api/v1/nulle-part/"]
)
def test_every_error_under_api_is_json_even_before_drf(client, token, path):
    """An id the router refuses, or an unknown route, answers JSON, never the HTML 404 page."""
    response = client.get(path, **bearer(token[1]))
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "Introuvable."}


def test_the_schema_documents_the_error_answers(client, db):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/v1/usagers/{id}/"]["get"]
    assert {"401", "403", "404"} <= set(operation["responses"])
    assert "400" in schema["paths"]["/api/v1/usagers/"]["post"]["responses"]

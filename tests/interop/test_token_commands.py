from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from dui.models import Membership, User
from interop.models import ApiToken

pytestmark = pytest.mark.django_db


def create_token(finess: str, name: str) -> tuple[str, list[str]]:
    out = StringIO()
    call_command("create_api_token", "--essms", finess, "--name", name, stdout=out)
    lines = out.getvalue().strip().splitlines()
    return lines[-1], lines


def me(client, token: str):
    return client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {token}", secure=True)


def written() -> tuple[int, int, int]:
    return ApiToken.objects.count(), User.objects.count(), Membership.objects.count()


def test_create_api_token_prints_the_token_alone_on_the_last_line(client, essms):
    token, lines = create_token(essms.finess, "Logiciel pharmacie")

    assert "une seule fois" in lines[-2]
    assert " " not in token
    response = me(client, token)
    assert response.status_code == 200
    assert response.json()["essms_finess"] == essms.finess
    assert token not in ApiToken.objects.get().key_hash


def test_create_api_token_accepts_a_finess_with_spaces(client, essms):
    spaced = f"{essms.finess[:3]} {essms.finess[3:6]} {essms.finess[6:]}"
    token, _ = create_token(spaced, "Laboratoire")

    response = me(client, token)
    assert response.json()["essms_finess"] == essms.finess


@pytest.mark.parametrize(
    ("finess", "name", "message"),
    [
        ("630781228", "Client", "clé de contrôle"),
        ("12345", "Client", "9 caractères"),
        ("940711344", "Client", "Aucun ESSMS"),
        (None, "   ", "obligatoire"),
    ],
)
def test_create_api_token_rejects_bad_input_and_writes_nothing(essms, finess, name, message):
    before = written()

    with pytest.raises(CommandError, match=message):
        create_token(finess or essms.finess, name)

    assert written() == before


def test_create_api_token_rejects_a_duplicate_active_name(essms):
    create_token(essms.finess, "Logiciel pharmacie")
    before = written()

    with pytest.raises(CommandError, match="existe déjà"):
        create_token(essms.finess, "Logiciel pharmacie")

    assert written() == before


def test_revoke_api_token_makes_the_token_unusable(client, essms):
    token, _ = create_token(essms.finess, "Logiciel pharmacie")
    out = StringIO()

    call_command("revoke_api_token", "--essms", essms.finess, "--name", "Logiciel pharmacie", stdout=out)

    assert "révoqué" in out.getvalue()
    assert me(client, token).status_code == 401
    assert ApiToken.objects.get().revoked_at is not None


def test_a_revoked_name_can_be_reissued(client, essms):
    old, _ = create_token(essms.finess, "Logiciel pharmacie")
    call_command("revoke_api_token", "--essms", essms.finess, "--name", "Logiciel pharmacie", stdout=StringIO())

    new, _ = create_token(essms.finess, "Logiciel pharmacie")

    assert me(client, new).status_code == 200
    assert me(client, old).status_code == 401


@pytest.mark.parametrize(
    ("finess", "name", "message"),
    [
        ("630781228", "Logiciel pharmacie", "clé de contrôle"),
        (None, "Inconnu", "Aucun jeton actif"),
        (None, " ", "obligatoire"),
    ],
)
def test_revoke_api_token_rejects_bad_input_and_changes_nothing(client, essms, finess, name, message):
    token, _ = create_token(essms.finess, "Logiciel pharmacie")

    with pytest.raises(CommandError, match=message):
        call_command("revoke_api_token", "--essms", finess or essms.finess, "--name", name, stdout=StringIO())

    assert ApiToken.objects.get().revoked_at is None
    assert me(client, token).status_code == 200


def test_revoking_twice_is_an_error(essms):
    create_token(essms.finess, "Logiciel pharmacie")
    call_command("revoke_api_token", "--essms", essms.finess, "--name", "Logiciel pharmacie", stdout=StringIO())

    with pytest.raises(CommandError, match="Aucun jeton actif"):
        call_command("revoke_api_token", "--essms", essms.finess, "--name", "Logiciel pharmacie", stdout=StringIO())


def test_the_commands_write_their_audit_rows_as_a_task(essms):
    from dui.models import AccessLog

    create_token(essms.finess, "Laboratoire")
    call_command("revoke_api_token", "--essms", essms.finess, "--name", "Laboratoire", stdout=StringIO())
    rows = list(AccessLog.objects.filter(object_type="interop.apitoken").order_by("pk"))
    assert [(row.action, row.channel, row.user_id) for row in rows] == [
        ("create", "task", None),
        ("update", "task", None),
    ]
    assert "créé" in rows[0].detail and "révoqué" in rows[1].detail

"""Usager API: create, read, patch, search; RNIV (matricule only when qualified); every bad input a French 400."""

import pytest

from dui.ins import IdentityStatus
from dui.models import AccessLog, Metier, Usager
from dui.services import identity as services
from interop.services import api_token_create
from tests.factories import UsagerFactory, professional

TOKEN_TYPE = "interop.apitoken"  # the token's own creation is logged too

URL = "/api/v1/usagers/"
MATRICULE = "255081416802538"
BODY = {
    "birth_name": "Lefèvre",
    "first_names": "Marie Thérèse",
    "used_name": "Dupont",
    "used_first_name": "Marie",
    "birth_date": "1955-08-14",
    "sex": "F",
    "birth_place_code": "14168",
    "ins_matricule": MATRICULE,
    "identity_status": "PROV",
}


@pytest.fixture
def api(client, essms):
    _, raw = api_token_create(
        essms_finess=essms.finess, name="Logiciel d'admission", scopes="usagers.read usagers.write"
    )
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    return client


@pytest.fixture
def secretary(essms):
    return professional(essms, Metier.SECRETAIRE_MEDICALE)


def post(api, body):
    return api.post(URL, body, content_type="application/json")


def patch(api, pk, body):
    return api.patch(f"{URL}{pk}/", body, content_type="application/json")


def test_create_returns_id_and_hides_the_unqualified_matricule(api, essms):
    response = post(api, BODY)
    assert response.status_code == 201, response.json()
    data = response.json()
    usager = Usager.objects.get()
    assert data["id"] == usager.pk
    assert data["ins_matricule"] is None
    assert data["ins_oid"] is None
    assert "confirm_duplicate" not in data
    assert (data["birth_name"], data["identity_status"], data["birth_date"]) == ("Lefèvre", "PROV", "1955-08-14")
    assert (usager.essms, usager.ins_matricule) == (essms, MATRICULE)
    log = AccessLog.objects.exclude(object_type=TOKEN_TYPE).get()
    assert (log.action, log.channel, log.usager_id) == ("create", "api", usager.pk)


def test_create_with_only_the_required_fields(api):
    body = {key: BODY[key] for key in ("birth_name", "first_names", "birth_date", "sex")}
    response = post(api, body)
    assert response.status_code == 201, response.json()
    assert response.json()["identity_status"] == "PROV"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"ins_matricule": "255081416802539"}, "ins_matricule", "la clé ne correspond pas"),
        ({"sex": "M"}, "ins_matricule", "ne correspond pas au sexe"),
        ({"birth_date": "1956-08-14"}, "ins_matricule", "année de naissance"),
        ({"birth_date": "1955-07-14"}, "ins_matricule", "mois de naissance"),
        ({"birth_date": "2999-08-14", "ins_matricule": ""}, "birth_date", "dans le futur"),
        ({"birth_date": "14/08/1955"}, "birth_date", "format"),
        ({"birth_place_code": "1416"}, "birth_place_code", "Code INSEE"),
        ({"birth_place_code": "2C004"}, "birth_place_code", "Code INSEE"),
        ({"sex": "X"}, "sex", "valide"),
        ({"identity_status": "QUAL"}, "identity_status", "Qualifiée"),
        ({"identity_status": "RECUP"}, "identity_status", "INSi"),
        ({"identity_status": "VALI"}, "identity_status", "justificatif"),
        ({"birth_name": ""}, "birth_name", "vide"),
    ],
)
def test_bad_input_is_a_french_400_and_nothing_is_written(api, overrides, field, message):
    response = post(api, {**BODY, **overrides})
    assert response.status_code == 400
    assert message in " ".join(response.json()[field])
    assert not Usager.objects.exists()
    assert not AccessLog.objects.exclude(object_type=TOKEN_TYPE).exists()


def test_missing_required_field_is_a_400(api):
    response = post(api, {"birth_name": "Lefèvre"})
    assert response.status_code == 400
    assert "Ce champ est obligatoire." in response.json()["birth_date"]
    assert not Usager.objects.exists()


def test_partner_may_not_record_an_identity_proof(api):
    response = post(api, {**BODY, "identity_status": "VALI", "identity_proof": "cni"})
    assert response.status_code == 403
    assert "justificatif" in response.json()["detail"]
    assert not Usager.objects.exists()


def test_duplicate_needs_confirmation(api, essms):
    existing = post(api, BODY).json()["id"]
    response = post(api, {**BODY, "first_names": "Marie-Thérèse", "used_name": ""})
    assert response.status_code == 400
    data = response.json()
    assert data["confirm_duplicate"][0].startswith("Doublon possible : ")
    assert data["duplicates"] == [existing]
    assert Usager.objects.count() == 1
    response = post(api, {**BODY, "first_names": "Marie-Thérèse", "confirm_duplicate": True})
    assert response.status_code == 201
    assert Usager.objects.count() == 2


def test_patch_updates_and_audits(api, secretary):
    usager = services.usager_create(secretary, data=dict(BODY))
    response = patch(api, usager.pk, {"used_name": "Martin"})
    assert response.status_code == 200, response.json()
    assert response.json()["used_name"] == "Martin"
    usager.refresh_from_db()
    assert usager.used_name == "Martin"
    log = AccessLog.objects.filter(action="update").get()
    assert (log.channel, log.usager_id) == ("api", usager.pk)


def test_patch_bad_input_changes_nothing(api, secretary):
    usager = services.usager_create(secretary, data=dict(BODY))
    for body in ({"ins_matricule": "255081416802500"}, {"birth_date": "2999-01-01"}, {"identity_status": "QUAL"}):
        response = patch(api, usager.pk, body)
        assert response.status_code == 400
    usager.refresh_from_db()
    assert (usager.ins_matricule, usager.identity_status) == (MATRICULE, "PROV")
    assert not AccessLog.objects.filter(action="update").exists()


def test_put_is_not_offered(api, secretary):
    usager = services.usager_create(secretary, data=dict(BODY))
    assert api.put(f"{URL}{usager.pk}/", BODY, content_type="application/json").status_code == 405


def test_patch_of_another_essms_is_404(api, foreign_essms):
    other = UsagerFactory(essms=foreign_essms, birth_name="ETRANGER")
    assert patch(api, other.pk, {"used_name": "X"}).status_code == 404
    other.refresh_from_db()
    assert other.used_name == ""


def test_matricule_is_sent_only_when_qualified(api, secretary):
    usager = services.usager_create(secretary, data=dict(BODY))
    usager = services.usager_fetch_insi(secretary, usager=usager)
    assert api.get(f"{URL}{usager.pk}/").json()["ins_matricule"] is None
    usager = services.usager_validate_identity(secretary, usager=usager, proof="cni")
    assert usager.identity_status == IdentityStatus.QUALIFIEE
    data = api.get(f"{URL}{usager.pk}/").json()
    assert (data["ins_matricule"], data["ins_oid"], data["identity_status"]) == (
        MATRICULE,
        "1.2.250.1.213.1.4.8",
        "QUAL",
    )
    listed = api.get(URL).json()["results"]
    assert listed[0]["ins_matricule"] == MATRICULE
    read = AccessLog.objects.filter(action="read", channel="api", usager_id=usager.pk)
    assert read.count() == 3


def test_search_is_accent_insensitive_and_finds_qualified_matricules(api, secretary, essms):
    lefevre = services.usager_create(secretary, data=dict(BODY))
    services.usager_create(
        secretary,
        data={"birth_name": "Martin", "first_names": "Paul", "birth_date": "1940-01-01", "sex": "M"},
    )

    def ids(query):
        return [row["id"] for row in api.get(URL, {"search": query}).json()["results"]]

    assert ids("lefevre") == [lefevre.pk]
    assert ids("LEFÈVRE") == [lefevre.pk]
    assert ids("dupont marie") == [lefevre.pk]
    assert ids("durand") == []
    assert ids(MATRICULE) == []  # not qualified: the matricule may not be used
    lefevre = services.usager_fetch_insi(secretary, usager=lefevre)
    services.usager_validate_identity(secretary, usager=lefevre, proof="cni")
    assert ids(MATRICULE) == [lefevre.pk]
    assert ids("2 55 08 14 168 025 38") == [lefevre.pk]


def test_list_query_count_does_not_grow(api, essms, django_assert_max_num_queries):
    UsagerFactory.create_batch(3, essms=essms)
    with django_assert_max_num_queries(12) as small:
        api.get(URL)
    UsagerFactory.create_batch(30, essms=essms)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(api.get(URL).json()["results"]) == 33


def test_schema_documents_the_contract(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    operations = schema["paths"]["/api/v1/usagers/"]
    assert {"get", "post"} <= set(operations)
    assert {"get", "patch"} <= set(schema["paths"]["/api/v1/usagers/{id}/"])
    write = schema["components"]["schemas"]["UsagerWrite"]["properties"]
    for field in ("birth_name", "first_names", "used_name", "used_first_name", "birth_date", "sex"):
        assert field in write
    assert {"birth_place_code", "ins_matricule", "identity_status", "confirm_duplicate"} <= set(write)

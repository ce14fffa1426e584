"""API /api/v1/transmissions/: scoped list (?usager=, ?since=), create, detail with versions, correct,
result; French 400s that write nothing; visibility; bulk audit (channel api); constant queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dui.models import AccessLog, Habilitation, Metier
from interop.services import api_token_create
from tests.factories import OrganismeGestionnaireFactory, UnitFactory, UsagerFactory, professional
from tests.logged import logged_events
from tests.transmissions.test_feed import write
from transmissions.models import Cible, ReadReceipt, Theme, Transmission, Visibility
from transmissions.services.transmissions import transmission_correct

URL = "/api/v1/transmissions/"


@pytest.fixture
def nurse(essms):
    return professional(essms, Metier.IDE)


@pytest.fixture
def aide_soignant(essms):
    return professional(essms, Metier.AIDE_SOIGNANT)


@pytest.fixture
def api(client, nurse):
    client.force_login(nurse)
    return client


@pytest.fixture
def douleur(og):
    return Cible.objects.create(og=og, label="Douleur", theme=Theme.DOULEUR)


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def iso(**delta) -> str:
    return (timezone.now() - datetime.timedelta(**delta)).isoformat()


# --- List ---------------------------------------------------------------------------------------


def test_list_current_versions_newest_first_with_filters(api, nurse, essms, usager):
    other = UsagerFactory(essms=essms)
    old = write(nurse, usager=usager, hours_ago=30, narrative="Hier")
    recent = write(nurse, usager=usager, hours_ago=1, narrative="Ce matin")
    theirs = write(nurse, usager=other, hours_ago=2, narrative="Autre personne")
    corrected = Transmission.objects.get(pk=old.pk)
    new = transmission_correct(nurse, transmission=corrected, narrative="Hier (corrigé)")
    response = api.get(URL)
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [recent.pk, theirs.pk, new.pk]
    assert rows[2]["version"] == 2 and rows[2]["thread"] == old.pk and rows[2]["is_current"] is True
    assert [r["id"] for r in api.get(URL, {"usager": usager.pk}).json()["results"]] == [recent.pk, new.pk]
    since = iso(hours=3)
    assert [r["id"] for r in api.get(URL, {"since": since}).json()["results"]] == [recent.pk, theirs.pk]
    assert len(api.get(URL, {"since": "2000-01-01T00:00:00Z"}).json()["results"]) == 3
    assert api.get(URL, {"since": "9999-12-31T23:59:59-12:00"}).json()["results"] == []
    assert len(api.get(URL, {"since": "0001-01-01T00:00:00"}).json()["results"]) == 3
    assert len(api.get(URL, {"since": "0001-01-01T00:00:00+14:00"}).json()["results"]) == 3


@pytest.mark.parametrize(
    "params",
    [{"since": "hier"}, {"since": "2025-13-01"}, {"since": "31/01/2025"}, {"usager": "abc"}, {"usager": "0"}],
)
def test_list_bad_filters_are_400_in_french(api, params):
    response = api.get(URL, params)
    assert response.status_code == 400
    assert set(response.json()) == set(params)
    if "since" in params:
        assert "Date et heure invalides : format ISO 8601 attendu" in response.json()["since"][0]


def test_list_is_audited_in_bulk_on_the_api_channel(api, nurse, usager):
    for h in (1, 2, 3):
        write(nurse, usager=usager, hours_ago=h)
    api.get(URL)
    logged = logged_events(action="read", document_class="transmissions", channel="api", user=nurse)
    assert len(logged) == 3


def test_list_pages_by_cursor(api, nurse, usager):
    rows = [write(nurse, usager=usager, hours_ago=h + 1) for h in range(5)]
    first = api.get(URL, {"limit": 2}).json()
    assert [r["id"] for r in first["results"]] == [rows[0].pk, rows[1].pk]
    assert "count" not in first and first["next"]
    second = api.get(first["next"]).json()
    assert [r["id"] for r in second["results"]] == [rows[2].pk, rows[3].pk]
    assert api.get(URL, {"cursor": "pas-un-curseur"}).status_code == 404


def test_list_query_count_is_constant(api, nurse, essms):
    write(nurse, usager=UsagerFactory(essms=essms))
    api.get(URL)
    with CaptureQueriesContext(connection) as few:
        api.get(URL)
    for h in range(15):
        write(nurse, usager=UsagerFactory(essms=essms), unit=UnitFactory(essms=essms), hours_ago=h + 2)
    with CaptureQueriesContext(connection) as many:
        api.get(URL)
    assert len(many.captured_queries) == len(few.captured_queries)


# --- Visibility and scope -----------------------------------------------------------------------


def test_an_aide_soignant_never_gets_a_medical_transmission(client, nurse, aide_soignant, usager):
    care = write(nurse, usager=usager, visibility=Visibility.CARE_STAFF)
    medical = write(nurse, usager=usager, visibility=Visibility.MEDICAL, narrative="Bilan hépatique")
    client.force_login(aide_soignant)
    assert [r["id"] for r in client.get(URL).json()["results"]] == [care.pk]
    for path in (f"{URL}{medical.pk}/",):
        assert client.get(path).status_code == 404
    for action in ("correct", "result"):
        response = post(client, f"{URL}{medical.pk}/{action}/", {"resultats": "x", "narrative": "y"})
        assert response.status_code == 404
    assert Transmission.objects.count() == 2


def test_other_essms_token_sees_nothing(client, nurse, usager, sibling_essms):
    t = write(nurse, usager=usager)
    _, raw = api_token_create(essms_finess=sibling_essms.finess, name="Voisin")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get(URL, **headers).json()["results"] == []
    assert client.get(f"{URL}{t.pk}/", **headers).status_code == 404


def test_partner_token_reads_all_staff_level_only(client, nurse, usager, essms):
    visible = write(nurse, usager=usager, visibility=Visibility.ALL_STAFF)
    write(nurse, usager=usager, visibility=Visibility.CARE_STAFF)
    _, raw = api_token_create(essms_finess=essms.finess, name="Partenaire")
    Habilitation.objects.filter(og=essms.og, metier=Metier.PARTENAIRE, document_class__code="transmissions").update(
        can_read=True
    )
    response = client.get(URL, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert [r["id"] for r in response.json()["results"]] == [visible.pk]


def test_a_metier_without_the_right_gets_an_empty_list_and_403_on_write(client, essms, usager, nurse):
    write(nurse, usager=usager)
    client.force_login(professional(essms, Metier.TECHNIQUE))
    assert client.get(URL).json()["results"] == []
    response = post(client, URL, {"usager": usager.pk, "narrative": "x", "observed_at": iso(minutes=5)})
    assert response.status_code == 403
    assert "Votre métier ne permet pas" in response.json()["detail"]
    assert Transmission.objects.count() == 1


# --- Create -------------------------------------------------------------------------------------


def test_create_a_dar_transmission(api, nurse, usager, douleur):
    body = {
        "usager": usager.pk,
        "cible": douleur.pk,
        "donnees": "Grimace au lever",
        "actions": "Antalgique",
        "resultats": "",
        "narrative": "",
        "visibility": "medical",
        "observed_at": iso(minutes=15),
        "family_visible": True,
    }
    response = post(api, URL, body)
    assert response.status_code == 201, response.json()
    data = response.json()
    t = Transmission.objects.get(pk=data["id"])
    assert (t.usager, t.cible, t.theme, t.visibility, t.family_visible, t.author) == (
        usager,
        douleur,
        Theme.DOULEUR,
        Visibility.MEDICAL,
        True,
        nurse,
    )
    assert data["cible_label"] == "Douleur" and data["is_free_cible"] is False and data["theme"] == "douleur"
    assert AccessLog.objects.filter(action="create", object_id=str(t.pk), channel="api").exists()
    assert ReadReceipt.objects.filter(user=nurse, transmission=t).exists()  # the author has read it


def test_create_a_unit_note_and_a_free_cible(api, unit, usager):
    response = post(api, URL, {"unit": unit.pk, "narrative": "Nuit calme", "observed_at": iso(hours=1)})
    assert response.status_code == 201
    assert response.json()["usager"] is None and response.json()["unit_name"] == "Unité Glycine"
    response = post(
        api,
        URL,
        {"usager": usager.pk, "free_cible": "Appétit", "theme": "alimentation", "donnees": "Peu", "observed_at": iso()},
    )
    assert response.status_code == 201
    assert response.json()["is_free_cible"] is True and response.json()["cible_label"] == "Appétit"


@pytest.mark.parametrize(
    ("case", "field", "message"),
    [
        ("empty body", "observed_at", "Ce champ est obligatoire."),
        ("empty transmission", "non_field_errors", "Transmission vide"),
        ("only cible, no text", "non_field_errors", "Transmission vide"),
        ("dar without cible", "cible", "demande une cible"),
        ("future", "observed_at", "ne peut pas être dans le futur"),
        ("bad date", "observed_at", "La date + heure n'a pas le bon format"),
        ("unknown person", "usager", "Personne inconnue dans cet établissement."),
        ("other essms person", "usager", "Personne inconnue dans cet établissement."),
        ("archived person", "non_field_errors", "Ce dossier est archivé : il est en lecture seule."),
        ("nobody", "usager", "Choisissez la personne concernée"),
        ("unit of another essms", "unit", "Unité inconnue dans cet établissement."),
        ("cible of another og", "cible", "Cible inconnue dans le catalogue de votre organisme."),
        ("forbidden visibility", "visibility", "Votre métier ne permet pas d'écrire avec ce niveau de visibilité."),
        ("unknown visibility", "visibility", "n'est pas un choix valide"),
        ("unknown theme", "theme", "n'est pas un choix valide"),
    ],
)
def test_bad_input_is_400_in_french_and_writes_nothing(
    client, aide_soignant, usager, essms, foreign_essms, sibling_essms, douleur, case, field, message
):
    client.force_login(aide_soignant)
    body = {"usager": usager.pk, "cible": douleur.pk, "donnees": "Grimace", "observed_at": iso(minutes=5)}
    if case == "empty body":
        body = {}
    elif case == "empty transmission":
        body = {"usager": usager.pk, "donnees": "  ", "narrative": "", "observed_at": iso(minutes=5)}
    elif case == "only cible, no text":
        body = {"usager": usager.pk, "cible": douleur.pk, "observed_at": iso(minutes=5)}
    elif case == "dar without cible":
        del body["cible"]
    elif case == "future":
        body["observed_at"] = iso(hours=-2)
    elif case == "bad date":
        body["observed_at"] = "demain"
    elif case == "unknown person":
        body["usager"] = 999999
    elif case == "other essms person":
        body["usager"] = UsagerFactory(essms=foreign_essms).pk
    elif case == "archived person":
        body["usager"] = UsagerFactory(essms=essms, archived_at=timezone.now()).pk
    elif case == "nobody":
        del body["usager"]
    elif case == "unit of another essms":
        body["unit"] = UnitFactory(essms=sibling_essms).pk
    elif case == "cible of another og":
        body["cible"] = Cible.objects.create(og=OrganismeGestionnaireFactory(), label="Chute", theme=Theme.MOBILITE).pk
    elif case == "forbidden visibility":
        body["visibility"] = "medical"
    elif case == "unknown visibility":
        body["visibility"] = "secret"
    elif case == "unknown theme":
        body["theme"] = "astrologie"
    response = post(client, URL, body)
    assert response.status_code == 400, response.json()
    errors = response.json()
    assert any(message in text for text in errors.get(field, [])), errors
    assert not Transmission.objects.exists()
    assert not AccessLog.objects.filter(action="create").exists()


# --- Detail, correct, result --------------------------------------------------------------------


def test_detail_with_versions_and_correct_then_result(api, nurse, aide_soignant, usager, douleur, client):
    first = write(aide_soignant, usager=usager, cible=douleur, donnees="Genou")
    response = api.get(f"{URL}{first.pk}/")
    assert response.status_code == 200
    assert [v["version"] for v in response.json()["versions"]] == [1]
    response = post(api, f"{URL}{first.pk}/correct/", {"donnees": "Genou droit", "visibility": "care"})
    assert response.status_code == 201, response.json()
    second = response.json()
    assert (second["version"], second["thread"], second["donnees"], second["visibility"]) == (
        2,
        first.pk,
        "Genou droit",
        "care",
    )
    response = post(api, f"{URL}{second['id']}/result/", {"resultats": "Soulagée"})
    assert response.status_code == 201
    third = response.json()
    assert third["resultats"] == "Soulagée" and third["author"] == nurse.pk
    assert [v["version"] for v in third["versions"]] == [3, 2, 1]
    response = api.get(f"{URL}{first.pk}/")
    assert response.json()["is_current"] is False and len(response.json()["versions"]) == 3
    assert len(logged_events(action="update", channel="api")) == 2


def test_correct_and_result_bad_input(api, nurse, usager, douleur):
    t = write(nurse, usager=usager, cible=douleur, donnees="Genou")
    foreign_cible = Cible.objects.create(og=OrganismeGestionnaireFactory(), label="X", theme=Theme.AUTRE)
    cases = [
        ("correct", {}, "Aucune modification"),
        ("correct", {"donnees": "Genou"}, "Aucune modification"),
        ("correct", {"donnees": ""}, "Transmission vide"),
        ("correct", {"observed_at": iso(hours=-3)}, "futur"),
        ("correct", {"visibility": "secret"}, "n'est pas un choix valide"),
        ("correct", {"cible": foreign_cible.pk}, "Cible inconnue"),
        ("result", {"resultats": "   "}, "vide"),
        ("result", {}, "Ce champ est obligatoire."),
    ]
    for action, body, message in cases:
        response = post(api, f"{URL}{t.pk}/{action}/", body)
        assert response.status_code == 400, (action, body)
        assert message in str(response.json()), (action, body, response.json())
    assert Transmission.objects.count() == 1
    new = transmission_correct_via_api(api, t)
    response = post(api, f"{URL}{t.pk}/correct/", {"donnees": "Encore"})
    assert response.status_code == 400 and "remplacée" in str(response.json())
    assert Transmission.objects.count() == 2 and new["version"] == 2


def transmission_correct_via_api(api, t):
    response = post(api, f"{URL}{t.pk}/correct/", {"donnees": "Genou gauche"})
    assert response.status_code == 201
    return response.json()


def test_detail_hides_versions_the_reader_may_not_read(client, nurse, aide_soignant, usager):
    first = write(nurse, usager=usager, narrative="Bilan", visibility=Visibility.MEDICAL)
    second = transmission_correct(nurse, transmission=first, visibility=Visibility.ALL_STAFF)
    client.force_login(aide_soignant)
    response = client.get(f"{URL}{second.pk}/")
    assert response.status_code == 200
    assert [v["version"] for v in response.json()["versions"]] == [2]


def test_schema_documents_the_routes(client):
    schema = client.get("/api/schema/?format=json").json()
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/transmissions/"])
    assert "get" in paths["/api/v1/transmissions/{id}/"]
    assert "post" in paths["/api/v1/transmissions/{id}/correct/"]
    assert "post" in paths["/api/v1/transmissions/{id}/result/"]
    names = {p["name"] for p in paths["/api/v1/transmissions/"]["get"]["parameters"]}
    assert {"usager", "since", "cursor", "limit"} <= names

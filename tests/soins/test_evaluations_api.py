"""Evaluations API: grid definitions, list filters, retrieve, create with French 400s."""

import datetime

import pytest
from django.utils import timezone

from dui.models import AccessLog, Channel, Metier
from interop.services import api_token_create
from soins.grids import GRIDS
from soins.models import CareOccurrence, Evaluation
from soins.services.evaluations import evaluation_record
from tests.factories import UsagerFactory, professional

GRIDS_URL = "/api/v1/evaluation-grids/"
URL = "/api/v1/evaluations/"


@pytest.fixture
def nurse(essms):
    return professional(essms, Metier.IDE)


@pytest.fixture
def api(client, nurse):
    client.force_login(nurse)
    return client


def post(client, body):
    return client.post(URL, body, content_type="application/json")


def test_grid_definitions_list_every_item_with_help_and_ranges(api):
    response = api.get(GRIDS_URL)
    assert response.status_code == 200
    grids = {grid["code"]: grid for grid in response.json()}
    assert set(grids) == {grid.code for grid in GRIDS}
    en = grids["en"]["items"][0]
    assert (en["code"], en["type"], en["minimum"], en["maximum"]) == ("intensite", "entier", 0, 10)
    aggir = grids["aggir"]
    assert len(aggir["items"]) == 24
    assert [adverb["code"] for adverb in aggir["adverbs"]] == ["S", "T", "C", "H"]
    assert all(item["help"] for item in aggir["items"])
    assert grids["selles"]["items"][1]["scale"][6]["value"] == 7


def test_create_scores_and_schedules(api, usager):
    response = post(api, {"usager": usager.pk, "grid": "algoplus", "answers": dict.fromkeys(
        ["visage", "regard", "plaintes", "corps", "comportements"], True)})  # fmt: skip
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["score"] == "5.00"
    assert data["follow_ups"][0]["label"] == "Réévaluation de la douleur (Algoplus)"
    assert data["follow_ups"][0]["status"] == "pending"
    assert CareOccurrence.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "path", "fragment"),
    [
        ({"grid": "en", "answers": {"intensite": 11}}, ("answers", "intensite"), "hors limites"),
        ({"grid": "constantes", "answers": {"spo2": 140}}, ("answers", "spo2"), "hors limites"),
        ({"grid": "selles", "answers": {"nombre": 2, "bristol": 8}}, ("answers", "bristol"), "hors limites"),
        ({"grid": "en", "answers": {}}, ("answers", "intensite"), "obligatoire"),
        ({"grid": "en", "answers": {"intensite": 2, "x": 1}}, ("answers", "x"), "Item inconnu"),
        ({"grid": "en", "answers": {"intensite": "2"}}, ("answers", "intensite"), "Nombre attendu"),
        ({"grid": "en", "answers": "2"}, ("answers", "non_field_errors"), "objet"),
        ({"grid": "constantes", "answers": {}}, ("answers", "non_field_errors"), "au moins une"),
        ({"grid": "mmse", "answers": {}}, ("grid",), "Grille inconnue"),
        (
            {"grid": "en", "answers": {"intensite": 2}, "evaluated_at": "2999-01-01T10:00:00Z"},
            ("evaluated_at",),
            "futur",
        ),
    ],
)
def test_bad_input_is_400_in_french_and_writes_nothing(api, usager, body, path, fragment):
    response = post(api, {"usager": usager.pk, **body})
    assert response.status_code == 400
    detail = response.json()
    for key in path:
        detail = detail[key]
    assert fragment in " ".join(detail)
    assert not Evaluation.objects.exists()


def test_another_essms_person_is_refused(api, sibling_essms):
    other = UsagerFactory(essms=sibling_essms)
    response = post(api, {"usager": other.pk, "grid": "en", "answers": {"intensite": 2}})
    assert response.status_code == 400
    assert response.json()["usager"] == ["Personne introuvable."]
    assert not Evaluation.objects.exists()


def test_archived_and_read_only_metier(client, essms, usager):
    client.force_login(professional(essms, Metier.ASH))
    response = post(client, {"usager": usager.pk, "grid": "en", "answers": {"intensite": 2}})
    assert response.status_code == 403
    assert "Votre métier" in response.json()["detail"]
    usager.archived_at = timezone.now()
    usager.save(update_fields=["archived_at"])
    client.force_login(professional(essms, Metier.IDE))
    response = post(client, {"usager": usager.pk, "grid": "en", "answers": {"intensite": 2}})
    assert response.status_code == 400
    assert "archivé" in response.json()["non_field_errors"][0]
    assert not Evaluation.objects.exists()


def test_list_filters_and_retrieve(api, nurse, usager, essms):
    other = UsagerFactory(essms=essms)
    pain = evaluation_record(nurse, usager=usager, grid="en", answers={"intensite": 1})
    evaluation_record(nurse, usager=usager, grid="selles", answers={"nombre": 0})
    evaluation_record(nurse, usager=other, grid="en", answers={"intensite": 3})
    rows = api.get(URL, {"usager": usager.pk, "grid": "en"}).json()["results"]
    assert [row["id"] for row in rows] == [pain.pk]
    assert api.get(URL, {"grid": "mmse"}).status_code == 400
    assert api.get(URL, {"usager": "abc"}).status_code == 400
    detail = api.get(f"{URL}{pain.pk}/").json()
    assert detail["interpretation"] == "EN 1/10 : douleur faible."
    assert detail["grid_label"].startswith("Échelle numérique")


def test_token_of_another_essms_sees_nothing(client, nurse, usager, foreign_essms):
    evaluation = evaluation_record(
        nurse, usager=usager, grid="en", answers={"intensite": 1}, evaluated_at=timezone.now() - datetime.timedelta(1)
    )
    _token, raw = api_token_create(essms_finess=foreign_essms.finess, name="Autre")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get(f"{URL}{evaluation.pk}/", **headers).status_code == 404
    assert client.get(URL, {"usager": usager.pk}, **headers).json()["results"] == []


def test_reads_are_logged_by_the_selectors_with_the_api_channel(api, nurse, usager):
    evaluation = evaluation_record(
        nurse, usager=usager, grid="en", answers={"intensite": 1}, evaluated_at=timezone.now() - datetime.timedelta(1)
    )
    reads = AccessLog.objects.filter(object_type="soins.evaluation", object_id=str(evaluation.pk), action="read")
    assert api.get(URL, {"usager": usager.pk}).status_code == 200
    assert [(row.detail, row.channel, row.user) for row in reads] == [("liste des évaluations", Channel.API, nurse)]
    assert api.get(f"{URL}{evaluation.pk}/").status_code == 200
    assert [row.detail for row in reads.all().order_by("pk")] == ["liste des évaluations", ""]

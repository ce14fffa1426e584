"""API /api/v1/indicators/: figures of the token's ESSMS, the drill-down under the matrix, French 400s."""

import pytest

from dui.models import AccessLog, Metier
from tests.factories import UnitFactory, UsagerFactory, professional
from tests.pilotage.history import D, make_stay

pytestmark = pytest.mark.django_db
MARCH = {"start": "2026-03-01", "end": "2026-03-31"}


@pytest.fixture
def director(essms):
    return professional(essms, Metier.DIRECTION)


@pytest.fixture
def history(essms, director):
    essms.capacity = 2
    essms.save()
    glycine = UnitFactory(essms=essms, name="Glycine")
    make_stay(UsagerFactory(essms=essms, birth_name="MARTIN"), director, D(2026, 1, 1),
              placements=[(glycine, D(2026, 1, 1), None, "")])  # fmt: skip
    make_stay(UsagerFactory(essms=essms, birth_name="BERNARD"), director, D(2026, 3, 11),
              placements=[(glycine, D(2026, 3, 11), None, "")])  # fmt: skip
    return glycine


def test_list_gives_every_visible_figure_with_numerator_and_denominator(client, director, history):
    client.force_login(director)
    response = client.get("/api/v1/indicators/", MARCH)
    assert response.status_code == 200
    figures = {row["code"]: row for row in response.json()}
    assert figures["days_realised"] == {
        "code": "days_realised", "label": "Journées réalisées", "value": 52.0, "unit": "journées",
        "numerator": 52.0, "denominator": None,
    }  # fmt: skip
    assert figures["occupancy_rate"]["value"] == 83.87  # 52 / (2 × 31)
    assert figures["average_length_of_stay"]["value"] is None  # nobody left: denominator 0
    assert figures["dmp_documents_sent"]["value"] == 0


def test_one_code_and_one_unit(client, director, history):
    client.force_login(director)
    response = client.get("/api/v1/indicators/", {**MARCH, "code": "admissions", "unit": history.pk})
    assert response.status_code == 200
    assert [(r["code"], r["value"]) for r in response.json()] == [("admissions", 1.0)]


def test_drill_down_lists_and_logs_the_persons(client, director, history):
    client.force_login(director)
    response = client.get("/api/v1/indicators/admissions/persons/", MARCH)
    assert response.status_code == 200
    assert [p["birth_name"] for p in response.json()] == ["BERNARD"]
    assert AccessLog.objects.filter(detail="pilotage : Admissions", usager_id=response.json()[0]["id"]).exists()


def test_drill_down_refused_without_the_read_right_of_the_class(client, essms, history):
    client.force_login(professional(essms, Metier.ANIMATEUR))  # sees activities, not the GIR of persons
    response = client.get("/api/v1/indicators/gmp/persons/", MARCH)
    assert response.status_code == 403
    assert "métier" in response.json()["detail"]


def test_metier_without_pilotage_is_refused(client, essms):
    client.force_login(professional(essms, Metier.AIDE_SOIGNANT))
    response = client.get("/api/v1/indicators/", MARCH)
    assert response.status_code == 403
    assert "réservé" in response.json()["detail"]


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"start": "2026-03-31", "end": "2026-03-01"}, "end", "La fin de la période précède son début."),
        ({"start": "2020-01-01", "end": "2026-03-01"}, "end", "La période ne peut pas dépasser 5 ans."),
        ({"start": "2026-02-30", "end": "2026-03-01"}, "start", "« 2026-02-30 » n'est pas une date (aaaa-mm-jj)."),
        ({**MARCH, "code": "beds_made"}, "code", "Indicateur inconnu : « beds_made »."),
    ],
)
def test_bad_input_is_a_french_400(client, director, params, field, message):
    client.force_login(director)
    response = client.get("/api/v1/indicators/", params)
    assert response.status_code == 400
    assert response.json() == {field: [message]}


def test_unit_of_another_essms_is_a_french_400(client, director, sibling_essms):
    client.force_login(director)
    other = UnitFactory(essms=sibling_essms)
    response = client.get("/api/v1/indicators/", {**MARCH, "unit": other.pk})
    assert response.status_code == 400
    assert response.json() == {"unit": ["Cette unité n'existe pas dans votre établissement."]}


def test_unknown_code_in_drill_down_is_a_french_400(client, director):
    client.force_login(director)
    response = client.get("/api/v1/indicators/beds_made/persons/", MARCH)
    assert response.status_code == 400
    assert response.json() == {"code": ["Indicateur inconnu : « beds_made »."]}
    assert not AccessLog.objects.filter(detail__startswith="pilotage").exists()

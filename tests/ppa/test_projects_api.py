"""API /api/v1/ppa-projects/ and /api/v1/ppa-versions/: create, read with content, items, agreement,
revision; French 400s that write nothing; 404 outside the ESSMS."""

import datetime

import pytest
from django.utils import timezone

from dui.models import AccessLog, EssmsKind, Metier
from ppa.models import Expression, Objective, Projet, ProjetVersion
from tests.factories import EssmsFactory, UsagerFactory, professional
from tests.logged import logged_events
from tests.ppa.factories_projects import admitted, project_with_content

TODAY = timezone.localdate


@pytest.fixture
def ime(og):
    return EssmsFactory(og=og, name="IME Les Peupliers", kind=EssmsKind.IME)


@pytest.fixture
def educ(ime):
    return professional(ime, Metier.EDUCATEUR)


@pytest.fixture
def cadre(ime):
    return professional(ime, Metier.CADRE_SANTE)


@pytest.fixture
def person(ime):
    return admitted(ime, birth_name="ROBIN", first_names="Léa")


@pytest.fixture
def api(client, educ):
    client.force_login(educ)
    return client


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def test_create_then_fill_a_version_through_the_api(api, person, client, cadre):
    response = post(api, "/api/v1/ppa-projects/", {"usager": person.pk})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["step"] == "recueil" and body["current_version"]["number"] == 1
    version_url = f"/api/v1/ppa-versions/{body['current_version']['id']}"
    need = post(api, f"{version_url}/needs/", {"kind": "besoin", "expressed_by": "personne", "text": "Sortir",
                                                "serafin_code": "1.3.4.1"})  # fmt: skip
    assert need.status_code == 201 and need.json()["serafin_plain"] == "Voir ses proches, avoir des loisirs, sortir"
    objective = post(api, f"{version_url}/objectives/", {"text": "Aller au cinéma", "needs": [need.json()["id"]]})
    assert objective.status_code == 201 and objective.json()["needs"] == [need.json()["id"]]
    action = post(api, f"{version_url}/actions/", {"objective": objective.json()["id"], "text": "Sortie",
                                                    "who": "Éducateur", "serafin_code": "2.3.4.2"})  # fmt: skip
    assert action.status_code == 201
    assert post(api, f"{version_url}/participants/", {"kind": "proche", "name": "Marc"}).status_code == 201
    meeting = post(api, f"{version_url}/meeting/", {"meeting_on": TODAY().isoformat(), "person_present": True})
    assert meeting.status_code == 200
    agreement = {"agreement_on": TODAY().isoformat(), "agreement_by": "personne", "agreement_name": "Léa",
                 "agreement_how": "oral"}  # fmt: skip
    assert post(api, f"{version_url}/agreement/", agreement).status_code == 403  # an éducateur does not validate
    client.force_login(cadre)
    agreed = post(client, f"{version_url}/agreement/", agreement)
    assert agreed.status_code == 200 and agreed.json()["is_agreed"]
    evaluation = post(client, f"{version_url}/evaluations/", {"objective": objective.json()["id"], "result": "atteint"})
    assert evaluation.status_code == 201
    revised = post(client, f"{version_url}/revise/")
    assert revised.status_code == 201 and revised.json()["number"] == 2
    assert len(revised.json()["objectives"]) == 1 and revised.json()["objectives"][0]["evaluations"] == []
    detail = client.get(f"/api/v1/ppa-projects/{body['id']}/").json()
    assert detail["current_version"]["number"] == 2 and [v["number"] for v in detail["versions"]] == [1, 2]
    assert AccessLog.objects.filter(action="read", object_type="ppa.projet", object_id=str(body["id"])).exists()


def test_list_filters_by_person_and_audits(api, educ, person, ime):
    project_with_content(educ, person)
    other = admitted(ime)
    project_with_content(educ, other)
    rows = api.get("/api/v1/ppa-projects/", {"usager": person.pk}).json()["results"]
    assert [r["usager"] for r in rows] == [person.pk]
    assert len(api.get("/api/v1/ppa-projects/").json()["results"]) == 2
    assert len(logged_events(action="read", object_type="ppa.projet")) >= 3
    assert api.get("/api/v1/ppa-projects/", {"usager": "abc"}).status_code == 400


@pytest.mark.parametrize(
    ("path", "data", "field", "message"),
    [
        ("objectives", {"text": "Cinéma", "needs": []}, "needs", "au moins un besoin"),
        ("needs", {"kind": "besoin", "expressed_by": "personne", "text": "x", "serafin_code": "2.1.1"},
         "serafin_code", "est une prestation"),
        ("needs", {"kind": "besoin", "expressed_by": "personne", "text": "x", "serafin_code": "4.4"},
         "serafin_code", "inconnu"),
        ("agreement", {"agreement_on": "2000-01-01", "agreement_by": "personne", "agreement_name": "Léa",
                       "agreement_how": "oral"}, "agreement_on", "précéder la réunion"),
        ("agreement", {"agreement_on": "2999-01-01", "agreement_by": "personne", "agreement_name": "Léa",
                       "agreement_how": "oral"}, "agreement_on", "futur"),
        ("revise", {}, "non_field_errors", "encore en préparation"),
    ],
)  # fmt: skip
def test_bad_input_is_a_french_400_that_writes_nothing(client, cadre, educ, person, path, data, field, message):
    projet = project_with_content(educ, person)
    version = projet.versions.get()
    client.force_login(cadre)
    counts = (Expression.objects.count(), Objective.objects.count(), ProjetVersion.objects.count())
    response = post(client, f"/api/v1/ppa-versions/{version.pk}/{path}/", data)
    assert response.status_code == 400, response.content
    assert message in " ".join(response.json()[field])
    assert (Expression.objects.count(), Objective.objects.count(), ProjetVersion.objects.count()) == counts
    version.refresh_from_db()
    assert not version.is_agreed


def test_second_project_and_frozen_version_are_400(api, client, cadre, educ, person):
    project_with_content(educ, person)
    response = post(api, "/api/v1/ppa-projects/", {"usager": person.pk})
    assert response.status_code == 400 and "existe déjà" in response.json()["non_field_errors"][0]
    version = Projet.objects.get().versions.get()
    client.force_login(cadre)
    post(client, f"/api/v1/ppa-versions/{version.pk}/agreement/", {"agreement_on": TODAY().isoformat(),
         "agreement_by": "personne", "agreement_name": "Léa", "agreement_how": "oral"})  # fmt: skip
    frozen = post(client, f"/api/v1/ppa-versions/{version.pk}/participants/", {"kind": "proche", "name": "X"})
    assert frozen.status_code == 400 and "figée" in frozen.json()["non_field_errors"][0]
    assert version.participants.count() == 1


def test_archived_or_unknown_person_is_400(api, ime):
    archived = admitted(ime)
    archived.archived_at = timezone.now()
    archived.save(update_fields=["archived_at"])
    response = post(api, "/api/v1/ppa-projects/", {"usager": archived.pk})
    assert response.status_code == 400 and "archivé" in response.json()["non_field_errors"][0]
    no_stay = post(api, "/api/v1/ppa-projects/", {"usager": UsagerFactory(essms=ime).pk})
    assert no_stay.status_code == 400 and "séjour en cours" in no_stay.json()["non_field_errors"][0]
    assert post(api, "/api/v1/ppa-projects/", {"usager": 0}).status_code == 400
    assert not Projet.objects.exists()


def test_another_essms_gets_404(client, essms, educ, person):
    projet = project_with_content(educ, person)
    version = projet.versions.get()
    client.force_login(professional(essms, Metier.CADRE_SANTE))
    assert client.get(f"/api/v1/ppa-projects/{projet.pk}/").status_code == 404
    assert client.get(f"/api/v1/ppa-versions/{version.pk}/").status_code == 404
    for path in ("needs", "objectives", "actions", "evaluations", "participants", "agreement", "revise", "meeting"):
        assert post(client, f"/api/v1/ppa-versions/{version.pk}/{path}/", {}).status_code == 404, path
    assert post(client, f"/api/v1/ppa-projects/{projet.pk}/step/", {"step": "analyse"}).status_code == 404
    assert client.get("/api/v1/ppa-projects/", {"usager": person.pk}).json()["results"] == []
    response = post(client, "/api/v1/ppa-projects/", {"usager": admitted(person.essms).pk})
    assert response.status_code == 400 and Projet.objects.count() == 1


def test_step_and_close_actions(api, person, educ):
    projet = project_with_content(educ, person)
    assert post(api, f"/api/v1/ppa-projects/{projet.pk}/step/", {"step": "analyse"}).json()["step"] == "analyse"
    refused = post(api, f"/api/v1/ppa-projects/{projet.pk}/step/", {"step": "suivi"})
    assert refused.status_code == 400 and "accord" in refused.json()["step"][0]
    closed = post(api, f"/api/v1/ppa-projects/{projet.pk}/close/", {"reason": "Sortie"})
    assert closed.json()["step"] == "fin" and closed.json()["closed_at"]
    assert post(api, f"/api/v1/ppa-projects/{projet.pk}/close/").status_code == 400


def test_retrieve_a_past_version_keeps_its_content(client, cadre, educ, person):
    projet = project_with_content(educ, person, need_code="1.1.3")
    version = projet.versions.get()
    client.force_login(cadre)
    post(client, f"/api/v1/ppa-versions/{version.pk}/agreement/", {"agreement_on": TODAY().isoformat(),
         "agreement_by": "representant", "agreement_name": "M. Robin", "agreement_how": "signature"})  # fmt: skip
    post(client, f"/api/v1/ppa-versions/{version.pk}/revise/")
    body = client.get(f"/api/v1/ppa-versions/{version.pk}/").json()
    assert body["is_agreed"] and body["agreement_by"] == "representant"
    need = next(n for n in body["needs"] if n["kind"] == "besoin")
    assert need["serafin_code"] == "1.1.3" and need["serafin_label"] == "Besoins en matière de douleur"
    assert body["meeting_on"] == (TODAY() - datetime.timedelta(days=3)).isoformat()

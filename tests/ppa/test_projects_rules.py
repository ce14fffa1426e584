"""Projet personnalisé: the architecture rules hold — the actor's channel and address on every
written row, every write logged (the due-date rules too), reads logged by the selectors (and only
those that show something), the due-date rules decided by the matrix, pages and API free of
queries and of access-log calls."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from dui.actor import Actor
from dui.errors import NotFound
from dui.models import AccessLog, Channel, DocumentClass, EssmsKind, Habilitation, Metier
from ppa.models import PpaPolicy
from ppa.selectors import projects as selectors
from ppa.services import project_versions
from ppa.services import projects as services
from tests.factories import EssmsFactory, professional
from tests.logged import logged_events
from tests.ppa.factories_projects import admitted, project_with_content

pytestmark = pytest.mark.django_db

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


def _fresh_rights(user):
    user.__dict__.pop("_rights_cache", None)
    return user


# --- Writes: the actor's channel and address, every write logged --------------------------------


def test_a_write_is_logged_with_the_actor_channel_and_address(educ, person):
    actor = Actor(educ, channel=Channel.API, ip="10.1.2.3")
    projet = services.projet_open(actor, usager=person)
    row = AccessLog.objects.get(action="create", object_type="ppa.projet", object_id=str(projet.pk))
    assert (row.channel, row.ip, row.user_id, row.metier) == (Channel.API, "10.1.2.3", educ.pk, Metier.EDUCATEUR)
    version = projet.versions.get()
    project_versions.participant_add(actor, version=version, kind="proche", name="Marc")
    row = AccessLog.objects.filter(action="update", object_type="ppa.projetversion").latest("pk")
    assert (row.channel, row.ip, row.detail) == (Channel.API, "10.1.2.3", "participant ajouté : Marc")


def test_policy_update_writes_its_access_log_row(cadre, ime):
    actor = Actor(cadre, channel=Channel.WEB, ip="10.0.0.7")
    policy = services.policy_update(actor, first_project_months=4, revision_months=9)
    row = AccessLog.objects.get(object_type="ppa.ppapolicy")
    assert row.action == "update" and row.object_id == str(policy.pk) and row.essms_id == ime.pk
    assert row.detail == "échéances : premier projet 4 mois, révision 9 mois" and row.ip == "10.0.0.7"


def test_a_refused_policy_update_writes_nothing(educ):
    with pytest.raises(PermissionDenied):
        services.policy_update(Actor(educ), first_project_months=4, revision_months=9)
    assert not AccessLog.objects.filter(object_type="ppa.ppapolicy").exists()


def test_closing_at_the_sortie_is_logged_with_the_actor(educ, person):
    projet = services.projet_open(Actor(educ), usager=person)
    actor = Actor(educ, channel=Channel.TASK)
    services.projet_close_for_sejour(actor, sejour=projet.sejour)
    row = AccessLog.objects.filter(object_type="ppa.projet", action="update").latest("pk")
    assert row.detail == "projet clos à la sortie" and row.channel == Channel.TASK


# --- Rights: the due-date rules follow the matrix (right "validate" on "ppa") -------------------


def test_due_date_rules_follow_the_og_matrix(og, ime, educ, cadre):
    ppa = DocumentClass.objects.get(code="ppa")
    # The default matrix: the cadre sets the rules, the éducateur does not (as before).
    assert Actor(cadre).can("validate", "ppa") and not Actor(educ).can("validate", "ppa")
    with pytest.raises(PermissionDenied, match="direction et l'encadrement"):
        services.policy_update(Actor(educ), first_project_months=4, revision_months=9)
    # The OG gives its éducateurs the right: the answer changes.
    Habilitation.objects.update_or_create(
        og=og, metier=Metier.EDUCATEUR, document_class=ppa,
        defaults={"can_read": True, "can_write": True, "can_validate": True},
    )  # fmt: skip
    services.policy_update(Actor(_fresh_rights(educ)), first_project_months=4, revision_months=9)
    assert PpaPolicy.objects.get(essms=ime).first_project_months == 4
    # And takes it from its cadres.
    Habilitation.objects.filter(og=og, metier=Metier.CADRE_SANTE, document_class=ppa).update(can_validate=False)
    with pytest.raises(PermissionDenied):
        services.policy_update(Actor(_fresh_rights(cadre)), first_project_months=5, revision_months=9)


# --- Reads: logged by the selectors that show something -----------------------------------------


def test_scoping_selectors_log_nothing_reading_ones_log_one_row(educ, person, essms):
    projet = project_with_content(educ, person)
    version = projet.versions.get()
    actor = Actor(educ, channel=Channel.API)
    before = len(logged_events(action="read"))
    assert selectors.projet_in_reach(actor, projet.pk) == projet
    assert selectors.version_in_reach(actor, version.pk) == version
    assert len(logged_events(action="read")) == before
    selectors.access_projet(actor, projet.pk)
    selectors.access_version(actor, version.pk)
    rows = logged_events(action="read")[before:]
    assert [(r.object_type, r.channel) for r in rows] == [("ppa.projet", "api"), ("ppa.projetversion", "api")]
    outsider = Actor(professional(essms, Metier.CADRE_SANTE))
    for pk in (projet.pk, "abc", 0, 2**70):
        with pytest.raises(NotFound):
            selectors.access_projet(outsider, pk)
    with pytest.raises(NotFound):
        selectors.access_version(outsider, version.pk)


def test_pages_log_what_they_show(client, educ, cadre, person):
    projet = project_with_content(educ, person)
    services.projet_step_set(Actor(educ), projet=projet, step="analyse")
    client.force_login(educ)
    client.get(reverse("ppa-projet-detail", kwargs={"pk": projet.pk}))
    assert len(logged_events(action="read", detail="projet personnalisé v1", channel="web")) == 1
    client.get(reverse("ppa-projet-compare", kwargs={"pk": projet.pk}))
    assert len(logged_events(action="read", detail="comparaison de versions")) == 2
    before = len(logged_events(action="read"))
    client.post(reverse("ppa-projet-step", kwargs={"pk": projet.pk}), {"step": "recueil"})
    assert len(logged_events(action="read")) == before  # a write reads nothing to show
    admitted(person.essms, days_ago=300)  # no project: its séjour is the row
    client.force_login(cadre)
    client.get(reverse("ppa-alerts"))
    rows = AccessLog.objects.filter(action="read", detail="échéances des projets personnalisés")
    assert sorted(r.object_type for r in rows) == ["dui.sejour", "ppa.projet"]


def test_api_list_logs_the_page_it_answers(client, educ, person, ime):
    project_with_content(educ, person)
    project_with_content(educ, admitted(ime))
    client.force_login(educ)
    assert len(client.get("/api/v1/ppa-projects/").json()["results"]) == 2
    assert len(logged_events(action="read", detail="liste des projets personnalisés")) == 2
    response = client.get("/api/v1/ppa-projects/", {"usager": "-1"})
    assert response.status_code == 400 and response.json() == {"usager": ["Identifiant de personne invalide."]}


def test_unknown_version_number_is_not_found(client, educ, person):
    projet = project_with_content(educ, person)
    client.force_login(educ)
    url = reverse("ppa-projet-detail", kwargs={"pk": projet.pk})
    assert client.get(url + "?version=9").status_code == 404
    assert client.get(reverse("ppa-projet-pdf", kwargs={"pk": projet.pk}) + "?version=x").status_code == 404
    assert not AccessLog.objects.filter(action__in=["read", "export"], object_type="ppa.projetversion").exists()


def test_api_errors_come_from_the_one_handler(client, educ, cadre, person):
    version = project_with_content(educ, person).versions.get()
    client.force_login(educ)
    agreement = {"agreement_on": TODAY().isoformat(), "agreement_by": "personne", "agreement_name": "Léa",
                 "agreement_how": "oral"}  # fmt: skip
    refused = client.post(f"/api/v1/ppa-versions/{version.pk}/agreement/", agreement, content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Votre métier ne permet pas d'enregistrer l'accord sur le projet personnalisé."
    meeting = {"meeting_on": (TODAY() + datetime.timedelta(days=400)).isoformat(), "person_present": True}
    bad = client.post(f"/api/v1/ppa-versions/{version.pk}/meeting/", meeting, content_type="application/json")
    assert bad.status_code == 400 and "plus d'un an" in bad.json()["meeting_on"][0]

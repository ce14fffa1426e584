"""Projet personnalisé services: lifecycle, due dates, revision, and every bad input (French
message, nothing written)."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dui.actor import Actor
from dui.models import AccessLog, EssmsKind, Metier
from ppa.models import (
    AgreementBy,
    AgreementHow,
    ExpressedBy,
    Expression,
    ExpressionKind,
    Objective,
    ObjectiveEvaluation,
    ObjectiveResult,
    Participant,
    PpaPolicy,
    PpaStep,
    ProjectAction,
    Projet,
    ProjetVersion,
)
from ppa.services import project_versions
from ppa.services import projects as services
from tests.factories import EssmsFactory, professional
from tests.ppa.factories_projects import admitted, project_with_content

TODAY = timezone.localdate


@pytest.fixture
def ime(og):
    return EssmsFactory(og=og, name="IME Les Peupliers", kind=EssmsKind.IME)


@pytest.fixture
def cadre(ime):
    return professional(ime, Metier.CADRE_SANTE)


@pytest.fixture
def educ(ime):
    return professional(ime, Metier.EDUCATEUR)


@pytest.fixture
def person(ime):
    return admitted(ime, days_ago=200, birth_name="ROBIN", first_names="Léa")


def agree(user, version, **kwargs):
    values = {
        "agreement_on": TODAY() - datetime.timedelta(days=1),
        "agreement_by": AgreementBy.PERSONNE,
        "agreement_name": "Léa Robin",
        "agreement_how": AgreementHow.PICTOGRAMMES,
    } | kwargs
    return project_versions.agreement_record(Actor(user), version=version, **values)


def snapshot():
    return tuple(
        model.objects.count()
        for model in (Projet, ProjetVersion, Expression, Objective, ProjectAction, Participant, ObjectiveEvaluation)
    )


def test_open_creates_version_one_due_six_months_after_admission(educ, person, ime):
    projet = services.projet_open(Actor(educ), usager=person)
    admitted_on = projet.sejour.admitted_on
    assert projet.step == PpaStep.RECUEIL
    assert projet.versions.get().number == 1
    assert projet.due_on == admitted_on + relativedelta(months=6)
    assert PpaPolicy.objects.get(essms=ime).first_project_months == 6  # created with defaults
    assert AccessLog.objects.filter(action="create", object_type="ppa.projet", usager_id=person.pk).exists()


def test_full_cycle_agreement_freezes_then_revision_copies(educ, cadre, person):
    projet = project_with_content(educ, person, need_code="1.2.1.1", action_code="2.2.1")
    v1 = projet.versions.get()
    with pytest.raises(PermissionDenied):  # an éducateur writes but does not validate
        agree(educ, v1)
    agree(cadre, v1)
    projet.refresh_from_db()
    assert projet.step == PpaStep.MISE_EN_OEUVRE
    assert projet.due_on == TODAY() - datetime.timedelta(days=1) + relativedelta(months=12)
    # The follow-up: an evaluation on the agreed version is allowed.
    objective = v1.objectives.get()
    project_versions.evaluation_add(
        Actor(educ), version=v1, objective=objective.pk, result=ObjectiveResult.PARTIEL, comment="En progrès"
    )
    services.projet_step_set(Actor(educ), projet=projet, step=PpaStep.SUIVI)
    v2 = project_versions.version_revise(Actor(educ), version=v1)
    assert v2.number == 2 and not v2.is_agreed and v2.meeting_on is None
    assert v2.expressions.count() == 2 and v2.participants.count() == 1
    copied = v2.objectives.get()
    assert copied.pk != objective.pk and copied.evaluations.count() == 0
    assert [n.text for n in copied.needs.all()] == ["Besoin d'aide pour la toilette du matin"]
    assert copied.needs.get().version_id == v2.pk  # links point at the copies
    assert copied.actions.get().serafin_code == "2.2.1"
    projet.refresh_from_db()
    assert projet.step == PpaStep.RECUEIL
    # Version 1 is untouched.
    v1.refresh_from_db()
    assert v1.is_agreed and v1.objectives.get().evaluations.count() == 1


def test_revision_due_date_follows_the_policy(educ, cadre, person, ime):
    projet = project_with_content(educ, person)
    agree(cadre, projet.versions.get(), agreement_on=TODAY())
    projet.refresh_from_db()
    assert projet.due_on == TODAY() + relativedelta(months=12)
    services.policy_update(Actor(cadre), first_project_months=4, revision_months=6)
    projet.refresh_from_db()
    assert projet.due_on == TODAY() + relativedelta(months=6)


def test_policy_update_bad_input_and_rights(cadre, educ, ime):
    with pytest.raises(ValidationError) as error:
        services.policy_update(Actor(cadre), first_project_months=0, revision_months=40)
    assert "entre 1 et 24 mois" in str(error.value)
    with pytest.raises(PermissionDenied):
        services.policy_update(Actor(educ), first_project_months=6, revision_months=12)
    assert not PpaPolicy.objects.filter(essms=ime).exclude(first_project_months=6).exists()


def test_close_on_demand_and_at_sortie(educ, person, ime):
    projet = services.projet_open(Actor(educ), usager=person)
    services.projet_close(Actor(educ), projet=projet, reason="Réorientation")
    projet.refresh_from_db()
    assert projet.step == PpaStep.FIN and projet.closed_at is not None
    with pytest.raises(ValidationError, match="clos"):
        services.projet_step_set(Actor(educ), projet=projet, step=PpaStep.ANALYSE)
    other = admitted(ime)
    projet2 = services.projet_open(Actor(educ), usager=other)
    assert services.projet_close_for_sejour(Actor(educ), sejour=projet2.sejour).step == PpaStep.FIN
    assert services.projet_close_for_sejour(Actor(educ), sejour=projet2.sejour) is None


def test_steps_need_an_agreement_for_mise_en_oeuvre(educ, person):
    projet = services.projet_open(Actor(educ), usager=person)
    services.projet_step_set(Actor(educ), projet=projet, step=PpaStep.ANALYSE)
    for step, message in [
        (PpaStep.MISE_EN_OEUVRE, "après l'accord"),
        (PpaStep.FIN, "Clore le projet"),
        ("voyage", "Étape inconnue"),
        (PpaStep.ANALYSE, "déjà à l'étape"),
    ]:
        with pytest.raises(ValidationError, match=message):
            services.projet_step_set(Actor(educ), projet=projet, step=step)
    projet.refresh_from_db()
    assert projet.step == PpaStep.ANALYSE


# --- Bad input: a clear French message, nothing written -----------------------------------------


def test_objective_without_a_need_is_refused(educ, person):
    projet = services.projet_open(Actor(educ), usager=person)
    version = projet.versions.get()
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        project_versions.objective_add(Actor(educ), version=version, text="Sortir plus souvent", need_ids=[])
    assert "au moins un besoin" in str(error.value)
    assert snapshot() == before


def test_objective_with_a_need_of_another_version_is_refused(educ, person, ime):
    other = project_with_content(educ, admitted(ime))
    foreign_need = other.versions.get().expressions.first()
    version = services.projet_open(Actor(educ), usager=person).versions.get()
    before = snapshot()
    with pytest.raises(ValidationError, match="n'appartiennent pas"):
        project_versions.objective_add(Actor(educ), version=version, text="Objectif", need_ids=[foreign_need.pk])
    assert snapshot() == before


def test_agreement_before_the_meeting_is_refused(educ, cadre, person):
    version = project_with_content(educ, person).versions.get()
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        agree(cadre, version, agreement_on=version.meeting_on - datetime.timedelta(days=1))
    assert "ne peut pas précéder la réunion de projet" in str(error.value)
    version.refresh_from_db()
    assert not version.is_agreed and snapshot() == before


def test_agreement_in_the_future_is_refused(educ, cadre, person):
    version = project_with_content(educ, person).versions.get()
    with pytest.raises(ValidationError, match="dans le futur"):
        agree(cadre, version, agreement_on=TODAY() + datetime.timedelta(days=2))
    version.refresh_from_db()
    assert not version.is_agreed


def test_agreement_without_meeting_or_objective_or_name_is_refused(educ, cadre, person):
    version = services.projet_open(Actor(educ), usager=person).versions.get()
    with pytest.raises(ValidationError, match="réunion de projet"):
        agree(cadre, version)
    project_versions.meeting_record(Actor(educ), version=version, meeting_on=TODAY(), person_present=True)
    with pytest.raises(ValidationError, match="aucun objectif"):
        agree(cadre, version)
    version = project_with_content(educ, admitted(person.essms)).versions.get()
    with pytest.raises(ValidationError) as error:
        agree(cadre, version, agreement_name=" ", agreement_how="tampon", agreement_by="voisin")
    assert set(error.value.message_dict) == {"agreement_name", "agreement_how", "agreement_by"}
    version.refresh_from_db()
    assert not version.is_agreed


def test_editing_a_frozen_version_is_refused(educ, cadre, person):
    me = Actor(educ)
    projet = project_with_content(educ, person)
    version = projet.versions.get()
    agree(cadre, version)
    objective = version.objectives.get()
    need = version.expressions.filter(kind=ExpressionKind.BESOIN).get()
    before = snapshot()
    attempts = [
        lambda: project_versions.need_add(me, version=version, kind="besoin", expressed_by="personne", text="x"),
        lambda: project_versions.objective_add(me, version=version, text="y", need_ids=[need.pk]),
        lambda: project_versions.action_add(me, version=version, objective=objective, text="z", who="moi"),
        lambda: project_versions.participant_add(me, version=version, kind="proche", name="Léon"),
        lambda: project_versions.meeting_record(me, version=version, meeting_on=TODAY(), person_present=True),
        lambda: project_versions.item_remove(me, version=version, item="besoin", pk=need.pk),
        lambda: agree(cadre, version),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError, match="figée"):
            attempt()
    assert snapshot() == before
    # A replaced version cannot be evaluated either.
    project_versions.version_revise(me, version=version)
    with pytest.raises(ValidationError, match="remplacée"):
        project_versions.evaluation_add(me, version=version, objective=objective, result="atteint")


def test_need_code_that_is_a_prestation_is_refused(educ, person):
    version = services.projet_open(Actor(educ), usager=person).versions.get()
    before = snapshot()
    for code, message in [
        ("2.2.1", "est une prestation"),
        ("9.9.9", "inconnu"),
        ("1", "racine"),
    ]:
        with pytest.raises(ValidationError, match=message):
            project_versions.need_add(
                Actor(educ), version=version, kind="besoin", expressed_by="personne", text="Se laver",
                serafin_code=code,
            )  # fmt: skip
    with pytest.raises(ValidationError, match="Seul un besoin"):
        project_versions.need_add(Actor(educ), version=version, kind="attente", expressed_by="personne", text="Sortir",
                          serafin_code="1.3.4.1")  # fmt: skip
    assert snapshot() == before


def test_action_code_that_is_a_need_is_refused(educ, person):
    version = project_with_content(educ, person).versions.get()
    objective = version.objectives.get()
    before = snapshot()
    with pytest.raises(ValidationError, match="est un besoin"):
        project_versions.action_add(Actor(educ), version=version, objective=objective, text="Aide", who="AES",
                            serafin_code="1.2.1.1")  # fmt: skip
    assert snapshot() == before


def test_second_project_for_the_same_sejour_is_refused(educ, person):
    services.projet_open(Actor(educ), usager=person)
    before = snapshot()
    with pytest.raises(ValidationError, match="existe déjà"):
        services.projet_open(Actor(educ), usager=person)
    assert snapshot() == before


def test_project_without_sejour_en_cours_is_refused(educ, ime):
    from tests.factories import UsagerFactory

    with pytest.raises(ValidationError, match="pas de séjour en cours"):
        services.projet_open(Actor(educ), usager=UsagerFactory(essms=ime))
    assert not Projet.objects.exists()


def test_project_on_an_archived_dossier_is_refused(educ, person):
    projet = project_with_content(educ, person)
    person.archived_at = timezone.now()
    person.save(update_fields=["archived_at"])
    version = projet.versions.get()
    before = snapshot()
    with pytest.raises(ValidationError, match="archivé"):
        project_versions.participant_add(Actor(educ), version=version, kind="proche", name="Léon")
    with pytest.raises(ValidationError, match="archivé"):
        services.projet_step_set(Actor(educ), projet=projet, step=PpaStep.ANALYSE)
    assert snapshot() == before


def test_opening_on_an_archived_dossier_is_refused(educ, ime):
    usager = admitted(ime)
    usager.archived_at = timezone.now()
    usager.save(update_fields=["archived_at"])
    with pytest.raises(ValidationError, match="archivé"):
        services.projet_open(Actor(educ), usager=usager)
    assert not Projet.objects.exists()


def test_a_metier_without_rights_writes_nothing(ime, person, educ):
    ash = professional(ime, Metier.ASH)
    with pytest.raises(PermissionDenied):
        services.projet_open(Actor(ash), usager=person)
    version = services.projet_open(Actor(educ), usager=person).versions.get()
    with pytest.raises(PermissionDenied):
        project_versions.participant_add(Actor(ash), version=version, kind="proche", name="Léon")
    assert Participant.objects.count() == 0


def test_another_essms_user_cannot_write(educ, person, essms):
    version = services.projet_open(Actor(educ), usager=person).versions.get()
    outsider = professional(essms, Metier.CADRE_SANTE)
    with pytest.raises(PermissionDenied):
        project_versions.participant_add(Actor(outsider), version=version, kind="proche", name="Léon")
    assert Participant.objects.count() == 0


def test_other_bad_inputs_each_have_a_french_message(educ, person):
    me = Actor(educ)
    projet = project_with_content(educ, person)
    version = projet.versions.get()
    objective = version.objectives.get()
    need = version.expressions.get(kind=ExpressionKind.BESOIN)
    before = snapshot()
    cases = [
        (lambda: project_versions.need_add(me, version=version, kind="besoin", expressed_by="proche", text="x"),
         "nom du proche"),
        (lambda: project_versions.need_add(me, version=version, kind="envie", expressed_by="personne", text="x"),
         "attente exprimée ou besoin"),
        (lambda: project_versions.need_add(me, version=version, kind="besoin", expressed_by="personne",
                                   text="  "), "Formulez"),
        (lambda: project_versions.action_add(me, version=version, objective=objective, text="x", who=""),
         "qui la réalise"),
        (lambda: project_versions.action_add(me, version=version, objective=999999, text="x", who="y"),
         "n'appartient pas"),
        (lambda: project_versions.evaluation_add(me, version=version, objective=objective, result="bof"),
         "atteint"),
        (lambda: project_versions.evaluation_add(me, version=version, objective=objective, result="partiel"),
         "pourquoi"),
        (lambda: project_versions.evaluation_add(me, version=version, objective=objective, result="atteint",
                                         evaluated_on=TODAY() + datetime.timedelta(days=1)), "futur"),
        (lambda: project_versions.meeting_record(me, version=version, meeting_on=TODAY(), person_present=False),
         "pourquoi la personne"),
        (lambda: project_versions.meeting_record(me, version=version, meeting_on=datetime.date(2000, 1, 1),
                                         person_present=True), "précéder l'admission"),
        (lambda: project_versions.participant_add(me, version=version, kind="ami", name="x"), "qualité"),
        (lambda: project_versions.item_remove(me, version=version, item="besoin", pk=need.pk),
         "ne répond qu'à ce besoin"),
        (lambda: project_versions.version_revise(me, version=version), "encore en préparation"),
    ]  # fmt: skip
    for attempt, message in cases:
        with pytest.raises(ValidationError, match=message):
            attempt()
    assert snapshot() == before


def test_remove_items_of_a_draft(educ, person):
    version = project_with_content(educ, person).versions.get()
    objective = version.objectives.get()
    project_versions.item_remove(Actor(educ), version=version, item="objectif", pk=objective.pk)
    assert not Objective.objects.filter(pk=objective.pk).exists() and ProjectAction.objects.count() == 0
    need = version.expressions.get(kind=ExpressionKind.BESOIN)
    project_versions.item_remove(Actor(educ), version=version, item="besoin", pk=need.pk)
    assert version.expressions.count() == 1


def test_ehpad_project_without_codes(essms):
    nurse = professional(essms, Metier.IDE)
    projet = project_with_content(nurse, admitted(essms))
    version = projet.versions.get()
    assert not version.expressions.exclude(serafin_code="").exists()
    need = project_versions.need_add(Actor(nurse), version=version, kind=ExpressionKind.BESOIN,
                             expressed_by=ExpressedBy.PERSONNE, text="Dormir mieux")  # fmt: skip
    assert need.serafin_code == ""

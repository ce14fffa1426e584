"""Helpers of the projet personnalisé tests: an admitted person, a project with content."""

import datetime

from django.utils import timezone

from dui.actor import Actor
from dui.models import Metier, Modality
from dui.services.sejours import sejour_admit, sejour_open_pre_admission
from ppa.models import ExpressedBy, ExpressionKind, ParticipantKind, Projet
from ppa.services import project_versions
from ppa.services import projects as services
from tests.factories import UnitFactory, UsagerFactory, professional


def admitted(essms, *, days_ago: int = 200, unit=None, **usager_kwargs):
    """A person of `essms` admitted `days_ago` days ago, placed in `unit` (created when missing)."""
    secretary = professional(essms, Metier.SECRETAIRE_MEDICALE)
    usager = UsagerFactory(essms=essms, **usager_kwargs)
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    sejour = sejour_open_pre_admission(secretary, usager=usager, first_contact_on=day)
    sejour_admit(
        secretary,
        sejour=sejour,
        admitted_on=day,
        contract_signed_on=day,
        unit=unit or UnitFactory(essms=essms),
        modality=Modality.HEBERGEMENT_PERMANENT,
        room="12",
    )
    sejour.refresh_from_db()
    return usager


def project_with_content(user, usager, *, need_code: str = "", action_code: str = "") -> Projet:
    """An open project whose version 1 has a need, an expectation, an objective, an action,
    a participant and its meeting (not yet agreed)."""
    projet = services.projet_open(Actor(user), usager=usager)
    version = projet.versions.get()
    need = project_versions.need_add(
        Actor(user),
        version=version,
        kind=ExpressionKind.BESOIN,
        expressed_by=ExpressedBy.PROFESSIONNEL,
        expressed_by_name="Mme Bernard, éducatrice",
        text="Besoin d'aide pour la toilette du matin",
        serafin_code=need_code,
    )
    project_versions.need_add(
        Actor(user),
        version=version,
        kind=ExpressionKind.ATTENTE,
        expressed_by=ExpressedBy.PERSONNE,
        text="Aller au marché le samedi",
    )
    objective = project_versions.objective_add(
        Actor(user), version=version, text="Faire seul(e) sa toilette du haut", need_ids=[need.pk]
    )
    project_versions.action_add(
        Actor(user),
        version=version,
        objective=objective,
        text="Accompagnement verbal à la toilette",
        who="Équipe éducative",
        frequency="chaque matin",
        serafin_code=action_code,
    )
    project_versions.participant_add(
        Actor(user), version=version, kind=ParticipantKind.PROCHE, name="Paul Martin", role="frère"
    )
    project_versions.meeting_record(
        Actor(user),
        version=version,
        meeting_on=timezone.localdate() - datetime.timedelta(days=3),
        person_present=True,
        summary="Réunion sereine.",
    )
    return projet


def isolation_version(usager):
    """The version 1 of the usager's project (created once, straight in the tables) with one item of
    each kind: the objects named by the project routes in the isolation walk."""
    from ppa.models import Expression, Objective, Participant, ProjetVersion

    version = ProjetVersion.objects.filter(usager=usager).order_by("number").first()
    if version is not None:
        return version
    sejour = usager.sejours.get()
    author = sejour.created_by
    projet = Projet.objects.create(
        essms=usager.essms, usager=usager, sejour=sejour, created_by=author, due_on=timezone.localdate()
    )
    version = ProjetVersion.objects.create(
        essms=usager.essms, usager=usager, projet=projet, number=1, created_by=author
    )
    need = Expression.objects.create(
        essms=usager.essms, version=version, kind="besoin", expressed_by="personne", text=usager.birth_name
    )
    objective = Objective.objects.create(essms=usager.essms, version=version, text=usager.birth_name)
    objective.needs.add(need)
    Participant.objects.create(essms=usager.essms, version=version, kind="proche", name=usager.birth_name)
    return version

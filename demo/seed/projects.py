"""Demo projets personnalisés: for the persons admitted long enough, a project at different points
of its life, so the alert list and its indicators have something to show:

- the oldest admission: version 1 agreed long ago, revised into version 2 agreed a few months ago
  (up to date), with objective evaluations;
- the next one: version 1 agreed about eleven months ago (revision due within 30 days);
- the next one: version 1 being prepared, first project overdue;
- the others: no project yet.

In a disability establishment the needs and prestations carry SERAFIN-PH codes. Idempotent: a séjour
that already has a project is left as is.
"""

import datetime

from django.db.models import Count
from django.utils import timezone

from dui.actor import Actor
from dui.models import Membership, Metier, Sejour, SejourStatus
from ppa import serafin
from ppa.models import (
    Expression,
    Objective,
    ObjectiveEvaluation,
    Participant,
    ProjectAction,
    Projet,
    ProjetVersion,
)
from ppa.services import project_versions
from ppa.services import projects as services

WRITERS = (Metier.EDUCATEUR, Metier.PSYCHOLOGUE, Metier.IDE, Metier.CADRE_SANTE)
VALIDATORS = (Metier.CADRE_SANTE,)

# (kind, expressed_by, who expressed it, text, SERAFIN-PH need code)
NEEDS = {
    "ime": [
        ("attente", "personne", "", "Aller à la piscine avec les copains", ""),
        ("attente", "proche", "Sa mère", "Qu'il/elle apprenne à prendre le bus seul(e)", ""),
        ("besoin", "professionnel", "Éducateur référent", "Soutien pour la toilette et l'habillage", "1.2.1.1"),
        ("besoin", "professionnel", "Psychologue", "Apprendre à exprimer ses émotions sans crise", "1.2.1.2"),
        ("besoin", "professionnel", "Enseignante", "Consolider la lecture de mots simples", "1.3.3.3"),
    ],
    "ehpad": [
        ("attente", "personne", "", "Continuer à jardiner quand il fait beau", ""),
        ("attente", "proche", "Sa fille", "Être appelée après chaque rendez-vous médical", ""),
        ("besoin", "professionnel", "IDE", "Prévenir les chutes lors des levers nocturnes", ""),
        ("besoin", "professionnel", "Psychologue", "Rompre l'isolement en fin d'après-midi", ""),
    ],
}
# (text, indexes of the needs it answers, actions: (text, who, how often, SERAFIN-PH prestation code))
OBJECTIVES = {
    "ime": [
        ("Faire seul(e) sa toilette du haut du corps", [2],
         [("Accompagnement verbal et pictogrammes à la salle de bain", "Équipe éducative d'internat", "chaque matin",
           "2.2.1")]),
        ("Utiliser le classeur d'émotions lors des moments difficiles", [3],
         [("Séances individuelles avec la psychologue", "Psychologue", "tous les 15 jours", "2.1.1.3"),
          ("Reprise des situations avec le référent", "Éducateur référent", "chaque semaine", "2.2.2")]),
        ("Faire un trajet en bus accompagné(e) jusqu'au centre-ville", [1, 0],
         [("Apprentissage du trajet et des horaires", "Éducateur référent", "un mercredi sur deux", "2.3.4.3")]),
        ("Lire les mots de l'emploi du temps de la journée", [4],
         [("Atelier lecture en petit groupe", "Enseignante de l'unité d'enseignement", "3 fois par semaine",
           "2.3.3.1")]),
    ],
    "ehpad": [
        ("Se lever la nuit sans chute", [2],
         [("Veilleuse et chaussures fermées au pied du lit", "Aide-soignant(e) de nuit", "chaque soir", ""),
          ("Bilan de la marche par l'ergothérapeute", "Ergothérapeute", "une fois", "")]),
        ("Participer à une activité de groupe au moins deux fois par semaine", [3, 0],
         [("Proposition de l'atelier jardin et du goûter partagé", "Animateur", "2 fois par semaine", "")]),
        ("Tenir la famille informée des rendez-vous", [1],
         [("Appel de la fille après chaque consultation", "IDE", "après chaque rendez-vous", "")]),
    ],
}  # fmt: skip
PARTICIPANTS = {
    "ime": [("proche", "Mme (mère)", "mère, représentante légale"), ("professionnel", "Éducateur référent", ""),
            ("professionnel", "Psychologue", ""), ("professionnel", "Enseignante", "")],
    "ehpad": [("proche", "Fille de la personne", "fille"), ("professionnel", "IDE référente", ""),
              ("professionnel", "Animateur", ""), ("professionnel", "Psychologue", "")],
}  # fmt: skip
COUNTED = (Projet, ProjetVersion, Expression, Objective, ProjectAction, Participant, ObjectiveEvaluation)


def _acting(users: dict, essms, metiers):
    for metier in metiers:
        for user in users.values():
            membership = Membership.objects.active().filter(user=user, essms=essms, metier=metier).first()
            if membership is not None:
                return Actor.for_task(user, membership)
    return None


def _fill(writer, version, key: str, *, coded: bool, meeting_on: datetime.date, first_name: str) -> list:
    needs = []
    for kind, expressed_by, name, text, code in NEEDS[key]:
        needs.append(
            project_versions.need_add(
                writer,
                version=version,
                kind=kind,
                expressed_by=expressed_by,
                expressed_by_name=name,
                text=text,
                serafin_code=code if coded and kind == "besoin" else "",
            )
        )
    objectives = []
    for text, need_indexes, actions in OBJECTIVES[key]:
        objective = project_versions.objective_add(
            writer, version=version, text=text, need_ids=[needs[i].pk for i in need_indexes]
        )
        objectives.append(objective)
        for action_text, who, frequency, code in actions:
            project_versions.action_add(
                writer,
                version=version,
                objective=objective,
                text=action_text,
                who=who,
                frequency=frequency,
                serafin_code=code if coded else "",
            )
    project_versions.participant_add(writer, version=version, kind="personne", name=first_name)
    for kind, name, role in PARTICIPANTS[key]:
        project_versions.participant_add(writer, version=version, kind=kind, name=name, role=role)
    project_versions.meeting_record(
        writer,
        version=version,
        meeting_on=meeting_on,
        person_present=True,
        summary="Réunion de projet avec la personne, sa famille et l'équipe : attentes reprises une à une.",
    )
    return objectives


def _agree(validator, version, on: datetime.date, name: str) -> None:
    project_versions.agreement_record(
        validator,
        version=version,
        agreement_on=on,
        agreement_by="personne",
        agreement_name=name,
        agreement_how="pictogrammes" if version.essms.kind in serafin.DISABILITY_KINDS else "oral",
    )


def seed(essms, users: dict) -> int:
    writer = _acting(users, essms, WRITERS)
    validator = _acting(users, essms, VALIDATORS)
    if writer is None or validator is None:
        return 0
    before = sum(model.objects.filter(essms=essms).count() for model in COUNTED)
    key = "ime" if serafin.applies_to(essms) else "ehpad"
    coded = key == "ime"
    today = timezone.localdate()
    sejours = (
        Sejour.objects.filter(
            essms=essms, status=SejourStatus.ACTIVE, admitted_on__isnull=False, usager__archived_at__isnull=True
        )
        .annotate(has_project=Count("projet"))
        .select_related("usager")
        .order_by("admitted_on", "pk")
    )
    for rank, sejour in enumerate(sejours[:3]):
        if sejour.has_project:
            continue
        usager = sejour.usager
        age = (today - sejour.admitted_on).days
        name = f"{usager.used_first_name or usager.first_names.split()[0]} {usager.used_name or usager.birth_name}"
        projet = services.projet_open(writer, usager=usager, referent=writer.user)
        version = projet.versions.get()
        if rank == 2 or age < 200:
            # Being prepared: needs collected, meeting planned next week, no agreement yet.
            _fill(writer, version, key, coded=coded, meeting_on=today + datetime.timedelta(days=7), first_name=name)
            continue
        if rank == 0 and age >= 400:
            first_agreement = sejour.admitted_on + datetime.timedelta(days=min(170, age - 300))
            objectives = _fill(writer, version, key, coded=coded, first_name=name,
                               meeting_on=first_agreement - datetime.timedelta(days=5))  # fmt: skip
            _agree(validator, version, first_agreement, name)
            for index, objective in enumerate(objectives):
                result = ("atteint", "partiel", "non_atteint", "atteint")[index % 4]
                project_versions.evaluation_add(
                    writer,
                    version=version,
                    objective=objective,
                    result=result,
                    comment="" if result == "atteint" else "À poursuivre : progrès irréguliers selon les semaines.",
                    evaluated_on=today - datetime.timedelta(days=130),
                )
            version = project_versions.version_revise(writer, version=version)
            project_versions.meeting_record(
                writer,
                version=version,
                person_present=True,
                meeting_on=today - datetime.timedelta(days=125),
                summary="Révision annuelle : objectifs atteints retirés, nouveaux souhaits.",
            )
            _agree(validator, version, today - datetime.timedelta(days=120), name)
            services.projet_step_set(writer, projet=projet, step="suivi")
        else:
            agreed_on = max(today - datetime.timedelta(days=345), sejour.admitted_on + datetime.timedelta(days=10))
            _fill(writer, version, key, coded=coded, first_name=name,
                  meeting_on=agreed_on - datetime.timedelta(days=3))  # fmt: skip
            _agree(validator, version, agreed_on, name)
    return sum(model.objects.filter(essms=essms).count() for model in COUNTED) - before

"""Writes of the content of a projet personnalisé version: the meeting and its participants, the
expectations and needs, the objectives with their actions and evaluations, the removal of draft
items, the agreement that freezes the version and the revision that prepares the next one.
The agreement sends `ppa.signals.projet_validated` inside its transaction (the outbox stores and
sends the PDF there).

Every function is one transaction, takes the Actor first and writes its access-log row; a frozen
(agreed) or replaced version refuses every change but the evaluation of its objectives.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from dui.actor import user_of
from dui.catalogue import VALIDATE
from dui.models import AccessAction
from dui.permissions import can
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
    ParticipantKind,
    PpaStep,
    ProjectAction,
    ProjetVersion,
)
from ppa.services.project_rules import (
    REFUSED_VALIDATE,
    choice_of,
    log_write,
    optional_text,
    required_text,
    serafin_code_of,
    version_for_change,
)
from ppa.services.projects import policy_of, revision_due_on
from ppa.signals import projet_validated

# --- Meeting, participants ----------------------------------------------------------------------


@transaction.atomic
def meeting_record(
    actor,
    *,
    version: ProjetVersion,
    meeting_on: datetime.date | None,
    person_present: bool | None,
    person_absence_reason: str = "",
    summary: str = "",
) -> ProjetVersion:
    """The project meeting of a draft version: its date, whether the person was there, the synthèse."""
    version = version_for_change(actor, version)
    errors = {}
    admitted_on = version.projet.sejour.admitted_on
    if meeting_on is None:
        errors["meeting_on"] = "Indiquez la date de la réunion de projet."
    elif meeting_on < admitted_on:
        errors["meeting_on"] = f"La réunion ne peut pas précéder l'admission ({admitted_on:%d/%m/%Y})."
    elif meeting_on > timezone.localdate() + datetime.timedelta(days=366):
        errors["meeting_on"] = "La réunion ne peut pas être prévue plus d'un an à l'avance."
    reason = (person_absence_reason or "").strip()
    if person_present is None:
        errors["person_present"] = "Indiquez si la personne était présente."
    elif person_present is False and not reason:
        errors["person_absence_reason"] = "Indiquez pourquoi la personne n'était pas présente."
    if len(reason) > 300:
        errors["person_absence_reason"] = "300 caractères au plus."
    if errors:
        raise ValidationError(errors)
    version.meeting_on = meeting_on
    version.person_present = person_present
    version.person_absence_reason = "" if person_present else reason
    version.summary = (summary or "").strip()
    version.save(update_fields=["meeting_on", "person_present", "person_absence_reason", "summary"])
    log_write(actor, version, f"réunion de projet du {meeting_on:%d/%m/%Y}")
    return version


@transaction.atomic
def participant_add(actor, *, version: ProjetVersion, kind: str, name: str, role: str = "") -> Participant:
    version = version_for_change(actor, version)
    kind = choice_of(kind, ParticipantKind, "kind", "Choisissez la qualité du participant.")
    participant = Participant(
        essms_id=version.essms_id,
        version=version,
        kind=kind,
        name=required_text(name, "name", "Indiquez le nom du participant.", 200),
        role=optional_text(role, "role", 200),
    )
    participant.save()
    log_write(actor, version, f"participant ajouté : {participant.name}")
    return participant


# --- Expectations and needs ---------------------------------------------------------------------


@transaction.atomic
def need_add(
    actor,
    *,
    version: ProjetVersion,
    kind: str,
    expressed_by: str,
    text: str,
    expressed_by_name: str = "",
    serafin_code: str = "",
) -> Expression:
    """An expectation (attente) or a need (besoin) of a draft version, with who expressed it."""
    version = version_for_change(actor, version)
    kind = choice_of(kind, ExpressionKind, "kind", "Choisissez : attente exprimée ou besoin identifié.")
    expressed_by = choice_of(expressed_by, ExpressedBy, "expressed_by", "Indiquez qui l'a exprimé.")
    name = optional_text(expressed_by_name, "expressed_by_name", 200)
    if expressed_by in (ExpressedBy.PROCHE, ExpressedBy.PROFESSIONNEL) and not name:
        raise ValidationError({"expressed_by_name": "Indiquez le nom du proche ou du professionnel."})
    text = required_text(text, "text", "Formulez l'attente ou le besoin.")
    if (serafin_code or "").strip() and kind != ExpressionKind.BESOIN:
        raise ValidationError({"serafin_code": "Seul un besoin identifié porte un code SERAFIN-PH."})
    code = serafin_code_of(actor, version, serafin_code, need=True)
    expression = Expression.objects.create(
        essms_id=version.essms_id,
        version=version,
        kind=kind,
        expressed_by=expressed_by,
        expressed_by_name=name,
        text=text,
        serafin_code=code,
    )
    log_write(actor, version, f"{expression.get_kind_display().lower()} ajouté(e)")
    return expression


# --- Objectives, actions, evaluations -----------------------------------------------------------


@transaction.atomic
def objective_add(
    actor, *, version: ProjetVersion, text: str, need_ids, target_on: datetime.date | None = None
) -> Objective:
    """An objective answering at least one expectation or need of the same version."""
    version = version_for_change(actor, version)
    text = required_text(text, "text", "Formulez l'objectif.")
    ids = _ids(need_ids)
    if not ids:
        raise ValidationError({"needs": "Un objectif répond à au moins un besoin ou une attente : cochez-en un."})
    needs = list(Expression.objects.filter(version_id=version.pk, pk__in=ids))
    if len(needs) != len(ids):
        raise ValidationError({"needs": "Ces besoins n'appartiennent pas à cette version du projet."})
    if target_on is not None and target_on < version.projet.sejour.admitted_on:
        raise ValidationError({"target_on": "L'échéance de l'objectif ne peut pas précéder l'admission."})
    objective = Objective.objects.create(essms_id=version.essms_id, version=version, text=text, target_on=target_on)
    objective.needs.set(needs)
    log_write(actor, version, "objectif ajouté")
    return objective


def _ids(values) -> list[int]:
    if values is None:
        return []
    if isinstance(values, (str, int)):
        values = [values]
    ids = set()
    for value in values:
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise ValidationError({"needs": "Identifiant de besoin invalide."}) from None
        if not 0 < number < 2**63:
            raise ValidationError({"needs": "Identifiant de besoin invalide."})
        ids.add(number)
    return sorted(ids)


def _objective_of(version: ProjetVersion, objective) -> Objective:
    objective_id = objective.pk if isinstance(objective, Objective) else objective
    try:
        objective_id = int(objective_id)
    except (TypeError, ValueError):
        objective_id = None
    found = (
        Objective.objects.filter(version_id=version.pk, pk=objective_id).first()
        if objective_id and 0 < objective_id < 2**63
        else None
    )
    if found is None:
        raise ValidationError({"objective": "Cet objectif n'appartient pas à cette version du projet."})
    return found


@transaction.atomic
def action_add(
    actor, *, version: ProjetVersion, objective, text: str, who: str, frequency: str = "", serafin_code: str = ""
) -> ProjectAction:
    """An action or prestation serving an objective: who does it and how often."""
    version = version_for_change(actor, version)
    objective = _objective_of(version, objective)
    action = ProjectAction(
        essms_id=version.essms_id,
        objective=objective,
        text=required_text(text, "text", "Décrivez l'action ou la prestation."),
        who=required_text(who, "who", "Indiquez qui la réalise.", 200),
        frequency=optional_text(frequency, "frequency", 120),
    )
    action.serafin_code = serafin_code_of(actor, version, serafin_code, need=False)
    action.save()
    log_write(actor, version, "action ajoutée")
    return action


@transaction.atomic
def evaluation_add(
    actor,
    *,
    version: ProjetVersion,
    objective,
    result: str,
    comment: str = "",
    evaluated_on: datetime.date | None = None,
) -> ObjectiveEvaluation:
    """A dated evaluation of an objective of the current version (also once agreed: it is the follow-up)."""
    version = version_for_change(actor, version, draft=False)
    objective = _objective_of(version, objective)
    result = choice_of(result, ObjectiveResult, "result", "Choisissez : atteint, partiellement atteint ou non atteint.")
    evaluated_on = evaluated_on or timezone.localdate()
    if evaluated_on > timezone.localdate():
        raise ValidationError({"evaluated_on": "La date d'évaluation ne peut pas être dans le futur."})
    if evaluated_on < version.projet.sejour.admitted_on:
        raise ValidationError({"evaluated_on": "La date d'évaluation ne peut pas précéder l'admission."})
    comment = (comment or "").strip()
    if result != ObjectiveResult.ATTEINT and not comment:
        raise ValidationError({"comment": "Expliquez en quelques mots pourquoi l'objectif n'est pas atteint."})
    evaluation = ObjectiveEvaluation.objects.create(
        essms_id=version.essms_id,
        objective=objective,
        result=result,
        comment=comment,
        evaluated_on=evaluated_on,
        created_by=user_of(actor),
    )
    log_write(actor, version, f"objectif évalué : {evaluation.get_result_display().lower()}")
    return evaluation


# --- Removing items of a draft ------------------------------------------------------------------

ITEM_MODELS = {
    "besoin": Expression,
    "objectif": Objective,
    "action": ProjectAction,
    "participant": Participant,
}


@transaction.atomic
def item_remove(actor, *, version: ProjetVersion, item: str, pk) -> None:
    """Remove a need, an objective (with its actions), an action or a participant from a draft version."""
    version = version_for_change(actor, version)
    model = ITEM_MODELS.get(item)
    if model is None:
        raise ValidationError("Élément inconnu.")
    if model is ProjectAction:
        row = model.objects.filter(objective__version_id=version.pk, pk=pk).first()
    else:
        row = model.objects.filter(version_id=version.pk, pk=pk).first()
    if row is None:
        raise ValidationError("Cet élément n'appartient pas à cette version du projet.")
    if model is Expression:
        alone = [o for o in row.objectives.prefetch_related("needs") if len(o.needs.all()) == 1]
        if alone:
            raise ValidationError(
                f"L'objectif « {alone[0].text[:60]} » ne répond qu'à ce besoin : "
                "retirez d'abord l'objectif, ou liez-le à un autre besoin."
            )
    if model is Objective and row.evaluations.exists():
        raise ValidationError("Cet objectif a déjà été évalué : il reste dans le projet.")
    row.delete()
    log_write(actor, version, f"{item} retiré(e)")


# --- Agreement and revision ---------------------------------------------------------------------


@transaction.atomic
def agreement_record(
    actor,
    *,
    version: ProjetVersion,
    agreement_on: datetime.date | None,
    agreement_by: str,
    agreement_name: str,
    agreement_how: str,
    agreement_comment: str = "",
) -> ProjetVersion:
    """The agreement of the person or their representative: the version is frozen, the next revision due."""
    version = version_for_change(actor, version)
    if not can(actor, VALIDATE, version):
        raise PermissionDenied(REFUSED_VALIDATE)
    errors = {}
    today = timezone.localdate()
    if version.meeting_on is None:
        raise ValidationError(
            {"agreement_on": "Renseignez d'abord la réunion de projet : l'accord se recueille après elle."}
        )
    if not version.objectives.exists():
        raise ValidationError("Le projet ne contient encore aucun objectif : il ne peut pas recevoir d'accord.")
    if agreement_on is None:
        errors["agreement_on"] = "Indiquez la date de l'accord."
    elif agreement_on > today:
        errors["agreement_on"] = "La date de l'accord ne peut pas être dans le futur."
    elif agreement_on < version.meeting_on:
        errors["agreement_on"] = f"L'accord ne peut pas précéder la réunion de projet du {version.meeting_on:%d/%m/%Y}."
    if agreement_by not in AgreementBy.values:
        errors["agreement_by"] = "Indiquez qui donne son accord : la personne ou son représentant légal."
    if agreement_how not in AgreementHow.values:
        errors["agreement_how"] = "Indiquez comment l'accord a été recueilli."
    name = (agreement_name or "").strip()
    if not name:
        errors["agreement_name"] = "Indiquez le nom de la personne qui donne son accord."
    elif len(name) > 200:
        errors["agreement_name"] = "200 caractères au plus."
    comment = (agreement_comment or "").strip()
    if len(comment) > 300:
        errors["agreement_comment"] = "300 caractères au plus."
    if errors:
        raise ValidationError(errors)
    version.agreement_on = agreement_on
    version.agreement_by = agreement_by
    version.agreement_name = name
    version.agreement_how = agreement_how
    version.agreement_comment = comment
    version.save(update_fields=["agreement_on", "agreement_by", "agreement_name", "agreement_how", "agreement_comment"])
    projet = version.projet
    projet.due_on = revision_due_on(agreement_on, policy_of(projet.essms))
    projet.step = PpaStep.MISE_EN_OEUVRE
    projet.save(update_fields=["due_on", "step"])
    log_write(actor, version, f"accord du {agreement_on:%d/%m/%Y} ({version.get_agreement_how_display()})")
    if agreement_how != AgreementHow.REFUS:  # a disagreement freezes the version but validates nothing
        projet_validated.send(sender=ProjetVersion, projet=projet, version=version, actor=actor)
    return version


@transaction.atomic
def version_revise(actor, *, version: ProjetVersion) -> ProjetVersion:
    """Version N+1: a copy of the agreed version N (needs, objectives and their links, actions,
    participants, meeting synthèse), without the agreement and the evaluations. N stays as it was."""
    version = version_for_change(actor, version, draft=False)
    if not version.is_agreed:
        raise ValidationError(
            f"La version {version.number} est encore en préparation : complétez-la et recueillez l'accord "
            "avant de la réviser."
        )
    new = ProjetVersion.objects.create(
        essms_id=version.essms_id,
        usager_id=version.usager_id,
        projet=version.projet,
        number=version.number + 1,
        created_by=user_of(actor),
        summary=version.summary,
    )
    need_map = {}
    for need in version.expressions.all():
        old_pk = need.pk
        need.pk = None
        need.id = None
        need.version = new
        need.save()
        need_map[old_pk] = need
    for objective in version.objectives.prefetch_related("needs", "actions"):
        needs = [need_map[n.pk] for n in objective.needs.all()]
        actions = list(objective.actions.all())
        objective.pk = None
        objective.id = None
        objective.version = new
        objective.save()
        objective.needs.set(needs)
        for action in actions:
            action.pk = None
            action.id = None
            action.objective = objective
            action.save()
    for participant in version.participants.all():
        participant.pk = None
        participant.id = None
        participant.version = new
        participant.save()
    projet = version.projet
    projet.step = PpaStep.RECUEIL
    projet.save(update_fields=["step"])
    log_write(actor, new, f"révision : version {new.number} préparée à partir de la version {version.number}",
         AccessAction.CREATE)  # fmt: skip
    return new

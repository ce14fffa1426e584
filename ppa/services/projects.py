"""Writes of the projet personnalisé (PPA / PIA): one project per séjour, revised as numbered versions.

Every function is one transaction, takes the Actor first, writes its access-log row, checks the
matrix (class "ppa"; class "besoins_prestations" as well for SERAFIN-PH codes; "validate" to record
the agreement) and raises French ValidationError / PermissionDenied. An agreed version is frozen: its content is
never edited again; "réviser" copies it into version N+1, so history is never overwritten.

Only the objective evaluations may be added to the current version once agreed: they are
dated observations of the follow-up (suivi), not a change of the agreed content.
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from dui import audit
from dui.actor import user_of
from dui.catalogue import VALIDATE, WRITE
from dui.models import AccessAction, Essms, Sejour, SejourStatus, Usager
from dui.permissions import active_membership, can
from dui.services.common import refuse_archived
from ppa import serafin
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
    PpaPolicy,
    PpaStep,
    ProjectAction,
    Projet,
    ProjetVersion,
)

REFUSED = "Votre métier ne permet pas de modifier le projet personnalisé."
REFUSED_VALIDATE = "Votre métier ne permet pas d'enregistrer l'accord sur le projet personnalisé."
REFUSED_SERAFIN = "Votre métier ne permet pas de coder les besoins et les prestations SERAFIN-PH."
REFUSED_POLICY = "Seules la direction et l'encadrement règlent les échéances du projet personnalisé."
CLOSED = "Ce projet personnalisé est clos : il est en lecture seule."
SEJOUR_ENDED = "Le séjour de cette personne est terminé : son projet personnalisé est clos."
STEP_ORDER = [step.value for step in PpaStep]
ALERT_DAYS = 30


# --- Policy and due dates -----------------------------------------------------------------------


def policy_of(essms: Essms) -> PpaPolicy:
    """The due-date rules of an ESSMS, created with the defaults (6 and 12 months) when missing."""
    policy = PpaPolicy.objects.filter(essms_id=essms.pk).first()
    if policy is None:
        policy, _ = PpaPolicy.objects.get_or_create(essms_id=essms.pk)
    return policy


def first_due_on(admitted_on: datetime.date, policy: PpaPolicy) -> datetime.date:
    return admitted_on + relativedelta(months=policy.first_project_months)


def revision_due_on(agreed_on: datetime.date, policy: PpaPolicy) -> datetime.date:
    return agreed_on + relativedelta(months=policy.revision_months)


@transaction.atomic
def policy_update(actor, *, first_project_months, revision_months) -> PpaPolicy:
    """Change the delays of the active ESSMS; the open projects' due dates follow."""
    membership = active_membership(actor)
    if membership is None or not can(actor, VALIDATE, Projet.document_class_code):
        raise PermissionDenied(REFUSED_POLICY)
    errors = {}
    first = _int_in(first_project_months, 1, 24)
    revision = _int_in(revision_months, 1, 24)
    if first is None:
        errors["first_project_months"] = "Le délai du premier projet doit être compris entre 1 et 24 mois."
    if revision is None:
        errors["revision_months"] = "Le délai de révision doit être compris entre 1 et 24 mois."
    if errors:
        raise ValidationError(errors)
    policy = PpaPolicy.objects.select_for_update().filter(essms_id=membership.essms_id).first()
    if policy is None:
        policy = PpaPolicy(essms_id=membership.essms_id)
    policy.first_project_months, policy.revision_months = first, revision
    policy.save()
    for projet in Projet.objects.filter(essms_id=membership.essms_id, closed_at__isnull=True).select_related("sejour"):
        due = _computed_due_on(projet, policy)
        if due != projet.due_on:
            projet.due_on = due
            projet.save(update_fields=["due_on"])
    _log(actor, policy, f"échéances : premier projet {first} mois, révision {revision} mois")
    return policy


def _int_in(value, low: int, high: int) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high else None


def _computed_due_on(projet: Projet, policy: PpaPolicy) -> datetime.date:
    agreed = (
        ProjetVersion.objects.filter(projet_id=projet.pk, agreement_on__isnull=False)
        .order_by("-agreement_on")
        .values_list("agreement_on", flat=True)
        .first()
    )
    if agreed is not None:
        return revision_due_on(agreed, policy)
    return first_due_on(projet.sejour.admitted_on, policy)


# --- Guards -------------------------------------------------------------------------------------


def _check_write(actor, target, usager: Usager, message: str = REFUSED, action: str = WRITE) -> None:
    if not can(actor, action, target):
        raise PermissionDenied(message)
    refuse_archived(usager)


def _locked_projet(projet: Projet) -> Projet:
    return Projet.objects.select_for_update().select_related("sejour", "usager", "essms").get(pk=projet.pk)


def _check_open(projet: Projet) -> None:
    if projet.closed_at is not None or projet.step == PpaStep.FIN:
        raise ValidationError(CLOSED)
    if projet.sejour.status != SejourStatus.ACTIVE:
        raise ValidationError(SEJOUR_ENDED)


def _latest(projet: Projet) -> ProjetVersion:
    return ProjetVersion.objects.filter(projet_id=projet.pk).order_by("-number").first()


def _version_for_change(actor, version: ProjetVersion, *, draft: bool = True) -> ProjetVersion:
    """Lock the project and the version; check rights, open project, latest version, not frozen."""
    projet = _locked_projet(version.projet)
    version = ProjetVersion.objects.select_for_update().select_related("projet", "usager", "essms").get(pk=version.pk)
    version.projet = projet
    _check_write(actor, version, version.usager)
    _check_open(projet)
    latest = _latest(projet)
    if latest.pk != version.pk:
        raise ValidationError(
            f"La version {version.number} a été remplacée par la version {latest.number} : elle n'est plus modifiable."
        )
    if draft and version.is_agreed:
        raise ValidationError(
            f"La version {version.number} a reçu l'accord du {version.agreement_on:%d/%m/%Y} : elle est figée. "
            "Utilisez « Réviser le projet » pour préparer la version suivante."
        )
    return version


def _required(value, field: str, message: str, max_length: int | None = None) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    if max_length is not None and len(value) > max_length:
        raise ValidationError({field: f"{max_length} caractères au plus."})
    return value


def _optional(value, field: str, max_length: int) -> str:
    value = (value or "").strip()
    if len(value) > max_length:
        raise ValidationError({field: f"{max_length} caractères au plus."})
    return value


def _choice(value, choices, field: str, message: str) -> str:
    if value not in choices.values:
        raise ValidationError({field: message})
    return value


def _log(actor, version_or_projet, detail: str, action: str = AccessAction.UPDATE) -> None:
    audit.log_access(actor, action, version_or_projet, detail=detail)


def _serafin_code(actor, version: ProjetVersion, code: str, *, need: bool) -> str:
    code = (code or "").strip()
    if not code:
        return ""
    if not can(actor, WRITE, "besoins_prestations") or not can(actor, WRITE, version):
        raise PermissionDenied(REFUSED_SERAFIN)
    return serafin.validate_need_code(code) if need else serafin.validate_prestation_code(code)


# --- Project ------------------------------------------------------------------------------------


@transaction.atomic
def projet_open(actor, *, usager: Usager, referent=None) -> Projet:
    """Open the project of the person's séjour en cours, with its first (draft) version."""
    usager = Usager.objects.select_for_update().get(pk=usager.pk)
    probe = Projet(essms_id=usager.essms_id, usager_id=usager.pk)
    _check_write(actor, probe, usager)
    sejour = (
        Sejour.objects.filter(essms_id=usager.essms_id, usager_id=usager.pk, status=SejourStatus.ACTIVE)
        .order_by("-admitted_on", "-id")
        .first()
    )
    if sejour is None:
        raise ValidationError(
            "Cette personne n'a pas de séjour en cours : le projet personnalisé s'ouvre après l'admission."
        )
    if Projet.objects.filter(sejour_id=sejour.pk).exists():
        raise ValidationError(
            f"Un projet personnalisé existe déjà pour le séjour débuté le {sejour.admitted_on:%d/%m/%Y} : "
            "un seul projet par séjour, révisé en versions successives."
        )
    if referent is not None and not _is_member(referent, usager.essms_id):
        raise ValidationError({"referent": "Le référent doit être un professionnel de l'établissement."})
    policy = policy_of(usager.essms)
    projet = Projet.objects.create(
        essms_id=usager.essms_id,
        usager=usager,
        sejour=sejour,
        created_by=user_of(actor),
        due_on=first_due_on(sejour.admitted_on, policy),
        referent=referent,
    )
    ProjetVersion.objects.create(
        essms_id=usager.essms_id, usager=usager, projet=projet, number=1, created_by=user_of(actor)
    )
    _log(actor, projet, "projet personnalisé ouvert (version 1)", AccessAction.CREATE)
    return projet


def _is_member(user, essms_id: int) -> bool:
    from dui.models import Membership

    return Membership.objects.active().filter(user_id=user.pk, essms_id=essms_id).exists()


@transaction.atomic
def projet_step_set(actor, *, projet: Projet, step: str) -> Projet:
    """Move the project to another step of the cycle (the end goes through `projet_close`)."""
    projet = _locked_projet(projet)
    _check_write(actor, projet, projet.usager)
    _check_open(projet)
    if step not in STEP_ORDER:
        raise ValidationError({"step": "Étape inconnue."})
    if step == PpaStep.FIN:
        raise ValidationError({"step": "Pour mettre fin au projet, utilisez « Clore le projet »."})
    if step == projet.step:
        raise ValidationError({"step": f"Le projet est déjà à l'étape « {PpaStep(step).label} »."})
    latest = _latest(projet)
    if step in (PpaStep.MISE_EN_OEUVRE, PpaStep.SUIVI) and not latest.is_agreed:
        raise ValidationError(
            {"step": "La mise en œuvre et le suivi commencent après l'accord de la personne sur la version en cours."}
        )
    previous = projet.get_step_display()
    projet.step = step
    projet.save(update_fields=["step"])
    _log(actor, projet, f"étape : {previous} → {projet.get_step_display()}")
    return projet


@transaction.atomic
def projet_close(actor, *, projet: Projet, reason: str = "") -> Projet:
    """End the project (exit, transfer or on demand): step "fin", nothing is written any more."""
    projet = _locked_projet(projet)
    _check_write(actor, projet, projet.usager)
    if projet.closed_at is not None:
        raise ValidationError(CLOSED)
    reason = _optional(reason, "reason", 200)
    projet.step = PpaStep.FIN
    projet.closed_at = timezone.now()
    projet.save(update_fields=["step", "closed_at"])
    _log(actor, projet, f"projet clos{' : ' + reason if reason else ''}")
    return projet


@transaction.atomic
def projet_close_for_sejour(actor, *, sejour: Sejour):
    """At the sortie: the project of the séjour ends with it (nothing when there is none or it is closed)."""
    projet = Projet.objects.select_for_update().filter(sejour_id=sejour.pk, closed_at__isnull=True).first()
    if projet is None:
        return None
    projet.step = PpaStep.FIN
    projet.closed_at = timezone.now()
    projet.save(update_fields=["step", "closed_at"])
    _log(actor, projet, "projet clos à la sortie")
    return projet


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
    version = _version_for_change(actor, version)
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
    _log(actor, version, f"réunion de projet du {meeting_on:%d/%m/%Y}")
    return version


@transaction.atomic
def participant_add(actor, *, version: ProjetVersion, kind: str, name: str, role: str = "") -> Participant:
    version = _version_for_change(actor, version)
    kind = _choice(kind, ParticipantKind, "kind", "Choisissez la qualité du participant.")
    participant = Participant(
        essms_id=version.essms_id,
        version=version,
        kind=kind,
        name=_required(name, "name", "Indiquez le nom du participant.", 200),
        role=_optional(role, "role", 200),
    )
    participant.save()
    _log(actor, version, f"participant ajouté : {participant.name}")
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
    version = _version_for_change(actor, version)
    kind = _choice(kind, ExpressionKind, "kind", "Choisissez : attente exprimée ou besoin identifié.")
    expressed_by = _choice(expressed_by, ExpressedBy, "expressed_by", "Indiquez qui l'a exprimé.")
    name = _optional(expressed_by_name, "expressed_by_name", 200)
    if expressed_by in (ExpressedBy.PROCHE, ExpressedBy.PROFESSIONNEL) and not name:
        raise ValidationError({"expressed_by_name": "Indiquez le nom du proche ou du professionnel."})
    text = _required(text, "text", "Formulez l'attente ou le besoin.")
    if (serafin_code or "").strip() and kind != ExpressionKind.BESOIN:
        raise ValidationError({"serafin_code": "Seul un besoin identifié porte un code SERAFIN-PH."})
    code = _serafin_code(actor, version, serafin_code, need=True)
    expression = Expression.objects.create(
        essms_id=version.essms_id,
        version=version,
        kind=kind,
        expressed_by=expressed_by,
        expressed_by_name=name,
        text=text,
        serafin_code=code,
    )
    _log(actor, version, f"{expression.get_kind_display().lower()} ajouté(e)")
    return expression


# --- Objectives, actions, evaluations -----------------------------------------------------------


@transaction.atomic
def objective_add(
    actor, *, version: ProjetVersion, text: str, need_ids, target_on: datetime.date | None = None
) -> Objective:
    """An objective answering at least one expectation or need of the same version."""
    version = _version_for_change(actor, version)
    text = _required(text, "text", "Formulez l'objectif.")
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
    _log(actor, version, "objectif ajouté")
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
    version = _version_for_change(actor, version)
    objective = _objective_of(version, objective)
    action = ProjectAction(
        essms_id=version.essms_id,
        objective=objective,
        text=_required(text, "text", "Décrivez l'action ou la prestation."),
        who=_required(who, "who", "Indiquez qui la réalise.", 200),
        frequency=_optional(frequency, "frequency", 120),
    )
    action.serafin_code = _serafin_code(actor, version, serafin_code, need=False)
    action.save()
    _log(actor, version, "action ajoutée")
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
    version = _version_for_change(actor, version, draft=False)
    objective = _objective_of(version, objective)
    result = _choice(result, ObjectiveResult, "result", "Choisissez : atteint, partiellement atteint ou non atteint.")
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
    _log(actor, version, f"objectif évalué : {evaluation.get_result_display().lower()}")
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
    version = _version_for_change(actor, version)
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
    _log(actor, version, f"{item} retiré(e)")


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
    version = _version_for_change(actor, version)
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
    _log(actor, version, f"accord du {agreement_on:%d/%m/%Y} ({version.get_agreement_how_display()})")
    return version


@transaction.atomic
def version_revise(actor, *, version: ProjetVersion) -> ProjetVersion:
    """Version N+1: a copy of the agreed version N (needs, objectives and their links, actions,
    participants, meeting synthèse), without the agreement and the evaluations. N stays as it was."""
    version = _version_for_change(actor, version, draft=False)
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
    _log(actor, new, f"révision : version {new.number} préparée à partir de la version {version.number}",
         AccessAction.CREATE)  # fmt: skip
    return new

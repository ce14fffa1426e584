"""Writes of the projet personnalisé (PPA / PIA): one project per séjour, revised as numbered versions.

Here: the due-date rules of the ESSMS and the life of a project (open, change step, close, close at
the sortie). The content of a version, its agreement and its revision: `ppa.services.project_versions`;
the shared checks: `ppa.services.project_rules`.

Every function is one transaction, takes the Actor first, writes its access-log row, checks the
matrix (class "ppa"; "validate" for the due-date rules) and raises French ValidationError /
PermissionDenied.
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from dui.actor import user_of
from dui.catalogue import VALIDATE
from dui.models import AccessAction, Essms, Sejour, SejourStatus, Usager
from dui.permissions import active_membership, can
from ppa.models import PpaPolicy, PpaStep, Projet, ProjetVersion
from ppa.services.project_rules import (
    CLOSED,
    REFUSED_POLICY,
    check_open,
    check_write,
    latest_version,
    locked_projet,
    log_write,
    optional_text,
)

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
    log_write(actor, policy, f"échéances : premier projet {first} mois, révision {revision} mois")
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


# --- Project ------------------------------------------------------------------------------------


@transaction.atomic
def projet_open(actor, *, usager: Usager, referent=None) -> Projet:
    """Open the project of the person's séjour en cours, with its first (draft) version."""
    usager = Usager.objects.select_for_update().get(pk=usager.pk)
    probe = Projet(essms_id=usager.essms_id, usager_id=usager.pk)
    check_write(actor, probe, usager)
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
    log_write(actor, projet, "projet personnalisé ouvert (version 1)", AccessAction.CREATE)
    return projet


def _is_member(user, essms_id: int) -> bool:
    from dui.models import Membership

    return Membership.objects.active().filter(user_id=user.pk, essms_id=essms_id).exists()


@transaction.atomic
def projet_step_set(actor, *, projet: Projet, step: str) -> Projet:
    """Move the project to another step of the cycle (the end goes through `projet_close`)."""
    projet = locked_projet(projet)
    check_write(actor, projet, projet.usager)
    check_open(projet)
    if step not in STEP_ORDER:
        raise ValidationError({"step": "Étape inconnue."})
    if step == PpaStep.FIN:
        raise ValidationError({"step": "Pour mettre fin au projet, utilisez « Clore le projet »."})
    if step == projet.step:
        raise ValidationError({"step": f"Le projet est déjà à l'étape « {PpaStep(step).label} »."})
    latest = latest_version(projet)
    if step in (PpaStep.MISE_EN_OEUVRE, PpaStep.SUIVI) and not latest.is_agreed:
        raise ValidationError(
            {"step": "La mise en œuvre et le suivi commencent après l'accord de la personne sur la version en cours."}
        )
    previous = projet.get_step_display()
    projet.step = step
    projet.save(update_fields=["step"])
    log_write(actor, projet, f"étape : {previous} → {projet.get_step_display()}")
    return projet


@transaction.atomic
def projet_close(actor, *, projet: Projet, reason: str = "") -> Projet:
    """End the project (exit, transfer or on demand): step "fin", nothing is written any more."""
    projet = locked_projet(projet)
    check_write(actor, projet, projet.usager)
    if projet.closed_at is not None:
        raise ValidationError(CLOSED)
    reason = optional_text(reason, "reason", 200)
    projet.step = PpaStep.FIN
    projet.closed_at = timezone.now()
    projet.save(update_fields=["step", "closed_at"])
    log_write(actor, projet, f"projet clos{' : ' + reason if reason else ''}")
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
    log_write(actor, projet, "projet clos à la sortie")
    return projet

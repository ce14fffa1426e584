"""Every write of the tenancy, habilitation and grant domain: one transaction each."""

from datetime import datetime, timedelta

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from dui import audit, signals
from dui.actor import Actor, user_of
from dui.catalogue import ACTIONS, DOCUMENT_CLASSES, VALIDATE, WRITE, default_rights
from dui.finess import normalise_finess
from dui.models import (
    AccessAction,
    DocumentClass,
    Essms,
    Habilitation,
    HabilitationChange,
    Membership,
    Metier,
    OrganismeGestionnaire,
    Unit,
    Usager,
    UsagerGrant,
    User,
)
from dui.permissions import active_membership, can

MAX_GRANT_DURATION = timedelta(days=90)
ACTION_WORDS = {"read": "lecture", "write": "écriture", "validate": "validation"}


def document_classes_sync() -> None:
    """Mirror the catalogue into the database and give every OG default rows for new classes."""
    existing = {dc.code: dc for dc in DocumentClass.objects.all()}
    for position, spec in enumerate(DOCUMENT_CLASSES):
        fields = {
            "label": spec.label,
            "tier": spec.tier,
            "holds_personal_data": spec.holds_personal_data,
            "position": position,
        }
        current = existing.get(spec.code)
        if current is None:
            DocumentClass.objects.create(code=spec.code, **fields)
        elif any(getattr(current, key) != value for key, value in fields.items()):
            DocumentClass.objects.filter(pk=current.pk).update(**fields)
    for og in OrganismeGestionnaire.objects.all():
        habilitations_fill_defaults(og=og)


def habilitations_fill_defaults(*, og: OrganismeGestionnaire) -> int:
    """Create the default matrix rows an OG lacks; existing (edited) rows are left alone."""
    present = set(Habilitation.objects.filter(og=og).values_list("metier", "document_class_id"))
    rows = []
    for document_class in DocumentClass.objects.all():
        for metier in Metier.values:
            if (metier, document_class.pk) in present:
                continue
            rights = default_rights(metier, document_class.code)
            rows.append(
                Habilitation(
                    og=og,
                    metier=metier,
                    document_class=document_class,
                    can_read="r" in rights,
                    can_write="w" in rights,
                    can_validate="v" in rights,
                )
            )
    Habilitation.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _platform(actor: Actor | None) -> Actor:
    """Tenancy is set up by the platform (commands, admin): without an actor, a task acts."""
    return actor if actor is not None else Actor.for_task(None)


@transaction.atomic
def og_create(actor: Actor | None = None, *, name: str, finess_juridique: str) -> OrganismeGestionnaire:
    og = OrganismeGestionnaire(name=name, finess_juridique=normalise_finess(finess_juridique))
    og.full_clean()
    og.save()
    habilitations_fill_defaults(og=og)
    signals.og_created.send(sender=OrganismeGestionnaire, og=og)
    audit.log_access(_platform(actor), AccessAction.CREATE, og, detail=f"organisme gestionnaire créé : {og.name}")
    return og


@transaction.atomic
def essms_create(
    actor: Actor | None = None, *, og: OrganismeGestionnaire, name: str, finess: str, kind: str, capacity: int = 0
) -> Essms:
    essms = Essms(og=og, name=name, finess=normalise_finess(finess), kind=kind, capacity=capacity)
    essms.full_clean()
    essms.save()
    audit.log_access(_platform(actor), AccessAction.CREATE, essms, detail=f"établissement créé : {essms.name}")
    return essms


@transaction.atomic
def unit_create(actor: Actor | None = None, *, essms: Essms, name: str) -> Unit:
    unit = Unit(essms=essms, name=name)
    unit.full_clean()
    unit.save()
    audit.log_access(_platform(actor), AccessAction.CREATE, unit, detail=f"unité créée : {unit.name}")
    return unit


@transaction.atomic
def membership_create(
    actor: Actor | None = None, *, user: User, essms_finess: str, metier: str, starts_at: datetime | None = None
) -> Membership:
    essms = Essms.objects.filter(finess=normalise_finess(essms_finess)).first()
    if essms is None:
        raise ValidationError({"essms": f"Aucun ESSMS ne porte le numéro FINESS « {essms_finess} »."})
    membership = Membership(user=user, essms=essms, metier=metier, starts_at=starts_at or timezone.now())
    membership.full_clean()
    membership.save()
    detail = f"affectation créée : {user.username}, {membership.get_metier_display()}"
    audit.log_access(_platform(actor), AccessAction.CREATE, membership, detail=detail)
    return membership


@transaction.atomic
def membership_end(actor: Actor | None = None, *, membership: Membership, at: datetime | None = None) -> Membership:
    membership.ends_at = at or timezone.now()
    membership.save(update_fields=["ends_at"])
    detail = f"affectation terminée : {membership.user.username}, {membership.get_metier_display()}"
    audit.log_access(_platform(actor), AccessAction.UPDATE, membership, detail=detail)
    return membership


@transaction.atomic
def habilitation_set(
    actor: Actor, *, metier: str, document_class_code: str, action: str, granted: bool
) -> Habilitation:
    """Change one cell of the acting administrator's OG matrix, and audit it."""
    if not can(actor, WRITE, "habilitations"):
        raise PermissionDenied("Seul un administrateur de l'organisme peut modifier la matrice.")
    if action not in ACTIONS:
        raise ValidationError({"action": "Action inconnue."})
    og_id = active_membership(actor).essms.og_id
    row = (
        Habilitation.objects.select_for_update()
        .filter(og_id=og_id, metier=metier, document_class__code=document_class_code)
        .first()
    )
    if row is None:
        raise ValidationError({"document_class": "Métier ou classe de document inconnu."})
    changes = {f"can_{action}": granted}
    if granted and action != "read":
        changes["can_read"] = True
    if not granted and action == "read":
        changes.update(can_write=False, can_validate=False)
    changed = []
    for field, value in changes.items():
        if getattr(row, field) == value:
            continue
        setattr(row, field, value)
        changed.append(f"{ACTION_WORDS[field.removeprefix('can_')]} {'accordée' if value else 'retirée'}")
        HabilitationChange.objects.create(
            og_id=og_id,
            metier=metier,
            document_class_id=row.document_class_id,
            action=field.removeprefix("can_"),
            granted=value,
            changed_by=user_of(actor),
        )
    row.save()
    if changed:
        label = Metier(metier).label if metier in Metier.values else metier
        detail = f"habilitation {label} / {document_class_code} : {', '.join(changed)}"
        audit.log_access(actor, AccessAction.UPDATE, row, detail=detail)
    return row


@transaction.atomic
def usager_grant_create(
    actor: Actor, *, usager: Usager, grantee: User, expires_at: datetime, reason: str, write: bool = False
) -> list[UsagerGrant]:
    """Open one dossier to a professional of another ESSMS of the same OG, until `expires_at`."""
    if not can(actor, VALIDATE, "identite") or active_membership(actor).essms_id != usager.essms_id:
        raise PermissionDenied("Vous ne pouvez pas ouvrir ce dossier à un autre établissement.")
    if expires_at <= timezone.now():
        raise ValidationError({"expires_at": "La date d'expiration doit être dans le futur."})
    if expires_at > timezone.now() + MAX_GRANT_DURATION:
        raise ValidationError({"expires_at": "Un accès exceptionnel dure au plus 90 jours."})
    if not reason.strip():
        raise ValidationError({"reason": "Le motif est obligatoire."})
    grantee_memberships = Membership.objects.active().filter(user=grantee, essms__og_id=usager.essms.og_id)
    if not grantee_memberships.exists():
        raise ValidationError({"grantee": "Ce professionnel n'exerce pas dans l'organisme gestionnaire."})
    if not grantee_memberships.exclude(essms_id=usager.essms_id).exists():
        raise ValidationError({"grantee": "Ce professionnel exerce déjà dans l'établissement du dossier."})
    grants = []
    for codename in ["view_usager", "change_usager"] if write else ["view_usager"]:
        grant, _ = UsagerGrant.objects.update_or_create(
            user=grantee,
            permission=grant_permission(codename),
            content_object=usager,
            defaults={"expires_at": expires_at, "granted_by": user_of(actor), "reason": reason.strip()},
        )
        grants.append(grant)
    audit.log_access(actor, AccessAction.GRANT, usager, detail=f"accès accordé à {grantee.username}")
    return grants


def grant_permission(codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label="dui", codename=codename)

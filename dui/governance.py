"""Reads and writes of the governance screens: access log, habilitation matrix, cross-ESSMS grants.

Same rules as dui.selectors / dui.services: every read is scoped to the acting user's
active ESSMS (or its OG for the matrix), every write validates and runs in one transaction.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from dui import audit, services
from dui.actor import Actor
from dui.catalogue import ACTIONS, READ, VALIDATE, WRITE
from dui.errors import NotFound
from dui.models import AccessAction, DocumentClass, Habilitation, Membership, Metier, Usager, UsagerGrant, User
from dui.permissions import active_membership, can

GRANT_MAX_DAYS = 90
ACTION_LABELS = {READ: "Lecture", WRITE: "Écriture", VALIDATE: "Validation"}


# --- Habilitation matrix -------------------------------------------------------------------


def metier_or_404(metier: str) -> str:
    if metier not in Metier.values:
        raise NotFound
    return metier


def matrix_cells(actor: Actor, metier: str) -> dict[str, set[str]]:
    """{class code: granted actions} of one métier in the acting user's OG (empty when out of reach)."""
    from dui.selectors import habilitations_for_user

    rows = habilitations_for_user(actor).filter(metier=metier)
    return {row.document_class.code: row.actions() for row in rows}


def parse_matrix_cells(
    shown: Iterable[str], values: Iterable[str], *, known_codes: set[str] | None = None
) -> dict[str, set[str]]:
    """Parse a posted matrix row into {code: granted actions}, or raise a French ValidationError.

    `shown` lists the class codes the form displayed (hidden inputs): only those are changed,
    so a truncated or stray POST never withdraws rights it did not show. `values` are the
    ticked "code:action" checkboxes. Writing or validating implies reading, as in the matrix.
    """
    if known_codes is None:
        known_codes = set(DocumentClass.objects.values_list("code", flat=True))
    shown = list(shown)
    if not shown:
        raise ValidationError("Formulaire incomplet : aucune classe de document transmise.")
    errors = [f"Classe de document inconnue : « {code} »." for code in shown if code not in known_codes]
    wanted: dict[str, set[str]] = {code: set() for code in shown if code in known_codes}
    for value in values:
        code, _, action = value.partition(":")
        if code not in known_codes:
            errors.append(f"Classe de document inconnue : « {code} ».")
        elif code not in wanted:
            errors.append(f"Case « {value} » hors du formulaire affiché.")
        elif action not in ACTIONS:
            errors.append(f"Action inconnue : « {action} » (attendu : lecture, écriture ou validation).")
        else:
            wanted[code].add(action)
    if errors:
        raise ValidationError(errors)
    for actions in wanted.values():
        if actions & {WRITE, VALIDATE}:
            actions.add(READ)
    return wanted


def parse_grid_cells(
    metiers: Iterable[str], classes: Iterable[str], values: Iterable[str]
) -> dict[str, dict[str, set[str]]]:
    """Parse the whole posted grid into {métier: {code: granted actions}}, or raise a French ValidationError.

    `metiers` and `classes` are the rows and columns the form displayed; `values` the ticked
    "métier:code:action" boxes. Same rules as `parse_matrix_cells`, métier by métier.
    """
    metiers, classes = list(metiers), list(classes)
    if not metiers:
        raise ValidationError("Formulaire incomplet : aucun métier transmis.")
    errors = [f"Métier inconnu : « {metier} »." for metier in metiers if metier not in Metier.values]
    cells: dict[str, list[str]] = {metier: [] for metier in metiers if metier in Metier.values}
    for value in values:
        metier, _, cell = value.partition(":")
        if metier not in Metier.values:
            errors.append(f"Métier inconnu : « {metier} ».")
        elif metier not in cells:
            errors.append(f"Case « {value} » hors du formulaire affiché.")
        else:
            cells[metier].append(cell)
    if errors:
        raise ValidationError(errors)
    known_codes = set(DocumentClass.objects.values_list("code", flat=True))
    return {metier: parse_matrix_cells(classes, row, known_codes=known_codes) for metier, row in cells.items()}


def grid_cells(actor: Actor) -> dict[str, dict[str, set[str]]]:
    """{métier: {class code: granted actions}} of the acting user's OG, in one query."""
    from dui.selectors import habilitations_for_user

    grid: dict[str, dict[str, set[str]]] = {}
    for row in habilitations_for_user(actor):
        grid.setdefault(row.metier, {})[row.document_class.code] = row.actions()
    return grid


@transaction.atomic
def habilitation_grid_set(actor: Actor, *, wanted: dict[str, dict[str, set[str]]]) -> int:
    """Bring several métiers' rows to `wanted` at once: all or nothing, each changed cell audited.

    A class the grid showed empty because a métier has no row for it (no box to tick) is skipped.
    """
    if not can(actor, WRITE, "habilitations"):
        raise PermissionDenied("Seul un administrateur de l'organisme peut modifier la matrice.")
    og_id = active_membership(actor).essms.og_id
    present = set(
        Habilitation.objects.filter(og_id=og_id, metier__in=list(wanted)).values_list("metier", "document_class__code")
    )
    changed = 0
    for metier, row in wanted.items():
        row = {code: actions for code, actions in row.items() if actions or (metier, code) in present}
        changed += habilitation_matrix_set(actor, metier=metier, wanted=row)
    return changed


@transaction.atomic
def habilitation_matrix_set(actor: Actor, *, metier: str, wanted: dict[str, set[str]]) -> int:
    """Bring one métier's row of the OG matrix to `wanted`, changing (and auditing) only the differing cells.

    `wanted` lists the granted actions per class code; classes absent from it are left alone.
    Returns the number of cells changed. All or nothing.
    """
    if not can(actor, WRITE, "habilitations"):
        raise PermissionDenied("Seul un administrateur de l'organisme peut modifier la matrice.")
    if metier not in Metier.values:
        raise ValidationError({"metier": "Métier inconnu."})
    membership = active_membership(actor)
    if metier == membership.metier and WRITE not in wanted.get("habilitations", {WRITE}):
        raise ValidationError(
            "Vous ne pouvez pas retirer à votre propre métier le droit de modifier la matrice d'habilitation."
        )
    current = {
        row.document_class.code: row.actions()
        for row in Habilitation.objects.select_for_update()
        .filter(og_id=membership.essms.og_id, metier=metier)
        .select_related("document_class")
    }
    unknown = set(wanted) - set(current)
    if unknown:
        raise ValidationError(f"Classe de document absente de la matrice : {', '.join(sorted(unknown))}.")
    changed = 0
    for code, granted_then in wanted.items():
        granted_now = current[code]
        # Grant read before write/validate; withdraw write/validate before read.
        for action in (READ, WRITE, VALIDATE) if granted_then >= granted_now else (VALIDATE, WRITE, READ):
            if (action in granted_now) == (action in granted_then):
                continue
            services.habilitation_set(
                actor,
                metier=metier,
                document_class_code=code,
                action=action,
                granted=action in granted_then,
            )
            changed += 1
    return changed


# --- Cross-ESSMS grants ------------------------------------------------------------------------


def grants_for_user(actor: Actor) -> QuerySet[UsagerGrant]:
    """Unexpired grants on the dossiers of the active ESSMS, for users who may open dossiers."""
    membership = active_membership(actor)
    if membership is None or not can(actor, VALIDATE, "identite"):
        return UsagerGrant.objects.none()
    return (
        UsagerGrant.objects.filter(content_object__essms_id=membership.essms_id, expires_at__gt=timezone.now())
        .select_related("content_object", "user", "permission", "granted_by")
        .order_by("expires_at", "pk")
    )


def grants_page(actor: Actor) -> list[UsagerGrant]:
    """The grants screen's rows; each dossier shown is logged as read (once per page)."""
    actor.require(VALIDATE, "identite")
    grants = list(grants_for_user(actor))
    usagers = {grant.content_object.pk: grant.content_object for grant in grants}
    audit.log_reads(actor, usagers.values(), detail="liste des accès exceptionnels")
    return grants


def grant_for_user(actor: Actor, pk) -> UsagerGrant:
    grant = grants_for_user(actor).filter(pk=pk).first()
    if grant is None:
        raise NotFound
    return grant


def grantable_usagers_for_user(actor: Actor) -> QuerySet[Usager]:
    """Dossiers the acting user may open to another ESSMS: only those of the active ESSMS."""
    from dui.selectors import usagers_for_user

    membership = active_membership(actor)
    if membership is None or not can(actor, VALIDATE, "identite"):
        return Usager.objects.none()
    return usagers_for_user(actor).filter(essms_id=membership.essms_id)


def grantee_in_og(actor: Actor, *, username: str) -> User:
    """The active professional of another ESSMS of the acting user's OG, or a French ValidationError."""
    membership = active_membership(actor)
    grantee = User.objects.filter(username=username.strip()).first()
    if grantee is None or not grantee.is_active:
        raise ValidationError("Aucun professionnel actif ne porte cet identifiant.")
    elsewhere = (
        Membership.objects.active()
        .filter(user=grantee, essms__og_id=membership.essms.og_id)
        .exclude(essms_id=membership.essms_id)
    )
    if not elsewhere.exists():
        raise ValidationError(
            "Ce professionnel n'exerce dans aucun autre établissement de l'organisme gestionnaire : "
            "un accès exceptionnel ne peut être accordé qu'à un professionnel d'un autre ESSMS du même organisme."
        )
    return grantee


def validate_grant_expiry(expires_at: datetime.datetime) -> None:
    now = timezone.now()
    if expires_at <= now:
        raise ValidationError("La date d'expiration doit être dans le futur.")
    if expires_at > now + datetime.timedelta(days=GRANT_MAX_DAYS):
        raise ValidationError(f"Un accès exceptionnel ne peut pas dépasser {GRANT_MAX_DAYS} jours.")


@transaction.atomic
def usager_grant_revoke(actor: Actor, *, grant: UsagerGrant) -> UsagerGrant:
    """End a grant now. Ending read access also ends write access to the same dossier for the same person."""
    membership = active_membership(actor)
    if (
        membership is None
        or not can(actor, VALIDATE, "identite")
        or grant.content_object.essms_id != membership.essms_id
    ):
        raise PermissionDenied("Vous ne pouvez pas révoquer cet accès.")
    now = timezone.now()
    ending = UsagerGrant.objects.filter(pk=grant.pk, expires_at__gt=now)
    if grant.permission.codename == "view_usager":
        ending = UsagerGrant.objects.filter(
            user_id=grant.user_id, content_object_id=grant.content_object_id, expires_at__gt=now
        )
    ending.update(expires_at=now)
    grant.expires_at = now
    audit.log_access(
        actor,
        AccessAction.UPDATE,
        grant.content_object,
        detail=f"accès exceptionnel révoqué pour {grant.user.username}",
    )
    return grant

"""Technical and maintenance requests: anybody creates one; the technical team and the management
move it along nouvelle → prise en charge → faite / annulée; every change is kept in the history."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from dui import audit
from dui.actor import user_of
from dui.models import AccessAction
from dui.permissions import active_membership
from transmissions.models import MaintenanceRequest, MaintenanceStatusChange, RequestCategory, RequestStatus
from transmissions.selectors.maintenance import MANAGER_CLASS, is_maintenance_manager  # noqa: F401 (re-exported)

TRANSITIONS: dict[str, frozenset[str]] = {
    RequestStatus.NOUVELLE: frozenset({RequestStatus.PRISE_EN_CHARGE, RequestStatus.ANNULEE}),
    RequestStatus.PRISE_EN_CHARGE: frozenset({RequestStatus.FAITE, RequestStatus.ANNULEE}),
    RequestStatus.FAITE: frozenset(),
    RequestStatus.ANNULEE: frozenset(),
}

PLACE_MAX_LENGTH = MaintenanceRequest._meta.get_field("place").max_length
COMMENT_MAX_LENGTH = MaintenanceStatusChange._meta.get_field("comment").max_length
DESCRIPTION_MAX_LENGTH = 5000
NOT_ALLOWED = (
    "Seuls les services techniques, la direction, le cadre de santé et l'administrateur changent le statut "
    "d'une demande ; le demandeur peut annuler sa demande tant qu'elle est nouvelle."
)


def allowed_next_statuses(actor, maintenance_request: MaintenanceRequest) -> list[str]:
    """The statuses this user may move the request to now (for the buttons)."""
    following = TRANSITIONS.get(maintenance_request.status, frozenset())
    if is_maintenance_manager(actor):
        return [status for status in RequestStatus.values if status in following]
    mine = maintenance_request.requester_id == getattr(user_of(actor), "pk", None)
    if mine and maintenance_request.status == RequestStatus.NOUVELLE:
        return [RequestStatus.ANNULEE]
    return []


def _label(status: str) -> str:
    return dict(RequestStatus.choices).get(status, status)


@transaction.atomic
def maintenance_request_create(
    actor,
    *,
    place: str,
    category: str,
    description: str,
) -> MaintenanceRequest:
    membership = active_membership(actor)
    if membership is None:
        raise PermissionDenied("Aucune affectation active : impossible de créer une demande.")
    place = (place or "").strip()
    description = (description or "").strip()
    errors: dict[str, list[str]] = {}
    if not place:
        errors.setdefault("place", []).append("Indiquez le lieu (chambre, salle, étage…).")
    elif len(place) > PLACE_MAX_LENGTH:
        errors.setdefault("place", []).append(f"Le lieu ne peut pas dépasser {PLACE_MAX_LENGTH} caractères.")
    if category not in RequestCategory.values:
        errors.setdefault("category", []).append("Choisissez une catégorie de la liste.")
    if not description:
        errors.setdefault("description", []).append("Décrivez le problème ou le besoin.")
    elif len(description) > DESCRIPTION_MAX_LENGTH:
        errors.setdefault("description", []).append(
            f"La description ne peut pas dépasser {DESCRIPTION_MAX_LENGTH} caractères."
        )
    if errors:
        raise ValidationError(errors)
    created = MaintenanceRequest.objects.create(
        essms_id=membership.essms_id,
        requester=user_of(actor),
        place=place,
        category=category,
        description=description,
        status=RequestStatus.NOUVELLE,
    )
    MaintenanceStatusChange.objects.create(
        request=created, status=RequestStatus.NOUVELLE, changed_by=user_of(actor), comment="Demande créée."
    )
    audit.log_access(actor, AccessAction.CREATE, created, detail="demande technique")
    return created


@transaction.atomic
def maintenance_request_set_status(
    actor,
    *,
    maintenance_request: MaintenanceRequest,
    status: str,
    comment: str = "",
) -> MaintenanceRequest:
    """Move the request to `status` if the workflow and the user's métier allow it; record who and when."""
    membership = active_membership(actor)
    if membership is None or membership.essms_id != maintenance_request.essms_id:
        raise PermissionDenied(NOT_ALLOWED)
    comment = (comment or "").strip()
    if status not in RequestStatus.values:
        raise ValidationError({"status": ["Statut inconnu."]})
    if len(comment) > COMMENT_MAX_LENGTH:
        raise ValidationError({"comment": [f"Le commentaire ne peut pas dépasser {COMMENT_MAX_LENGTH} caractères."]})
    current = MaintenanceRequest.objects.select_for_update().get(pk=maintenance_request.pk)
    is_manager = is_maintenance_manager(actor)
    own_cancel = (
        current.requester_id == user_of(actor).pk
        and current.status == RequestStatus.NOUVELLE
        and status == RequestStatus.ANNULEE
    )
    if not (is_manager or own_cancel):
        raise PermissionDenied(NOT_ALLOWED)
    if status not in TRANSITIONS[current.status]:
        raise ValidationError(
            {"status": [f"Passage impossible du statut « {_label(current.status)} » au statut « {_label(status)} »."]}
        )
    current.status = status
    current.save(update_fields=["status", "updated_at"])
    MaintenanceStatusChange.objects.create(request=current, status=status, changed_by=user_of(actor), comment=comment)
    audit.log_access(actor, AccessAction.UPDATE, current, detail=f"statut : {_label(status)}")
    return current

"""Every read that matters, already scoped to the acting user's active ESSMS.

Views, API, exports and tasks reach tenant data only through these functions.
"""

from django.db.models import Q, QuerySet
from django.utils import timezone

from dui.actor import user_of
from dui.catalogue import READ
from dui.errors import NotFound
from dui.models import AccessLog, Habilitation, HabilitationChange, Membership, Unit, Usager, UsagerGrant
from dui.permissions import active_membership, can


def _active_essms_id(user) -> int | None:
    membership = active_membership(user)
    return membership.essms_id if membership else None


def switchable_memberships(user) -> list[Membership]:
    """The user's other memberships in force, to switch to (those the request already read, if any)."""
    membership = active_membership(user)
    memberships = getattr(user, "current_memberships", None)
    if memberships is None:
        memberships = Membership.objects.active().filter(user=user).select_related("essms").order_by("pk")
    return [m for m in memberships if membership is None or m.pk != membership.pk]


def units_for_user(user) -> QuerySet[Unit]:
    essms_id = _active_essms_id(user)
    if essms_id is None:
        return Unit.objects.none()
    return Unit.objects.filter(essms_id=essms_id)


def usagers_for_user(user, action: str = READ) -> QuerySet[Usager]:
    """Dossiers of the active ESSMS, plus those of the OG opened by an unexpired grant."""
    membership = active_membership(user)
    if membership is None or not can(user, action, Usager.document_class_code):
        return Usager.objects.none()
    granted = list(
        UsagerGrant.objects.filter(
            user=user_of(user),
            expires_at__gt=timezone.now(),
            permission__codename="view_usager" if action == READ else "change_usager",
            content_object__essms__og_id=membership.essms.og_id,
        ).values_list("content_object_id", flat=True)
    )
    # Without grants, a plain ESSMS filter: an OR with an empty IN would make PostgreSQL scan every ESSMS.
    scope = Q(essms_id=membership.essms_id) | Q(pk__in=granted) if granted else Q(essms_id=membership.essms_id)
    return Usager.objects.filter(scope).select_related("essms")


def _valid_pk(pk) -> int:
    """A primary key from a URL or a form: anything else is simply not found."""
    try:
        number = int(pk)
    except (TypeError, ValueError):
        raise NotFound from None
    if not 0 < number < 2**63:
        raise NotFound
    return number


def access_usager(actor, pk, *, action: str = READ) -> Usager:
    """The dossier, or NotFound whether it is missing or out of reach. `actor`: an Actor (or a user)."""
    usager = usagers_for_user(actor, action).filter(pk=_valid_pk(pk)).first()
    if usager is None or not can(actor, action, usager):
        raise NotFound
    return usager


def access_unit(actor, pk) -> Unit:
    """A unit of the active ESSMS, or NotFound (another ESSMS's unit, unknown id, not a number)."""
    unit = units_for_user(actor).filter(pk=_valid_pk(pk)).first()
    if unit is None:
        raise NotFound
    return unit


def access_log_for_user(user) -> QuerySet[AccessLog]:
    essms_id = _active_essms_id(user)
    if essms_id is None or not can(user, READ, "journal_acces"):
        return AccessLog.objects.none()
    return AccessLog.objects.filter(essms_id=essms_id).select_related("user")


def habilitations_for_user(user) -> QuerySet[Habilitation]:
    membership = active_membership(user)
    if membership is None or not can(user, READ, "habilitations"):
        return Habilitation.objects.none()
    return Habilitation.objects.filter(og_id=membership.essms.og_id).select_related("document_class")


def habilitation_changes_for_user(user) -> QuerySet[HabilitationChange]:
    membership = active_membership(user)
    if membership is None or not can(user, READ, "habilitations"):
        return HabilitationChange.objects.none()
    return HabilitationChange.objects.filter(og_id=membership.essms.og_id).select_related(
        "document_class", "changed_by"
    )

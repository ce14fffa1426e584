"""Professionals looked up outside any ESSMS scope: the login, before an ESSMS is chosen."""

from django.db.models import Prefetch, QuerySet

from dui.catalogue import READ
from dui.errors import NotFound
from dui.models import Membership, User
from dui.permissions import active_membership, require


def user_for_rpps(rpps: str) -> User | None:
    """The active professional account carrying this RPPS (unique when set), partner systems excluded."""
    if not rpps:
        return None
    return User.objects.filter(rpps=rpps, is_active=True, is_partner_system=False).first()


def essms_professionals(actor) -> QuerySet[User]:
    """Professionals with a membership in force in the active ESSMS (partner systems excluded),
    each with `essms_memberships`, for whoever may read the habilitations."""
    require(actor, READ, "habilitations")
    essms_id = active_membership(actor).essms_id
    in_force = Membership.objects.active().filter(essms_id=essms_id).order_by("metier")
    return (
        User.objects.filter(is_partner_system=False, memberships__in=in_force)
        .distinct()
        .prefetch_related(Prefetch("memberships", queryset=in_force, to_attr="essms_memberships"))
        .order_by("last_name", "first_name", "username")
    )


def essms_professional(actor, user_id: int) -> User:
    """One professional of the active ESSMS; NotFound for anyone else (never confirm they exist)."""
    professional = essms_professionals(actor).filter(pk=user_id).first()
    if professional is None:
        raise NotFound("Professionnel introuvable dans l'établissement actif.")
    return professional

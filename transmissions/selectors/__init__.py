"""Reads of transmissions, scoped to the active ESSMS, the matrix and the visibility level."""

from django.db.models import QuerySet

from dui.catalogue import READ
from dui.errors import NotFound
from dui.permissions import active_membership, can
from transmissions.models import Cible, Transmission
from transmissions.visibility import levels_readable_by


def transmissions_for_user(user, *, include_history: bool = False) -> QuerySet[Transmission]:
    """Current versions the user may read in the active ESSMS (all versions with include_history)."""
    membership = active_membership(user)
    if membership is None or not can(user, READ, Transmission.document_class_code):
        return Transmission.objects.none()
    qs = Transmission.objects.filter(essms_id=membership.essms_id, visibility__in=levels_readable_by(user))
    if not include_history:
        qs = qs.filter(is_current=True)
    return qs.select_related("usager", "unit", "cible", "author")


def can_read_transmission(user, transmission: Transmission) -> bool:
    membership = active_membership(user)
    return (
        membership is not None and can(user, READ, transmission) and transmission.visibility in levels_readable_by(user)
    )


def cibles_for_user(user) -> QuerySet[Cible]:
    membership = active_membership(user)
    if membership is None:
        return Cible.objects.none()
    return Cible.objects.filter(og_id=membership.essms.og_id)


def access_cible(actor, pk) -> Cible:
    """A cible of the actor's OG catalogue (active or not), or NotFound."""
    cible = cibles_for_user(actor).filter(pk=pk).first()
    if cible is None:
        raise NotFound
    return cible


def cibles_offered_for_user(user) -> QuerySet[Cible]:
    """The OG's cibles offered in the active ESSMS, whose kind their catalogue row lists.

    The writing screens and the feed filters use these; the catalogue page lists them all.
    """
    membership = active_membership(user)
    if membership is None:
        return Cible.objects.none()
    kind = membership.essms.kind
    rows = Cible.objects.filter(og_id=membership.essms.og_id).values_list("pk", "essms_kinds")
    return Cible.objects.filter(pk__in=[pk for pk, kinds in rows if kind in (kinds or ())])


def cibles_offered_list(user) -> list[Cible]:
    """cibles_offered_for_user as a list, in one query (the OG's catalogue is small: the kinds are
    checked in Python). The feed's filter reads it on every view."""
    membership = active_membership(user)
    if membership is None:
        return []
    kind = membership.essms.kind
    return [c for c in Cible.objects.filter(og_id=membership.essms.og_id) if kind in (c.essms_kinds or ())]

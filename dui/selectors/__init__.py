"""Every read that matters, already scoped to the acting user's active ESSMS.

Views, API, exports and tasks reach tenant data only through these functions.
"""

from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from dui.actor import user_of
from dui.catalogue import READ
from dui.errors import NotFound, valid_pk
from dui.models import (
    AccessLog,
    DocumentClass,
    Habilitation,
    HabilitationChange,
    Membership,
    Unit,
    Usager,
    UsagerGrant,
    User,
)
from dui.permissions import active_membership, can


def _active_essms_id(actor) -> int | None:
    membership = active_membership(actor)
    return membership.essms_id if membership else None


def switchable_memberships(actor) -> list[Membership]:
    """The user's other memberships in force, to switch to (those the request already read, if any)."""
    membership = active_membership(actor)
    user = user_of(actor)
    memberships = getattr(user, "current_memberships", None)
    if memberships is None:
        memberships = Membership.objects.active().filter(user=user).select_related("essms").order_by("pk")
    return [m for m in memberships if membership is None or m.pk != membership.pk]


def units_for_user(actor) -> QuerySet[Unit]:
    essms_id = _active_essms_id(actor)
    if essms_id is None:
        return Unit.objects.none()
    return Unit.objects.filter(essms_id=essms_id)


def usagers_for_user(actor, action: str = READ) -> QuerySet[Usager]:
    """Dossiers of the active ESSMS, plus those of the OG opened by an unexpired grant."""
    membership = active_membership(actor)
    if membership is None or not can(actor, action, Usager.document_class_code):
        return Usager.objects.none()
    granted = list(
        UsagerGrant.objects.filter(
            user=user_of(actor),
            expires_at__gt=timezone.now(),
            permission__codename="view_usager" if action == READ else "change_usager",
            content_object__essms__og_id=membership.essms.og_id,
        ).values_list("content_object_id", flat=True)
    )
    # Without grants, a plain ESSMS filter: an OR with an empty IN would make PostgreSQL scan every ESSMS.
    scope = Q(essms_id=membership.essms_id) | Q(pk__in=granted) if granted else Q(essms_id=membership.essms_id)
    return Usager.objects.filter(scope).select_related("essms")


def access_usager(actor, pk, *, action: str = READ) -> Usager:
    """The dossier, or NotFound whether it is missing or out of reach. `actor`: an Actor (or a user)."""
    usager = usagers_for_user(actor, action).filter(pk=valid_pk(pk)).first()
    if usager is None or not can(actor, action, usager):
        raise NotFound
    return usager


def access_unit(actor, pk) -> Unit:
    """A unit of the active ESSMS, or NotFound (another ESSMS's unit, unknown id, not a number)."""
    unit = units_for_user(actor).filter(pk=valid_pk(pk)).first()
    if unit is None:
        raise NotFound
    return unit


def access_log_for_user(actor) -> QuerySet[AccessLog]:
    essms_id = _active_essms_id(actor)
    if essms_id is None or not can(actor, READ, "journal_acces"):
        return AccessLog.objects.none()
    return AccessLog.objects.filter(essms_id=essms_id).select_related("user")


def access_log_for_usager(queryset: QuerySet[AccessLog], usager_ids) -> QuerySet[AccessLog]:
    """Rows of `queryset` about any of these persons: single-person rows by `usager_id` (B-tree), list
    reads spanning several persons by `usager_ids` – `@>` on the GIN index (PostgreSQL), or a
    `json_each` EXISTS (SQLite). The one place that knows how a list read stores its persons."""
    ids = [int(pk) for pk in usager_ids]
    if not ids:
        return queryset.none()
    if connection.vendor == "postgresql":
        spanning = Q()
        for pk in ids:
            spanning |= Q(usager_ids__contains=[pk])
    else:
        marks = ", ".join(["%s"] * len(ids))
        spanning = Q(
            RawSQL(  # noqa: S611 – only placeholders and the table's own name
                f"EXISTS (SELECT 1 FROM json_each({AccessLog._meta.db_table}.usager_ids) WHERE value IN ({marks}))",  # noqa: S608
                ids,
                output_field=BooleanField(),
            )
        )
    return queryset.filter(Q(usager_id__in=ids) | spanning)


def access_log_by_professional(queryset: QuerySet[AccessLog], words: list[str], cap: int = 200):
    """Rows of `queryset` by the professionals whose identifier, first or last name holds every word.

    The users are looked up first (a small table), then the log by `user_id` – the (user_id, at)
    index of every partition – instead of a LIKE over years of rows; rows without a user (tasks,
    removed accounts) are matched on the name they were logged under."""
    users = User.objects.all()
    unlinked = Q(user__isnull=True)
    for word in words:
        users = users.filter(Q(username__icontains=word) | Q(first_name__icontains=word) | Q(last_name__icontains=word))
        unlinked &= Q(username__icontains=word)
    return queryset.filter(Q(user_id__in=list(users.values_list("pk", flat=True)[:cap])) | unlinked)


def habilitations_for_user(actor) -> QuerySet[Habilitation]:
    membership = active_membership(actor)
    if membership is None or not can(actor, READ, "habilitations"):
        return Habilitation.objects.none()
    return Habilitation.objects.filter(og_id=membership.essms.og_id).select_related("document_class")


def habilitation_changes_for_user(actor) -> QuerySet[HabilitationChange]:
    membership = active_membership(actor)
    if membership is None or not can(actor, READ, "habilitations"):
        return HabilitationChange.objects.none()
    return HabilitationChange.objects.filter(og_id=membership.essms.og_id).select_related(
        "document_class", "changed_by"
    )


def active_units(actor) -> list[Unit]:
    """The active units of the active ESSMS, by name (the unit pickers)."""
    return list(units_for_user(actor).filter(is_active=True).order_by("name"))


def membership_of(actor, pk) -> Membership:
    """One of the user's own memberships in force (to switch to), or NotFound."""
    membership = (
        Membership.objects.active().filter(user=user_of(actor), pk=valid_pk(pk)).select_related("essms").first()
    )
    if membership is None:
        raise NotFound
    return membership


def document_classes(codes) -> QuerySet[DocumentClass]:
    """These classes of the catalogue, in catalogue order (the matrix screens' rows)."""
    return DocumentClass.objects.filter(code__in=codes).order_by("position")

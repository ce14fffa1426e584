"""The one decision function: may this user do this action on this object?

Used by views, API, FHIR, exports, PDFs and tasks alike. The acting user carries the
membership resolved once per request (middleware for the web, token authentication for
the API, explicitly for tasks): `user.membership`.
"""

from django.db.models import JSONField, OuterRef, Subquery
from django.utils import timezone

from dui.actor import user_of
from dui.catalogue import ACTIONS, READ
from dui.errors import NotFound, RightRefused
from dui.essms_kinds import SECTION, default_kinds
from dui.models import CatalogueKinds, Habilitation, Membership, UsagerGrant

_GRANT_PERMISSION = {"read": "view_usager", "write": "change_usager", "validate": "change_usager"}


def active_membership(user) -> Membership | None:
    """`user` is an Actor or a user."""
    user = user_of(user)
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return getattr(user, "membership", None)


def rights_of(user) -> dict[str, set[str]]:
    """The matrix row of the user's active métier in its OG, read once per request.

    A class that does not fit the kind of the active ESSMS (Creton in an EHPAD, AGGIR in an IME;
    dui.essms_kinds, as edited by the OG) grants nothing there: its pages, API and blocks close.
    """
    user = user_of(user)
    membership = active_membership(user)
    if membership is None:
        return {}
    cache = getattr(user, "_rights_cache", None)
    if cache is None or cache[0] != membership.pk:
        cache = (membership.pk, _matrix_row(membership))
        user._rights_cache = cache
    return cache[1]


def _matrix_row(membership: Membership) -> dict[str, set[str]]:
    """One query: the métier's rights, each class with the OG's own kinds for it (if any)."""
    essms = membership.essms
    own_kinds = CatalogueKinds.objects.filter(
        og_id=OuterRef("og_id"), domain=SECTION, code=OuterRef("document_class__code")
    ).values("kinds")[:1]
    rows = (
        Habilitation.objects.filter(og_id=essms.og_id, metier=membership.metier)
        .annotate(own_kinds=Subquery(own_kinds, output_field=JSONField()))
        .values_list("document_class__code", "can_read", "can_write", "can_validate", "own_kinds")
    )
    rights = {}
    for code, r, w, v, kinds in rows:
        offered = default_kinds(SECTION, code) if kinds is None else kinds
        if essms.kind in offered:
            rights[code] = {a for a, ok in zip(ACTIONS, (r, w, v), strict=True) if ok}
    return rights


def _target(obj) -> tuple[str, int | None, int | None]:
    """(document class code, essms id, usager id) of a class code or a model instance."""
    if isinstance(obj, str):
        return obj, None, None
    code = obj.document_class_code
    usager_id = obj.pk if obj._meta.model_name == "usager" else getattr(obj, "usager_id", None)
    return code, obj.essms_id, usager_id


def has_active_grant(user, usager_id: int, action: str) -> bool:
    return UsagerGrant.objects.filter(
        user=user,
        content_object_id=usager_id,
        permission__codename=_GRANT_PERMISSION[action],
        expires_at__gt=timezone.now(),
    ).exists()


def can(user, action: str, obj) -> bool:
    """True when the user's active membership allows `action` on `obj`.

    `obj` is a document class code (meaning: in the active ESSMS) or a model instance with
    `document_class_code` and `essms_id`. Another ESSMS's object is reachable only through
    an unexpired grant on its dossier, inside the same OG; the matrix still decides the class.
    """
    if action not in ACTIONS:
        raise ValueError(f"Unknown action {action!r}")
    user = user_of(user)
    membership = active_membership(user)
    if membership is None:
        return False
    code, essms_id, usager_id = _target(obj)
    if essms_id is not None and essms_id != membership.essms_id:
        if usager_id is None or not has_active_grant(user, usager_id, action):
            return False
        if not _same_og(essms_id, membership):
            return False
    return action in rights_of(user).get(code, set())


def _same_og(essms_id: int, membership: Membership) -> bool:
    from dui.models import Essms

    return Essms.objects.filter(pk=essms_id, og_id=membership.essms.og_id).exists()


def require(user, action: str, obj) -> None:
    """Refuse when `can` says no: another ESSMS's object is a plain 404 (never confirm that it
    exists); a right missing in the user's own ESSMS is a RightRefused, explained to the user."""
    user = user_of(user)
    if can(user, action, obj):
        return
    membership = active_membership(user)
    code, essms_id, _ = _target(obj)
    if membership is None or (essms_id is not None and essms_id != membership.essms_id):
        raise NotFound
    from dui.selectors.catalogue_kinds import applies

    if not applies(user, SECTION, code):
        raise NotFound  # not offered in this kind of establishment (Creton in an EHPAD): no such page here
    raise RightRefused(action, code)


def can_read(user, obj) -> bool:
    return can(user, READ, obj)

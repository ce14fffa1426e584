"""The OG edits where its catalogue items are offered: kinds of establishment per event kind,
evaluation grid and dossier section (cibles carry their own kinds, see transmissions)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from dui import audit
from dui.actor import Actor
from dui.catalogue import WRITE
from dui.essms_kinds import CIBLE, DOMAIN_LABELS, DOMAINS, default_kinds, registered_items, sorted_kinds
from dui.models import AccessAction, CatalogueKinds, EssmsKind
from dui.permissions import active_membership, can

CATALOGUE_CLASS = "parametrage_catalogues"


def can_manage_catalogue(actor) -> bool:
    """Who may write the class « Paramétrage des catalogues » of the matrix (by default direction,
    cadres de santé and the OG administrator)."""
    return active_membership(actor) is not None and can(actor, WRITE, CATALOGUE_CLASS)


def clean_kinds(kinds, *, allow_empty: bool) -> list[str]:
    """The chosen kinds in EssmsKind order, or a French ValidationError."""
    if not isinstance(kinds, list | tuple | set | frozenset) or not all(isinstance(k, str) for k in kinds):
        raise ValidationError({"kinds": ["Liste de types d'établissement invalide."]})
    unknown = sorted({kind for kind in kinds if kind not in EssmsKind.values})
    if unknown:
        raise ValidationError({"kinds": [f"Type d'établissement inconnu : {', '.join(unknown)[:80]}."]})
    if not kinds and not allow_empty:
        raise ValidationError({"kinds": ["Cochez au moins un type d'établissement (ou désactivez l'élément)."]})
    return sorted_kinds(kinds)


@transaction.atomic
def catalogue_kinds_set(actor: Actor, *, domain: str, code: str, kinds) -> list[str]:
    """Offer an event kind, grid or section in these kinds of establishment (none: nowhere).

    Choosing exactly the defaults removes the OG's own row, so later changes of the defaults apply.
    """
    if not can_manage_catalogue(actor):
        raise PermissionDenied("Seuls la direction, les cadres de santé et l'administrateur modifient le catalogue.")
    if domain not in DOMAINS or domain == CIBLE:
        raise ValidationError({"domain": ["Catalogue inconnu : types d'événement, grilles ou rubriques du dossier."]})
    labels = dict(registered_items(domain))
    if code not in labels:
        raise ValidationError({"code": [f"Élément inconnu dans « {DOMAIN_LABELS[domain]} »."]})
    chosen = clean_kinds(kinds, allow_empty=True)
    og_id = active_membership(actor).essms.og_id
    row = CatalogueKinds.objects.select_for_update().filter(og_id=og_id, domain=domain, code=code).first()
    current = sorted_kinds(row.kinds) if row else sorted_kinds(default_kinds(domain, code))
    if chosen == current:
        raise ValidationError({"kinds": [f"« {labels[code]} » est déjà proposé dans ces établissements."]})
    if chosen == sorted_kinds(default_kinds(domain, code)):
        row.delete()
        audited = CatalogueKinds(pk=row.pk, og_id=og_id, domain=domain, code=code, kinds=chosen)
    else:
        row = row or CatalogueKinds(og_id=og_id, domain=domain, code=code)
        row.kinds = chosen
        row.save()
        audited = row
    where = ", ".join(EssmsKind(kind).label for kind in chosen) or "aucun établissement"
    detail = f"catalogue {DOMAIN_LABELS[domain]} : {labels[code]} proposé dans : {where}"
    audit.log_access(actor, AccessAction.UPDATE, audited, detail=detail)
    return chosen

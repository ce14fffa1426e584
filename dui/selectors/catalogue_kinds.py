"""Reads of the kind-based catalogue: is an item offered in this establishment?"""

from dui.actor import user_of
from dui.essms_kinds import ALL_KINDS, CIBLE, EPILEPSY_EVENT, EPILEPSY_KEY, EVENT, default_kinds
from dui.ins import search_key
from dui.models import Antecedent, CatalogueKinds, Essms
from dui.permissions import active_membership


def og_overrides(og_id: int) -> dict[tuple[str, str], frozenset]:
    """The OG's own kinds per (domain, code), one query."""
    rows = CatalogueKinds.objects.filter(og_id=og_id).values_list("domain", "code", "kinds")
    return {(domain, code): frozenset(kinds) for domain, code, kinds in rows}


def item_kinds(og_id: int, domain: str, code: str, overrides: dict | None = None) -> frozenset:
    overrides = og_overrides(og_id) if overrides is None else overrides
    return overrides.get((domain, code), default_kinds(domain, code))


def applies_in(essms: Essms, domain: str, code: str, overrides: dict | None = None) -> bool:
    """True when the item is offered in this establishment (OG choice, else the defaults)."""
    if domain == CIBLE:
        raise ValueError("A cible carries its own kinds: use cible_applies.")
    return essms.kind in item_kinds(essms.og_id, domain, code, overrides)


def cible_applies(cible, essms: Essms) -> bool:
    kinds = cible.essms_kinds
    return essms.kind in (ALL_KINDS if kinds is None else kinds)


def _cached_overrides(actor, membership) -> dict:
    user = user_of(actor)  # kept on the user: read once per request, whatever the Actor built on it
    cache = getattr(user, "_catalogue_kinds_cache", None)
    if cache is None or cache[0] != membership.pk:
        cache = (membership.pk, og_overrides(membership.essms.og_id))
        user._catalogue_kinds_cache = cache
    return cache[1]


def applies(actor, domain: str, code: str) -> bool:
    """True when the item is offered in the user's active establishment (read once per request)."""
    membership = active_membership(actor)
    if membership is None:
        return False
    return applies_in(membership.essms, domain, code, _cached_overrides(actor, membership))


def has_epilepsy(usager) -> bool:
    """The person's dossier records epilepsy: an open antecedent that names it."""
    labels = Antecedent.objects.filter(usager_id=usager.pk, ended_at__isnull=True).values_list("label", "comment")
    return any(EPILEPSY_KEY in search_key(label, comment) for label, comment in labels)


def event_kind_offered(actor, kind: str, usager=None) -> bool:
    """The event kind fits the active ESSMS, or (seizures) the person's own dossier calls for it."""
    if applies(actor, EVENT, kind):
        return True
    return kind == EPILEPSY_EVENT and usager is not None and has_epilepsy(usager)


def event_kinds_offered(actor, kinds, usager=None) -> list:
    """The offered ones among `kinds` (value, label pairs or values), in their order."""
    return [item for item in kinds if event_kind_offered(actor, item[0] if isinstance(item, tuple) else item, usager)]

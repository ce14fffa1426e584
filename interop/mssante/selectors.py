"""Reads of the MSSanté inbox, scoped to the actor's ESSMS, with suggestions by traits."""

from dataclasses import dataclass

from dui.catalogue import WRITE
from dui.errors import NotFound
from dui.ins import search_key
from dui.models import Usager
from dui.permissions import can
from interop.mssante.models import InboxItem, InboxState

INBOX_CLASS = "cr_hospitalisation"


def may_file(actor) -> bool:
    return can(actor, WRITE, INBOX_CLASS)


def inbox_for_user(actor, *, state: str = InboxState.WAITING):
    """Messages of the actor's ESSMS; only for those who may file a compte rendu."""
    if actor.essms_id is None or not may_file(actor):
        return InboxItem.objects.none()
    rows = InboxItem.objects.filter(essms_id=actor.essms_id)
    return rows.filter(state=state) if state else rows


def inbox_item_for_user(actor, pk) -> InboxItem:
    item = inbox_for_user(actor, state="").filter(pk=pk).first() if str(pk).isdigit() else None
    if item is None:
        raise NotFound
    return item


@dataclass(frozen=True)
class Suggestion:
    usager: Usager
    score: int
    reasons: tuple[str, ...]


def suggestions(item: InboxItem, limit: int = 5) -> list[Suggestion]:
    """Dossiers of the item's ESSMS that share traits with it: names without accents, birth date, sex."""
    family = search_key(item.family)
    given = search_key(item.given).split()
    candidates = Usager.objects.filter(essms_id=item.essms_id, archived_at__isnull=True, merged_into__isnull=True)
    if item.birth_date:
        candidates = candidates.filter(birth_date=item.birth_date) | candidates.filter(
            search_text__icontains=family or "\x00"
        )
    elif family:
        candidates = candidates.filter(search_text__icontains=family)
    else:
        return []
    found = []
    for usager in candidates.distinct()[:200]:
        reasons = []
        if family and family in (search_key(usager.birth_name), search_key(usager.used_name)):
            reasons.append("nom")
        if given and given[0] in search_key(usager.first_names, usager.used_first_name).split():
            reasons.append("prénom")
        if item.birth_date and item.birth_date == usager.birth_date:
            reasons.append("date de naissance")
        if item.sex and item.sex == usager.sex:
            reasons.append("sexe")
        score = {"nom": 3, "prénom": 2, "date de naissance": 3, "sexe": 1}
        total = sum(score[r] for r in reasons)
        if total >= 4:
            found.append(Suggestion(usager=usager, score=total, reasons=tuple(reasons)))
    found.sort(key=lambda s: (-s.score, s.usager.birth_name))
    return found[:limit]

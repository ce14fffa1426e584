"""The persons behind the feed's person filter, found as the user types.

The filter used to render every person of the active file as an option (300 in an EHPAD): it
was a third of the feed's rendering cost and a query of its own on every view. Now the feed only
loads the one person chosen, and the search field asks for at most PERSON_SEARCH_LIMIT matches.
"""

from django.db.models import Q

from dui import audit
from dui.ins import search_key
from dui.models import Usager
from dui.permissions import active_membership
from dui.selectors import usagers_for_user
from dui.selectors.active_file import active_file, with_current_placement

PERSON_SEARCH_LIMIT = 20
PERSON_FIELDS = ("id", "essms_id", "birth_name", "used_name", "first_names", "used_first_name", "archived_at")
UNKNOWN_PERSON = (
    "Cette personne n'existe pas ou n'est pas suivie dans cet établissement : aucune transmission affichée."
)


def _words(query: str) -> list[str]:
    return search_key((query or "")[:200]).split()[:5]


def person_matches(actor, query: str, *, limit: int = PERSON_SEARCH_LIMIT, detail: str = "") -> list[Usager]:
    """Persons of the active file whose name or room matches every word (accents and case ignored).

    Each row carries `room` and `current_unit_name`. The names shown are logged as read (`detail`).
    """
    words = _words(query)
    if not words:
        return []
    people = active_file(actor)[0]
    for word in words:
        # Rows written outside the services (bulk imports) may lack search_text: plain names then.
        legacy = Q(birth_name__icontains=word) | Q(used_name__icontains=word) | Q(first_names__icontains=word)
        people = people.filter(Q(search_text__contains=word) | (Q(search_text="") & legacy) | Q(room__iexact=word))
    rows = list(people.select_related(None).only(*PERSON_FIELDS)[:limit])
    audit.log_reads(actor, rows, detail=detail or "recherche d'une personne (fil des transmissions)")
    return rows


def feed_person(actor, pk: int) -> Usager | None:
    """The person chosen in the feed's filter: one of the active ESSMS the actor may read, else None."""
    membership = active_membership(actor)
    if membership is None:
        return None
    chosen = usagers_for_user(actor).filter(pk=pk, essms_id=membership.essms_id).only(*PERSON_FIELDS)
    return with_current_placement(chosen).first()  # room and unit: the same label as in the list


def person_label(usager: Usager) -> str:
    """The text shown in the search field: name, then room and unit when known."""
    room = getattr(usager, "room", "") or ""
    unit = getattr(usager, "current_unit_name", "") or ""
    where = " — ".join(part for part in (unit, f"ch. {room}" if room else "") if part)
    archived = " (dossier archivé)" if usager.archived_at else ""
    return f"{usager}{archived}{f' ({where})' if where else ''}"

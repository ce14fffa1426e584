"""The active file: people with an active séjour in the active ESSMS, per unit, with search.

One query for the people (current unit and room come as subqueries), whatever their number.
"""

import datetime
import re
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from dui import audit
from dui.catalogue import READ
from dui.ins import MATRICULE_RE, IdentityStatus, normalise_matricule, search_key
from dui.models import Placement, Sejour, SejourStatus, Unit, Usager
from dui.permissions import active_membership, can
from dui.selectors import usagers_for_user

_DATE_FR = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


@dataclass(frozen=True)
class Search:
    """What the query means: a birth date, an INS matricule or words of a name."""

    kind: str  # "", "birth_date", "ins", "name"
    birth_date: datetime.date | None = None
    matricule: str = ""
    words: tuple[str, ...] = ()
    error: str = ""


def parse_search(query: str) -> Search:
    query = (query or "").strip()
    if not query:
        return Search("")
    match = _DATE_FR.match(query)
    parts = (match.group(3), match.group(2), match.group(1)) if match else None
    if parts is None and (match := _DATE_ISO.match(query)):
        parts = match.groups()
    if parts is not None:
        try:
            return Search("birth_date", birth_date=datetime.date(*(int(p) for p in parts)))
        except ValueError:
            return Search("birth_date", error=f"« {query} » n'est pas une date valide (jj/mm/aaaa ou aaaa-mm-jj).")
    matricule = normalise_matricule(query)
    if len(matricule) == 15 and MATRICULE_RE.match(matricule):
        return Search("ins", matricule=matricule)
    words = tuple(search_key(query).split())
    return Search("name", words=words) if words else Search("")


def active_file(
    actor,
    *,
    unit: Unit | None = None,
    query: str = "",
    include_archived: bool = False,
    today: datetime.date | None = None,
    with_placement: bool = True,
) -> tuple[QuerySet[Usager], Search]:
    """People of the active ESSMS with an active séjour (plus archived dossiers when asked).

    Each row carries `room`, `current_unit_id` and `current_unit_name` from the latest
    placement started on or before `today`, unless `with_placement` is False (a list of names:
    three subqueries per person saved). Ordered by the name in use.
    """
    membership = active_membership(actor)
    search = parse_search(query)
    if membership is None or not can(actor, READ, Usager.document_class_code) or search.error:
        return Usager.objects.none(), search
    today = today or timezone.localdate()
    essms_id = membership.essms_id
    latest = Placement.objects.filter(essms_id=essms_id, usager_id=OuterRef("pk"), starts_on__lte=today).order_by(
        "-starts_on", "-pk"
    )
    active = Sejour.objects.filter(essms_id=essms_id, usager_id=OuterRef("pk"), status=SejourStatus.ACTIVE)
    in_file = Q(Exists(active), archived_at__isnull=True)
    if include_archived:
        in_file |= Q(archived_at__isnull=False)
    qs = (
        usagers_for_user(actor)
        .filter(essms_id=essms_id, merged_into__isnull=True)
        .filter(in_file)
        .annotate(display_name=Coalesce(NullIf(F("used_name"), Value("")), F("birth_name")))
    )
    if with_placement or unit is not None:
        qs = qs.annotate(
            room=Subquery(latest.values("room")[:1]),
            current_unit_id=Subquery(latest.values("unit_id")[:1]),
            current_unit_name=Subquery(latest.values("unit__name")[:1]),
        )
    if unit is not None:
        qs = qs.filter(current_unit_id=unit.pk)
    if search.kind == "birth_date":
        qs = qs.filter(birth_date=search.birth_date)
    elif search.kind == "ins":
        # RNIV: a matricule is used only for a qualified identity.
        qs = qs.filter(ins_matricule=search.matricule, identity_status=IdentityStatus.QUALIFIEE)
    elif search.kind == "name":
        for word in search.words:
            # Rows written outside the services (bulk imports) may lack search_text: plain names then.
            legacy = Q(birth_name__icontains=word) | Q(used_name__icontains=word) | Q(first_names__icontains=word)
            qs = qs.filter(Q(search_text__contains=word) | (Q(search_text="") & legacy))
    return qs.order_by("display_name", "first_names", "pk"), search


def with_current_placement(usagers: QuerySet[Usager], today: datetime.date | None = None) -> QuerySet[Usager]:
    """Add `room` and `current_unit_name` (latest placement in the person's own ESSMS) to each row."""
    today = today or timezone.localdate()
    latest = Placement.objects.filter(
        essms_id=OuterRef("essms_id"), usager_id=OuterRef("pk"), starts_on__lte=today
    ).order_by("-starts_on", "-pk")
    return usagers.annotate(
        room=Subquery(latest.values("room")[:1]),
        current_unit_name=Subquery(latest.values("unit__name")[:1]),
    )


def age_on(birth_date: datetime.date, today: datetime.date) -> int:
    return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))


def initials(usager: Usager) -> str:
    name = usager.used_name or usager.birth_name
    first = usager.used_first_name or usager.first_names
    return f"{first[:1]}{name[:1]}".upper()


@dataclass(frozen=True)
class Card:
    usager: Usager
    name: str
    first_name: str
    initials: str
    age: int
    room: str
    unit_name: str
    photo_url: str
    palliative_care: bool
    archived: bool


def cards(actor, usagers, *, today: datetime.date | None = None) -> list[Card]:
    """Display data of each person; photo and palliative badge only when the matrix allows them."""
    today = today or timezone.localdate()
    show_photo = can(actor, READ, "photo")
    show_palliative = can(actor, READ, "soins_palliatifs")
    result = []
    for usager in usagers:
        archived = usager.archived_at is not None
        result.append(
            Card(
                usager=usager,
                name=(usager.used_name or usager.birth_name).upper(),
                first_name=usager.used_first_name or usager.first_names.split(" ")[0],
                initials=initials(usager),
                age=age_on(usager.birth_date, today),
                room="" if archived else (getattr(usager, "room", "") or ""),
                unit_name=getattr(usager, "current_unit_name", "") or "",
                photo_url=usager.photo.url if show_photo and usager.photo else "",
                palliative_care=show_palliative and usager.palliative_care,
                archived=archived,
            )
        )
    return result


PAGE_SIZE = 60


def active_file_page(
    actor, *, unit: Unit | None, query: str, include_archived: bool, page_number=None
) -> tuple[Page, list[Card], Search]:
    """One page of the active file as shown (page, cards, search); each person shown is logged as read."""
    usagers, search = active_file(actor, unit=unit, query=query, include_archived=include_archived)
    page = Paginator(usagers, PAGE_SIZE).get_page(page_number)
    shown = cards(actor, page.object_list)
    audit.log_reads(actor, [card.usager for card in shown], detail="file active")
    return page, shown, search

"""Reading transmissions: the feed (filters, full-text search, keyset pages), the unread list
and count, one thread with its versions.

Everything starts from `transmissions_for_user` (active ESSMS + matrix + visibility level).

Pages are keyset-paginated on (observed_at DESC, id DESC), the order of the `transmission_feed`
index: a page costs the same on page 1 and page 500, and no COUNT(*) over the whole feed is
ever run ("page suivante" without a total).

Full-text search: on PostgreSQL, the `french` text-search configuration over `search_text`
(already accent-free and lowercase), through the GIN index created by migration 0002 on the
exact expression that `SearchVector("search_text", config="french")` generates. Elsewhere
(SQLite), every word of the query must appear in `search_text`. Both are accent- and
case-insensitive because the query goes through the same `search_key` as the stored text.
"""

import datetime
import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from dui import audit
from dui.actor import user_of
from dui.errors import NotFound
from dui.ins import search_key
from dui.permissions import active_membership
from transmissions.models import Event, ReadReceipt, Transmission
from transmissions.selectors import transmissions_for_user

PAGE_SIZE = 30
# "Since my last shift": what was observed during this window and not read yet. A shift pattern
# (days, nights, weekends, a few days off) is covered by a week; older unread rows stay in the feed
# with its "non lues" filter. A fixed window keeps the count cheap (index range on observed_at).
UNREAD_WINDOW = datetime.timedelta(days=7)
UNREAD_LIMIT = 100

_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
_CURSOR = re.compile(r"^(-?\d{1,20})-(\d{1,19})$")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class FeedFilters:
    unit_id: int | None = None
    usager_id: int | None = None
    theme: str = ""
    cible_id: int | None = None
    metier: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    event_kind: str = ""
    unread: bool = False
    q: str = ""


@dataclass(frozen=True)
class FeedPage:
    rows: list[Transmission]
    next_cursor: str | None
    is_first: bool


# --- Helpers ------------------------------------------------------------------------------------


def with_read_flag(qs: QuerySet[Transmission], user) -> QuerySet[Transmission]:
    """Each row carries `is_read` (a receipt of this user for this very version), in the same query."""
    receipts = ReadReceipt.objects.filter(user_id=user_of(user).pk, transmission_id=OuterRef("pk"))
    return qs.annotate(is_read=Exists(receipts))


def _thread_events():
    """Events of the row's thread: an event hangs on the first version, corrections are new rows."""
    return Event.objects.filter(Q(transmission_id=OuterRef("pk")) | Q(transmission_id=OuterRef("original_id")))


def with_event_kind(qs: QuerySet[Transmission]) -> QuerySet[Transmission]:
    """Each row carries `event_kind` ("" when the thread has no structured event), same query."""
    return qs.annotate(event_kind=Subquery(_thread_events().values("kind")[:1]))


def search_words(q: str) -> list[str]:
    """The words of a query, accent- and case-free (punctuation dropped)."""
    return _WORD.findall(search_key(q or ""))


def apply_search(qs: QuerySet[Transmission], q: str) -> QuerySet[Transmission]:
    words = search_words(q)
    if not words:
        return qs
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        # Same expression as the GIN index transmission_search_fr (see migration 0002).
        vector = SearchVector("search_text", config="french")
        query = SearchQuery(" ".join(words), config="french", search_type="websearch")
        return qs.annotate(search_vector=vector).filter(search_vector=query)
    for word in words:
        qs = qs.filter(search_text__contains=word)
    return qs


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def apply_filters(qs: QuerySet[Transmission], user, filters: FeedFilters) -> QuerySet[Transmission]:
    if filters.unit_id:
        qs = qs.filter(unit_id=filters.unit_id)
    if filters.usager_id:
        qs = qs.filter(usager_id=filters.usager_id)
    if filters.theme:
        qs = qs.filter(theme=filters.theme)
    if filters.cible_id:
        qs = qs.filter(cible_id=filters.cible_id)
    if filters.metier:
        qs = qs.filter(author_metier=filters.metier)
    if filters.date_from:
        qs = qs.filter(observed_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        qs = qs.filter(observed_at__lt=_day_start(filters.date_to + datetime.timedelta(days=1)))
    if filters.event_kind:
        # From the events (few) to the rows, by primary key: an IN subquery (or an OR of two IN
        # lists) would be checked on every row of the ESSMS's feed. An event hangs on the first
        # version of its thread; the corrections of those threads are added by their `original`.
        membership = active_membership(user)
        events = Event.objects.filter(essms_id=membership.essms_id, kind=filters.event_kind)
        thread_ids = list(events.values_list("transmission_id", flat=True))
        if thread_ids:
            corrections = Transmission.objects.filter(
                essms_id=membership.essms_id, original_id__in=thread_ids, is_current=True
            ).values_list("pk", flat=True)
            thread_ids.extend(corrections)
        qs = qs.filter(pk__in=thread_ids) if thread_ids else qs.none()
    if filters.unread:
        qs = qs.exclude(Exists(ReadReceipt.objects.filter(user_id=user_of(user).pk, transmission_id=OuterRef("pk"))))
    return apply_search(qs, filters.q)


# --- Cursors ------------------------------------------------------------------------------------


def encode_cursor(row: Transmission) -> str:
    micros = (row.observed_at - _EPOCH) // datetime.timedelta(microseconds=1)
    return f"{micros}-{row.pk}"


def decode_cursor(value: str | None) -> tuple[datetime.datetime, int] | None:
    """(observed_at, id) of the last row of the previous page; None for a missing or malformed cursor."""
    match = _CURSOR.match(value or "")
    if not match:
        return None
    try:
        moment = _EPOCH + datetime.timedelta(microseconds=int(match.group(1)))
    except OverflowError:
        return None
    return moment, int(match.group(2))


def after_cursor(qs: QuerySet[Transmission], cursor: tuple[datetime.datetime, int]) -> QuerySet[Transmission]:
    moment, pk = cursor
    # `observed_at <= t` bounds the index range; the tie on t is broken by the id.
    return qs.filter(observed_at__lte=moment).exclude(observed_at=moment, pk__gte=pk)


# --- Feed ---------------------------------------------------------------------------------------


def feed_queryset(user, filters: FeedFilters | None = None) -> QuerySet[Transmission]:
    """Current versions the user may read, filtered, newest observation first, with `is_read`."""
    if active_membership(user) is None:
        return Transmission.objects.none()
    qs = apply_filters(transmissions_for_user(user), user, filters or FeedFilters())
    return with_event_kind(with_read_flag(qs, user)).order_by("-observed_at", "-id")


# What a feed card reads of the related rows. A person's and a user's rows are wide (identity,
# INS, photo, search key; password, RPPS…): loading only these halves the cost of building a page.
CARD_RELATED = (
    "usager__essms_id", "usager__birth_name", "usager__used_name", "usager__first_names",
    "usager__used_first_name", "usager__archived_at", "unit__name", "cible__label",
    "author__first_name", "author__last_name", "author__username",
)  # fmt: skip


def card_columns(qs: QuerySet[Transmission]) -> QuerySet[Transmission]:
    """Every column of the transmission, only the columns of the related rows a card shows."""
    return qs.only(*(field.name for field in Transmission._meta.concrete_fields), *CARD_RELATED)


def feed_page(
    actor,
    filters: FeedFilters | None = None,
    *,
    cursor: str | None = None,
    size: int = PAGE_SIZE,
    detail: str = "fil des transmissions",
) -> FeedPage:
    """One page of the feed: `size` rows after the cursor, and the cursor of the next page if any.

    The rows shown are logged as read by the actor."""
    user = actor
    qs = card_columns(feed_queryset(user, filters))
    position = decode_cursor(cursor)
    if position is not None:
        qs = after_cursor(qs, position)
    rows = list(qs[: size + 1])
    has_next = len(rows) > size
    rows = rows[:size]
    audit.log_reads(actor, rows, detail=detail)
    return FeedPage(rows=rows, next_cursor=encode_cursor(rows[-1]) if has_next else None, is_first=position is None)


# --- Unread -------------------------------------------------------------------------------------


def unread_since(now: datetime.datetime | None = None) -> datetime.datetime:
    return (now or timezone.now()) - UNREAD_WINDOW


def unread_queryset(user, *, since: datetime.datetime | None = None) -> QuerySet[Transmission]:
    """Current versions observed since `since` (default: the last 7 days) without my read receipt."""
    since = since or unread_since()
    receipts = ReadReceipt.objects.filter(user_id=user_of(user).pk, transmission_id=OuterRef("pk"))
    return transmissions_for_user(user).filter(observed_at__gte=since).exclude(Exists(receipts))


def unread_count(user, *, since: datetime.datetime | None = None) -> int:
    if active_membership(user) is None:
        return 0
    return unread_queryset(user, since=since).count()


def unread_list(
    user, *, since: datetime.datetime | None = None, by_person: bool = False, detail: str = ""
) -> list[Transmission]:
    """At most UNREAD_LIMIT unread rows, oldest first (or grouped by person, then oldest first).

    With `detail`, the rows are logged as read by the actor (the page that shows them)."""
    qs = with_event_kind(unread_queryset(user, since=since))
    if by_person:
        name = Coalesce(NullIf(F("usager__used_name"), Value("")), F("usager__birth_name"))
        qs = qs.order_by(name.asc(nulls_last=True), "usager_id", "observed_at", "id")
    else:
        qs = qs.order_by("observed_at", "id")
    rows = list(qs[:UNREAD_LIMIT])
    if detail:
        audit.log_reads(user, rows, detail=detail)
    return rows


# --- One thread ---------------------------------------------------------------------------------


def access_transmission(user, pk, *, include_history: bool = True) -> Transmission:
    """A transmission (any version with include_history) the actor may read, or NotFound."""
    qs = transmissions_for_user(user, include_history=include_history)
    transmission = with_event_kind(with_read_flag(qs, user)).filter(pk=pk).first()
    if transmission is None:
        raise NotFound
    return transmission


def thread_versions(user, transmission: Transmission, *, detail: str = "") -> list[Transmission]:
    """Every version of the thread the actor may read, newest first (one query); logged as read
    with `detail` when a page or the API shows them."""
    thread_id = transmission.thread_id
    qs = transmissions_for_user(user, include_history=True).filter(Q(pk=thread_id) | Q(original_id=thread_id))
    versions = list(with_event_kind(qs).order_by("-version"))
    if detail:
        audit.log_reads(user, versions, detail=detail)
    return versions


def transmissions_shown(actor, rows, *, detail: str) -> None:
    """Log as read the transmissions a page or the API shows (rows already read through this module)."""
    audit.log_reads(actor, rows, detail=detail)


def transmission_shown(actor, transmission: Transmission, *, detail: str) -> None:
    transmissions_shown(actor, [transmission], detail=detail)


def current_version(user, transmission: Transmission) -> Transmission | None:
    """The current version of the thread, if the user may read it."""
    if transmission.is_current:
        return transmission
    thread_id = transmission.thread_id
    qs = transmissions_for_user(user).filter(Q(pk=thread_id) | Q(original_id=thread_id))
    return with_event_kind(with_read_flag(qs, user)).first()

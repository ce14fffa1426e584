"""What a transmission card shows, computed once in Python for a whole list.

A feed page is 30 cards: with the labels, dates, links and escaped text resolved by template
tags and filters for each card, rendering was a third of the feed's CPU. Here every value is
a plain attribute (`row.card`), the card template only places them, and the per-page parts
(the link patterns, the métier and event labels, the right to see events) are looked up once.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import normalize_newlines

from dui.catalogue import READ
from dui.models import Metier
from dui.permissions import can
from transmissions.models import EventKind, Theme, Transmission, Visibility

METIER_LABELS = dict(Metier.choices)
EVENT_LABELS = dict(EventKind.choices)
THEME_LABELS = dict(Theme.choices)
VISIBILITY_LABELS = dict(Visibility.choices)
SHOWN_AT = "%d/%m/%Y à %H:%M"


def text_html(value: str) -> SafeString:
    """The `linebreaksbr` filter: escaped, line breaks kept."""
    return mark_safe(escape(normalize_newlines(value)).replace("\n", "<br>"))  # noqa: S308 - escaped above


@dataclass(frozen=True)
class CardView:
    pk: int
    unread: bool
    person: SafeString
    cible: str
    free_cible: bool
    theme: str
    event: str
    visibility: str
    visibility_label: str
    version: int
    family_visible: bool
    donnees: SafeString
    actions: SafeString
    resultats: SafeString
    narrative: SafeString
    author: str
    observed_iso: str
    observed: str
    written_iso: str
    written: str
    unit_name: str
    detail_url: str
    mark_read_url: str
    group: SafeString | str  # a heading before the card (the unread list grouped by person), else ""

    @property
    def has_dar(self) -> bool:
        return bool(self.donnees or self.actions or self.resultats)


def _url_pattern(name: str):
    """reverse() once per page; the id is put in its place for each row."""
    marker = 987654321987
    template = reverse(name, args=[marker])
    return lambda pk: template.replace(str(marker), str(pk))


def _author(user) -> str:
    return user.get_full_name() or user.username


def present(actor, rows, *, grouped: bool = False) -> list[Transmission]:
    """Set `card` (and the labels the detail screens read) on each row; no query.

    `grouped`: a heading is set on the first card of each person (or unit) in a row."""
    show_events = can(actor, READ, "evenements")
    detail_url, mark_read_url = _url_pattern("transmission-detail"), _url_pattern("transmission-mark-read")
    authors: dict[int, str] = {}
    previous = None
    for row in rows:
        row.author_metier_label = METIER_LABELS.get(row.author_metier, row.author_metier)
        kind = getattr(row, "event_kind", None) or ""
        row.event_kind_label = EVENT_LABELS.get(kind, "") if show_events else ""
        if row.author_id not in authors:
            authors[row.author_id] = _author(row.author)
        # Escaped here: the fixed words keep their apostrophe as written (as in a template).
        person = escape(row.usager) if row.usager_id else mark_safe(f"Toute l'unité : {escape(row.unit.name)}")  # noqa: S308
        key = (row.usager_id, row.unit_id)
        observed, written = timezone.localtime(row.observed_at), timezone.localtime(row.written_at)
        row.card = CardView(
            pk=row.pk,
            unread=getattr(row, "is_read", None) is False,
            person=person,
            cible=row.cible.label if row.cible_id else (row.free_cible or "Note"),
            free_cible=not row.cible_id and bool(row.free_cible),
            theme=THEME_LABELS.get(row.theme, row.theme),
            event=row.event_kind_label,
            visibility=row.visibility,
            visibility_label=VISIBILITY_LABELS.get(row.visibility, row.visibility),
            version=row.version,
            family_visible=row.family_visible,
            donnees=text_html(row.donnees) if row.donnees else "",
            actions=text_html(row.actions) if row.actions else "",
            resultats=text_html(row.resultats) if row.resultats else "",
            narrative=text_html(row.narrative) if row.narrative else "",
            author=f"{authors[row.author_id]}, {row.author_metier_label}",
            observed_iso=observed.isoformat(),
            observed=observed.strftime(SHOWN_AT),
            written_iso=written.isoformat(),
            written=written.strftime(SHOWN_AT),
            unit_name=row.unit.name if row.unit_id else "",
            detail_url=detail_url(row.pk),
            mark_read_url=mark_read_url(row.pk),
            group=person if grouped and key != previous else "",
        )
        row.alone = [row]
        previous = key
    return rows

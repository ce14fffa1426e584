"""Reads of the planning domain: appointments per person, per unit and day; each user's preferences.

Every function takes the actor first and is scoped to what `can` allows; lists are read in
one query (no query per person). The page selectors log what they return as read.
"""

import datetime
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from dui import audit
from dui.actor import user_of
from dui.catalogue import READ
from dui.errors import NotFound, valid_pk
from dui.models import AccessAction, Appointment, Document, Placement, Unit, Usager, UserPreference
from dui.permissions import active_membership, can
from dui.selectors import usagers_for_user

APPOINTMENT_CLASS = Appointment.document_class_code
PAST_DAYS = 30


# ---------- Home sections a user may pin ----------


@dataclass(frozen=True)
class HomeSection:
    key: str
    label: str
    description: str
    # Candidate route names, first installed one wins (a section whose route is absent is hidden).
    url_names: tuple[str, ...]
    # Document class the user must be able to read.
    needs: str


HOME_SECTIONS: tuple[HomeSection, ...] = (
    HomeSection(
        "file_active",
        "File active",
        "Les personnes accompagnées, par unité, avec leur photo.",
        ("active-file",),
        "identite",
    ),
    HomeSection(
        "planning_jour",
        "Planning du jour",
        "Les rendez-vous du jour de votre unité, transports compris.",
        ("planning-day",),
        APPOINTMENT_CLASS,
    ),
    HomeSection(
        "alertes_creton",
        "Alertes Amendement Creton",
        "Les décisions CDAPH à renouveler.",
        ("creton-alerts",),
        "amendement_creton",
    ),
    HomeSection(
        "documents_recents",
        "Documents récents",
        "Les documents versés aux dossiers ces deux dernières semaines.",
        ("documents-recent",),
        "identite",
    ),
)
HOME_SECTION_KEYS = frozenset(section.key for section in HOME_SECTIONS)
_SECTION_BY_KEY = {section.key: section for section in HOME_SECTIONS}

# Query parameters of the active file that a saved filter may hold.
SAVED_FILTER_KEYS = ("q", "unite", "archives")


class PinnedSection(NamedTuple):
    """(key, label, url) of a pinned home section."""

    key: str
    label: str
    url: str


def _section_url(section: HomeSection) -> str | None:
    for name in section.url_names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return None


def available_sections(actor) -> list[tuple[HomeSection, str]]:
    """The sections this user could pin: route installed and class readable, in catalogue order."""
    if active_membership(actor) is None:
        return []
    sections = []
    for section in HOME_SECTIONS:
        url = _section_url(section)
        if url is not None and can(actor, READ, section.needs):
            sections.append((section, url))
    return sections


def user_preference(actor) -> UserPreference:
    """The user's preferences in the active ESSMS (an unsaved empty one when none yet)."""
    membership = active_membership(actor)
    if membership is None:
        return UserPreference(pinned_sections=[], saved_filters={})
    user = user_of(actor)
    preference = UserPreference.objects.filter(user=user, essms_id=membership.essms_id).first()
    return preference or UserPreference(user=user, essms_id=membership.essms_id, pinned_sections=[], saved_filters={})


def pinned_sections(actor) -> list[PinnedSection]:
    """The user's pinned home sections, in their order, as (key, label, url); hidden when not allowed."""
    pinned = user_preference(actor).pinned_sections or []
    if not pinned:
        return []
    allowed = {section.key: (section, url) for section, url in available_sections(actor)}
    return [PinnedSection(key, allowed[key][0].label, allowed[key][1]) for key in pinned if key in allowed]


@dataclass(frozen=True)
class SavedFilter:
    name: str
    params: dict
    url: str


def saved_filters(actor, *, url_name: str = "active-file") -> list[SavedFilter]:
    """The user's saved filters (name order), each with the URL that applies it."""
    base = reverse(url_name)
    filters = user_preference(actor).saved_filters or {}
    return [
        SavedFilter(name, params, f"{base}?{urlencode(params)}")
        for name, params in sorted(filters.items(), key=lambda item: item[0].lower())
        if isinstance(params, dict)
    ]


# ---------- Appointments ----------


def appointments_for_user(actor) -> QuerySet[Appointment]:
    """Appointments of the dossiers within reach, when the matrix lets the user read `rendez_vous`."""
    if active_membership(actor) is None or not can(actor, READ, APPOINTMENT_CLASS):
        return Appointment.objects.none()
    return Appointment.objects.filter(usager__in=usagers_for_user(actor).values("pk")).select_related("usager")


def access_appointment(actor, pk, *, action: str = READ, log_read: bool = True) -> Appointment:
    """The appointment, or NotFound whether it is missing or out of reach; logged as read unless the
    caller only reaches it to change it (`log_read=False`: the service logs the change)."""
    appointment = appointments_for_user(actor).filter(pk=valid_pk(pk)).first()
    if appointment is None or not can(actor, action, appointment):
        raise NotFound
    if log_read:
        audit.log_access(actor, AccessAction.READ, appointment)
    return appointment


def appointments_listed(actor, rows) -> list[Appointment]:
    """One page of an appointment list, as shown: each row logged as read."""
    rows = list(rows)
    audit.log_reads(actor, rows, detail="liste des rendez-vous")
    return rows


def can_read_appointments_of(actor, usager: Usager) -> bool:
    return can(actor, READ, Appointment(essms_id=usager.essms_id, usager_id=usager.pk))


def can_write_appointments_of(actor, usager: Usager) -> bool:
    return can(actor, "write", Appointment(essms_id=usager.essms_id, usager_id=usager.pk))


def usager_planning(actor, *, usager: Usager, now: datetime.datetime | None = None):
    """(upcoming, past 30 days) appointments of one person, cancelled ones included; one query.
    Every appointment shown is logged as read."""
    if not can_read_appointments_of(actor, usager):
        raise NotFound
    now = now or timezone.now()
    rows = list(
        appointments_for_user(actor)
        .filter(usager_id=usager.pk, starts_at__gte=now - datetime.timedelta(days=PAST_DAYS))
        .order_by("starts_at", "pk")
    )
    upcoming = [row for row in rows if (row.ends_at or row.starts_at) >= now]
    past = [row for row in reversed(rows) if (row.ends_at or row.starts_at) < now]
    audit.log_reads(actor, [*upcoming, *past], detail="planning de la personne")
    return upcoming, past


def day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The local day [00:00, next day 00:00) as aware datetimes."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))
    return start, end


def day_planning(actor, *, unit: Unit, day: datetime.date, include_cancelled: bool = True) -> list[Appointment]:
    """The day's appointments of the people placed in `unit` that day, each with `.room`; one query."""
    if unit.essms_id != getattr(active_membership(actor), "essms_id", None):
        raise NotFound
    start, end = day_bounds(day)
    placed = (
        Placement.objects.filter(essms_id=unit.essms_id, unit_id=unit.pk, usager_id=OuterRef("usager_id"))
        .filter(starts_on__lte=day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .order_by("-starts_on", "-pk")
    )
    qs = (
        appointments_for_user(actor)
        .filter(essms_id=unit.essms_id, starts_at__gte=start, starts_at__lt=end)
        .filter(Exists(placed))
        .annotate(room=Subquery(placed.values("room")[:1]))
        .order_by("starts_at", "usager__birth_name", "pk")
    )
    if not include_cancelled:
        qs = qs.filter(cancelled_at__isnull=True)
    return list(qs)


def day_page(actor, *, unit: Unit | None, day: datetime.date) -> list[Appointment]:
    """The day planning page's rows (none without a unit), logged as read."""
    rows = day_planning(actor, unit=unit, day=day) if unit else []
    audit.log_reads(actor, rows, detail=f"planning du {day:%d/%m/%Y}")
    return rows


def day_sheet(actor, *, unit: Unit, day: datetime.date) -> list[Appointment]:
    """The printable day sheet's rows (cancelled ones left out), logged as read."""
    rows = day_planning(actor, unit=unit, day=day, include_cancelled=False)
    audit.log_reads(actor, rows, detail=f"feuille du jour imprimée ({day:%d/%m/%Y})")
    return rows


# ---------- Recent documents (a home section) ----------

RECENT_DOCUMENT_DAYS = 14
RECENT_DOCUMENT_LIMIT = 50


def recent_documents(actor) -> list[Document]:
    """The latest documents filed in the active ESSMS's dossiers, only of the classes the métier may
    read; each logged as read. NotFound without an active ESSMS or the right to read identities."""
    from dui.selectors.documents import documents_for_user

    membership = active_membership(actor)
    if membership is None or not can(actor, READ, "identite"):
        raise NotFound
    since = timezone.now() - datetime.timedelta(days=RECENT_DOCUMENT_DAYS)
    documents = list(
        documents_for_user(actor)
        .filter(essms_id=membership.essms_id, created_at__gte=since)
        .order_by("-created_at", "-pk")[:RECENT_DOCUMENT_LIMIT]
    )
    audit.log_reads(actor, documents, detail="documents récents")
    return documents

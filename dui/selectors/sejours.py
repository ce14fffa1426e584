"""Reads of the séjour domain, already scoped to the acting user (active ESSMS, grants, matrix).

Presence is computed from the dated history (placements and absences), never from a status
flag, so the same functions answer for today and for any past day.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from dui import audit
from dui.catalogue import READ
from dui.errors import NotFound
from dui.models import Absence, CretonDecision, Placement, Sejour, SejourStatus, Unit, Usager
from dui.permissions import active_membership, can
from dui.selectors import usagers_for_user

CRETON_ALERT_DAYS = 60
CRETON_ALERTS_DETAIL = "alertes de renouvellement Creton"


def probe(model, usager: Usager):
    """An unsaved row of `model` on this dossier, for `can` to decide on the class and the ESSMS."""
    return model(essms_id=usager.essms_id, usager_id=usager.pk)


def _covering(day: datetime.date, prefix: str = "") -> Q:
    """Rows whose [starts_on, ends_on] (ends_on open when null) contains `day`."""
    return Q(**{f"{prefix}starts_on__lte": day}) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": day})
    )


def _with_history(queryset: QuerySet[Sejour]) -> QuerySet[Sejour]:
    return queryset.select_related("usager", "essms").prefetch_related(
        Prefetch("placements", queryset=Placement.objects.select_related("unit").order_by("starts_on", "id")),
        Prefetch("absences", queryset=Absence.objects.order_by("starts_on", "id")),
    )


def sejours_for_user(actor) -> QuerySet[Sejour]:
    """Séjours of every dossier the user may read (active ESSMS, plus granted dossiers), with history."""
    if not can(actor, READ, Sejour.document_class_code):
        return Sejour.objects.none()
    return _with_history(Sejour.objects.filter(usager__in=usagers_for_user(actor)))


def sejours_for_usager(actor, *, usager: Usager) -> QuerySet[Sejour]:
    """The séjour history of one dossier (newest first), placements and absences prefetched."""
    if not can(actor, READ, probe(Sejour, usager)):
        return Sejour.objects.none()
    return _with_history(Sejour.objects.filter(essms_id=usager.essms_id, usager=usager)).order_by(
        "-first_contact_on", "-id"
    )


def access_sejour(actor, *, usager: Usager, pk) -> Sejour:
    """One séjour of this dossier, or 404 (missing, of another dossier, or out of reach)."""
    sejour = sejours_for_usager(actor, usager=usager).filter(pk=pk).first()
    if sejour is None:
        raise NotFound
    return sejour


def open_sejour(sejours) -> Sejour | None:
    """The pré-admission or séjour en cours among already-fetched séjours."""
    return next((s for s in sejours if s.status in (SejourStatus.PRE_ADMISSION, SejourStatus.ACTIVE)), None)


def placement_on(placements, day: datetime.date) -> Placement | None:
    """Among already-fetched placements, the one covering `day`."""
    covering = [p for p in placements if p.starts_on <= day and (p.ends_on is None or p.ends_on >= day)]
    return max(covering, key=lambda p: (p.starts_on, p.pk), default=None)


def open_absence(sejour: Sejour) -> Absence | None:
    """The absence of a (prefetched) séjour that has no return date yet."""
    return next((a for a in sejour.absences.all() if a.ends_on is None), None)


def current_placement(actor, *, sejour: Sejour, on: datetime.date | None = None) -> Placement | None:
    """Where and how the person of this séjour is accompanied on `on` (today by default)."""
    if not can(actor, READ, sejour):
        return None
    day = on or timezone.localdate()
    return (
        Placement.objects.filter(sejour_id=sejour.pk, essms_id=sejour.essms_id)
        .filter(_covering(day))
        .select_related("unit")
        .order_by("-starts_on", "-id")
        .first()
    )


def units_for_sejour(actor, *, usager: Usager) -> QuerySet[Unit]:
    """The open units of the dossier's ESSMS: where a séjour of this person may be placed."""
    if not can(actor, READ, probe(Sejour, usager)):
        return Unit.objects.none()
    return Unit.objects.filter(essms_id=usager.essms_id, is_active=True).order_by("name")


@dataclass(frozen=True)
class PresenceEntry:
    usager: Usager
    placement: Placement
    absence: Absence | None

    @property
    def present(self) -> bool:
        return self.absence is None


PRESENCE_FIELDS = (
    "essms_id", "sejour_id", "usager_id", "unit_id", "room", "modality", "starts_on", "ends_on",
    "usager__essms_id", "usager__birth_name", "usager__used_name", "usager__first_names", "usager__used_first_name",
    "usager__photo", "usager__archived_at",
    # What the patient banner reads (dui.selectors.banner), so a worklist's banners need no extra query.
    "usager__birth_date", "usager__palliative_care", "usager__has_advance_directives", "usager__fall_risk",
    "usager__swallowing_disorder", "usager__isolation_bmr",
)  # fmt: skip


def presence_on(actor, *, day: datetime.date, unit: Unit | None = None) -> list[PresenceEntry]:
    """Who is accompanied by the active ESSMS on `day`, present or absent, from the dated history.

    Two queries whatever the number of persons: the placements covering the day, the absences
    covering the day. A person is read with what a list of persons shows (identity names, photo,
    archive date); the rest of the dossier is not loaded, a ward's lists open many times a shift.
    """
    membership = active_membership(actor)
    if membership is None or not can(actor, READ, Sejour.document_class_code):
        return []
    placements = (
        Placement.objects.filter(essms_id=membership.essms_id)
        .filter(_covering(day))
        .order_by("usager__birth_name", "usager__first_names", "usager_id", "-starts_on")
    )
    if unit is None:
        placements = list(placements.select_related("usager", "unit").only(*PRESENCE_FIELDS, "unit"))
    else:  # one unit: its instance is known, not read again for every row
        placements = list(placements.filter(unit_id=unit.pk).select_related("usager").only(*PRESENCE_FIELDS))
        for placement in placements:
            placement.unit = unit
    sejour_ids = {p.sejour_id for p in placements}
    absences = {}
    if sejour_ids:
        for absence in Absence.objects.filter(essms_id=membership.essms_id, sejour_id__in=sejour_ids).filter(
            _covering(day)
        ):
            absences.setdefault(absence.sejour_id, absence)
    entries, seen = [], set()
    for placement in placements:
        if placement.sejour_id in seen:
            continue
        seen.add(placement.sejour_id)
        entries.append(PresenceEntry(placement.usager, placement, absences.get(placement.sejour_id)))
    return entries


# --- Amendement Creton --------------------------------------------------------------------------


def creton_decisions_for_user(actor) -> QuerySet[CretonDecision]:
    if not can(actor, READ, CretonDecision.document_class_code):
        return CretonDecision.objects.none()
    return CretonDecision.objects.filter(usager__in=usagers_for_user(actor)).select_related("usager", "essms")


def creton_decisions_for_usager(actor, *, usager: Usager) -> QuerySet[CretonDecision]:
    if not can(actor, READ, probe(CretonDecision, usager)):
        return CretonDecision.objects.none()
    return CretonDecision.objects.filter(essms_id=usager.essms_id, usager=usager).order_by("-decided_on", "-id")


def creton_renewals_due(
    actor, *, within_days: int = CRETON_ALERT_DAYS, today: datetime.date | None = None
) -> QuerySet[CretonDecision]:
    """The yearly renewal alert: for each non-archived dossier of the active ESSMS, its latest
    Creton decision when it expires within `within_days` days or has already expired."""
    membership = active_membership(actor)
    if membership is None or not can(actor, READ, CretonDecision.document_class_code):
        return CretonDecision.objects.none()
    limit = (today or timezone.localdate()) + datetime.timedelta(days=within_days)
    newer = CretonDecision.objects.filter(usager_id=OuterRef("usager_id"), valid_until__gt=OuterRef("valid_until"))
    return (
        CretonDecision.objects.filter(
            essms_id=membership.essms_id, valid_until__lte=limit, usager__archived_at__isnull=True
        )
        .exclude(Exists(newer))
        .select_related("usager")
        .order_by("valid_until", "usager__birth_name")
    )


# --- Timeline -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEvent:
    day: datetime.date
    kind: str  # pre_admission, admission, placement, absence, sortie, abandon
    title: str
    detail: str = ""


def _placement_text(placement: Placement) -> str:
    parts = [placement.unit.name, placement.get_modality_display()]
    if placement.room:
        parts.insert(1, f"chambre {placement.room}")
    return ", ".join(parts)


def sejour_timeline(sejour: Sejour) -> list[TimelineEvent]:
    """The dated events of one (prefetched) séjour, oldest first: no query."""
    events = [TimelineEvent(sejour.first_contact_on, "pre_admission", "Premier contact — pré-admission")]
    if sejour.admitted_on:
        signed = f"Contrat de séjour signé le {sejour.contract_signed_on:%d/%m/%Y}" if sejour.contract_signed_on else ""
        events.append(TimelineEvent(sejour.admitted_on, "admission", "Admission", signed))
    previous = None
    for placement in sejour.placements.all():
        period = f"du {placement.starts_on:%d/%m/%Y}" + (
            f" au {placement.ends_on:%d/%m/%Y}" if placement.ends_on else " (en cours)"
        )
        title = "Affectation" if previous is None else "Changement d'affectation"
        events.append(
            TimelineEvent(placement.starts_on, "placement", title, f"{_placement_text(placement)} — {period}")
        )
        previous = placement
    for absence in sejour.absences.all():
        period = f"du {absence.starts_on:%d/%m/%Y}" + (
            f" au {absence.ends_on:%d/%m/%Y}" if absence.ends_on else ", retour non saisi"
        )
        detail = f"{period}{' — ' + absence.comment if absence.comment else ''}"
        events.append(TimelineEvent(absence.starts_on, "absence", f"Absence : {absence.get_kind_display()}", detail))
    if sejour.ended_on:
        destination = f" — destination : {sejour.exit_destination}" if sejour.exit_destination else ""
        if sejour.status == SejourStatus.CANCELLED:
            title = "Pré-admission abandonnée"
        else:
            title = "Sortie"
        reason = sejour.get_exit_reason_display() if sejour.exit_reason else ""
        events.append(TimelineEvent(sejour.ended_on, "sortie", title, f"{reason}{destination}"))
    rank = {"pre_admission": 0, "admission": 1, "placement": 2, "absence": 3, "sortie": 4}
    return sorted(events, key=lambda e: (e.day, rank[e.kind]))


def sejours_page(actor, *, usager: Usager, with_creton: bool) -> tuple[list[Sejour], list[CretonDecision]]:
    """The séjour history of one dossier (and its Creton decisions when the page shows them), logged as read.

    With nothing to show, the dossier itself is logged: the page was opened.
    """
    sejours = list(sejours_for_usager(actor, usager=usager))
    decisions = list(creton_decisions_for_usager(actor, usager=usager)) if with_creton else []
    audit.log_reads(actor, [*sejours, *decisions] or [usager], detail="historique des séjours")
    return sejours, decisions


def creton_alerts_page(actor) -> list[CretonDecision]:
    """The Creton renewals due, logged as read."""
    decisions = list(creton_renewals_due(actor))
    audit.log_reads(actor, decisions, detail=CRETON_ALERTS_DETAIL)
    return decisions

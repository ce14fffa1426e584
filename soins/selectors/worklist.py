"""The worklist of one unit for one shift, and the late and missed items for the cadre.

`worklist_for_unit(actor, unit, shift)` is what the tablet page renders (and what the API and the
benchmark read): the persons placed in the unit on the shift's date, each with the occurrences of
the shift (care, medication doses, evaluation follow-ups), validated or not, late or missed.
A fixed number of queries whatever the number of persons: placements and absences of the day,
the occurrences of the shift with their validating user, plan item and prescription line.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from dui import audit
from dui.actor import user_of
from dui.catalogue import READ, VALIDATE, WRITE
from dui.errors import NotFound, valid_pk
from dui.models import AccessAction, Metier, Placement, Unit, Usager
from dui.permissions import active_membership, can
from dui.selectors import access_unit, units_for_user
from dui.selectors.active_file import initials
from dui.selectors.banner import Banner, banners_for
from dui.selectors.sejours import presence_on
from dui.shifts import SHIFT_TIMEZONE, Shift, shift_at
from soins.models import CareOccurrence, OccurrenceStatus, Route, Timing, ValidationCorrection
from soins.models.care import ASSISTED_CLASS
from soins.selectors.windows import policy_for, window_of

MEDICATION_CLASS = "administration_medicaments"
CARE_CLASS = "plan_soins"
METIER_LABELS = dict(Metier.choices)
MAX_LATE_PERIOD = datetime.timedelta(days=31)


def unit_choice(actor, raw_pk: str) -> tuple[Unit | None, list[Unit]]:
    """(unit shown, units offered) read at once: the unit asked for (404 if not of the active ESSMS),
    else the first open one; the picker offers the open units, and the one shown if it is closed."""
    units = list(units_for_user(actor).order_by("name", "pk"))
    if raw_pk:
        pk = valid_pk(raw_pk)
        unit = next((u for u in units if u.pk == pk), None)
        if unit is None:
            raise NotFound
    else:
        unit = next((u for u in units if u.is_active), None)
    return unit, [u for u in units if u.is_active or u == unit]


def default_unit(actor) -> Unit | None:
    return units_for_user(actor).filter(is_active=True).order_by("name").first()


def may_read_worklist(actor) -> bool:
    return active_membership(actor) is not None and (can(actor, READ, CARE_CLASS) or can(actor, READ, MEDICATION_CLASS))


def _readable(actor) -> Q | None:
    """Which occurrences the actor may read: care rows, medication rows, or both; None for neither."""
    care, medication = can(actor, READ, CARE_CLASS), can(actor, READ, MEDICATION_CLASS)
    if care and medication:
        return Q()
    if care:
        return Q(prescription__isnull=True)
    if medication:
        return Q(prescription__isnull=False)
    return None


def occurrences_for_user(user) -> QuerySet[CareOccurrence]:
    """Occurrences of the active ESSMS the user may read."""
    membership = active_membership(user)
    readable = _readable(user) if membership else None
    if readable is None:
        return CareOccurrence.objects.none()
    return CareOccurrence.objects.filter(readable, essms_id=membership.essms_id)


def access_occurrence(actor, pk) -> CareOccurrence:
    """One occurrence of the active ESSMS the actor may read, or NotFound."""
    occurrence = occurrences_for_user(actor).filter(pk=valid_pk(pk)).select_related("usager", "prescription").first()
    if occurrence is None:
        raise NotFound
    return occurrence


@dataclass(slots=True)
class OccurrenceRow:
    """What the worklist shows of an occurrence, read as plain values: a shift of a 40-person unit
    holds hundreds of them, and model instances cost more than the rest of the page (a frozen
    dataclass too: six times slower to build)."""

    pk: int
    usager_id: int
    label: str
    metier: str
    due_at: datetime.datetime
    due_before: datetime.datetime
    status: str
    comment: str
    performed_at: datetime.datetime | None
    plan_item_id: int | None
    prescription_id: int | None
    evaluation_id: int | None
    instructions: str
    validated_by_name: str
    validated_by_id: int | None = None
    recorded_at: datetime.datetime | None = None
    aide_a_la_prise: bool = False
    timing: str = ""
    timing_reason: str = ""
    was_corrected: bool = False
    as_needed: bool = False

    def get_status_display(self) -> str:
        return OccurrenceStatus(self.status).label


# The timestamps are read as text (see _moment): "due_at_text", "due_before_text", "performed_at_text"…
TEXT_MOMENTS = {
    f"{name}_text": Cast(name, output_field=CharField())
    for name in ("due_at", "due_before", "performed_at", "recorded_at")
}
ROW_FIELDS = (
    "pk", "usager_id", "label", "metier", "due_at_text", "due_before_text", "status", "comment", "performed_at_text",
    "plan_item_id", "prescription_id", "evaluation_id", "plan_item__instructions",
    "validated_by__first_name", "validated_by__last_name", "validated_by__username",
    "prescription__drug", "prescription__dispensed_as", "prescription__dose", "prescription__route",
    "prescription__instructions", "validated_by_id", "recorded_at_text", "prescription__aide_a_la_prise", "timing",
    "timing_reason", "was_corrected", "prescription__as_needed",
)  # fmt: skip
ROUTE_LABELS = dict(Route.choices)


def _moment(text: str | None) -> datetime.datetime | None:
    """A timestamp read as text and parsed by the standard library: the driver's time-zone-aware
    loader took ~18 µs a value, most of a shift's worklist (hundreds of rows); this takes ~1 µs.
    PostgreSQL answers in UTC with its offset ("2026-11-24 06:00:00+00"), SQLite stores naive UTC."""
    if text is None:
        return None
    moment = datetime.datetime.fromisoformat(text)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=datetime.UTC)


def _row(values: tuple) -> OccurrenceRow:
    (pk, usager_id, label, metier, due_at, due_before, status, comment, performed_at, plan_item_id, prescription_id,
     evaluation_id, plan_instructions, first_name, last_name, username, drug, dispensed_as, dose, route,
     line_instructions, validated_by_id, recorded_at, aide_a_la_prise, timing, timing_reason,
     was_corrected, as_needed) = values  # fmt: skip
    if prescription_id is not None:
        drug = f"{drug} (délivré : {dispensed_as})" if dispensed_as else drug
        parts = (drug, dose, ROUTE_LABELS.get(route, "") if route else "", line_instructions)
        instructions = " — ".join(part for part in parts if part)
    else:
        instructions = plan_instructions or ""
    name = f"{first_name} {last_name}".strip() or username or ""
    return OccurrenceRow(
        pk, usager_id, label, metier, _moment(due_at), _moment(due_before), status, comment, _moment(performed_at),
        plan_item_id, prescription_id, evaluation_id, instructions, name, validated_by_id, _moment(recorded_at),
        bool(aide_a_la_prise), timing or "", timing_reason or "", bool(was_corrected), bool(as_needed),
    )  # fmt: skip


@dataclass(slots=True)
class WorkItem:
    occurrence: OccurrenceRow
    late: bool
    missed: bool
    can_validate: bool
    can_correct: bool = False
    outside_window: bool = False
    corrections: list[str] = field(default_factory=list)

    @property
    def pk(self) -> int:
        return self.occurrence.pk

    @property
    def metier_label(self) -> str:
        return METIER_LABELS.get(self.occurrence.metier, self.occurrence.metier)

    @property
    def due_label(self) -> str:
        """Local "HH:MM" for a timed item, "Poste" for one to do during the shift."""
        return f"{self.occurrence.due_at.astimezone(SHIFT_TIMEZONE):%H:%M}" if self.timed else "Poste"

    @property
    def due_iso(self) -> str:
        return self.occurrence.due_at.isoformat()

    @property
    def result_text(self) -> str:
        """Who validated, when, with the comment: "Refusé — Inès Durand, 08:12 : fatiguée"."""
        occurrence = self.occurrence
        if occurrence.status == OccurrenceStatus.PENDING:
            return ""
        when = f", {occurrence.performed_at.astimezone(SHIFT_TIMEZONE):%H:%M}" if occurrence.performed_at else ""
        text = f"{occurrence.get_status_display()} — {occurrence.validated_by_name}{when}"
        text = f"{text} : {occurrence.comment}" if occurrence.comment else text
        if occurrence.timing in (Timing.EARLY, Timing.LATE):
            text += f" ({Timing(occurrence.timing).label.lower()} : {occurrence.timing_reason})"
        return text

    @property
    def kind(self) -> str:
        occurrence = self.occurrence
        if occurrence.prescription_id is not None:
            return "medicament"
        if occurrence.evaluation_id is not None:
            return "suivi"
        return "soin"

    @property
    def timed(self) -> bool:
        """Due at a given time (one hour to do it), rather than some time during the shift."""
        return self.occurrence.due_before - self.occurrence.due_at <= datetime.timedelta(hours=1)

    @property
    def instructions(self) -> str:
        return self.occurrence.instructions

    @property
    def state(self) -> str:
        if self.occurrence.status != OccurrenceStatus.PENDING:
            return self.occurrence.status
        if self.missed:
            return "missed"
        return "late" if self.late else "pending"


@dataclass
class PersonWorklist:
    usager: Usager
    room: str
    initials: str
    photo_url: str
    items: list[WorkItem] = field(default_factory=list)
    banner: Banner | None = None

    @property
    def pending_count(self) -> int:
        return sum(1 for item in self.items if item.occurrence.status == OccurrenceStatus.PENDING)

    @property
    def late_count(self) -> int:
        return sum(1 for item in self.items if item.late or item.missed)


@dataclass
class Worklist:
    unit: Unit
    shift: Shift
    now: datetime.datetime
    persons: list[PersonWorklist]
    absents: list[Usager]

    @property
    def occurrences(self) -> list[OccurrenceRow]:
        return [item.occurrence for person in self.persons for item in person.items]

    @property
    def total(self) -> int:
        return sum(len(person.items) for person in self.persons)

    @property
    def done_count(self) -> int:
        return sum(1 for o in self.occurrences if o.status != OccurrenceStatus.PENDING)

    @property
    def late_count(self) -> int:
        return sum(person.late_count for person in self.persons)

    @property
    def is_over(self) -> bool:
        return self.now >= self.shift.end


def _sort_key(person: PersonWorklist):
    room = person.room
    return (room == "", len(room), room, person.usager.birth_name, person.usager.pk)


def _class_of(occurrence: OccurrenceRow) -> str:
    if occurrence.prescription_id is None:
        return CARE_CLASS
    return ASSISTED_CLASS if occurrence.aide_a_la_prise else MEDICATION_CLASS


def _correction_deadlines(shift: Shift):
    """A validation may be corrected until the end of the shift it was recorded in (most: this one)."""
    ends: dict[datetime.datetime, datetime.datetime] = {}

    def deadline(occurrence: OccurrenceRow) -> datetime.datetime:
        if shift.contains(occurrence.recorded_at):
            return shift.end
        key = occurrence.recorded_at
        if key not in ends:
            ends[key] = shift_at(key).end
        return ends[key]

    return deadline


def worklist_for_unit(actor, unit: Unit, shift: Shift, *, now: datetime.datetime | None = None) -> Worklist:
    """The shift's worklist of the unit, grouped by person (by room), late and missed items flagged."""
    now = now or timezone.now()
    user = user_of(actor)
    membership = active_membership(user)
    if membership is None or unit.essms_id != membership.essms_id or not may_read_worklist(user):
        raise NotFound
    entries = presence_on(user, day=shift.date, unit=unit)
    show_photo = can(user, READ, "photo")
    persons: dict[int, PersonWorklist] = {}
    absents = []
    for entry in entries:
        if not entry.present:
            absents.append(entry.usager)
            continue
        usager = entry.usager
        persons[usager.pk] = PersonWorklist(
            usager=usager,
            room=entry.placement.room,
            initials=initials(usager),
            photo_url=usager.photo.url if show_photo and usager.photo else "",
        )
    rooms = {pk: (person.room, unit.name) for pk, person in persons.items()}
    banners = banners_for(user, usagers=[p.usager for p in persons.values()], on_date=shift.date, rooms=rooms)
    for usager_id, banner in banners.items():
        persons[usager_id].banner = banner
    if persons:
        # The rights are the same for every row of a class: decided once, not per item.
        classes = (CARE_CLASS, MEDICATION_CLASS, ASSISTED_CLASS)
        may_write = {code: can(user, WRITE, code) for code in classes}
        may_validate = {code: can(user, VALIDATE, code) for code in classes}
        deadline_of = _correction_deadlines(shift)
        policy = policy_for(membership.essms_id)
        rows = (
            occurrences_for_user(user)
            .filter(usager_id__in=list(persons), due_at__gte=shift.start, due_at__lt=shift.end)
            .order_by("due_at", "label", "id")
            .annotate(
                **TEXT_MOMENTS, was_corrected=Exists(ValidationCorrection.objects.filter(occurrence=OuterRef("pk")))
            )
            .values_list(*ROW_FIELDS)
        )
        shift_over = now >= shift.end
        # A row's window depends on its kind and due times only, and a shift's rows share a few of them.
        outside_by_key: dict[tuple, bool] = {}
        for occurrence in map(_row, rows):
            pending = occurrence.status == OccurrenceStatus.PENDING
            code = _class_of(occurrence)
            outside = False
            if pending:
                key = (code, occurrence.plan_item_id is None, occurrence.evaluation_id is None,
                       occurrence.due_at, occurrence.due_before)  # fmt: skip
                outside = outside_by_key.get(key)
                if outside is None:
                    window = window_of(occurrence, policy, shift=shift)
                    outside = outside_by_key[key] = window.timing(now) != Timing.ON_TIME
            correctable = (
                not pending
                and not occurrence.as_needed
                and occurrence.recorded_at is not None
                and now < deadline_of(occurrence)
            )
            persons[occurrence.usager_id].items.append(
                WorkItem(
                    occurrence=occurrence,
                    late=pending and now > occurrence.due_before,
                    missed=pending and shift_over,
                    # A follow-up (re-evaluation within the hour) may fall in the next shift: never refused as early.
                    can_validate=pending
                    and may_write[code]
                    and (now >= shift.start or occurrence.evaluation_id is not None),
                    can_correct=correctable
                    and (may_validate[code] or (occurrence.validated_by_id == user.pk and may_write[code])),
                    outside_window=outside,
                )
            )
        _attach_corrections([item for person in persons.values() for item in person.items])
    return Worklist(unit=unit, shift=shift, now=now, persons=sorted(persons.values(), key=_sort_key), absents=absents)


def _name(first: str, last: str, username: str) -> str:
    return f"{first} {last}".strip() or username or ""


def correction_text(status, validated_by, performed_at, corrected_by, corrected_at, reason) -> str:
    """ "Annulé : Fait — Inès Durand, 14:05 (par Inès Durand à 14:10 : mauvaise résidente)"."""
    when = f"{performed_at.astimezone(SHIFT_TIMEZONE):%H:%M}" if performed_at else ""
    at = f"{corrected_at.astimezone(SHIFT_TIMEZONE):%H:%M}"
    label = OccurrenceStatus(status).label
    return f"Annulé : {label} — {validated_by}, {when} (par {corrected_by} à {at} : {reason})"


def _attach_corrections(items: list[WorkItem]) -> None:
    """The cancelled validations of the shown items, oldest first: one query, only when there are any."""
    by_pk = {item.pk: item for item in items if item.occurrence.was_corrected}
    if not by_pk:
        return
    rows = (
        ValidationCorrection.objects.filter(occurrence_id__in=list(by_pk))
        .order_by("corrected_at", "id")
        .values_list(
            "occurrence_id", "status", "performed_at", "corrected_at", "reason",
            "validated_by__first_name", "validated_by__last_name", "validated_by__username",
            "corrected_by__first_name", "corrected_by__last_name", "corrected_by__username",
        )
    )  # fmt: skip
    for pk, status, performed_at, corrected_at, reason, vf, vl, vu, cf, cl, cu in rows:
        by_pk[pk].corrections.append(
            correction_text(status, _name(vf, vl, vu), performed_at, _name(cf, cl, cu), corrected_at, reason)
        )


@dataclass(frozen=True)
class ValidationPage:
    occurrence: CareOccurrence
    unit: Unit
    can_validate: bool
    outside_window: bool


def validation_page(actor, pk, *, raw_unit, now: datetime.datetime | None = None) -> ValidationPage:
    """One item and its validation form, for a browser without JavaScript (the worklist's script
    builds the same form in place). The rules are the validation's own: the form only says whether
    the métier may validate the item and opens the reason field when the item is outside its window."""
    now = now or timezone.now()
    occurrence = access_occurrence(actor, pk)
    unit = unit_for_validation(actor, raw_unit=raw_unit, occurrence=occurrence)
    can_validate = occurrence.status == OccurrenceStatus.PENDING and can(actor, WRITE, occurrence.document_class_code)
    outside = can_validate and window_of(occurrence, policy_for(occurrence.essms_id)).timing(now) != Timing.ON_TIME
    audit.log_access(actor, AccessAction.READ, occurrence, detail="validation d'un soin (page sans script)")
    return ValidationPage(occurrence=occurrence, unit=unit, can_validate=can_validate, outside_window=outside)


# --- Late and missed, for the cadre -------------------------------------------------------------


def may_follow_late(actor) -> bool:
    return active_membership(actor) is not None and can(actor, VALIDATE, CARE_CLASS)


@dataclass(frozen=True)
class LateItem:
    occurrence: CareOccurrence
    missed: bool

    @property
    def metier_label(self) -> str:
        return METIER_LABELS.get(self.occurrence.metier, self.occurrence.metier)


def late_items(
    actor, *, unit: Unit, start: datetime.datetime, end: datetime.datetime, now: datetime.datetime | None = None
) -> list[LateItem]:
    """Occurrences due in [start, end) of persons placed in the unit then, still pending after their deadline.

    Missed: the shift it belonged to is over. Oldest first, capped at 1000 rows; each logged as read.
    """
    now = now or timezone.now()
    membership = active_membership(actor)
    if membership is None or unit.essms_id != membership.essms_id or not may_follow_late(actor):
        raise NotFound
    if end - start > MAX_LATE_PERIOD:
        start = end - MAX_LATE_PERIOD
    placed = Placement.objects.filter(
        essms_id=membership.essms_id, unit_id=unit.pk, starts_on__lte=timezone.localdate(end)
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=timezone.localdate(start)))
    rows = (
        occurrences_for_user(actor)
        .filter(
            status=OccurrenceStatus.PENDING,
            due_at__gte=start,
            due_at__lt=end,
            due_before__lt=now,
            usager_id__in=placed.values("usager_id"),
        )
        .select_related("usager", "prescription")
        .order_by("due_at", "id")[:1000]
    )
    items = [LateItem(occurrence=o, missed=shift_at(o.due_at).end <= now) for o in rows]
    audit.log_reads(actor, [item.occurrence for item in items], detail="soins en retard")
    return items


def unit_for_validation(actor, *, raw_unit, occurrence: CareOccurrence) -> Unit:
    """The worklist's unit when given (NotFound if out of reach); else where the person was placed that day."""
    if raw_unit not in (None, ""):
        return access_unit(actor, pk=raw_unit)
    day = shift_at(occurrence.due_at).date
    placement = (
        Placement.objects.filter(essms_id=occurrence.essms_id, usager_id=occurrence.usager_id, starts_on__lte=day)
        .exclude(ends_on__lt=day)
        .select_related("unit")
        .order_by("-starts_on", "-id")
        .first()
    )
    if placement is None:
        raise ValidationError("Cette personne n'est placée dans aucune unité ce jour-là.")
    return placement.unit


def validation_payload(occurrence: CareOccurrence, *, replay: bool) -> dict:
    """What the validation endpoints answer: the recorded state, who, when; `replay` for a key already received."""
    who = occurrence.validated_by
    performed = occurrence.performed_at
    return {
        "id": occurrence.pk,
        "status": occurrence.status,
        "status_label": occurrence.get_status_display(),
        "comment": occurrence.comment,
        "validated_by": (who.get_full_name() or who.username) if who else "",
        "performed_at": performed.isoformat() if performed else None,
        "performed_at_label": f"{timezone.localtime(performed):%H:%M}" if performed else "",
        "recorded_at": occurrence.recorded_at.isoformat() if occurrence.recorded_at else None,
        "timing": occurrence.timing,
        "timing_reason": occurrence.timing_reason,
        "replay": replay,
    }

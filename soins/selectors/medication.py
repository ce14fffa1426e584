"""Reads of the medication area: prescription lines (scoped to the active ESSMS and the matrix) and the
day chart of a person (plan d'administration), in a fixed number of queries."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from dui import audit
from dui.catalogue import READ
from dui.errors import NotFound, valid_pk
from dui.models import AccessAction, Drug, Usager
from dui.permissions import active_membership, can
from dui.selectors.medical import can_section
from dui.shifts import SHIFT_TIMEZONE
from soins.models import (
    CareOccurrence,
    OccurrenceStatus,
    PharmacistIntervention,
    PrescriptionKind,
    PrescriptionLine,
    ValidationCorrection,
)
from soins.selectors.drug_safety import with_allergy_matches
from soins.services.doses import local_day_bounds

PRESCRIPTIONS = "prescriptions"
ADMINISTRATIONS = "administration_medicaments"


def _with_details(qs: QuerySet[PrescriptionLine]) -> QuerySet[PrescriptionLine]:
    return qs.select_related(
        "created_by", "validated_by", "stopped_by", "drug_ref", "allergy_override_by"
    ).prefetch_related(Prefetch("interventions", queryset=PharmacistIntervention.objects.select_related("created_by")))


def lines_for_user(actor) -> QuerySet[PrescriptionLine]:
    """Lines of the active ESSMS, when the métier may read prescriptions."""
    membership = active_membership(actor)
    if membership is None or not can(actor, READ, PRESCRIPTIONS):
        return PrescriptionLine.objects.none()
    return _with_details(PrescriptionLine.objects.filter(essms_id=membership.essms_id).select_related("usager"))


def access_line(actor, pk) -> PrescriptionLine:
    """One line of the active ESSMS, or NotFound (missing, another ESSMS's, or not readable)."""
    line = lines_for_user(actor).filter(pk=valid_pk(pk)).first()
    if line is None:
        raise NotFound
    return line


def line_detail(actor, pk) -> PrescriptionLine:
    """One line, as shown alone (API): its read is logged."""
    line = access_line(actor, pk)
    audit.log_access(actor, AccessAction.READ, line)
    return line


def lines_page(actor, lines) -> list[PrescriptionLine]:
    """A page of lines as a list shows them: their allergy matches set, their reads logged."""
    lines = list(lines)
    for usager_id in {line.usager_id for line in lines}:
        with_allergy_matches(usager_id, [line for line in lines if line.usager_id == usager_id])
    audit.log_reads(actor, lines, detail="lignes de prescription")
    return lines


def drug_named(name: str) -> Drug | None:
    """The referential speciality with exactly this name (case ignored), when there is only one."""
    found = list(Drug.objects.filter(name__iexact=(name or "").strip())[:2])
    return found[0] if len(found) == 1 else None


def can_read_prescriptions(user, usager: Usager) -> bool:
    return can_section(user, READ, usager, PRESCRIPTIONS)


def can_read_chart(user, usager: Usager) -> bool:
    return can_section(user, READ, usager, ADMINISTRATIONS)


def is_current(line: PrescriptionLine, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return line.stopped_at is None and (line.ends_on is None or line.ends_on >= today)


@dataclass
class UsagerLines:
    current: list[PrescriptionLine]
    history: list[PrescriptionLine]


def lines_of_usager(actor, usager: Usager) -> UsagerLines:
    """Current lines (to validate first, then by start) and history (stopped or ended), their reads logged;
    NotFound without the right."""
    if not can_read_prescriptions(actor, usager):
        raise NotFound
    lines = with_allergy_matches(
        usager.pk, _with_details(PrescriptionLine.objects.filter(essms_id=usager.essms_id, usager_id=usager.pk))
    )
    today = timezone.localdate()
    current = [line for line in lines if is_current(line, today)]
    current.sort(key=lambda line: (line.validated_at is not None, line.kind, line.as_needed, line.drug.lower()))
    history = [line for line in lines if not is_current(line, today)]
    history.sort(key=lambda line: line.stopped_at or timezone.now(), reverse=True)
    audit.log_reads(actor, [*current, *history], detail="prescriptions")
    return UsagerLines(current=current, history=history)


# --- Day chart

FIRST_DAY = datetime.date(1900, 1, 1)
LAST_DAY = datetime.date(2999, 12, 31)


def parse_day(raw: str | None) -> datetime.date:
    """A day from ?date= (today when empty); a French ValidationError when malformed or out of range."""
    raw = (raw or "").strip()
    if not raw:
        return timezone.localdate()
    try:
        day = datetime.date.fromisoformat(raw)
    except ValueError:
        raise ValidationError({"date": "Date invalide : format AAAA-MM-JJ attendu."}) from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValidationError({"date": "Date hors limites (1900 à 2999)."})
    return day


STATE_LABELS = {
    "done": "Donné",
    "refused": "Refusé",
    "not_done": "Non donné",
    "pending": "À donner",
    "late": "En retard",
    "planned": "Prévu",
    "unvalidated": "Ligne non validée",
    "stopped": "Ligne arrêtée",
    "none": "Pas de prise prévue dans la liste",
}


@dataclass
class ChartCell:
    time: str
    due_at: datetime.datetime | None
    state: str
    occurrence: CareOccurrence | None = None

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def who(self) -> str:
        user = self.occurrence.validated_by if self.occurrence else None
        return (user.get_full_name() or user.username) if user else ""

    @property
    def when(self) -> datetime.datetime | None:
        return (
            timezone.localtime(self.occurrence.performed_at)
            if self.occurrence and self.occurrence.performed_at
            else None
        )


@dataclass
class ChartRow:
    line: PrescriptionLine
    cells: list[ChartCell] = field(default_factory=list)
    as_needed: list[ChartCell] = field(default_factory=list)
    scheduled_today: bool = True

    @property
    def given_count(self) -> int:
        return sum(1 for cell in self.as_needed if cell.state == "done")

    @property
    def max_reached(self) -> bool:
        return self.line.max_per_day is not None and self.given_count >= self.line.max_per_day


@dataclass
class DayChart:
    usager: Usager
    day: datetime.date
    rows: list[ChartRow]

    @property
    def previous_day(self) -> datetime.date:
        return self.day - datetime.timedelta(days=1)

    @property
    def next_day(self) -> datetime.date:
        return self.day + datetime.timedelta(days=1)

    @property
    def scheduled(self) -> list[ChartRow]:
        return [row for row in self.rows if not row.line.as_needed]

    @property
    def as_needed(self) -> list[ChartRow]:
        return [row for row in self.rows if row.line.as_needed]

    @property
    def occurrences(self) -> list[CareOccurrence]:
        cells = [cell for row in self.rows for cell in (*row.cells, *row.as_needed)]
        return [cell.occurrence for cell in cells if cell.occurrence is not None]


def _state(occurrence: CareOccurrence | None, line: PrescriptionLine, due_at: datetime.datetime, now) -> str:
    if occurrence is not None:
        if occurrence.status != OccurrenceStatus.PENDING:
            return occurrence.status
        return "late" if occurrence.due_before < now else "pending"
    if line.stopped_at is not None and line.stopped_at <= due_at:
        return "stopped"
    if line.validated_at is None:
        return "unvalidated"
    return "planned" if due_at > now else "none"


def day_chart(actor, usager: Usager, day: datetime.date) -> DayChart:
    """Each medication line active that day, with a cell per scheduled time and the "si besoin" doses.

    Four queries whatever the number of lines and doses: lines (with their authors), their
    pharmacist interventions, the day's administrations (with who validated them) and their
    cancelled validations. The reads of the lines and doses shown are logged.
    """
    if not can_read_chart(actor, usager):
        raise NotFound
    start, end = local_day_bounds(day)
    lines = list(
        _with_details(
            PrescriptionLine.objects.filter(
                Q(ends_on__isnull=True) | Q(ends_on__gte=day),
                Q(stopped_at__isnull=True) | Q(stopped_at__gte=start),
                essms_id=usager.essms_id,
                usager_id=usager.pk,
                kind=PrescriptionKind.MEDICAMENT,
                starts_on__lte=day,
            )
        ).order_by("as_needed", "drug", "pk")
    )
    with_allergy_matches(usager.pk, lines)
    occurrences: dict[int, list[CareOccurrence]] = {line.pk: [] for line in lines}
    if lines:
        for occurrence in (
            CareOccurrence.objects.filter(
                essms_id=usager.essms_id,
                usager_id=usager.pk,
                prescription_id__in=list(occurrences),
                due_at__gte=start,
                due_at__lt=end,
            )
            .select_related("validated_by")
            .prefetch_related(
                Prefetch(
                    "corrections",
                    queryset=ValidationCorrection.objects.select_related("validated_by", "corrected_by"),
                )
            )
            .order_by("due_at", "pk")
        ):
            occurrences[occurrence.prescription_id].append(occurrence)
    now = timezone.now()
    weekday = str(day.isoweekday())
    rows = []
    for line in lines:
        row = ChartRow(line=line, scheduled_today=weekday in line.weekdays)
        found = occurrences[line.pk]
        for occurrence in found:
            occurrence.prescription = line  # their class (aide à la prise or not) is read without a query
        if line.as_needed:
            row.as_needed = [
                ChartCell(
                    time=f"{timezone.localtime(o.due_at, SHIFT_TIMEZONE):%H:%M}",
                    due_at=o.due_at,
                    state=o.status,
                    occurrence=o,
                )
                for o in found
            ]
        else:
            by_time = {f"{timezone.localtime(o.due_at, SHIFT_TIMEZONE):%H:%M}": o for o in found}
            times = sorted(set(line.times if row.scheduled_today else []) | set(by_time))
            for hhmm in times:
                occurrence = by_time.get(hhmm)
                if occurrence is not None:
                    due_at = occurrence.due_at
                else:
                    hour, minute = (int(part) for part in hhmm.split(":"))
                    wall = datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=SHIFT_TIMEZONE)
                    due_at = wall.astimezone(datetime.UTC)
                row.cells.append(ChartCell(hhmm, due_at, _state(occurrence, line, due_at, now), occurrence))
        rows.append(row)
    chart = DayChart(usager=usager, day=day, rows=rows)
    audit.log_reads(
        actor, [row.line for row in chart.rows] + chart.occurrences, detail=f"plan d'administration du {day:%d/%m/%Y}"
    )
    return chart

"""Administrations: the doses a validated line produces in the worklist (labels, schedule, generation)
and the "si besoin" doses recorded by whom the matrix lets give them (prise_si_besoin)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from dui import audit
from dui.actor import Actor, user_of
from dui.catalogue import WRITE
from dui.models import AccessAction, Channel, Essms, Metier
from dui.services.common import refuse_archived
from dui.shifts import SHIFT_TIMEZONE
from soins.models import CareOccurrence, OccurrenceStatus, PrescriptionKind, PrescriptionLine
from soins.services import drug_checks
from soins.services.prescription_rules import (
    AS_NEEDED_ACT,
    NOT_AN_AS_NEEDED_GIVER,
    check_act,
    clean_text,
    locked_line,
    membership_of,
)
from soins.services.worklist import CLOCK_TOLERANCE, MAX_LATE_RECORDING, parse_key

# The métier a generated dose is assigned to in the worklist (not a right).
ADMINISTRATION_METIER = Metier.IDE
ADMINISTRATION_WINDOW = datetime.timedelta(hours=1)  # late after due_at + 1 h
GENERATION_HORIZON = datetime.timedelta(hours=48)


def pending_dose_labels_refresh(usager) -> int:
    """An allergy recorded or ended after the doses were generated: the doses still to give show the
    allergy marker as it is now (dui.providers allergy listener). Returns how many labels changed."""
    pending = CareOccurrence.objects.filter(
        usager_id=usager.pk, prescription__isnull=False, status=OccurrenceStatus.PENDING
    ).select_related("prescription")
    occurrences = list(pending)
    lines = {occurrence.prescription_id: occurrence.prescription for occurrence in occurrences}
    markers = drug_checks.allergy_markers(lines.values())
    changed = []
    for occurrence in occurrences:
        label = administration_label(occurrence.prescription, markers.get(occurrence.prescription_id, ""))
        if occurrence.prescription.as_needed:
            label = f"{label} (si besoin)"[:200]
        if occurrence.label != label:
            occurrence.label = label
            changed.append(occurrence)
    CareOccurrence.objects.bulk_update(changed, ["label"])
    return len(changed)


UNVERIFIABLE = "hors référentiel : non vérifiable"


def administration_label(line: PrescriptionLine, allergy: str | None = None) -> str:
    """The dose's label in the worklist; `allergy` is the marker of a matching allergy (see allergy_markers)."""
    route = line.get_route_display() if line.route else ""
    route = route[:1].lower() + route[1:]
    label = " ".join(part for part in (line.drug, line.dose) if part)
    if line.dispensed_as:
        label = f"{label} (délivré sous {line.dispensed_as})"
    label = f"{label} — {route}" if route else label
    if allergy is None:
        allergy = drug_checks.allergy_markers([line]).get(line.pk, "")
    # The markers stay visible even when a long name is cut.
    suffix = (f" [{UNVERIFIABLE}]" if line.unverifiable else "") + (f" [{allergy}]" if allergy else "")
    return label[: 200 - len(suffix)] + suffix


def _instant(day: datetime.date, hhmm: str) -> datetime.datetime:
    hour, minute = (int(part) for part in hhmm.split(":"))
    wall = datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=SHIFT_TIMEZONE)
    return wall.astimezone(datetime.UTC)


def doses_of(line: PrescriptionLine, start: datetime.datetime, end: datetime.datetime) -> list[datetime.datetime]:
    """The instants in [start, end) at which the line's schedule calls for a dose."""
    first = max(timezone.localtime(start, SHIFT_TIMEZONE).date(), line.starts_on)
    last = timezone.localtime(end, SHIFT_TIMEZONE).date()
    if line.ends_on is not None:
        last = min(last, line.ends_on)
    found = []
    day = first
    while day <= last:
        if str(day.isoweekday()) in line.weekdays:
            found.extend(moment for hhmm in line.times if start <= (moment := _instant(day, hhmm)) < end)
        day += datetime.timedelta(days=1)
    return found


def doses_generate(lines, start: datetime.datetime, end: datetime.datetime) -> dict[int, int]:
    """Insert the missing administrations of these lines in [start, end); returns how many were new per line."""
    rows = []
    markers = drug_checks.allergy_markers(lines)
    for line in lines:
        label = administration_label(line, markers.get(line.pk, ""))
        for due_at in doses_of(line, start, end):
            rows.append(
                CareOccurrence(
                    essms_id=line.essms_id,
                    usager_id=line.usager_id,
                    prescription=line,
                    label=label,
                    metier=ADMINISTRATION_METIER,
                    due_at=due_at,
                    due_before=due_at + ADMINISTRATION_WINDOW,
                    created_by_id=line.validated_by_id,
                )
            )
    if not rows:
        return {}
    existing = CareOccurrence.objects.filter(
        prescription_id__in={row.prescription_id for row in rows}, due_at__gte=start, due_at__lt=end
    )

    def counts() -> dict[int, int]:
        return dict(
            existing.order_by().values("prescription_id").annotate(n=Count("pk")).values_list("prescription_id", "n")
        )

    before = counts()
    CareOccurrence.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    after = counts()
    return {line_id: n - before.get(line_id, 0) for line_id, n in after.items() if n > before.get(line_id, 0)}


def scheduled_lines_in(essms: Essms, start: datetime.datetime, end: datetime.datetime):
    """Validated, unstopped, scheduled medication lines of open dossiers that may fall in [start, end)."""
    return PrescriptionLine.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=timezone.localtime(start, SHIFT_TIMEZONE).date()),
        essms=essms,
        kind=PrescriptionKind.MEDICAMENT,
        as_needed=False,
        validated_at__isnull=False,
        stopped_at__isnull=True,
        usager__archived_at__isnull=True,
        starts_on__lte=timezone.localtime(end, SHIFT_TIMEZONE).date(),
    )


GENERATED = "{count} prise(s) générée(s) dans la liste de soins"


@transaction.atomic
def administrations_generate(essms: Essms, start: datetime.datetime, end: datetime.datetime, actor=None) -> int:
    """Create the administrations due in [start, end) for the ESSMS; idempotent (one row per line and time).

    Each line that received doses gets one CREATE row in the access log, written by `actor` (by default the
    scheduler: no user, channel "tâche"). Returns how many administrations were new."""
    if end <= start:
        raise ValidationError("La fin de la période précède son début.")
    actor = actor or Actor(user=None, channel=Channel.TASK)
    lines = list(scheduled_lines_in(essms, start, end))
    created = doses_generate(lines, start, end)
    for line in lines:
        if created.get(line.pk):
            audit.log_access(actor, AccessAction.CREATE, line, detail=GENERATED.format(count=created[line.pk]))
    return sum(created.values())


def _check_given_at(performed_at: datetime.datetime | None, now: datetime.datetime) -> datetime.datetime:
    if performed_at is None:
        return now
    if timezone.is_naive(performed_at):
        performed_at = performed_at.replace(tzinfo=SHIFT_TIMEZONE)
    if performed_at > now + CLOCK_TOLERANCE:
        raise ValidationError({"performed_at": "L'heure de la prise est dans le futur."})
    if performed_at < now - MAX_LATE_RECORDING:
        raise ValidationError(
            {"performed_at": "Prise trop ancienne (plus de 24 h) : signalez-la par une transmission."}
        )
    return performed_at


def local_day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=SHIFT_TIMEZONE).astimezone(datetime.UTC)
    end_day = day + datetime.timedelta(days=1)
    end = datetime.datetime.combine(end_day, datetime.time.min, tzinfo=SHIFT_TIMEZONE).astimezone(datetime.UTC)
    return start, end


@transaction.atomic
def as_needed_record(
    actor,
    line: PrescriptionLine,
    *,
    idempotency_key,
    status: str = OccurrenceStatus.DONE,
    comment: str = "",
    performed_at: datetime.datetime | None = None,
) -> tuple[CareOccurrence, bool]:
    """Record a "si besoin" dose given (or refused) now: an administration already validated.

    Returns (administration, created); the same key sent again returns the first record unchanged.
    The line's maximum per day counts the doses given on that Paris calendar day.
    """
    membership = membership_of(actor)
    key = parse_key(idempotency_key)
    replay = CareOccurrence.objects.filter(idempotency_key=key).first()
    if replay is not None:
        if replay.prescription_id != line.pk or replay.essms_id != membership.essms_id:
            raise ValidationError({"idempotency_key": "Cette clé a déjà servi pour une autre prise."})
        return replay, False
    probe = CareOccurrence(essms_id=line.essms_id, usager_id=line.usager_id, prescription=line)
    check_act(actor, WRITE, probe, AS_NEEDED_ACT, NOT_AN_AS_NEEDED_GIVER)
    line = locked_line(line)
    refuse_archived(line.usager)
    if not line.as_needed or line.kind != PrescriptionKind.MEDICAMENT:
        raise ValidationError("Cette ligne n'est pas « si besoin » : ses prises sont dans la liste de soins.")
    if line.stopped_at is not None:
        raise ValidationError("Cette ligne est arrêtée : aucune prise ne peut plus être enregistrée.")
    if line.validated_at is None:
        raise ValidationError("Cette ligne n'est pas encore validée par un médecin.")
    if status not in (OccurrenceStatus.DONE, OccurrenceStatus.REFUSED):
        raise ValidationError({"status": "État inconnu : donné ou refusé."})
    comment = clean_text(comment, "comment", 300, "Commentaire")
    if status == OccurrenceStatus.REFUSED and not comment:
        raise ValidationError({"comment": "Indiquez le motif du refus."})
    now = timezone.now()
    given_at = _check_given_at(performed_at, now)
    day = timezone.localtime(given_at, SHIFT_TIMEZONE).date()
    if day < line.starts_on or (line.ends_on is not None and day > line.ends_on):
        raise ValidationError({"performed_at": "La prescription ne couvre pas ce jour."})
    day_start, day_end = local_day_bounds(day)
    given = CareOccurrence.objects.filter(
        prescription=line, status=OccurrenceStatus.DONE, due_at__gte=day_start, due_at__lt=day_end
    ).count()
    if status == OccurrenceStatus.DONE and given >= line.max_per_day:
        raise ValidationError(
            f"Maximum atteint : {line.max_per_day} prise(s) par jour pour cette ligne, déjà {given} ce jour-là.",
            code="max_per_day",
        )
    if CareOccurrence.objects.filter(prescription=line, due_at=given_at).exists():
        raise ValidationError({"performed_at": "Une prise de cette ligne est déjà enregistrée à cette heure."})
    occurrence = CareOccurrence.objects.create(
        essms_id=line.essms_id,
        usager_id=line.usager_id,
        prescription=line,
        label=f"{administration_label(line)} (si besoin)"[:200],
        metier=membership.metier,
        due_at=given_at,
        due_before=given_at,
        status=status,
        comment=comment,
        performed_at=given_at,
        validated_by=user_of(actor),
        recorded_at=now,
        idempotency_key=key,
        created_by=user_of(actor),
    )
    audit.log_access(actor, AccessAction.CREATE, occurrence, detail="prise si besoin")
    return occurrence, True

"""What a unit's continuity pack holds, gathered through the other apps' selectors and services.

Read as the ESSMS's continuity account (an IDE of the ESSMS, see services.continuity_actor): the pack
shows what the night nurse would see on her worklist and in the dossiers, nothing more. Every person
shown, allergy, DLU and appointment read is in the access log.
"""

from __future__ import annotations

import base64
import datetime
from dataclasses import dataclass, field

from dui import audit
from dui.catalogue import READ
from dui.models import Unit, Usager
from dui.permissions import can
from dui.providers import current_treatments
from dui.selectors.banner import banner_sections, banners_for
from dui.selectors.documents import documents_for_usager, versions_of
from dui.selectors.medical import DossierSection
from dui.selectors.planning import day_planning
from dui.selectors.sejours import presence_on
from dui.shifts import SHIFT_TIMEZONE, shift_at
from soins.services.worklist import worklist_open

HORIZON = datetime.timedelta(hours=24)
DLU_CLASS = "dlu"


@dataclass
class Line:
    """One item of a section: a dose, a care, an allergy, a treatment, an appointment."""

    label: str
    detail: str = ""
    moment: datetime.datetime | None = None
    when: str = ""  # instead of the time: "Poste de nuit du 06/12" for a care to do during the shift

    @property
    def time_label(self) -> str:
        if self.when:
            return self.when
        return f"{self.moment.astimezone(SHIFT_TIMEZONE):%d/%m %H:%M}" if self.moment else ""


@dataclass
class PersonSection:
    usager: Usager
    room: str
    ins: str
    photo_data_uri: str = ""
    allergies: list[Line] | None = None  # None: not readable
    no_known_allergy: bool = False
    alerts: list[str] = field(default_factory=list)
    treatments: list[Line] | None = None
    doses: list[Line] = field(default_factory=list)
    care: list[Line] = field(default_factory=list)
    appointments: list[Line] = field(default_factory=list)
    dlu_file: object | None = None  # the FieldFile of the latest DLU version's PDF
    dlu_date: datetime.date | None = None


@dataclass
class PackContent:
    unit: Unit
    generated_at: datetime.datetime
    persons: list[PersonSection]
    appointments: list[tuple[str, Line]]  # (person name, appointment)

    @property
    def end(self) -> datetime.datetime:
        return self.generated_at + HORIZON


def _photo(usager: Usager) -> str:
    """The photo inlined (WeasyPrint reads no URL of ours); '' when absent or unreadable."""
    if not usager.photo:
        return ""
    try:
        with usager.photo.open("rb") as handle:
            raw = handle.read()
    except OSError:
        return ""
    mime = "image/png" if raw[:8] == b"\x89PNG\r\n\x1a\n" else "image/jpeg"
    return f"data:{mime};base64,{base64.b64encode(raw).decode()}"


def _worklist_lines(actor, unit: Unit, persons: dict[int, PersonSection], now: datetime.datetime) -> None:
    """Doses and care of the shifts overlapping the next 24 h, as the worklist shows them (opening each
    shift's worklist also generates the rows still missing), pending ones due in [now, now + 24 h)."""
    end = now + HORIZON
    shift = shift_at(now)
    while shift.start < end:
        worklist = worklist_open(actor, unit, shift, now=now)
        for person in worklist.persons:
            section = persons.get(person.usager.pk)
            if section is None:
                continue
            for item in person.items:
                row = item.occurrence
                if not (now <= row.due_at < end) or row.status != "pending":
                    continue
                if item.kind == "medicament":  # the label already names the drug, dose and route
                    detail = "aide à la prise" if row.aide_a_la_prise else ""
                    section.doses.append(Line(row.label, detail, row.due_at))
                else:
                    detail = " — ".join(p for p in (item.metier_label, row.instructions) if p)
                    when = "" if item.timed else f"Poste de {shift.label.lower()} du {shift.date:%d/%m}"
                    section.care.append(Line(row.label, detail, row.due_at, when))
        shift = shift.next()


def _latest_dlu(actor, usager: Usager):
    document = documents_for_usager(actor, usager=usager).filter(document_class__code=DLU_CLASS).first()
    if document is None:
        return None, None
    version = versions_of(document).filter(mime_type="application/pdf").exclude(file="").first()
    return (document, version) if version is not None else (None, None)


def _appointments(actor, unit: Unit, now: datetime.datetime) -> list:
    local = now.astimezone(SHIFT_TIMEZONE).date()
    rows = []
    for day in (local, local + datetime.timedelta(days=1)):
        rows.extend(day_planning(actor, unit=unit, day=day, include_cancelled=False))
    return [a for a in rows if now <= a.starts_at < now + HORIZON]


def pack_content(actor, *, unit: Unit, now: datetime.datetime) -> PackContent:
    """Everything the pack prints, for the persons present in `unit` at `now`."""
    day = now.astimezone(SHIFT_TIMEZONE).date()
    entries = [e for e in presence_on(actor, day=day, unit=unit) if e.present]
    show_photo = can(actor, READ, "photo")
    show_identity = can(actor, READ, "identite")
    persons = {
        e.usager.pk: PersonSection(
            usager=e.usager,
            room=e.placement.room,
            ins=e.usager.shareable_matricule if show_identity else "",
            photo_data_uri=_photo(e.usager) if show_photo else "",
        )
        for e in entries
    }
    usagers = [s.usager for s in persons.values()]
    rooms = {pk: (s.room, unit.name) for pk, s in persons.items()}
    read = []
    for pk, banner in banners_for(actor, usagers=usagers, on_date=day, rooms=rooms).items():
        section = persons[pk]
        read.extend(banner_sections(banner))
        if banner.allergies is not None:
            section.allergies = [Line(a.substance, a.severity_label) for a in banner.allergies]
            section.no_known_allergy = banner.no_known_allergy_on is not None
        section.alerts = [alert.label for alert in banner.alerts]
    for section in persons.values():
        treatments = current_treatments(actor, section.usager)
        if treatments is not None:
            section.treatments = [Line(t.label, t.detail) for t in treatments]
            read.append(DossierSection(section.usager, "traitements"))
        document, version = _latest_dlu(actor, section.usager)
        if version is not None:
            section.dlu_file, section.dlu_date = version.file, document.document_date
            read.append(document)
    _worklist_lines(actor, unit, persons, now)
    appointments, rows = [], _appointments(actor, unit, now)
    names = {pk: str(s.usager) for pk, s in persons.items()}
    for appointment in rows:
        detail = " — ".join(p for p in (appointment.place, appointment.practitioner, appointment.notes) if p)
        line = Line(appointment.title, detail, appointment.starts_at)
        appointments.append((names.get(appointment.usager_id, ""), line))
        if appointment.usager_id in persons:
            persons[appointment.usager_id].appointments.append(line)
    audit.log_reads(actor, [*read, *rows], detail="plan de continuité")
    ordered = sorted(persons.values(), key=lambda s: (s.room == "", len(s.room), s.room, s.usager.birth_name))
    return PackContent(unit=unit, generated_at=now, persons=ordered, appointments=appointments)

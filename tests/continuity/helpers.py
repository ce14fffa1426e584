"""A unit with what a continuity pack prints: a person present with an allergy, a validated medication
line (doses of the next 24 h), a care plan item and a DLU; a person discharged; an appointment."""

import datetime
import subprocess
from pathlib import Path

from django.utils import timezone

from dui.models import Allergy, Appointment, Metier
from interop.dlu.services import dlu_generate
from tests.factories import UsagerFactory, professional
from tests.soins.factories_care import place, plan
from tests.soins.factories_medication import prescribe


def unit_with_persons(essms, unit, *, dlu: bool = True):
    nurse = professional(essms, Metier.IDE, first_name="Nina", last_name="Nuit")
    cadre = professional(essms, Metier.CADRE_SANTE)
    doctor = professional(essms, Metier.MEDECIN)
    present = UsagerFactory(essms=essms, birth_name="LEFEBVRE", first_names="Marthe")
    place(present, unit, cadre, room="12")
    Allergy.objects.create(essms=essms, usager=present, created_by=doctor, substance="Pénicilline G")
    times = [f"{(timezone.localtime() + datetime.timedelta(hours=h)):%H}:00" for h in (2, 5)]
    prescribe(doctor, present, validate=True, drug="Amoxicilline", dose="1 g", times=sorted(times))
    plan(cadre, present, "Toilette complète", poste="nuit")
    plan(cadre, present, "Toilette complète", poste="jour")
    Appointment.objects.create(essms=essms, usager=present, title="Consultation cardiologie", created_by=cadre,
                               starts_at=timezone.now() + datetime.timedelta(hours=3), place="CH Lisieux")  # fmt: skip
    if dlu:
        dlu_generate(nurse, usager=present)
    gone = UsagerFactory(essms=essms, birth_name="DUPARTI", first_names="Gaston")
    placement = place(gone, unit, cadre, room="14")  # left the unit two days ago
    placement.ends_on = timezone.localdate() - datetime.timedelta(days=2)
    placement.save(update_fields=["ends_on"])
    return nurse, cadre, present, gone


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "pack.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout  # noqa: S603,S607

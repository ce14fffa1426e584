"""Helpers of the medication tests: a doctor, a nurse, a pharmacist, lines, a person placed in a unit."""

import datetime

from django.utils import timezone

from dui.models import Metier
from soins.services import medication as medication_services
from tests.factories import professional


def doctor(essms):
    return professional(essms, Metier.MEDECIN, first_name="Paul", last_name="Médecin")


def nurse(essms):
    return professional(essms, Metier.IDE, first_name="Julie", last_name="Infirmière")


def pharmacist(essms):
    return professional(essms, Metier.PHARMACIEN, first_name="Luc", last_name="Pharmacien")


def line_fields(**overrides) -> dict:
    fields = {
        "drug": "Paracétamol",
        "dose": "1 g",
        "route": "orale",
        "times": ["08:00", "20:00"],
        "starts_on": timezone.localdate(),
    }
    return fields | overrides


def as_needed_fields(**overrides) -> dict:
    fields = {
        "drug": "Oxazépam",
        "dose": "10 mg",
        "route": "orale",
        "as_needed": True,
        "as_needed_condition": "agitation",
        "max_per_day": 2,
        "starts_on": timezone.localdate(),
    }
    return fields | overrides


def prescribe(by, usager, *, validate=False, **overrides):
    line = medication_services.prescription_create(by, usager, **line_fields(**overrides))
    if validate:
        line = medication_services.prescription_validate(by, line)
    return line


def place(usager, unit, by):
    """Admit the person in the unit since 2020 (the worklist checks the unit)."""
    day = datetime.date(2020, 1, 1)
    sejour = usager.sejours.create(
        essms=usager.essms, status="active", first_contact_on=day, admitted_on=day, created_by=by
    )
    sejour.placements.create(essms=usager.essms, usager=usager, unit=unit, modality="hp", starts_on=day, created_by=by)
    return sejour

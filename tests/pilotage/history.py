"""Hand-written histories for the pilotage tests: séjours with their placements and absences."""

import datetime

from dui.models import Absence, AggirEvaluation, Modality, Placement, Sejour, SejourStatus
from pilotage.periods import Period

D = datetime.date


def march(year=2026) -> Period:
    return Period(D(year, 3, 1), D(year, 3, 31))


def make_stay(usager, author, admitted, ended=None, *, placements, absences=(), exit_reason=""):
    """placements: (unit, starts_on, ends_on, modality); absences: (kind, starts_on, ends_on)."""
    sejour = Sejour.objects.create(
        essms=usager.essms,
        usager=usager,
        status=SejourStatus.CLOSED if ended else SejourStatus.ACTIVE,
        first_contact_on=admitted,
        admitted_on=admitted,
        ended_on=ended,
        exit_reason=exit_reason,
        created_by=author,
    )
    for unit, starts_on, ends_on, modality in placements:
        Placement.objects.create(
            essms=usager.essms,
            sejour=sejour,
            usager=usager,
            unit=unit,
            modality=modality or Modality.HEBERGEMENT_PERMANENT,
            starts_on=starts_on,
            ends_on=ends_on,
            created_by=author,
        )
    for kind, starts_on, ends_on in absences:
        Absence.objects.create(
            essms=usager.essms, sejour=sejour, usager=usager, kind=kind, starts_on=starts_on, ends_on=ends_on,
            created_by=author,
        )  # fmt: skip
    return sejour


def make_gir(usager, author, gir, evaluated_on):
    return AggirEvaluation.objects.create(
        essms=usager.essms, usager=usager, gir=gir, evaluated_on=evaluated_on, evaluator="Dr Martin", created_by=author
    )

"""Safety checks of a prescription line against the drug referential: allergies and daily maxima.

Daily maximum: for each substance of the speciality with a strength in mg per unit and a
maximum in the referential, the mg per day of every line of the person in force over the new
line's dates (pending validation included, "si besoin" counted at its maximum per day) is
strength × units per dose × doses per day (number of times, or max per day). The frail/elderly
maximum applies from 75 years on the start date, the adult one before.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import timezone

from dui.actor import user_of
from dui.catalogue import WRITE
from dui.models import DrugComponent
from dui.permissions import can
from dui.selectors.drugs import AllergyMatch, allergy_matches
from soins.models import PrescriptionKind, PrescriptionLine

FRAIL_AGE = 75
# The reserved act (dui.catalogue) of prescribing despite a known allergy; médecins by default.
OVERRIDE_ACT = "prescription_malgre_allergie"
NOT_AN_OVERRIDER = "Seul un médecin peut prescrire malgré une allergie connue."


def _age(birth: datetime.date, on: datetime.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def doses_per_day(line: PrescriptionLine) -> int:
    return (line.max_per_day or 0) if line.as_needed else len(line.times or [])


def _overlapping_lines(line: PrescriptionLine):
    qs = PrescriptionLine.objects.filter(
        usager_id=line.usager_id,
        kind=PrescriptionKind.MEDICAMENT,
        stopped_at__isnull=True,
        drug_ref__isnull=False,
        units_per_dose__isnull=False,
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=line.starts_on))
    if line.ends_on is not None:
        qs = qs.filter(starts_on__lte=line.ends_on)
    return qs.exclude(pk=line.pk) if line.pk else qs


def _mg(value: Decimal) -> str:
    grams = value / 1000
    if value >= 1000:
        return f"{grams.normalize():f} g".replace(".", ",")
    return f"{value.normalize():f} mg".replace(".", ",")


def check_daily_maximum(line: PrescriptionLine) -> None:
    """Refuse a line that would take a substance over its daily maximum for this person."""
    if line.drug_ref_id is None or not line.units_per_dose:
        return
    components = DrugComponent.objects.filter(drug_id=line.drug_ref_id, strength_mg__isnull=False).select_related(
        "substance"
    )
    frail = _age(line.usager.birth_date, line.starts_on) >= FRAIL_AGE
    others = list(_overlapping_lines(line))
    for component in components:
        substance = component.substance
        maximum = (substance.max_daily_mg_frail if frail else None) or substance.max_daily_mg_adult
        if maximum is None:
            continue
        total = component.strength_mg * line.units_per_dose * doses_per_day(line)
        strengths = dict(
            DrugComponent.objects.filter(
                substance=substance, drug_id__in={other.drug_ref_id for other in others}, strength_mg__isnull=False
            ).values_list("drug_id", "strength_mg")
        )
        counted = 1
        for other in others:
            if other.drug_ref_id in strengths:
                total += strengths[other.drug_ref_id] * other.units_per_dose * doses_per_day(other)
                counted += 1
        if total > maximum:
            who = "sujet âgé ou fragile" if frail else "adulte"
            scope = f" en comptant {counted - 1} autre(s) ligne(s) en cours" if counted > 1 else ""
            raise ValidationError(
                {
                    "units_per_dose": f"Maximum journalier dépassé pour {substance.name} : {_mg(total)} par jour"
                    f"{scope} (« si besoin » compté au maximum), pour {_mg(maximum)} au plus ({who})."
                },
                code="daily_maximum",
            )


def may_override_allergy(actor) -> bool:
    return can(actor, WRITE, OVERRIDE_ACT)


def check_allergies(actor, line: PrescriptionLine, reason: str) -> list[AllergyMatch]:
    """Stop a line whose speciality matches an active allergy, unless a médecin writes why.

    Returns the matches; sets the override on the line when one is accepted.
    """
    matches = allergy_matches(line.usager_id, line.drug_ref)
    reason = (reason or "").strip()
    if not matches:
        line.allergy_override_reason = ""
        return []
    if not reason:
        names = " ; ".join(match.message for match in matches)
        raise ValidationError(
            {
                "allergy_override_reason": f"Prescription arrêtée — {names} Pour prescrire malgré tout, "
                "un médecin doit écrire le motif."
            },
            code="allergy",
        )
    if not may_override_allergy(actor):
        raise PermissionDenied(NOT_AN_OVERRIDER)
    if len(reason) > 300:
        raise ValidationError({"allergy_override_reason": "Motif : 300 caractères au plus."})
    line.allergy_override_reason = reason
    line.allergy_override_by = user_of(actor)
    line.allergy_override_at = timezone.now()
    return matches


def allergy_markers(lines) -> dict[int, str]:
    """A short "⚠ allergie …" marker per line whose speciality matches an active allergy of its person.

    One query for the allergies of all the lines' persons, one more only when some have allergies.
    """
    from dui.models import Allergy
    from dui.selectors.drugs import allergy_matches_by_drug

    lines = [line for line in lines if line.drug_ref_id]
    allergic = set(
        Allergy.objects.filter(usager_id__in={line.usager_id for line in lines}, ended_at__isnull=True).values_list(
            "usager_id", flat=True
        )
    )
    markers = {}
    for usager_id in allergic:
        own = [line for line in lines if line.usager_id == usager_id]
        found = allergy_matches_by_drug(usager_id, {line.drug_ref_id for line in own})
        for line in own:
            matches = found.get(line.drug_ref_id) or []
            if matches:
                names = ", ".join(
                    f"{m.allergy.substance} ({m.allergy.get_severity_display().lower() or 'gravité ?'})"
                    for m in matches
                )
                markers[line.pk] = f"⚠ allergie : {names}"[:90]
    return markers


def refuse_unacknowledged_allergy(line: PrescriptionLine) -> None:
    """At validation: an allergy recorded after the line was written, and never overridden, stops it."""
    if line.allergy_override_reason or line.drug_ref_id is None:
        return
    matches = allergy_matches(line.usager_id, line.drug_ref)
    if matches:
        names = " ; ".join(match.message for match in matches)
        raise ValidationError(
            f"Validation impossible — {names} Modifiez la ligne en écrivant le motif, ou arrêtez-la.",
            code="allergy",
        )

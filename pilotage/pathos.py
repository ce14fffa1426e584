"""Preparation of the coupe PATHOS for the médecin coordonnateur: per person in séjour on a day,
the latest GIR and its date, antécédents and current treatments (free lines and validated
prescriptions in force). A read of personal data: matrix rights, each person logged as read."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone

from dui import audit
from dui.catalogue import CLASS_BY_CODE, READ
from dui.models import AggirEvaluation, Antecedent, Treatment, Usager
from dui.permissions import active_membership, can
from pilotage.periods import Period
from pilotage.scope import Scope
from soins.models import PrescriptionKind, PrescriptionLine

NEEDED = ("coupe_pathos", "aggir", "antecedents", "traitements")


@dataclass
class PathosRow:
    usager: Usager
    gir: int | None
    evaluated_on: datetime.date | None
    antecedents: list[str]
    treatments: list[str]


def pathos_preparation(actor, day: datetime.date) -> list[PathosRow]:
    membership = active_membership(actor)
    missing = [code for code in NEEDED if membership is None or not can(actor, READ, code)]
    if missing:
        labels = ", ".join(CLASS_BY_CODE[code].label for code in missing)
        raise PermissionDenied(f"La préparation de la coupe PATHOS demande la lecture de : {labels}.")
    essms_id = membership.essms_id
    scope = Scope([essms_id], Period(day, day), today=max(day, timezone.localdate()))
    persons = {s.usager_id for s in scope.stays_on(day)}
    girs = {}
    for usager_id, gir, evaluated_on in (
        AggirEvaluation.objects.filter(essms_id=essms_id, evaluated_on__lte=day)
        .order_by("evaluated_on", "pk")
        .values_list("usager_id", "gir", "evaluated_on")
    ):
        girs[usager_id] = (gir, evaluated_on)
    antecedents = defaultdict(list)
    for usager_id, label, year in Antecedent.objects.filter(essms_id=essms_id, ended_at__isnull=True).values_list(
        "usager_id", "label", "year"
    ):
        antecedents[usager_id].append(f"{label} ({year})" if year else label)
    treatments = defaultdict(list)
    for usager_id, line in Treatment.objects.filter(essms_id=essms_id, ended_at__isnull=True).values_list(
        "usager_id", "line"
    ):
        treatments[usager_id].append(line)
    for usager_id, drug, dose in (
        PrescriptionLine.objects.filter(
            essms_id=essms_id, kind=PrescriptionKind.MEDICAMENT, validated_at__isnull=False, starts_on__lte=day
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .filter(Q(stopped_at__isnull=True) | Q(stopped_at__date__gt=day))
        .values_list("usager_id", "drug", "dose")
    ):
        treatments[usager_id].append(f"{drug} {dose}".strip())
    usagers = list(Usager.objects.filter(pk__in=persons, essms_id=essms_id).order_by("birth_name", "first_names"))
    audit.log_reads(actor, usagers, detail="préparation de la coupe PATHOS")
    return [
        PathosRow(u, *girs.get(u.pk, (None, None)), antecedents.get(u.pk, []), treatments.get(u.pk, []))
        for u in usagers
    ]

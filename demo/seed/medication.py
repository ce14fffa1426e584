"""Demo prescriptions: a few validated lines per person (fixed times, "si besoin", a night restraint),
their administrations of the next 48 hours, and a pharmacist's substitution when a pharmacist exists.
Some lines are marked "aide à la prise" (an aide-soignant may give them); the 20:00 Tramadol is
not: only the IDE gives it.

Idempotent: a line already prescribed (same person, drug and dose, not stopped) is not written again.
"""

import datetime

from django.utils import timezone

from dui.models import Drug, Membership, Metier, Usager
from soins.models import InterventionKind, PrescriptionKind, PrescriptionLine
from soins.services import doses as dose_services
from soins.services import medication as medication_services

LINES = [
    # (person index, fields); "drug" names a speciality of the shipped referential.
    (0, {"drug": "PARACÉTAMOL 1 g, comprimé", "units_per_dose": 1, "dose": "1 g", "route": "orale",
         "times": ["08:00", "20:00"], "aide_a_la_prise": True}),
    (0, {"drug": "LÉVOTHYROXINE SODIQUE 50 microgrammes, comprimé sécable", "units_per_dose": "1.5", "dose": "75 µg",
         "route": "orale", "times": ["07:30"], "instructions": "À jeun, 30 minutes avant le petit-déjeuner."}),
    (0, {"drug": "PARACÉTAMOL 500 mg, gélule", "units_per_dose": 1, "dose": "500 mg", "route": "orale",
         "as_needed": True, "as_needed_condition": "douleur EN > 3", "max_per_day": 2}),
    (1, {"drug": "FUROSÉMIDE 40 mg, comprimé sécable", "units_per_dose": 1, "dose": "40 mg", "route": "orale",
         "times": ["08:00"], "weekdays": "12345", "aide_a_la_prise": True}),
    (1, {"drug": "TRAMADOL 50 mg, gélule", "units_per_dose": 1, "dose": "50 mg", "route": "orale", "times": ["20:00"],
         "instructions": "Surveiller somnolence et constipation."}),
    (1, {"drug": "ÉNOXAPARINE SODIQUE 4 000 UI (40 mg)/0,4 ml, solution injectable en seringue préremplie",
         "units_per_dose": 1, "dose": "4000 UI", "route": "sous_cutanee", "times": ["18:00"], "days": 10}),
    (1, {"drug": "OXAZÉPAM 10 mg, comprimé", "units_per_dose": 1, "dose": "10 mg", "route": "orale",
         "as_needed": True, "as_needed_condition": "anxiété, agitation", "max_per_day": 2}),
    (2, {"drug": "METFORMINE 500 mg, comprimé pelliculé", "units_per_dose": 1, "dose": "500 mg", "route": "orale",
         "times": ["08:00", "19:00"], "instructions": "Pendant le repas."}),
    (2, {"kind": PrescriptionKind.CONTENTION, "drug": "Barrières de lit (nuit)", "times": ["21:00"], "days": 7,
         "instructions": "Réévaluer chaque matin ; retirer dès que la personne est agitée."}),
]  # fmt: skip

SUBSTITUTION = ("FUROSÉMIDE 40 mg, comprimé sécable", "Furosémide Biogaran 40 mg", "Générique délivré, même dosage.")


# Demo accounts that act here: the métiers the default matrix gives these reserved acts.
DOCTORS = (Metier.MEDECIN, Metier.MEDECIN_COORDONNATEUR)
PHARMACISTS = (Metier.PHARMACIEN,)


def _acting(users: dict, essms, metiers) -> object | None:
    """A demo account with an active membership of this ESSMS in one of these métiers, ready to act."""
    for user in users.values():
        membership = Membership.objects.active().filter(user=user, essms=essms, metier__in=metiers).first()
        if membership is not None:
            user.membership = membership
            return user
    return None


def seed(essms, users: dict) -> int:
    doctor = _acting(users, essms, DOCTORS)
    if doctor is None:
        return 0
    people = list(Usager.objects.filter(essms=essms, archived_at__isnull=True).order_by("pk")[:3])
    today = timezone.localdate()
    created = 0
    for index, fields in LINES:
        if index >= len(people):
            continue
        usager = people[index]
        fields = dict(fields)
        days = fields.pop("days", None)
        if fields.get("kind", PrescriptionKind.MEDICAMENT) == PrescriptionKind.MEDICAMENT:
            drug = Drug.objects.filter(name=fields["drug"]).first()
            if drug is None:
                continue
            fields["drug_ref"] = drug
        if PrescriptionLine.objects.filter(
            usager=usager, drug=fields["drug"], dose=fields.get("dose", ""), stopped_at__isnull=True
        ).exists():
            continue
        line = medication_services.prescription_create(
            doctor,
            usager,
            starts_on=today,
            ends_on=today + datetime.timedelta(days=days) if days else None,
            **fields,
        )
        medication_services.prescription_validate(doctor, line)
        created += 1
    pharmacist = _acting(users, essms, PHARMACISTS)
    drug, substitute, text = SUBSTITUTION
    line = PrescriptionLine.objects.filter(essms=essms, drug=drug, stopped_at__isnull=True, dispensed_as="").first()
    if pharmacist is not None and line is not None:
        medication_services.intervention_create(
            pharmacist, line, kind=InterventionKind.SUBSTITUTION, substitute=substitute, text=text
        )
        created += 1
    now = timezone.now()
    created += dose_services.administrations_generate(essms, now, now + dose_services.GENERATION_HORIZON)
    return created

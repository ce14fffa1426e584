"""Demo dossiers: five persons in each establishment, admitted over the last two years, and the
epilepsy antecedent of one EHPAD résident. Idempotent (natural keys)."""

import datetime

from django.utils import timezone

from dui.models import Antecedent, Essms, EssmsKind, Membership, Modality, Unit, Usager, User
from dui.services.medical import antecedent_add
from dui.services.sejours import sejour_admit, sejour_open_pre_admission

# (birth name, first names, used name, used first name, birth date, sex)
USAGERS = {
    "ehpad": [
        ("MOREAU", "Marthe Louise", "LEFEBVRE", "", datetime.date(1934, 3, 14), "F"),
        ("DUBOIS", "Henri Marcel", "", "", datetime.date(1931, 11, 2), "M"),
        ("GAUTHIER", "Suzanne Jeanne", "ROBERT", "Suzy", datetime.date(1938, 7, 25), "F"),
        ("FOURNIER", "Jean Pierre", "", "", datetime.date(1940, 1, 9), "M"),
        ("MARTIN", "Yvonne Marie", "BONNET", "", datetime.date(1929, 5, 30), "F"),
    ],
    "ime": [
        ("NGUYEN", "Lucas Minh", "", "", datetime.date(2012, 9, 18), "M"),
        ("DIALLO", "Aïssata", "", "", datetime.date(2010, 4, 6), "F"),
        ("LEROY", "Théo Antoine", "", "", datetime.date(2013, 2, 21), "M"),
        ("MICHEL", "Inès Sarah", "", "", datetime.date(2009, 12, 3), "F"),
        ("DA SILVA", "Enzo", "", "", datetime.date(2011, 6, 15), "M"),
    ],
}


# The EHPAD résident whose dossier records epilepsy: the seizure form is offered for him only there
# (dui.essms_kinds), while every child of the IME has it.
EPILEPSY_DEMO = ("ehpad", "DUBOIS", "Épilepsie généralisée", 1998)

# How long ago each demo person was admitted (days), in turn: projects due, overdue and up to date.
ADMISSION_AGES_DAYS = (700, 400, 200, 150, 40)


def seed_usagers(establishments: dict[str, Essms], created: dict[str, int]) -> None:
    """Create the missing demo persons; each new one is admitted at once."""
    for key, rows in USAGERS.items():
        essms = establishments[key]
        for birth_name, first_names, used_name, used_first_name, birth_date, sex in rows:
            natural_key = {
                "essms": essms,
                "birth_name": birth_name,
                "first_names": first_names,
                "birth_date": birth_date,
            }
            if Usager.objects.filter(**natural_key).exists():
                continue
            usager = Usager(**natural_key, used_name=used_name, used_first_name=used_first_name, sex=sex)
            usager.full_clean()
            usager.save()
            created["usagers"] += 1
            created["séjours"] += _admit(usager, key=key)


def _admit(usager: Usager, *, key: str) -> int:
    """Admit a new demo person into a unit, admissions spread over the last two years."""
    essms = Essms.objects.get(pk=usager.essms_id)
    director = User.objects.get(username=f"{key}.direction")
    director.membership = Membership.objects.active().get(user=director, essms=essms)
    units = list(Unit.objects.filter(essms=essms).order_by("name"))
    position = Usager.objects.filter(essms=essms, pk__lt=usager.pk).count()
    age_days = ADMISSION_AGES_DAYS[position % len(ADMISSION_AGES_DAYS)]
    admitted_on = timezone.localdate() - datetime.timedelta(days=age_days)
    sejour = sejour_open_pre_admission(
        director, usager=usager, first_contact_on=admitted_on - datetime.timedelta(days=20)
    )
    sejour_admit(
        director,
        sejour=sejour,
        admitted_on=admitted_on,
        contract_signed_on=admitted_on,
        unit=units[position % len(units)],
        modality=Modality.HEBERGEMENT_PERMANENT if essms.kind == EssmsKind.EHPAD else Modality.INTERNAT,
        room=f"{101 + position}",
    )
    return 1


def seed_epilepsy(establishments: dict[str, Essms]) -> int:
    """The epilepsy antecedent of the EPILEPSY_DEMO person (0 when already recorded)."""
    key, birth_name, label, year = EPILEPSY_DEMO
    essms = establishments[key]
    usager = Usager.objects.filter(essms=essms, birth_name=birth_name).first()
    if usager is None or Antecedent.objects.filter(usager=usager, label=label).exists():
        return 0
    doctor = User.objects.get(username=f"{key}.medecin")
    doctor.membership = Membership.objects.active().get(user=doctor, essms=essms)
    antecedent_add(doctor, usager=usager, label=label, year=year)
    return 1

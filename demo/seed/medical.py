"""Demo allergies of the EHPAD's first residents: a severe penicillin allergy (angio-œdème), a
moderate one, and an explicit "aucune allergie connue". Idempotent: a person already coded is skipped."""

from dui.models import Allergy, AllergyStatement, Membership, Metier, Substance, SubstanceClass, Usager
from dui.services import medical

# (person index, coding, severity, reaction); None: "aucune allergie connue".
ALLERGIES = [
    (0, ("class", "penicillines"), "severe", "angio-œdème"),
    (1, ("substance", "amoxicilline"), "moderee", "éruption cutanée"),
    (2, None, "", ""),
]


def seed(essms, users: dict) -> int:
    writer = None
    for user in users.values():
        membership = Membership.objects.active().filter(user=user, essms=essms, metier=Metier.MEDECIN).first()
        if membership is not None:
            writer, writer.membership = user, membership
            break
    if writer is None:
        return 0
    people = list(Usager.objects.filter(essms=essms, archived_at__isnull=True).order_by("pk")[:3])
    created = 0
    for index, coding, severity, reaction in ALLERGIES:
        if index >= len(people):
            continue
        usager = people[index]
        if (
            Allergy.objects.filter(usager=usager, ended_at__isnull=True).exists()
            or AllergyStatement.objects.filter(usager=usager, ended_at__isnull=True).exists()
        ):
            continue
        if coding is None:
            medical.allergy_none_declare(writer, usager=usager)
        else:
            kind, key = coding
            target = (
                {"substance_class": SubstanceClass.objects.get(code=key)}
                if kind == "class"
                else {"substance_ref": Substance.objects.get(name=key)}
            )
            medical.allergy_add(writer, usager=usager, severity=severity, reaction=reaction, **target)
        created += 1
    return created

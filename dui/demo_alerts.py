"""Demo: the safety alerts of the patient banner (allergies, fall risk, fausse route, isolement BMR).

Idempotent: a flag already set is left alone, an allergy already recorded is not added twice.
Written through the services (audited) by a médecin of the ESSMS, as in real use.
"""

from dui.models import Allergy, Membership, Metier, Usager
from dui.models.medical import AllergySeverity
from dui.services.medical import allergy_add, usager_set_flags

# Birth name of a demo person → (flags set, (substance, reaction, severity) allergies).
ALERTS = {
    "MOREAU": ({"fall_risk": True}, [("Pénicilline", "Œdème de Quincke", AllergySeverity.SEVERE)]),
    "DUBOIS": ({"fall_risk": True, "swallowing_disorder": True}, [("Iode", "Urticaire", AllergySeverity.MODEREE)]),
    "GAUTHIER": ({"isolation_bmr": True}, []),
    "DIALLO": ({"swallowing_disorder": True}, [("Arachide", "Œdème", AllergySeverity.SEVERE)]),
}
WRITERS = (Metier.MEDECIN, Metier.MEDECIN_COORDONNATEUR, Metier.IDE)


def _writer(users: dict, essms):
    """A médecin (else an IDE) of the ESSMS: the flags and allergies need both classes' write right."""
    for metier in WRITERS:
        for user in users.values():
            membership = Membership.objects.active().filter(user=user, essms=essms, metier=metier).first()
            if membership is not None:
                user.membership = membership
                return user
    return None


def seed(essms, users: dict) -> int:
    writer = _writer(users, essms)
    if writer is None:
        return 0
    changed = 0
    people = Usager.objects.filter(essms=essms, birth_name__in=list(ALERTS), archived_at__isnull=True)
    for usager in people:
        flags, allergies = ALERTS[usager.birth_name]
        missing = {name: value for name, value in flags.items() if getattr(usager, name) != value}
        if missing:
            usager_set_flags(acting_user=writer, usager=usager, **missing)
            changed += 1
        for substance, reaction, severity in allergies:
            if not Allergy.objects.filter(usager=usager, substance=substance, ended_at__isnull=True).exists():
                allergy_add(
                    acting_user=writer, usager=usager, substance=substance, reaction=reaction, severity=severity
                )
                changed += 1
    return changed

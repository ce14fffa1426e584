"""Demo: the safety alerts of the patient banner (fall risk, fausse route, isolement BMR); the demo
allergies, coded against the drug referential, come from demo.seed.medical.

Idempotent: a flag already set is left alone.
Written through the services (audited) by a médecin of the ESSMS, as in real use.
"""

from dui.models import Membership, Metier, Usager
from dui.services.medical import usager_set_flags

# Birth name of a demo person → flags set.
ALERTS = {
    "MOREAU": {"fall_risk": True},
    "DUBOIS": {"fall_risk": True, "swallowing_disorder": True},
    "GAUTHIER": {"isolation_bmr": True},
    "DIALLO": {"swallowing_disorder": True},
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
        flags = ALERTS[usager.birth_name]
        missing = {name: value for name, value in flags.items() if getattr(usager, name) != value}
        if missing:
            usager_set_flags(writer, usager=usager, **missing)
            changed += 1
    return changed

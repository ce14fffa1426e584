"""Demo data: one organisme gestionnaire, an EHPAD and an IME, their units, staff and usagers, then
each domain's demo rows, seeded in a fixed order by calling each domain's services.

Idempotent: every object is looked up by its natural key first, so a second run creates nothing.
"""

from django.db import transaction

from demo.seed import (
    activities,
    admissions,
    alerts,
    care,
    dlu,
    evaluations,
    medical,
    medication,
    portal,
    projects,
    transmissions,
    ward,
)
from demo.seed.dossiers import seed_epilepsy, seed_usagers
from demo.seed.tenancy import DEMO_PASSWORD, demo_users, seed_tenancy
from dui.models import Essms
from dui.services import document_classes_sync

__all__ = ["AREAS", "DEMO_PASSWORD", "seed_demo"]

# (label in the report, seed(essms, users) -> number of objects created), run in this order for
# each establishment once the dossiers exist.
AREAS = (
    ("allergies", medical.seed),
    ("prescriptions", medication.seed),
    ("plan de soins", care.seed),
    ("évaluations", evaluations.seed),
    ("projets personnalisés", projects.seed),
    ("alertes du bandeau patient", alerts.seed),
    ("rendez-vous et documents", ward.seed),
    ("transmissions et événements", transmissions.seed),
    ("activités et présences", activities.seed),
    ("demandes d'admission", admissions.seed),
    ("DLU (informations d'urgence et première version)", dlu.seed),
    ("portail des familles (famille.martin)", portal.seed),
)


def seed_demo() -> tuple[dict[str, int], dict[str, Essms]]:
    """Create (or complete) the demo data in one transaction; return the counts created per area
    (in report order) and the establishments by key ("ehpad", "ime")."""
    created = {"organismes": 0, "ESSMS": 0, "unités": 0, "comptes": 0, "affectations": 0, "usagers": 0}
    created |= {"séjours": 0} | {area: 0 for area, _ in AREAS}
    with transaction.atomic():
        document_classes_sync()
        establishments = seed_tenancy(created)
        seed_usagers(establishments, created)
        created["antécédents"] = seed_epilepsy(establishments)
        users = demo_users()
        for key in ("ehpad", "ime"):
            for area, seed_area in AREAS:
                created[area] += seed_area(establishments[key], users)
    return created, establishments

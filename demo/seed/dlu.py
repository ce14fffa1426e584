"""Demo: the "Informations d'urgence (DLU)" section of each person present, the ESSMS's 24 h phone,
and a first DLU generated for the first GENERATED persons of each ESSMS (rendering every PDF would
slow every seeding down), so that the demo shows complete DLUs reachable from the active file.

Idempotent: a section already filled, a phone already set and a DLU already generated are left alone.
Written through the services (audited) by an IDE or a médecin of the ESSMS, as in real use.
"""

from demo.seed.alerts import _writer
from dui.models import DossierDlu, Sejour, SejourStatus, Usager
from dui.services.dlu import dlu_section_save
from interop.dlu.models import DluGeneration
from interop.dlu.services import dlu_generate

GENERATED = 6
PHONES = {"ehpad": "02 31 61 20 24", "other": "02 31 61 20 00"}
HOSPITALS = ("CH de Lisieux", "CHU de Caen", "CH de Pont-l'Évêque")
PROFILES = (
    {"mobility": "aide_technique", "deficits": ["audition"], "prostheses": ["lunettes", "appareil_auditif"],
     "psychic_states": ["alerte"], "pressure_ulcer_risk": False},
    {"mobility": "fauteuil", "deficits": ["vision", "cognitif"], "prostheses": ["prothese_dentaire"],
     "psychic_states": ["desoriente", "agitation"], "pressure_ulcer_risk": True},
    {"mobility": "autonome", "deficits": [], "prostheses": ["lunettes"], "psychic_states": ["alerte"],
     "mobility_risks": ["deambulation"]},
)  # fmt: skip
DIRECTIVES_PLACE = "Classeur de soins, bureau infirmier"
TAKE_ALONG = ["vitale", "mutuelle", "identite", "ordonnances", "plan_administration", "aggir", "directives"]


def seed(essms, users: dict) -> int:
    writer = _writer(users, essms)
    if writer is None:
        return 0
    created = 0
    if not essms.emergency_phone:
        essms.emergency_phone = PHONES["ehpad" if essms.kind == "ehpad" else "other"]
        essms.save(update_fields=["emergency_phone"])
    present = Sejour.objects.filter(essms=essms, status=SejourStatus.ACTIVE).values("usager_id")
    people = Usager.objects.filter(essms=essms, pk__in=present, archived_at__isnull=True).order_by("pk")
    for index, usager in enumerate(people):
        if not DossierDlu.objects.filter(usager=usager).exists():
            dlu_section_save(
                writer,
                usager=usager,
                preferred_hospital=HOSPITALS[index % len(HOSPITALS)],
                vaccinations="Grippe 10/2026, COVID-19 10/2026, pneumocoque 2024",
                advance_directives_location="Classeur de soins, bureau infirmier"
                if usager.has_advance_directives
                else "",
                take_along=TAKE_ALONG,
                **PROFILES[index % len(PROFILES)],
            )
            created += 1
        if index < GENERATED and not DluGeneration.objects.filter(usager=usager).exists():
            dlu_generate(writer, usager=usager)
            created += 1
    return created

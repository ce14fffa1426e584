"""Demo admission requests of the EHPAD: a waiting list in various statuses, one accepted request with
its parts and the médecin coordonnateur's opinion, ready to become a pré-admission. Idempotent: a
request is looked up by its origin and external reference."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from admissions.models import AdmissionRequest, Status
from admissions.services import requests as services
from demo.seed.ward import _acting
from dui.models import EssmsKind
from dui.pdf_minimal import simple_pdf

# (source, reference, birth name, first names, birth date, sex, accommodation, priority, days ago, sender, path)
REQUESTS = (
    ("viatrajectoire", "VT-2026-0412", "MOREAU", "Jeanne Alice", datetime.date(1936, 5, 14), "F", "permanent", 2, 24,
     "CHU Clermont-Ferrand, court séjour gériatrique", (Status.EN_ETUDE, Status.AVIS_MEDICAL, Status.ACCEPTEE)),
    ("viatrajectoire", "VT-2026-0431", "GARNIER", "Louis", datetime.date(1939, 11, 2), "M", "permanent", 1, 6,
     "CH Riom, médecine polyvalente", (Status.EN_ETUDE,)),
    ("directe", "", "PETIT", "Simone", datetime.date(1941, 2, 27), "F", "temporaire", 3, 15, "",
     (Status.EN_ETUDE, Status.VISITE, Status.AVIS_MEDICAL)),
    ("hopital", "", "ROBERT", "Marcel Henri", datetime.date(1933, 8, 9), "M", "permanent", 3, 40,
     "Clinique de la Châtaigneraie, SSR", (Status.EN_ETUDE, Status.REFUSEE)),
    ("viatrajectoire", "VT-2026-0440", "LEROY", "Germaine", datetime.date(1944, 12, 1), "F", "accueil_jour", 3, 2,
     "", ()),
    ("directe", "", "FONTAINE", "Paulette", datetime.date(1938, 3, 3), "F", "permanent", 2, 35, "",
     (Status.EN_ETUDE, Status.AVIS_MEDICAL, Status.ACCEPTEE, Status.ENTREE_PLANIFIEE)),
)  # fmt: skip


def _exists(essms, source, reference, birth_name) -> bool:
    found = AdmissionRequest.objects.filter(essms=essms, source=source, birth_name=birth_name)
    return found.filter(external_ref=reference).exists() if reference else found.exists()


def seed(essms, users: dict) -> int:
    if essms.kind != EssmsKind.EHPAD:
        return 0
    secretaire = _acting(users, essms, "ehpad", ("secretaire_medicale",))
    medecin = _acting(users, essms, "ehpad", ("medecin_coordonnateur",))
    if secretaire is None or medecin is None:
        return 0
    created = 0
    now = timezone.now()
    for source, reference, name, first, born, sex, kind, priority, days, sender, path in REQUESTS:
        if _exists(essms, source, reference, name):
            continue
        data = {
            "source": source, "external_ref": reference, "birth_name": name, "first_names": first, "birth_date": born,
            "sex": sex, "accommodation": kind, "priority": priority, "received_at": now - datetime.timedelta(days=days),
            "sending_facility": sender, "phone": "04 73 00 00 00",
        }  # fmt: skip
        contact = {"last_name": name, "first_name": "Claire", "relationship": "fille", "phone": "06 00 00 00 00"}
        request = services.request_create(secretaire, data=data, contacts=[contact])
        pdf = ContentFile(simple_pdf([f"Volet medical - {name} {first}"]), name="volet-medical.pdf")
        services.document_add(secretaire, request=request, part="medical", title="Volet médical", file=pdf)
        for status in path:
            if status == Status.ACCEPTEE:
                services.opinion_record(
                    medecin, request=request, verdict="favorable", text="Autonomie et soins compatibles avec l'unité."
                )
            extra = {"reason": "Besoin de soins relevant d'une unité spécialisée."} if status == Status.REFUSEE else {}
            if status == Status.ENTREE_PLANIFIEE:
                extra = {"planned_entry_on": timezone.localdate() + datetime.timedelta(days=10)}
            request = services.request_transition(secretaire, request=request, to_status=status, **extra)
        created += 1
    return created

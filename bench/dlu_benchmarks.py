"""Benchmarks of the DLU (issue 14): generating the PDF of a full dossier (20 treatments in force,
30 antécédents, entourage, section) through the API, and opening the current DLU (page and PDF).

The fixture's dossier is completed once, in the benchmark's own copy of the database, with what a
full dossier holds; one DLU is generated before the opening is measured.
"""

import datetime

from django.urls import reverse
from django.utils import timezone

from bench.core import Benchmark, Fixture

ISSUE_14 = "issue 14 (DLU)"
TREATMENTS, ANTECEDENTS = 20, 30

CURRENT_DLU_SQL = """
SELECT g.id, g.created_at, g.missing, g.sources, v.number, v.file, v.sha256
FROM interop_dlugeneration g JOIN dui_documentversion v ON v.id = g.version_id
WHERE g.essms_id = %s AND g.usager_id = %s ORDER BY g.created_at DESC, g.id DESC LIMIT 1
"""


def full_dossier(fixture: Fixture):
    """The fixture's dossier with 20 prescription lines, 30 antécédents, contacts and section (once)."""
    if getattr(fixture, "dlu_ready", False):
        return fixture.usager
    from dui.models import Antecedent, Contact, ContactRole
    from dui.services.dlu import dlu_section_save
    from interop.dlu.models import DluGeneration
    from interop.dlu.services import dlu_generate
    from soins.models import PrescriptionKind, PrescriptionLine

    usager = fixture.usager
    user, membership = fixture.acting("ide")
    user.membership = membership
    doctor = fixture.acting("medecin")[0]
    today = fixture.today
    common = {"essms": fixture.essms, "usager": usager}
    active = PrescriptionLine.objects.filter(**common, kind=PrescriptionKind.MEDICAMENT, stopped_at__isnull=True)
    for n in range(max(0, TREATMENTS - active.count())):
        PrescriptionLine.objects.create(
            **common, created_by=doctor, kind=PrescriptionKind.MEDICAMENT, drug=f"Spécialité {n + 1} 500 mg",
            dose="1 comprimé", times=["08:00", "12:00", "20:00"], starts_on=today - datetime.timedelta(days=30),
            validated_by=doctor, validated_at=timezone.now(),
        )  # fmt: skip
    existing = Antecedent.objects.filter(**common, ended_at__isnull=True).count()
    for n in range(max(0, ANTECEDENTS - existing)):
        Antecedent.objects.create(**common, created_by=doctor, label=f"Antécédent médical {n + 1}", year=1960 + n)
    if not Contact.objects.filter(**common, role=ContactRole.MEDECIN_TRAITANT).exists():
        Contact.objects.create(**common, role=ContactRole.MEDECIN_TRAITANT, last_name="Martin", phone="02 31 00 00 00")
    dlu_section_save(
        user, usager=usager, preferred_hospital="CH de référence", mobility="aide_technique",
        vaccinations="Grippe, COVID-19", prostheses=["lunettes"], take_along=["vitale", "ordonnances"],
    )  # fmt: skip
    if not DluGeneration.objects.filter(usager=usager).exists():
        dlu_generate(user, usager=usager)
    fixture.dlu_ready = True
    return usager


def _generate_path(fixture: Fixture) -> str:
    return reverse("api:usager-dlu-dlu", kwargs={"pk": full_dossier(fixture).pk})


DLU_BENCHMARKS: list[Benchmark] = [
    Benchmark(
        name="Génération du DLU PDF (20 traitements, 30 antécédents)",
        path=_generate_path,
        floor_sql=CURRENT_DLU_SQL,
        floor_params=lambda f: [f.essms.pk, f.usager.pk],
        target_ms=1000,
        target_source=ISSUE_14,
        metier="ide",
        body=lambda f: {},
        expected_status=(201,),
    ),
    Benchmark(
        name="Ouverture du DLU actuel (PDF)",
        path=lambda f: reverse("dlu-current-pdf", args=[full_dossier(f).pk]),
        floor_sql=CURRENT_DLU_SQL,
        floor_params=lambda f: [f.essms.pk, f.usager.pk],
        target_ms=150,
        target_source=ISSUE_14,
        metier="ide",
    ),
    Benchmark(
        name="Page DLU du dossier (version actuelle et données manquantes)",
        path=lambda f: reverse("dlu-page", args=[full_dossier(f).pk]),
        floor_sql=CURRENT_DLU_SQL,
        floor_params=lambda f: [f.essms.pk, f.usager.pk],
        target_ms=150,
        target_source=ISSUE_14,
        metier="ide",
    ),
]

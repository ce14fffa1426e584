"""A dossier with what a DLU reads: entourage, antécédents, allergy, prescription lines, GIR, section."""

import datetime

from django.utils import timezone

from dui.ins import IdentityStatus
from dui.models import AggirEvaluation, AllergyStatement, Antecedent, Contact, ContactRole, Metier, Sejour, SejourStatus
from dui.services.dlu import dlu_section_save
from soins.models import PrescriptionKind, PrescriptionLine
from tests.factories import professional

QUALIFIED_INS = "255081416802538"


def admitted(usager, by):
    Sejour.objects.create(
        essms=usager.essms, usager=usager, status=SejourStatus.ACTIVE, first_contact_on=datetime.date(2024, 1, 2),
        admitted_on=datetime.date(2024, 2, 1), created_by=by,
    )  # fmt: skip
    return usager


def fill_dossier(usager, by, *, treatments: int = 3, antecedents: int = 3):
    essms = usager.essms
    essms.emergency_phone = "01 02 03 04 05"
    essms.save(update_fields=["emergency_phone"])
    usager.identity_status = IdentityStatus.QUALIFIEE
    usager.ins_matricule = QUALIFIED_INS
    usager.palliative_care = True
    usager.has_advance_directives = True
    usager.save()
    common = {"essms": essms, "usager": usager}
    Contact.objects.create(**common, role=ContactRole.MEDECIN_TRAITANT, last_name="Martin", first_name="Paul",
                           phone="01 11 11 11 11")  # fmt: skip
    Contact.objects.create(**common, role=ContactRole.FAMILLE, last_name="Lefebvre", first_name="Anne",
                           relationship="fille", phone="06 12 34 56 78", is_emergency_contact=True)  # fmt: skip
    Contact.objects.create(**common, role=ContactRole.PERSONNE_CONFIANCE, last_name="Lefebvre", first_name="Luc")
    for n in range(antecedents):
        Antecedent.objects.create(**common, created_by=by, label=f"Antécédent {n}", year=1990 + n % 30)
    AllergyStatement.objects.create(**common, created_by=by)
    AggirEvaluation.objects.create(**common, created_by=by, gir=2, evaluated_on=timezone.localdate(),
                                   evaluator="Dr Coordonnateur")  # fmt: skip
    doctor = professional(essms, Metier.MEDECIN)
    today = timezone.localdate()
    for n in range(treatments):
        PrescriptionLine.objects.create(
            **common, created_by=doctor, kind=PrescriptionKind.MEDICAMENT, drug=f"Médicament {n}", dose="1 cp",
            times=["08:00", "20:00"], starts_on=today, validated_by=doctor, validated_at=timezone.now(),
        )  # fmt: skip
    dlu_section_save(
        by, usager=usager, preferred_hospital="CH de Lisieux", mobility="aide_technique",
        vaccinations="Grippe 10/2026, COVID-19 10/2026", advance_directives_location="Classeur infirmier, bureau IDE",
        psychic_states=["desoriente"], deficits=["audition"], prostheses=["lunettes", "appareil_auditif"],
        take_along=["vitale", "ordonnances"],
    )  # fmt: skip
    return usager


def isolation_dlu(usager):
    """A generated DLU and a transfer sheet of this dossier (made once): the isolation walk names them."""
    from interop.dlu.models import DluGeneration, SheetKind, TransferSheet
    from interop.dlu.services import dlu_generate
    from interop.dlu.sheets import sheet_create

    generation = DluGeneration.objects.filter(usager=usager).first()
    if generation is None:
        nurse = professional(usager.essms, Metier.IDE)
        generation = dlu_generate(nurse, usager=usager)
        sheet_create(nurse, usager=usager, kind=SheetKind.TRANSFER, happened_at=timezone.now(),
                     reason="Chute", destination="CH")  # fmt: skip
    return generation, TransferSheet.objects.filter(usager=usager).first()


def marker_dlu_generation(essms, marker: str):
    """A DLU generation row of ESSMS A carrying `marker` (each generation needs its own version)."""
    from dui.models import DocumentVersion
    from interop.dlu.models import DluGeneration

    model = DluGeneration.objects.filter(essms=essms).select_related("version").first()
    source = model.version
    version = DocumentVersion.objects.create(
        document=source.document, number=source.number + 1000, file=source.file.name, original_name=marker,
        mime_type=source.mime_type, size=source.size, sha256=source.sha256, uploaded_by=source.uploaded_by,
    )  # fmt: skip
    return DluGeneration.objects.create(
        essms=essms, usager=model.usager, version=version, content_hash=marker, layout=marker[:12]
    )

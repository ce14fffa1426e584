"""The fiches de liaison d'urgence: FLUDT (transfer to the urgences) prefilled from the dossier
(last constantes, pain, dose given, prostheses) and FLUDR (return). Each one is stored as a row
and as a PDF Document of class "fiche_liaison_urgence"."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from dui import audit
from dui.actor import user_of
from dui.catalogue import READ, WRITE
from dui.errors import NotFound
from dui.models import AccessAction, Usager
from dui.permissions import require
from dui.selectors.medical import DossierSection
from dui.services.documents import document_upload
from interop.dlu.builder import dlu_section_of
from interop.dlu.models import SheetKind, TransferSheet
from interop.dlu.pdf import render_pdf
from interop.dlu.services import ARCHIVED
from soins.models import CareOccurrence, Evaluation, OccurrenceStatus

SHEET_CLASS = "fiche_liaison_urgence"
REQUIRED = {
    SheetKind.TRANSFER: {"reason": "Le motif du transfert est obligatoire.",
                         "destination": "L'établissement de destination est obligatoire."},
    SheetKind.RETURN: {"diagnosis": "Le diagnostic de sortie est obligatoire.",
                       "destination": "Le service des urgences est obligatoire."},
}  # fmt: skip
FIELDS = {
    "happened_at", "reason", "destination", "pulse", "temperature", "weight", "systolic", "diastolic",
    "consciousness", "pain", "last_treatment", "last_meal", "prostheses", "belongings", "diagnosis",
    "discharge_treatment", "annexes", "vitals_measured_at",
}  # fmt: skip


def _last(usager: Usager, *grids: str) -> Evaluation | None:
    return (
        Evaluation.objects.filter(essms_id=usager.essms_id, usager_id=usager.pk, grid__in=grids)
        .order_by("-evaluated_at", "-pk")
        .first()
    )


def transfer_defaults(actor, *, usager: Usager) -> dict:
    """What the dossier already knows for a FLUDT: the nurse checks it instead of retyping it."""
    require(actor, WRITE, DossierSection(usager, SHEET_CLASS))
    initial: dict = {"happened_at": timezone.localtime().replace(second=0, microsecond=0)}
    section = dlu_section_of(usager)
    if section is not None:
        initial["prostheses"] = list(section.prostheses)
        initial["destination"] = section.preferred_hospital
    vitals = _last(usager, "constantes")
    if vitals is not None:
        answers = vitals.answers or {}
        initial.update(pulse=answers.get("pouls"), systolic=answers.get("tas"), diastolic=answers.get("tad"),
                       temperature=answers.get("temperature"), vitals_measured_at=vitals.evaluated_at)  # fmt: skip
    weight = _last(usager, "poids_imc")
    if weight is not None and weight.answers.get("poids") is not None:
        initial["weight"] = weight.answers["poids"]
    pain = _last(usager, "algoplus", "en")
    if pain is not None:
        when = timezone.localtime(pain.evaluated_at).strftime("%d/%m %H:%M")
        initial["pain"] = f"{pain.interpretation or pain.score} ({pain.grid}, {when})"[:200]
    dose = (
        CareOccurrence.objects.filter(
            essms_id=usager.essms_id,
            usager_id=usager.pk,
            prescription__isnull=False,
            status=OccurrenceStatus.DONE,
            performed_at__isnull=False,
        )
        .order_by("-performed_at")
        .first()
    )
    if dose is not None:
        initial["last_treatment"] = f"{dose.label} à {timezone.localtime(dose.performed_at):%H:%M le %d/%m}"[:300]
    audit.log_access(
        actor, AccessAction.READ, usager, detail="constantes et traitements relus pour la fiche de transfert"
    )
    return initial


def _render(sheet: TransferSheet) -> bytes:
    from dui.models.dlu import Prosthesis
    from interop.dlu.models import Consciousness

    labels = dict(Prosthesis.choices)
    return render_pdf(
        "pdf/fiche_liaison.html",
        {
            "sheet": sheet,
            "usager": sheet.usager,
            "essms": sheet.usager.essms,
            "prostheses": [labels.get(code, code) for code in sheet.prostheses],
            "consciousness": dict(Consciousness.choices).get(sheet.consciousness, ""),
            "section": dlu_section_of(sheet.usager),
        },
    )


def sheet_create(actor, *, usager: Usager, kind: str, **fields) -> TransferSheet:
    """Record a fiche de liaison and store its PDF; refused input writes nothing."""
    require(actor, WRITE, DossierSection(usager, SHEET_CLASS))
    if usager.archived_at is not None:
        raise ValidationError(ARCHIVED)
    if kind not in SheetKind.values:
        raise ValidationError({"kind": "Type de fiche inconnu."})
    unknown = set(fields) - FIELDS
    if unknown:
        raise ValidationError(f"Champ inconnu : {', '.join(sorted(unknown))}.")
    errors = {name: message for name, message in REQUIRED[kind].items() if not (fields.get(name) or "").strip()}
    happened_at = fields.get("happened_at")
    if happened_at is None:
        errors["happened_at"] = "La date et l'heure sont obligatoires."
    elif happened_at > timezone.now() + datetime.timedelta(hours=1):
        errors["happened_at"] = "La date et l'heure ne peuvent pas être dans le futur."
    if errors:
        raise ValidationError(errors)
    for name in ("temperature", "weight"):
        if fields.get(name) is not None:
            fields[name] = Decimal(str(fields[name])).quantize(Decimal("0.1"))
    sheet = TransferSheet(essms_id=usager.essms_id, usager=usager, kind=kind, created_by=user_of(actor),
                          **{k: ("" if v is None and k in _TEXT else v) for k, v in fields.items()})  # fmt: skip
    sheet.full_clean(exclude=["essms", "usager", "created_by", "document"])
    with transaction.atomic():
        sheet.save()
        label = sheet.get_kind_display()
        document = document_upload(
            actor,
            usager=usager,
            document_class_code=SHEET_CLASS,
            title=f"Fiche de liaison d'urgence — {label.lower()}",
            document_date=timezone.localtime(sheet.happened_at).date(),
            source="Saisie dans le dossier",
            file=ContentFile(_render(sheet), name=f"{kind}-{slugify(str(usager))}.pdf"),
        )
        sheet.document = document
        sheet.save(update_fields=["document"])
        audit.log_access(actor, AccessAction.CREATE, sheet, detail=f"{label} enregistrée")
    return sheet


_TEXT = {"reason", "destination", "consciousness", "pain", "last_treatment", "last_meal", "belongings", "diagnosis",
         "discharge_treatment", "annexes"}  # fmt: skip


def sheets_for(actor, *, usager: Usager) -> list[TransferSheet]:
    require(actor, READ, DossierSection(usager, SHEET_CLASS))
    sheets = list(TransferSheet.objects.filter(essms_id=usager.essms_id, usager_id=usager.pk)[:10])
    audit.log_reads(actor, sheets)
    return sheets


def sheet_for(actor, *, usager: Usager, pk) -> TransferSheet:
    require(actor, READ, DossierSection(usager, SHEET_CLASS))
    sheet = TransferSheet.objects.filter(essms_id=usager.essms_id, usager_id=usager.pk, pk=pk).first()
    if sheet is None or sheet.document_id is None:
        raise NotFound
    audit.log_access(actor, AccessAction.EXPORT, sheet, detail="PDF de la fiche ouvert")
    return sheet

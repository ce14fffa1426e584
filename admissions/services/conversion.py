"""« Créer la pré-admission »: an accepted request becomes a pré-admission dossier, through dui's services.

Identity (dui's duplicate detection first), a séjour in pré-admission, the contacts, the received
parts and the médecin coordonnateur's opinion (as an `avis_admission` document) are carried over
in one transaction: any refusal along the way writes nothing. A likely duplicate stops the call
until the user chooses: attach to that dossier, or create anyway.
"""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from admissions.models import CONVERTIBLE, OPINION_CLASS, AdmissionRequest
from admissions.services.requests import latest_opinion, require_write
from dui import audit
from dui.models import AccessAction, Usager
from dui.pdf_minimal import simple_pdf
from dui.selectors.identity import find_suspected_duplicates
from dui.services.documents import document_upload
from dui.services.entourage import contact_add
from dui.services.identity import DuplicateSuspectedError, duplicate_message, usager_create
from dui.services.sejours import sejour_open_pre_admission

ALREADY_CONVERTED = "Cette demande a déjà été transformée en pré-admission (dossier n° {pk})."
NOT_CONVERTIBLE = "Seule une demande acceptée ou dont l'entrée est planifiée devient une pré-admission."
WRONG_DOSSIER = "Choisissez un des dossiers proposés comme doublon possible."


def identity_data(request: AdmissionRequest) -> dict:
    return {
        "birth_name": request.birth_name,
        "first_names": request.first_names,
        "used_name": request.used_name,
        "birth_date": request.birth_date,
        "sex": request.sex,
        "birth_place_code": request.birth_place_code,
        "ins_matricule": request.ins_matricule,
    }


def suspected_dossiers(actor, request: AdmissionRequest) -> list[Usager]:
    return find_suspected_duplicates(actor, data=identity_data(request))


def check_convertible(request: AdmissionRequest) -> None:
    if request.usager_id:
        raise ValidationError(ALREADY_CONVERTED.format(pk=request.usager_id), code="converted")
    if request.status not in CONVERTIBLE:
        raise ValidationError(NOT_CONVERTIBLE)


def _opinion_pdf(request: AdmissionRequest, opinion) -> ContentFile:
    lines = [
        f"Avis medical d'admission - {request}",
        f"Avis : {opinion.get_verdict_display()}, le {opinion.given_on:%d/%m/%Y}",
        f"Par : {opinion.author.get_full_name() or opinion.author.username}",
        "",
        *[opinion.text[i : i + 90] for i in range(0, len(opinion.text), 90)],
    ]
    return ContentFile(simple_pdf(lines, title="Avis medical d'admission"), name="avis-admission.pdf")


def _carry_documents(actor, request: AdmissionRequest, usager: Usager) -> int:
    count = 0
    for document in request.documents.all():
        with document.file.open("rb") as stored:
            data = stored.read()
        document_upload(
            actor,
            usager=usager,
            document_class_code=document.document_class_code,
            title=document.title,
            document_date=timezone.localdate(document.uploaded_at),
            source=f"Demande d'admission ({request.get_source_display()})",
            file=ContentFile(data, name=document.original_name),
        )
        count += 1
    opinion = latest_opinion(request)
    if opinion is not None:
        document_upload(
            actor,
            usager=usager,
            document_class_code=OPINION_CLASS,
            title=f"Avis médical d'admission ({opinion.get_verdict_display().lower()})",
            document_date=opinion.given_on,
            source="Demande d'admission",
            file=_opinion_pdf(request, opinion),
        )
        count += 1
    return count


@transaction.atomic
def request_convert(
    actor, *, request: AdmissionRequest, attach_to: Usager | None = None, create_anyway: bool = False
) -> Usager:
    """Open the pré-admission; DuplicateSuspectedError (nothing written) while a likely duplicate is undecided."""
    require_write(actor, request)
    current = AdmissionRequest.objects.select_for_update().get(pk=request.pk)
    check_convertible(current)
    duplicates = suspected_dossiers(actor, current)
    if attach_to is not None:
        if attach_to.pk not in {d.pk for d in duplicates}:
            raise ValidationError(WRONG_DOSSIER)
        usager = attach_to
    elif duplicates and not create_anyway:
        raise DuplicateSuspectedError(duplicate_message(duplicates), duplicates)
    else:
        usager = usager_create(actor, data=identity_data(current), confirm_duplicate=create_anyway)
    sejour_open_pre_admission(actor, usager=usager, first_contact_on=timezone.localdate(current.received_at))
    for contact in current.contacts.all():
        contact_add(
            actor,
            usager=usager,
            role=contact.role,
            last_name=contact.last_name,
            first_name=contact.first_name,
            relationship=contact.relationship,
            phone=contact.phone,
        )
    documents = _carry_documents(actor, current, usager)
    current.usager = usager
    current.save(update_fields=["usager", "updated_at"])
    how = "rattachée au dossier existant" if attach_to is not None else "dossier créé"
    audit.log_access(
        actor,
        AccessAction.UPDATE,
        current,
        detail=f"pré-admission : {how} n° {usager.pk}, {current.contacts.count()} contact(s), {documents} document(s)",
    )
    request.usager = usager
    return usager

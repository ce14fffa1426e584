"""Helpers of the admission tests: a request's data, a request in a given status, a small PDF."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from admissions.models import AdmissionRequest, AdmissionStatusChange, Status
from dui.pdf_minimal import simple_pdf


def request_data(**overrides) -> dict:
    return {
        "source": "viatrajectoire",
        "external_ref": "VT-1001",
        "birth_name": "Lemaire",
        "first_names": "Josette Marie",
        "birth_date": datetime.date(1938, 4, 12),
        "sex": "F",
        "address": "3 rue des Lilas, 63000 Clermont-Ferrand",
        "phone": "04 73 00 00 01",
        "accommodation": "permanent",
        "sending_facility": "CHU Clermont-Ferrand, gériatrie",
        "received_at": timezone.now() - datetime.timedelta(days=20),
        "priority": 2,
    } | overrides


def pdf_file(name="volet.pdf", text="Volet") -> ContentFile:
    return ContentFile(simple_pdf([text]), name=name)


def make_request(essms, *, by, status=Status.RECUE, marker="", **overrides) -> AdmissionRequest:
    """A request straight in the database (for the isolation walk and page tests), its first step recorded."""
    data = request_data(**overrides)
    if marker:
        data |= {"birth_name": marker, "external_ref": marker}
    request = AdmissionRequest.objects.create(essms=essms, created_by=by, status=status, **data)
    AdmissionStatusChange.objects.create(
        essms=essms, request=request, from_status="", to_status=Status.RECUE, at=request.received_at, by=by
    )
    return request


def isolation_objects(usager, marker: str):
    """A request of the person's ESSMS with a contact, a part and an opinion (made once): what the walk names."""
    from admissions.models import AdmissionContact, AdmissionDocument, AdmissionOpinion
    from dui.models import Metier
    from tests.factories import professional

    request = AdmissionRequest.objects.filter(essms_id=usager.essms_id, birth_name=marker).first()
    if request is not None:
        return request, request.documents.get()
    by = professional(usager.essms, Metier.SECRETAIRE_MEDICALE)
    request = make_request(usager.essms, by=by, status=Status.ACCEPTEE, marker=marker)
    AdmissionContact.objects.create(essms=usager.essms, request=request, last_name=marker)
    AdmissionOpinion.objects.create(
        essms=usager.essms, request=request, verdict="favorable", text=marker, given_on=timezone.localdate(), author=by
    )
    document = AdmissionDocument(
        essms=usager.essms, request=request, part="medical", title=marker, original_name="v.pdf",
        mime_type="application/pdf", size=10, sha256="0" * 64, uploaded_by=by,
    )  # fmt: skip
    document.file.save("v.pdf", pdf_file(), save=False)
    document.save()
    return request, document

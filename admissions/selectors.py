"""Reads of the admission requests: scoped to the actor's active ESSMS and to the matrix.

The waiting list logs the requests it shows; a request's page logs the request and the parts
(opinion, medical part) the reader may open. Another ESSMS's request is NotFound (404).
"""

from dataclasses import dataclass

from django.db.models import QuerySet

from admissions.models import (
    ADMISSION_CLASS,
    CLOSED,
    OPINION_CLASS,
    AdmissionDocument,
    AdmissionOpinion,
    AdmissionRequest,
    AdmissionSettings,
    Part,
)
from dui import audit
from dui.catalogue import READ
from dui.errors import NotFound, valid_pk
from dui.models import AccessAction
from dui.permissions import active_membership, can


def _essms_id(actor) -> int | None:
    membership = active_membership(actor)
    if membership is None or not can(actor, READ, ADMISSION_CLASS):
        return None
    return membership.essms_id


def requests_for_user(actor) -> QuerySet[AdmissionRequest]:
    essms_id = _essms_id(actor)
    if essms_id is None:
        return AdmissionRequest.objects.none()
    return AdmissionRequest.objects.filter(essms_id=essms_id)


def access_request(actor, pk, *, action: str = READ) -> AdmissionRequest:
    """The request of the active ESSMS (logged as read), or NotFound."""
    request = requests_for_user(actor).filter(pk=valid_pk(pk)).first()
    if request is None or not can(actor, action, request):
        raise NotFound
    audit.log_access(actor, AccessAction.READ, request)
    return request


@dataclass(frozen=True)
class WaitingRow:
    position: int | None  # place in the waiting list (open requests only)
    request: AdmissionRequest


def waiting_list(actor, *, status: str = "", source: str = "", priority: str = "") -> list[WaitingRow]:
    """The requests, open ones first by priority then reception date; the position counts only open
    requests not yet turned into a dossier, whatever the filters (a filter never renumbers the list)."""
    requests = list(requests_for_user(actor).select_related("usager").order_by("priority", "received_at", "pk"))
    positions, number = {}, 0
    for request in requests:
        if request.status not in CLOSED and request.usager_id is None:
            number += 1
            positions[request.pk] = number
    shown = [
        r
        for r in requests
        if (not status or r.status == status)
        and (not source or r.source == source)
        and (not priority or str(r.priority) == priority)
    ]
    shown.sort(key=lambda r: (r.pk not in positions, positions.get(r.pk, 0), -r.received_at.timestamp()))
    audit.log_reads(actor, shown, detail="liste d'attente des admissions")
    return [WaitingRow(positions.get(r.pk), r) for r in shown]


def opinions_of(actor, request: AdmissionRequest) -> list[AdmissionOpinion] | None:
    """The opinions (latest first), or None when the reader may not read the class `avis_admission`."""
    if not can(actor, READ, OPINION_CLASS):
        return None
    opinions = list(request.opinions.select_related("author"))
    audit.log_reads(actor, opinions)
    return opinions


def documents_of(actor, request: AdmissionRequest) -> list[AdmissionDocument]:
    """The parts the reader may open (the medical part needs the medical class's read right)."""
    documents = [d for d in request.documents.all() if can(actor, READ, d)]
    return documents


def hidden_medical_parts(actor, request: AdmissionRequest) -> int:
    return sum(1 for d in request.documents.filter(part=Part.MEDICAL) if not can(actor, READ, d))


def access_document(actor, request: AdmissionRequest, pk) -> AdmissionDocument:
    document = AdmissionDocument.objects.filter(request=request, pk=valid_pk(pk)).first()
    if document is None or not can(actor, READ, document):
        raise NotFound
    audit.log_access(actor, AccessAction.READ, document, detail="document d'une demande d'admission ouvert")
    return document


def timeline(request: AdmissionRequest):
    return list(request.status_changes.select_related("by").order_by("at", "pk"))


def settings_in_essms(actor) -> AdmissionSettings | None:
    essms_id = _essms_id(actor)
    if essms_id is None:
        return None
    return AdmissionSettings.objects.filter(essms_id=essms_id).first() or AdmissionSettings(essms_id=essms_id)

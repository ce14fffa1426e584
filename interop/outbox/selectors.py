"""Reads of the outbox, scoped to the actor's ESSMS; counts for pilotage."""

import datetime

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from dui import audit
from dui.catalogue import READ
from dui.errors import NotFound
from dui.permissions import can
from dui.selectors.documents import class_codes_for_user
from interop.mssante.models import InboxItem
from interop.outbox.models import Connector, Delivery, DeliveryAttempt, DeliveryState


def deliveries_for_user(actor, *, usager_id=None, state: str = "", connector: str = "", start=None, end=None):
    """Deliveries of the actor's ESSMS, of the document classes the actor may read, with their attempts."""
    essms_id = actor.essms_id
    if essms_id is None:
        return Delivery.objects.none()
    rows = (
        Delivery.objects.filter(essms_id=essms_id, document__document_class__code__in=class_codes_for_user(actor, READ))
        .select_related("document__document_class", "usager", "created_by")
        .prefetch_related(Prefetch("attempts", queryset=DeliveryAttempt.objects.order_by("number")))
    )
    if usager_id:
        rows = rows.filter(usager_id=usager_id)
    if state:
        rows = rows.filter(state=state)
    if connector:
        rows = rows.filter(connector=connector)
    if start:
        rows = rows.filter(created_at__date__gte=start)
    if end:
        rows = rows.filter(created_at__date__lte=end)
    return rows


def delivery_for_user(actor, pk) -> Delivery:
    row = deliveries_for_user(actor).filter(pk=pk).first() if str(pk).isdigit() else None
    if row is None or not can(actor, READ, row.document):
        raise NotFound
    return row


def deliveries_of_document(actor, document) -> QuerySet[Delivery]:
    return deliveries_for_user(actor).filter(document=document)


def document_status_lines(actor, document) -> list[str]:
    """One line per delivery of the document, for its page in the dossier."""
    lines = []
    for row in deliveries_of_document(actor, document):
        target = "DMP" if row.connector == Connector.DMP else f"MSSanté {row.recipient}"
        when = timezone.localtime(row.delivered_at).strftime(" le %d/%m/%Y à %H:%M") if row.delivered_at else ""
        tries = f", {row.attempt_count} tentative(s)" if row.attempt_count > 1 else ""
        lines.append(f"{target} : {row.get_state_display()}{when}{tries}")
    return lines


def logged(actor, rows, detail: str = "envois consultés"):
    rows = list(rows)
    audit.log_reads(actor, rows, detail=detail)
    return rows


def _bounds(start: datetime.date, end: datetime.date):
    tz = timezone.get_current_timezone()
    low = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    high = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return low, high


def sent_counts(essms_ids, start: datetime.date, end: datetime.date) -> dict:
    """Counts over [start, end] (dates included) for pilotage: DMP documents delivered, MSSanté messages
    delivered, MSSanté messages received (whatever became of them). Counts only, no personal data."""
    low, high = _bounds(start, end)
    delivered = Delivery.objects.filter(
        essms_id__in=list(essms_ids), state=DeliveryState.DELIVERED, delivered_at__gte=low, delivered_at__lt=high
    )
    return {
        "dmp_documents_sent": delivered.filter(connector=Connector.DMP).count(),
        "mssante_messages_sent": delivered.filter(connector=Connector.MSSANTE).count(),
        "mssante_messages_received": InboxItem.objects.filter(
            essms_id__in=list(essms_ids), received_at__gte=low, received_at__lt=high
        ).count(),
    }

"""Read receipts: "I have read this transmission" (per user and per version).

A receipt is kept per transmission row: a correction is a new row, so it is unread again.
Only what the user may read gets a receipt (ids are re-checked through the read selector).
The reading itself is in the access log (the screens log every row they show); each new receipt
(the user's own "lu" marker) is logged too, as its creation, linked to the person.
"""

from collections.abc import Iterable

from django.db import IntegrityError, transaction

from dui import audit
from dui.actor import user_of
from dui.models import AccessAction
from dui.permissions import active_membership
from transmissions.models import ReadReceipt, Transmission
from transmissions.selectors import transmissions_for_user

READ_MARK = "marquée comme lue"


@transaction.atomic
def transmissions_mark_read(actor, *, transmission_ids: Iterable[int]) -> int:
    """Mark these transmissions read for the actor; returns how many were readable.

    Ids the user may not read are ignored; receipts already present are kept (no error).
    """
    membership = active_membership(actor)
    wanted = {int(pk) for pk in transmission_ids}
    if membership is None or not wanted:
        return 0
    user = user_of(actor)
    readable = list(
        transmissions_for_user(actor, include_history=True)
        .filter(pk__in=wanted)
        .select_related(None)
        .only("pk", "essms_id", "usager_id")
    )
    already = set(
        ReadReceipt.objects.filter(user=user, transmission_id__in=[t.pk for t in readable]).values_list(
            "transmission_id", flat=True
        )
    )
    fresh = [t for t in readable if t.pk not in already]
    rows = [ReadReceipt(user=user, transmission_id=t.pk, essms_id=membership.essms_id) for t in fresh]
    try:
        with transaction.atomic():
            created = ReadReceipt.objects.bulk_create(rows, batch_size=500)
    except IntegrityError:  # a concurrent request marked some of them: it logged its own receipts
        ReadReceipt.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
        created = []
    for receipt, transmission in zip(created, fresh, strict=False):
        # The journal links the receipt to the person and to the class of what was read.
        receipt.usager_id = transmission.usager_id
        receipt.document_class_code = Transmission.document_class_code
        audit.log_access(actor, AccessAction.CREATE, receipt, detail=READ_MARK)
    return len(readable)


def transmission_mark_read(actor, *, transmission: Transmission) -> None:
    transmissions_mark_read(actor, transmission_ids=[transmission.pk])

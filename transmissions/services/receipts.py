"""Read receipts: "I have read this transmission" (per user and per version).

A receipt is kept per transmission row: a correction is a new row, so it is unread again.
Only what the user may read gets a receipt (ids are re-checked through the read selector).
The reading itself is in the access log (the screens log every row they show); each new receipt
(the user's own "lu" marker) is logged too, as an update of the transmission.
"""

from collections.abc import Iterable

from django.db import transaction

from dui import audit
from dui.actor import user_of
from dui.models import AccessAction
from dui.permissions import active_membership
from transmissions.models import ReadReceipt, Transmission
from transmissions.selectors import transmissions_for_user

READ_MARK = "marquée comme lue"


@transaction.atomic
def transmissions_mark_read(actor, *, transmission_ids: Iterable[int]) -> int:
    """Mark these transmissions read for the acting user; returns how many were readable.

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
    ReadReceipt.objects.bulk_create(
        [ReadReceipt(user=user, transmission_id=t.pk, essms_id=membership.essms_id) for t in readable],
        ignore_conflicts=True,
        batch_size=500,
    )
    for transmission in readable:
        if transmission.pk not in already:
            audit.log_access(actor, AccessAction.UPDATE, transmission, detail=READ_MARK)
    return len(readable)


def transmission_mark_read(actor, *, transmission: Transmission) -> None:
    transmissions_mark_read(actor, transmission_ids=[transmission.pk])

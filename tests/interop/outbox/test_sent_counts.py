"""Counts of the outbox and inbox per period, for pilotage."""

import datetime

from django.utils import timezone

from dui.actor import Actor
from interop.mssante.services import inbox_receive
from interop.outbox import services
from interop.outbox.models import Connector, Delivery
from interop.outbox.selectors import sent_counts
from tests.interop.outbox.mails import cr_message


def test_sent_counts_per_period_and_essms(dlu_document, secretaire, essms, foreign_essms):
    dmp = services.delivery_queue(Actor(secretaire), document=dlu_document, connector=Connector.DMP)
    mss = services.delivery_queue(
        Actor(secretaire), document=dlu_document, connector=Connector.MSSANTE, recipient="dr@cab.mssante.fr"
    )
    pending = services.delivery_queue(
        Actor(secretaire), document=dlu_document, connector=Connector.MSSANTE, recipient="autre@cab.mssante.fr"
    )
    services.delivery_deliver(dmp.pk)
    services.delivery_deliver(mss.pk)
    last_month = timezone.now() - datetime.timedelta(days=40)
    Delivery.objects.filter(pk=mss.pk).update(delivered_at=last_month)
    inbox_receive(essms, cr_message(), source="imap")
    inbox_receive(foreign_essms, cr_message(), source="imap")
    today = timezone.localdate()
    assert pending.state == "pending"
    assert sent_counts([essms.pk], today - datetime.timedelta(days=7), today) == {
        "dmp_documents_sent": 1,
        "mssante_messages_sent": 0,
        "mssante_messages_received": 1,
    }
    assert sent_counts([essms.pk], today - datetime.timedelta(days=60), today)["mssante_messages_sent"] == 1
    assert sent_counts([foreign_essms.pk], today, today) == {
        "dmp_documents_sent": 0,
        "mssante_messages_sent": 0,
        "mssante_messages_received": 1,
    }

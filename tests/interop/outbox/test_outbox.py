"""Queueing with the cause, refusals that queue nothing, attempts, backoff, dead letters, the sweeper."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from dui.actor import Actor
from dui.models import Contact, ContactRole, DmpChannel, IdentityAttribute
from dui.services.dmp import dmp_consent_record
from interop.connectors.base import TransientError
from interop.connectors.stub import STUB_DMP, STUB_MSSANTE
from interop.dlu.signals import dlu_generated
from interop.outbox import services
from interop.outbox.models import AttemptOutcome, Connector, Delivery, DeliveryState
from tests.interop.outbox.conftest import upload_document


@pytest.fixture(autouse=True)
def _fresh_stubs():
    STUB_DMP.received.clear()
    STUB_MSSANTE.received.clear()


def send_dlu(document, actor_user):
    version = document.versions.get()
    dlu_generated.send(sender=type(document), usager=document.usager, document=document, version=version,
                       actor=Actor(actor_user))  # fmt: skip


def test_dlu_generated_queues_dmp_and_medecin_traitant(dlu_document, doctor, django_capture_on_commit_callbacks):
    Contact.objects.create(
        essms=dlu_document.essms, usager=dlu_document.usager, role=ContactRole.MEDECIN_TRAITANT,
        last_name="Blanc", email="dr.blanc@medecin.mssante.fr",
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        send_dlu(dlu_document, doctor)
    rows = Delivery.objects.order_by("connector")
    assert [(r.connector, r.recipient, r.state) for r in rows] == [
        ("dmp", "", DeliveryState.DELIVERED),
        ("mssante", "dr.blanc@medecin.mssante.fr", DeliveryState.DELIVERED),
    ]
    assert len(STUB_DMP.received) == 1 and len(STUB_MSSANTE.received) == 1
    assert [a.outcome for a in rows[0].attempts.all()] == [AttemptOutcome.DELIVERED]


def test_queue_row_rolls_back_with_its_cause(dlu_document, doctor):
    with pytest.raises(RuntimeError), services.transaction.atomic():
        send_dlu(dlu_document, doctor)
        raise RuntimeError("generation failed after the signal")
    assert not Delivery.objects.exists()


def test_nothing_queued_for_a_dlu_when_the_person_opposed(dlu_document, doctor, secretaire):
    dmp_consent_record(
        Actor(secretaire), usager=dlu_document.usager, informed_on=datetime.date(2026, 1, 5),
        informed_how=DmpChannel.ORAL, opposed=True, opposed_on=datetime.date(2026, 2, 1),
        opposed_how=DmpChannel.WRITTEN,
    )  # fmt: skip
    send_dlu(dlu_document, doctor)
    assert not Delivery.objects.exists()


def test_manual_dmp_push_refused_when_opposed(dlu_document, doctor, secretaire):
    dmp_consent_record(
        Actor(secretaire), usager=dlu_document.usager, informed_on=datetime.date(2026, 1, 5),
        informed_how=DmpChannel.ORAL, opposed=True, opposed_on=datetime.date(2026, 2, 1),
        opposed_how=DmpChannel.ORAL,
    )  # fmt: skip
    with pytest.raises(ValidationError, match="opposée à l'alimentation de son DMP"):
        services.delivery_queue(Actor(secretaire), document=dlu_document, connector=Connector.DMP)
    assert not Delivery.objects.exists()


def test_manual_dmp_push_refused_without_qualified_ins(dlu_document, secretaire):
    usager = dlu_document.usager
    usager.identity_status = "VALI"
    usager.save(update_fields=["identity_status"])
    with pytest.raises(ValidationError, match="identité de la personne n'est pas qualifiée"):
        services.delivery_queue(Actor(secretaire), document=dlu_document, connector=Connector.DMP)
    assert not Delivery.objects.exists()


def test_manual_dmp_push_refused_when_never_informed(qualified, doctor, secretaire):
    document = upload_document(doctor, qualified)
    with pytest.raises(ValidationError, match="information de la personne sur le DMP"):
        services.delivery_queue(Actor(secretaire), document=document, connector=Connector.DMP)
    assert not Delivery.objects.exists()


@pytest.mark.parametrize(
    ("address", "message"),
    [("dr.blanc@gmail.com", "n'est pas une adresse de messagerie sécurisée"),
     ("pas une adresse", "n'est pas une adresse de messagerie sécurisée"),
     ("279035121518989@patient.mssante.fr", "seuls les professionnels")],
)  # fmt: skip
def test_non_mssante_address_refused(dlu_document, secretaire, address, message):
    with pytest.raises(ValidationError, match=message):
        services.delivery_queue(
            Actor(secretaire), document=dlu_document, connector=Connector.MSSANTE, recipient=address
        )
    assert not Delivery.objects.exists()


def test_class_without_loinc_refused(informed, doctor, secretaire):
    document = upload_document(doctor, informed, class_code="certificat_medical", title="Certificat")
    with pytest.raises(ValidationError, match="code de document reconnu"):
        services.delivery_queue(Actor(secretaire), document=document, connector=Connector.DMP)


def test_unknown_masking_refused_and_masking_recorded(dlu_document, secretaire):
    with pytest.raises(ValidationError, match="Masquage inconnu"):
        services.delivery_queue(Actor(secretaire), document=dlu_document, connector=Connector.DMP, masking=["X"])
    row = services.delivery_queue(
        Actor(secretaire), document=dlu_document, connector=Connector.DMP, confidentiality="R",
        masking=["MASQUE_PS", "INVISIBLE_PATIENT"],
    )  # fmt: skip
    assert row.masking_flags == ["MASQUE_PS", "INVISIBLE_PATIENT"] and row.confidentiality == "R"


def test_same_document_twice_to_same_recipient_refused(dlu_document, secretaire):
    services.delivery_queue(Actor(secretaire), document=dlu_document, connector=Connector.DMP)
    with pytest.raises(ValidationError, match="déjà dans les envois"):
        services.delivery_queue(Actor(secretaire), document=dlu_document, connector=Connector.DMP)
    assert Delivery.objects.count() == 1


class Flaky:
    name = "dmp"

    def __init__(self, failures):
        self.failures = failures
        self.sent = []

    def send(self, package):
        if self.failures:
            self.failures -= 1
            raise TransientError("DMP indisponible : XDSRepositoryBusy")
        self.sent.append(package.uid)
        return STUB_DMP.send(package)


def test_backoff_then_delivered_with_every_attempt(dlu_document, secretaire, monkeypatch, settings):
    settings.OUTBOX_BACKOFF_SECONDS = 10
    flaky = Flaky(failures=3)
    monkeypatch.setattr(services, "connector_for", lambda name: flaky if name == "flaky" else STUB_DMP)
    row = services.delivery_queue(Actor(secretaire), document=dlu_document, connector=Connector.DMP)
    Delivery.objects.filter(pk=row.pk).update(connector="flaky")
    delays = []
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _ in range(4):
            delays.append(services.delivery_deliver(row.pk))
            assert services.delivery_deliver(row.pk) is None  # not due yet: nothing happens
            if delays[-1]:
                clock.shift(delays[-1] + 1)
    assert delays == [10.0, 20.0, 40.0, None]
    row.refresh_from_db()
    assert row.state == DeliveryState.DELIVERED and row.attempt_count == 4
    assert [a.outcome for a in row.attempts.all()] == ["failed"] * 3 + ["delivered"]
    assert len(STUB_DMP.received) == 1


def test_dead_letter_after_max_attempts_then_renvoyer(dlu_document, secretaire, monkeypatch, settings):
    settings.OUTBOX_BACKOFF_SECONDS = 0
    settings.OUTBOX_MAX_ATTEMPTS = 2
    flaky = Flaky(failures=5)
    monkeypatch.setattr(services, "connector_for", lambda name: flaky)
    row = services.delivery_queue(Actor(secretaire), document=dlu_document, connector=Connector.DMP)
    services.delivery_deliver(row.pk)
    services.delivery_deliver(row.pk)
    row.refresh_from_db()
    assert row.state == DeliveryState.DEAD and "XDSRepositoryBusy" in row.last_error
    with pytest.raises(ValidationError, match="Seul un envoi en échec"):
        services.delivery_retry(Actor(secretaire), delivery=Delivery.objects.create(
            essms=row.essms, usager=row.usager, document=row.document, version=row.version, connector="mssante",
            recipient="x@a.mssante.fr", cause="manual", created_by=secretaire))  # fmt: skip
    flaky.failures = 0
    services.delivery_retry(Actor(secretaire), delivery=row)
    services.delivery_deliver(row.pk)
    row.refresh_from_db()
    assert row.state == DeliveryState.DELIVERED and row.attempts.count() == 3


def test_worker_killed_mid_delivery_leaves_a_retryable_row(dlu_document, secretaire, settings):
    row = services.delivery_queue(Actor(secretaire), document=dlu_document, connector=Connector.DMP)
    claimed = services._claim(row.pk)  # the worker took it, then died before answering
    assert claimed.state == DeliveryState.SENDING
    assert services.delivery_deliver(row.pk) is None  # lease still running: nobody else sends it
    assert not STUB_DMP.received
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=301), tick=False):
        enqueued = []
        services_enqueue = services.outbox_sweep.__globals__["enqueue"]
        services.outbox_sweep.__globals__["enqueue"] = lambda pk, **kw: enqueued.append(pk) or True
        try:
            assert services.outbox_sweep() == 1
        finally:
            services.outbox_sweep.__globals__["enqueue"] = services_enqueue
        services.delivery_deliver(row.pk)
    row.refresh_from_db()
    assert enqueued == [row.pk] and row.state == DeliveryState.DELIVERED
    assert [a.outcome for a in row.attempts.all()] == ["failed", "delivered"]
    assert "interrompue" in row.attempts.first().partner_message


def test_redelivery_of_a_delivered_row_sends_nothing(dlu_document, secretaire):
    row = services.delivery_queue(Actor(secretaire), document=dlu_document, connector=Connector.DMP)
    services.delivery_deliver(row.pk)
    services.delivery_deliver(row.pk)
    assert len(STUB_DMP.received) == 1 and row.attempts.count() == 1


def test_doubtful_identity_is_not_pushed(dlu_document, secretaire):
    usager = dlu_document.usager
    usager.identity_attribute = IdentityAttribute.DOUTEUSE
    usager.identity_status = "PROV"
    usager.save()
    with pytest.raises(ValidationError, match="pas qualifiée"):
        services.delivery_queue(Actor(secretaire), document=dlu_document, connector=Connector.DMP)

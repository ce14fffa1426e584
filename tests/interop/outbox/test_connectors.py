"""The real-protocol backends against servers on loopback: the fake DMP (ITI-41) and aiosmtpd (MSSanté)."""

import email
import email.header
import io
import socket
import zipfile

import pytest
from aiosmtpd.controller import Controller
from lxml import etree

from dui.actor import Actor
from interop.connectors.base import Rejected, TransientError
from interop.connectors.dmp_http import DmpHttpConnector
from interop.connectors.mssante_smtp import MssanteSmtpConnector
from interop.outbox import services
from interop.outbox.models import Connector, DeliveryState
from interop.outbox.package import package_of
from tests.interop.outbox.fake_dmp import FakeDmp


@pytest.fixture
def fake_dmp(settings):
    with FakeDmp() as fake:
        settings.DMP_URL = fake.url
        settings.DMP_TIMEOUT = 2
        settings.OUTBOX_DMP_BACKEND = "http"
        yield fake


class Recorder:
    def __init__(self):
        self.messages = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address.startswith("inconnu@"):
            return "550 5.1.1 Mailbox unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.messages.append(envelope)
        return "250 Message accepted"


@pytest.fixture
def smtp_server(settings):
    recorder = Recorder()
    port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MSSANTE_SMTP_HOST = "127.0.0.1"
    settings.MSSANTE_SMTP_PORT = port
    settings.MSSANTE_SMTP_SECURITY = "none"
    settings.MSSANTE_SENDER = "secretariat@ehpad-cedres.mssante.fr"
    settings.OUTBOX_MSSANTE_BACKEND = "smtp"
    yield recorder
    controller.stop()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def queued(document, actor_user, connector, recipient=""):
    return services.delivery_queue(Actor(actor_user), document=document, connector=connector, recipient=recipient)


def test_dmp_deposit_checked_by_the_fake_server(fake_dmp, dlu_document, secretaire):
    row = queued(dlu_document, secretaire, Connector.DMP)
    services.delivery_deliver(row.pk)
    row.refresh_from_db()
    assert row.state == DeliveryState.DELIVERED, row.last_error
    assert fake_dmp.problems == []
    assert list(fake_dmp.documents) == [package_of(row).uid]


def test_dmp_already_registered_counts_as_delivered(fake_dmp, dlu_document, secretaire):
    row = queued(dlu_document, secretaire, Connector.DMP)
    package = package_of(row)
    DmpHttpConnector().send(package)  # a first copy arrived, but the answer was lost
    outcome = DmpHttpConnector().send(package)
    assert outcome.already
    services.delivery_deliver(row.pk)
    row.refresh_from_db()
    assert row.state == DeliveryState.DELIVERED and row.attempts.get().outcome == "already"
    assert len(fake_dmp.documents) == 1


def test_dmp_busy_is_transient_and_unknown_patient_is_rejected(fake_dmp, dlu_document, secretaire):
    package = package_of(queued(dlu_document, secretaire, Connector.DMP))
    fake_dmp.failures_left = 1
    with pytest.raises(TransientError, match="XDSRepositoryBusy"):
        DmpHttpConnector().send(package)
    fake_dmp.refuse_patient = True
    with pytest.raises(Rejected, match="XDSUnknownPatientId"):
        DmpHttpConnector().send(package)


def test_dmp_timeout_is_retried(fake_dmp, dlu_document, secretaire, settings):
    settings.DMP_TIMEOUT = 0.3
    fake_dmp.delay = 1
    row = queued(dlu_document, secretaire, Connector.DMP)
    assert services.delivery_deliver(row.pk) is not None
    row.refresh_from_db()
    assert row.state == DeliveryState.PENDING and "pas répondu à temps" in row.last_error


def test_dmp_unreachable_is_retried(settings, dlu_document, secretaire):
    settings.OUTBOX_DMP_BACKEND = "http"
    settings.DMP_URL = "http://127.0.0.1:9/repository"
    settings.DMP_TIMEOUT = 1
    row = queued(dlu_document, secretaire, Connector.DMP)
    services.delivery_deliver(row.pk)
    row.refresh_from_db()
    assert row.state == DeliveryState.PENDING and "injoignable" in row.last_error


def test_mssante_message_with_pdf_and_xdm_zip(smtp_server, dlu_document, secretaire):
    row = queued(dlu_document, secretaire, Connector.MSSANTE, "dr.blanc@medecin.mssante.fr")
    services.delivery_deliver(row.pk)
    row.refresh_from_db()
    assert row.state == DeliveryState.DELIVERED, row.last_error
    envelope = smtp_server.messages[0]
    assert envelope.rcpt_tos == ["dr.blanc@medecin.mssante.fr"]
    message = email.message_from_bytes(envelope.content)
    assert message["X-MSS-CODECDA"] == "74207-2"
    assert message["X-MSS-INS"] == dlu_document.usager.ins_matricule
    subject = str(email.header.make_header(email.header.decode_header(message["Subject"])))
    assert subject == "XDM/1.0/DDM+DLU LEFÈVRE Éloïse Marie 12/05/1938"
    parts = {part.get_filename(): part.get_payload(decode=True) for part in message.walk() if part.get_filename()}
    assert parts["dlu.pdf"].startswith(b"%PDF")
    archive = zipfile.ZipFile(io.BytesIO(parts["IHE_XDM.ZIP"]))
    assert set(archive.namelist()) == {
        "INDEX.HTM", "README.TXT", "IHE_XDM/SUBSET01/METADATA.XML", "IHE_XDM/SUBSET01/DOC0001.XML",
    }  # fmt: skip
    cda = etree.fromstring(archive.read("IHE_XDM/SUBSET01/DOC0001.XML"))
    assert cda.find("{urn:hl7-org:v3}code").get("code") == "74207-2"


def test_mssante_refused_mailbox_is_a_dead_letter(smtp_server, dlu_document, secretaire):
    row = queued(dlu_document, secretaire, Connector.MSSANTE, "inconnu@ch-x.mssante.fr")
    services.delivery_deliver(row.pk)
    row.refresh_from_db()
    assert row.state == DeliveryState.DEAD and "refusée" in row.last_error


def test_mssante_server_down_is_retried(settings, dlu_document, secretaire):
    settings.OUTBOX_MSSANTE_BACKEND = "smtp"
    settings.MSSANTE_SMTP_HOST, settings.MSSANTE_SMTP_PORT = "127.0.0.1", 9
    settings.MSSANTE_SMTP_SECURITY, settings.MSSANTE_SENDER = "none", "bal@x.mssante.fr"
    row = queued(dlu_document, secretaire, Connector.MSSANTE, "dr.blanc@medecin.mssante.fr")
    services.delivery_deliver(row.pk)
    row.refresh_from_db()
    assert row.state == DeliveryState.PENDING and "injoignable" in row.last_error
    assert isinstance(MssanteSmtpConnector().name, str)

"""Received messages for the inbox tests, built like a hospital's MSSanté software would."""

import datetime
import uuid
from email.message import EmailMessage

from lxml import etree

from dui.models import EssmsKind
from interop.cda.builder import CdaInput, Person, build_cda, xds_metadata
from interop.cda.xds import submit_objects_request
from interop.connectors.base import Package
from interop.connectors.mssante_smtp import build_message
from tests.interop.outbox.conftest import PDF


def cr_message(
    *, ins="", family="LEFÈVRE", given="Éloïse Marie", birth=datetime.date(1938, 5, 12), sex="F", pdf=PDF,
    message_id=None, cda: bytes | None = None,
) -> bytes:  # fmt: skip
    data = CdaInput(
        unique_id=uuid.uuid4(), class_code="cr_hospitalisation", title="CR d'hospitalisation", pdf=pdf,
        created_at=datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), service_date=datetime.date(2026, 3, 2),
        patient_family=family, patient_given=given, patient_sex=sex, patient_birth_date=birth, patient_ins=ins,
        patient_local_id="IPP123", local_id_root="1.2.250.1.71.4.2.7", author=Person("Martin", "Luc", "10009999999"),
        essms_finess="690000015", essms_name="CH de Lyon", essms_kind=EssmsKind.OTHER,
    )  # fmt: skip
    package = Package(
        uid=str(uuid.uuid4()), essms_finess="690000015", essms_name="CH de Lyon", title=data.title,
        type_code=("34112-3", "CR"), cda=cda if cda is not None else build_cda(data), pdf=pdf, pdf_name="cr.pdf",
        metadata_xml=etree.tostring(submit_objects_request(xds_metadata(data), source_oid="1.2.3")),
        patient_family=family, patient_given=given, patient_birth_date=birth, patient_ins=ins,
        recipient="secretariat@ehpad.mssante.fr",
    )  # fmt: skip
    message = build_message(package, sender="service.medecine@ch-lyon.mssante.fr")
    if message_id:
        message.replace_header("Message-ID", message_id)
    return message.as_bytes()


def plain_message(body="Bonjour", attachment: tuple[str, bytes, str] | None = None) -> bytes:
    message = EmailMessage()
    message["From"] = "dr@ch.mssante.fr"
    message["To"] = "secretariat@ehpad.mssante.fr"
    message["Subject"] = "Sans document"
    message["Message-ID"] = f"<{uuid.uuid4()}@ch.mssante.fr>"
    message.set_content(body)
    if attachment:
        name, content, kind = attachment
        maintype, subtype = kind.split("/")
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()

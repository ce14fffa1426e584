"""MSSanté sending: a MIME message carrying the PDF and the IHE_XDM.ZIP (ITI-32), headers of INTEROP.md §6,
sent by SMTP. Settings: MSSANTE_SMTP_HOST, MSSANTE_SMTP_PORT, MSSANTE_SMTP_SECURITY ("starttls", "tls" or
"none"), MSSANTE_SMTP_USER / MSSANTE_SMTP_PASSWORD, MSSANTE_SMTP_CERTFILE / MSSANTE_SMTP_KEYFILE (client
certificate), MSSANTE_SMTP_CA_BUNDLE, MSSANTE_SENDER (the establishment's organisational box),
MSSANTE_TIMEOUT. The Message-ID is derived from the document's unique id so that a partner can
recognise a redelivery; SMTP itself gives no "already received" answer."""

import io
import smtplib
import ssl
import zipfile
from email.message import EmailMessage
from email.utils import formatdate

from django.conf import settings

from interop.connectors.base import Outcome, Package, Rejected, TransientError

README = (
    "Ce message contient un document de sante au format IHE XDM.\r\n"
    "IHE_XDM/SUBSET01/METADATA.XML : metadonnees ; DOC0001.XML : document CDA R2.\r\n"
)


def xdm_zip(package: Package) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "INDEX.HTM",
            f"<html><body><h1>{package.title}</h1><a href='IHE_XDM/SUBSET01/DOC0001.XML'>Document CDA</a>"
            "</body></html>",
        )
        archive.writestr("README.TXT", README)
        archive.writestr("IHE_XDM/SUBSET01/METADATA.XML", package.metadata_xml)
        archive.writestr("IHE_XDM/SUBSET01/DOC0001.XML", package.cda)
    return buffer.getvalue()


def subject_of(package: Package) -> str:
    born = package.patient_birth_date.strftime("%d/%m/%Y")
    return f"XDM/1.0/DDM+{package.title} {package.patient_family} {package.patient_given} {born}"


def build_message(package: Package, *, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = package.recipient
    message["Subject"] = subject_of(package)
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = f"<{package.uid}@{sender.split('@')[-1]}>"
    message["X-MSS-CODECDA"] = package.type_code[0]
    if package.patient_ins:
        message["X-MSS-INS"] = package.patient_ins
    signature = f"{package.essms_name} (FINESS {package.essms_finess})"
    message.set_content(f"Bonjour,\n\nVeuillez trouver ci-joint : {package.title}.\n\n{signature}\n")
    message.add_attachment(package.pdf, maintype="application", subtype="pdf", filename=package.pdf_name)
    message.add_attachment(xdm_zip(package), maintype="application", subtype="zip", filename="IHE_XDM.ZIP")
    return message


def _context() -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=getattr(settings, "MSSANTE_SMTP_CA_BUNDLE", "") or None)
    certfile = getattr(settings, "MSSANTE_SMTP_CERTFILE", "")
    if certfile:
        context.load_cert_chain(certfile, getattr(settings, "MSSANTE_SMTP_KEYFILE", "") or None)
    return context


class MssanteSmtpConnector:
    name = "mssante"

    def send(self, package: Package) -> Outcome:
        host, port = settings.MSSANTE_SMTP_HOST, int(settings.MSSANTE_SMTP_PORT)
        security = getattr(settings, "MSSANTE_SMTP_SECURITY", "starttls")
        timeout = float(getattr(settings, "MSSANTE_TIMEOUT", 30))
        message = build_message(package, sender=settings.MSSANTE_SENDER)
        try:
            if security == "tls":
                client = smtplib.SMTP_SSL(host, port, timeout=timeout, context=_context())
            else:
                client = smtplib.SMTP(host, port, timeout=timeout)
            with client:
                if security == "starttls":
                    client.starttls(context=_context())
                user = getattr(settings, "MSSANTE_SMTP_USER", "")
                if user:
                    client.login(user, settings.MSSANTE_SMTP_PASSWORD)
                refused = client.send_message(message)
        except smtplib.SMTPRecipientsRefused as error:
            raise Rejected(f"Adresse refusée par le serveur MSSanté : {package.recipient}") from error
        except smtplib.SMTPResponseException as error:
            text = f"Serveur MSSanté : {error.smtp_code} {error.smtp_error!r}"[:900]
            if 500 <= error.smtp_code < 600:
                raise Rejected(text) from error
            raise TransientError(text) from error
        except (OSError, smtplib.SMTPException) as error:
            raise TransientError(f"Serveur MSSanté injoignable : {error.__class__.__name__}") from error
        if refused:
            raise Rejected(f"Adresse refusée par le serveur MSSanté : {', '.join(refused)}")
        return Outcome(reference=message["Message-ID"], message="Message accepté par le serveur MSSanté.")

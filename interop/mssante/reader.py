"""Reads a received MSSanté message: the PDF, the CDA from IHE_XDM.ZIP (or a bare CDA attachment), and what
they say about the person and the document. Never raises on bad content: the reason is returned."""

import base64
import datetime
import email
import email.policy
import io
import zipfile
from dataclasses import dataclass, field

from lxml import etree

HL7 = {"h": "urn:hl7-org:v3"}
INS_ROOTS = {"1.2.250.1.213.1.4.8", "1.2.250.1.213.1.4.9", "1.2.250.1.213.1.4.10", "1.2.250.1.213.1.4.11"}
SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)

NO_ATTACHMENT = "Message sans pièce jointe : aucun document à classer."
BAD_CDA = "Le document CDA joint est illisible (XML invalide) : classement manuel à partir du PDF s'il existe."
NOT_PDF = "La pièce jointe n'est pas un PDF : seuls les PDF sont classés dans le dossier."
BAD_ZIP = "L'archive IHE_XDM.ZIP est illisible."
NO_PDF = "Aucun PDF dans le message : rien à classer dans le dossier."


@dataclass
class Received:
    message_id: str
    sender: str
    subject: str
    pdf: bytes | None = None
    pdf_name: str = ""
    problem: str = ""
    ins: str = ""
    family: str = ""
    given: str = ""
    birth_date: datetime.date | None = None
    sex: str = ""
    type_code: str = ""
    document_date: datetime.date | None = None
    author: str = ""
    title: str = ""
    attachments: list[str] = field(default_factory=list)


def _date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat((value or "")[:8]) if len(value or "") >= 8 else None
    except ValueError:
        return None


def read_cda(received: Received, content: bytes) -> None:
    try:
        root = etree.fromstring(content, parser=SAFE_PARSER)
    except etree.XMLSyntaxError:
        received.problem = received.problem or BAD_CDA
        return
    role = root.find("h:recordTarget/h:patientRole", HL7)
    if role is not None:
        for identifier in role.findall("h:id", HL7):
            if identifier.get("root") in INS_ROOTS:
                received.ins = (identifier.get("extension") or "").strip()
        patient = role.find("h:patient", HL7)
        if patient is not None:
            received.family = " ".join(patient.findtext("h:name/h:family", "", HL7).split())
            received.given = " ".join(g.text or "" for g in patient.findall("h:name/h:given", HL7)).strip()
            gender = patient.find("h:administrativeGenderCode", HL7)
            received.sex = {"F": "F", "M": "M"}.get(gender.get("code") if gender is not None else "", "")
            birth = patient.find("h:birthTime", HL7)
            received.birth_date = _date(birth.get("value") if birth is not None else "")
    code = root.find("h:code", HL7)
    received.type_code = code.get("code", "") if code is not None else ""
    received.title = (root.findtext("h:title", "", HL7) or "").strip()[:200]
    moment = root.find("h:effectiveTime", HL7)
    received.document_date = _date(moment.get("value") if moment is not None else "")
    person = root.find("h:author/h:assignedAuthor/h:assignedPerson/h:name", HL7)
    if person is not None:
        received.author = " ".join(" ".join(person.itertext()).split())[:200]
    body = root.find("h:component/h:nonXMLBody/h:text", HL7)
    if received.pdf is None and body is not None and body.get("mediaType") == "application/pdf" and body.text:
        try:
            received.pdf = base64.b64decode(body.text, validate=False)
            received.pdf_name = "document.pdf"
        except ValueError:
            pass


def _read_zip(received: Received, content: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        names = [n for n in archive.namelist() if n.upper().startswith("IHE_XDM/") and n.upper().endswith(".XML")]
        documents = [n for n in names if not n.upper().endswith("METADATA.XML")]
        for name in documents[:1]:
            info = archive.getinfo(name)
            if info.file_size > 50 * 1024 * 1024:
                received.problem = BAD_ZIP
                return
            read_cda(received, archive.read(name))
    except (zipfile.BadZipFile, KeyError, OSError):
        received.problem = received.problem or BAD_ZIP


def read_message(raw: bytes) -> Received:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    received = Received(
        message_id=str(message.get("Message-ID", "") or "").strip()[:255],
        sender=str(message.get("From", "") or "")[:254],
        subject=str(message.get("Subject", "") or "")[:300],
    )
    other = []
    for part in message.iter_attachments():
        name = part.get_filename() or ""
        content = part.get_payload(decode=True) or b""
        received.attachments.append(name)
        kind = part.get_content_type()
        if name.upper().endswith(".ZIP") or kind == "application/zip":
            _read_zip(received, content)
        elif name.upper().endswith(".XML") or kind in ("text/xml", "application/xml"):
            read_cda(received, content)
        elif content.startswith(b"%PDF-"):
            if received.pdf is None:
                received.pdf, received.pdf_name = content, name or "document.pdf"
        else:
            other.append(name or kind)
    header_ins = str(message.get("X-MSS-INS", "") or "").strip()
    if header_ins and not received.ins:
        received.ins = header_ins
    if not received.attachments:
        received.problem = NO_ATTACHMENT
    elif received.pdf is None and not received.problem:
        received.problem = NOT_PDF if other else NO_PDF
    return received

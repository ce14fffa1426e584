"""DMP backend speaking ITI-41 (Provide and Register Document Set-b) over SOAP 1.2, document inline in base64.

Settings: DMP_URL (endpoint), DMP_TIMEOUT (seconds), DMP_CLIENT_CERT / DMP_CLIENT_KEY (TLS client
certificate of the establishment), DMP_CA_BUNDLE. The VIHF SAML token the real DMP requires is read
as ready-made XML from DMP_VIHF_ASSERTION_FILE when set (building and signing it is not done here).

Answers: RegistryResponse Success → delivered; the error XDSDuplicateUniqueIdInRegistry (this unique
id is already registered) → delivered (a redelivery); busy / 5xx / timeout → retried; any other
RegistryError (patient unknown, metadata error…) → rejected, a dead letter for the secrétaire."""

import base64
import uuid

import requests
from django.conf import settings
from lxml import etree

from interop.connectors.base import Outcome, Package, Rejected, TransientError

SOAP = "http://www.w3.org/2003/05/soap-envelope"
WSA = "http://www.w3.org/2005/08/addressing"
XDSB = "urn:ihe:iti:xds-b:2007"
RS = "urn:oasis:names:tc:ebxml-regrep:xsd:rs:3.0"
ACTION = "urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b"
SUCCESS = "urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success"
DUPLICATE = "XDSDuplicateUniqueIdInRegistry"
BUSY = {"XDSRegistryBusy", "XDSRepositoryBusy", "XDSRegistryNotAvailable", "XDSRepositoryNotAvailable"}


def envelope(package: Package, *, to: str) -> bytes:
    root = etree.Element(f"{{{SOAP}}}Envelope", nsmap={"soap": SOAP, "wsa": WSA, "xdsb": XDSB})
    header = etree.SubElement(root, f"{{{SOAP}}}Header")
    for tag, text in (("Action", ACTION), ("MessageID", f"urn:uuid:{uuid.uuid4()}"), ("To", to)):
        node = etree.SubElement(header, f"{{{WSA}}}{tag}")
        node.text = text
    assertion_file = getattr(settings, "DMP_VIHF_ASSERTION_FILE", "")
    if assertion_file:
        security = etree.SubElement(
            header,
            "{http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd}Security",
        )
        with open(assertion_file, "rb") as handle:
            security.append(etree.fromstring(handle.read()))
    request = etree.SubElement(
        etree.SubElement(root, f"{{{SOAP}}}Body"), f"{{{XDSB}}}ProvideAndRegisterDocumentSetRequest"
    )
    request.append(etree.fromstring(package.metadata_xml))
    document = etree.SubElement(request, f"{{{XDSB}}}Document", id="Document01")
    document.text = base64.b64encode(package.cda).decode("ascii")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def parse_response(body: bytes) -> Outcome:
    try:
        root = etree.fromstring(body, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as error:
        raise TransientError(f"Réponse du DMP illisible : {error}") from error
    response = root.find(f".//{{{RS}}}RegistryResponse")
    if response is None:
        raise TransientError("Réponse du DMP sans RegistryResponse.")
    if response.get("status") == SUCCESS:
        return Outcome(message="Document enregistré dans le DMP.")
    errors = response.findall(f".//{{{RS}}}RegistryError")
    codes = {error.get("errorCode", "") for error in errors}
    text = "; ".join(f"{e.get('errorCode')}: {e.get('codeContext', '')}" for e in errors)[:900]
    if DUPLICATE in codes and len(codes) == 1:
        return Outcome(already=True, message=f"Déjà enregistré dans le DMP ({text}).")
    if codes & BUSY or not codes:
        raise TransientError(f"DMP indisponible : {text or 'échec sans erreur détaillée'}")
    raise Rejected(f"Refusé par le DMP : {text}")


class DmpHttpConnector:
    name = "dmp"

    def send(self, package: Package) -> Outcome:
        url = settings.DMP_URL
        cert = getattr(settings, "DMP_CLIENT_CERT", "")
        key = getattr(settings, "DMP_CLIENT_KEY", "")
        try:
            answer = requests.post(
                url,
                data=envelope(package, to=url),
                headers={"Content-Type": f'application/soap+xml; charset=UTF-8; action="{ACTION}"'},
                timeout=float(getattr(settings, "DMP_TIMEOUT", 30)),
                cert=(cert, key) if cert and key else (cert or None),
                verify=getattr(settings, "DMP_CA_BUNDLE", "") or True,
            )
        except requests.Timeout as error:
            raise TransientError("Le DMP n'a pas répondu à temps.") from error
        except requests.RequestException as error:
            raise TransientError(f"DMP injoignable : {error.__class__.__name__}") from error
        if answer.status_code >= 500 and b"RegistryResponse" not in answer.content:
            raise TransientError(f"DMP en erreur (HTTP {answer.status_code}).")
        if answer.status_code >= 400 and b"RegistryResponse" not in answer.content:
            raise Rejected(f"Requête refusée par le DMP (HTTP {answer.status_code}).")
        return parse_response(answer.content)

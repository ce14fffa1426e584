"""A fake DMP on loopback: checks each ITI-41 request, keeps documents by uniqueId, and can be told to
fail N times, be slow, or refuse the patient. A second deposit of a uniqueId gets the spec's
XDSDuplicateUniqueIdInRegistry error, as the real registry answers."""

import base64
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from lxml import etree

SOAP = "http://www.w3.org/2003/05/soap-envelope"
NS = {
    "s": SOAP,
    "xdsb": "urn:ihe:iti:xds-b:2007",
    "rim": "urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0",
    "wsa": "http://www.w3.org/2005/08/addressing",
    "h": "urn:hl7-org:v3",
}
UNIQUE_ID = "urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab"
SUCCESS = "urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success"
FAILURE = "urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Failure"


def response(status: str, errors: tuple[tuple[str, str], ...] = ()) -> bytes:
    items = "".join(
        f'<rs:RegistryError errorCode="{code}" codeContext="{text}" '
        f'severity="urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Error"/>'
        for code, text in errors
    )
    listed = f"<rs:RegistryErrorList>{items}</rs:RegistryErrorList>" if items else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="{SOAP}"><s:Body>'
        f'<rs:RegistryResponse xmlns:rs="urn:oasis:names:tc:ebxml-regrep:xsd:rs:3.0" status="{status}">'
        f"{listed}</rs:RegistryResponse></s:Body></s:Envelope>"
    ).encode()


class FakeDmp:
    def __init__(self):
        self.documents: dict[str, bytes] = {}
        self.requests = 0
        self.failures_left = 0
        self.delay = 0.0
        self.refuse_patient = False
        self.problems: list[str] = []
        self._lock = threading.Lock()
        handler = self._handler()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/repository"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def check(self, body: bytes, content_type: str) -> tuple[str, bytes] | str:
        """(uniqueId, CDA) of a well-formed request, or the problem found."""
        if "application/soap+xml" not in content_type or "ProvideAndRegisterDocumentSet-b" not in content_type:
            return "content type"
        root = etree.fromstring(body)
        if root.findtext("s:Header/wsa:Action", namespaces=NS) != "urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b":
            return "action"
        request = root.find("s:Body/xdsb:ProvideAndRegisterDocumentSetRequest", NS)
        entry = request.find(".//rim:ExtrinsicObject", NS)
        unique = [
            e.get("value")
            for e in entry.findall("rim:ExternalIdentifier", NS)
            if e.get("identificationScheme") == UNIQUE_ID
        ]
        document = request.find("xdsb:Document", NS)
        if not unique or document is None or document.get("id") != entry.get("id"):
            return "metadata"
        cda = base64.b64decode(document.text)
        if etree.fromstring(cda).find("h:id", NS).get("root") != unique[0]:
            return "uniqueId differs from the CDA id"
        return unique[0], cda

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with fake._lock:
                    fake.requests += 1
                    failing = fake.failures_left > 0
                    if failing:
                        fake.failures_left -= 1
                if fake.delay:
                    time.sleep(fake.delay)
                checked = fake.check(body, self.headers.get("Content-Type", ""))
                if isinstance(checked, str):
                    fake.problems.append(checked)
                    return self.answer(response(FAILURE, (("XDSRegistryMetadataError", checked),)))
                if failing:
                    return self.answer(response(FAILURE, (("XDSRepositoryBusy", "Service occupé"),)))
                if fake.refuse_patient:
                    return self.answer(response(FAILURE, (("XDSUnknownPatientId", "Patient inconnu"),)))
                unique, cda = checked
                with fake._lock:
                    if unique in fake.documents:
                        answer = response(FAILURE, (("XDSDuplicateUniqueIdInRegistry", unique),))
                    else:
                        fake.documents[unique] = cda
                        answer = response(SUCCESS)
                self.answer(answer)

            def answer(self, payload: bytes):
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/soap+xml; charset=UTF-8")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test)

        return Handler

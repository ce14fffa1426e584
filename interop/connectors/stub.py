"""Stub backends (the default for demo and tests): they keep what they receive in this process, keyed by
the document's unique id, so a redelivery is answered "already registered" as a real partner would."""

import threading

from interop.connectors.base import Outcome, Package


class StubConnector:
    received: dict[str, Package]

    def __init__(self, name: str):
        self.name = name
        self.received = {}
        self._lock = threading.Lock()

    def send(self, package: Package) -> Outcome:
        key = f"{package.uid}|{package.recipient}"
        with self._lock:
            if key in self.received:
                return Outcome(already=True, reference=package.uid, message="Document déjà reçu (bouchon).")
            self.received[key] = package
        return Outcome(reference=package.uid, message="Reçu par le bouchon.")


STUB_DMP = StubConnector("dmp")
STUB_MSSANTE = StubConnector("mssante")

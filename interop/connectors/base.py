"""The connector interface: `send(package)` delivers once or raises; the package's `uid` is the key
that lets the partner refuse a second copy (a redelivery answered "already registered" is a success)."""

import datetime
from dataclasses import dataclass
from typing import Protocol


class TransientError(Exception):
    """The partner could not take it now (down, busy, timeout): retried later with backoff."""


class Rejected(Exception):  # noqa: N818 (the partner's answer)
    """The partner refused the content itself: retrying would not help, the delivery is a dead letter."""


@dataclass(frozen=True)
class Package:
    uid: str  # document unique id (OID) — the idempotence key
    essms_finess: str
    essms_name: str
    title: str
    type_code: tuple[str, str]
    cda: bytes
    pdf: bytes
    pdf_name: str
    metadata_xml: bytes  # ebRIM SubmitObjectsRequest
    patient_family: str
    patient_given: str
    patient_birth_date: datetime.date
    patient_ins: str = ""
    recipient: str = ""


@dataclass(frozen=True)
class Outcome:
    already: bool = False
    reference: str = ""
    message: str = ""


class Connector(Protocol):
    name: str

    def send(self, package: Package) -> Outcome: ...

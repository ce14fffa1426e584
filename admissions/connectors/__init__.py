"""Connectors that bring admission requests from outside (ViaTrajectoire): an interface, chosen by a setting.

A backend answers `fetch_new(essms, since)` with the requests received since a date and is told
which ones were imported with `acknowledge(essms, references)`. The import is idempotent on the
external reference, so fetching the same request twice never makes two.
"""

import datetime
from dataclasses import dataclass, field
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT_BACKEND = "admissions.connectors.stub.StubBackend"


@dataclass(frozen=True)
class ExternalRequest:
    reference: str
    data: dict  # the fields of admissions.services.requests.clean_request (source and external_ref included)
    contacts: list[dict] = field(default_factory=list)


class Backend(Protocol):
    def fetch_new(self, essms, since: datetime.datetime | None) -> list[ExternalRequest]: ...

    def acknowledge(self, essms, references: list[str]) -> None: ...


def get_backend() -> Backend:
    return import_string(getattr(settings, "ADMISSIONS_CONNECTOR_BACKEND", DEFAULT_BACKEND))()

"""Which backend serves each connector: OUTBOX_DMP_BACKEND ("stub" or "http") and
OUTBOX_MSSANTE_BACKEND ("stub" or "smtp"); the stubs are the default."""

from django.conf import settings

from interop.connectors.base import Connector
from interop.connectors.stub import STUB_DMP, STUB_MSSANTE


def connector_for(name: str) -> Connector:
    if name == "dmp":
        if getattr(settings, "OUTBOX_DMP_BACKEND", "stub") == "http":
            from interop.connectors.dmp_http import DmpHttpConnector

            return DmpHttpConnector()
        return STUB_DMP
    if name == "mssante":
        if getattr(settings, "OUTBOX_MSSANTE_BACKEND", "stub") == "smtp":
            from interop.connectors.mssante_smtp import MssanteSmtpConnector

            return MssanteSmtpConnector()
        return STUB_MSSANTE
    raise ValueError(f"Unknown connector {name!r}")

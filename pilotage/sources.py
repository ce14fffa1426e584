"""Figures that other domains provide (interop outbox, activities): a small registry.

A provider is registered under an indicator code by the app that owns the data (in its
AppConfig.ready) and answers `provider(essms_ids, start, end, unit_id) -> (numerator, denominator)`
(denominator None for a plain count). While nothing is registered the figure is 0 over 0: the
dashboard says "aucune donnée" rather than inventing a number.
"""

import datetime
from collections.abc import Callable

Provider = Callable[[list[int], datetime.date, datetime.date, int | None], tuple[float, float | None]]

_providers: dict[str, Provider] = {}

# Codes answered through this registry. Interop (outbox): DLU, DMP, MSSanté.
INTEROP_CODES = ("dlu_coverage_rate", "dmp_documents_sent", "mssante_messages_sent", "mssante_messages_received")
# Activities and participation (the activities domain registers these at integration).
ACTIVITY_CODES = ("activity_sessions_held", "activity_attendance_rate", "activity_mean_satisfaction")


def register(code: str, provider: Provider) -> None:
    _providers[code] = provider


def unregister(code: str) -> None:
    _providers.pop(code, None)


def is_registered(code: str) -> bool:
    return code in _providers


def provided(code: str, essms_ids, start, end, unit_id=None) -> tuple[float, float | None]:
    """(numerator, denominator) from the registered provider, or (0, None) / (0, 0) when none is."""
    provider = _providers.get(code)
    if provider is None:
        return 0, None
    return provider(list(essms_ids), start, end, unit_id)

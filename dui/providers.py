"""Hooks other apps fill in from their AppConfig.ready, so `dui` shows their data without importing them."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class CurrentTreatment:
    """One treatment in force as the dossier's medical page shows it."""

    label: str
    detail: str = ""
    status: str = ""
    url: str = ""


# (user, usager) -> list[CurrentTreatment] | None (None: the user may not read them).
_current_treatment_providers: list[Callable] = []


def register_current_treatments(provider: Callable) -> None:
    if provider not in _current_treatment_providers:
        _current_treatment_providers.append(provider)


def current_treatments(user, usager) -> list[CurrentTreatment] | None:
    """Treatments in force from every registered provider; None when no provider lets the user read."""
    found, readable = [], False
    for provider in _current_treatment_providers:
        rows = provider(user, usager)
        if rows is not None:
            readable = True
            found.extend(rows)
    return found if readable else None


# (usager) -> None, called in the transaction that records or ends an allergy: the doses still to
# give carry the allergy marker the moment it is known (ppa registers the refresh).
_allergy_listeners: list[Callable] = []


def register_allergy_listener(listener: Callable) -> None:
    if listener not in _allergy_listeners:
        _allergy_listeners.append(listener)


def allergies_changed(usager) -> None:
    for listener in _allergy_listeners:
        listener(usager)


# (actor, document) -> list[str]: lines about where the document went (the outbox registers one), shown on
# the document's page.
_document_status_providers: list[Callable] = []


def register_document_status(provider: Callable) -> None:
    if provider not in _document_status_providers:
        _document_status_providers.append(provider)


def document_statuses(actor, document) -> list[str]:
    lines = []
    for provider in _document_status_providers:
        lines.extend(provider(actor, document))
    return lines

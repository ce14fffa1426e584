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


@dataclass(frozen=True)
class LoginProvider:
    """Another way in shown on the login page (e.g. Pro Santé Connect), registered by its app."""

    label: str
    url_name: str
    is_enabled: Callable[[], bool]


_login_providers: list[LoginProvider] = []


def register_login_provider(provider: LoginProvider) -> None:
    if all(existing.url_name != provider.url_name for existing in _login_providers):
        _login_providers.append(provider)


def login_providers() -> list[LoginProvider]:
    """The registered ways in that are configured now."""
    return [provider for provider in _login_providers if provider.is_enabled()]


@dataclass(frozen=True)
class PlannedActivity:
    """One activity session a person is registered to, as the person's planning and dossier show it."""

    starts_at: object  # aware datetime
    label: str
    place: str = ""
    status: str = ""
    attendance: str = ""
    url: str = ""


# (actor, usager) -> list[PlannedActivity] | None (None: the user may not read them).
_planned_activity_providers: list[Callable] = []


def register_planned_activities(provider: Callable) -> None:
    if provider not in _planned_activity_providers:
        _planned_activity_providers.append(provider)


def planned_activities(actor, usager) -> list[PlannedActivity] | None:
    """Recent and coming activity sessions of the person from every provider; None when none lets the user read."""
    found, readable = [], False
    for provider in _planned_activity_providers:
        rows = provider(actor, usager)
        if rows is not None:
            readable = True
            found.extend(rows)
    return sorted(found, key=lambda row: row.starts_at) if readable else None


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

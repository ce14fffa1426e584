"""INSi teleservice: the connector interface and a deterministic stub backend.

The backend is chosen by the `INSI_BACKEND` setting (dotted path to a class), defaulting to
`dui.insi.StubInsiBackend`. A real backend calls the Assurance Maladie INSi teleservice
(SOAP, authenticated with the establishment's certificate) and returns the same `InsiIdentity`.

The stub knows a few test people (matricules built with the INS key rule of `dui.ins`), looked
up by birth name (compared with `name_key`) and birth date, and one name that simulates an
outage, so every outcome can be tested without a network.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

from dui.ins import matricule_key, matricule_oid, name_key

DEFAULT_BACKEND = "dui.insi.StubInsiBackend"


class InsiError(Exception):
    """The teleservice answered, or could not be reached: the message is French and shown as is."""


class InsiNotFoundError(InsiError):
    pass


class InsiUnavailableError(InsiError):
    pass


@dataclass(frozen=True)
class InsiQuery:
    birth_name: str
    first_names: str
    birth_date: datetime.date
    sex: str
    birth_place_code: str = ""


@dataclass(frozen=True)
class InsiIdentity:
    """The identity as the national reference (RNIPP) knows it, with its matricule INS and OID."""

    matricule: str
    oid: str
    birth_name: str
    first_names: str
    birth_date: datetime.date
    sex: str
    birth_place_code: str


class InsiBackend:
    """Interface: search the national identity matching the traits; raise InsiError otherwise."""

    def fetch(self, query: InsiQuery) -> InsiIdentity:
        raise NotImplementedError


def _identity(first13: str, birth_name: str, first_names: str, birth_date: datetime.date, sex: str, place: str):
    matricule = f"{first13}{matricule_key(first13):02d}"
    return InsiIdentity(matricule, matricule_oid(matricule), birth_name, first_names, birth_date, sex, place)


STUB_IDENTITIES: tuple[InsiIdentity, ...] = (
    _identity("2550814168025", "LEFÈVRE", "Marie Thérèse", datetime.date(1955, 8, 14), "F", "14168"),
    _identity("148032A004123", "CASANOVA", "Pierre Antoine", datetime.date(1948, 3, 2), "M", "2A004"),
    _identity("2380575056042", "MARTIN", "Jeanne Louise", datetime.date(1938, 5, 12), "F", "75056"),
    _identity("1520669123017", "BERNARD", "Louis Henri", datetime.date(1952, 6, 21), "M", "69123"),
    # A NIA (temporary number, person born abroad).
    _identity("8521199134001", "OKAFOR", "Ada", datetime.date(1952, 11, 3), "F", "99134"),
)

# A birth name that makes the stub behave as if the teleservice were down.
STUB_UNAVAILABLE_NAME = "INDISPONIBLE"


class StubInsiBackend(InsiBackend):
    """Deterministic test identities, matched on birth name (accents, case, hyphens ignored) and birth date."""

    identities = STUB_IDENTITIES

    def fetch(self, query: InsiQuery) -> InsiIdentity:
        if name_key(query.birth_name) == STUB_UNAVAILABLE_NAME:
            raise InsiUnavailableError("Le téléservice INSi est indisponible : réessayez plus tard.")
        wanted = (name_key(query.birth_name), query.birth_date)
        for identity in self.identities:
            if (name_key(identity.birth_name), identity.birth_date) == wanted and identity.sex == query.sex:
                return identity
        raise InsiNotFoundError("Identité introuvable : le téléservice INSi ne connaît personne avec ces traits.")


def get_backend() -> InsiBackend:
    return import_string(getattr(settings, "INSI_BACKEND", DEFAULT_BACKEND))()

"""Fixtures of the interop tests: the OpenID provider of the PSC tests; for FHIR, a partner token (IDE
métier, FHIR scopes) and a client that sends it."""

import pytest

from tests.interop.fhir_helpers import Fhir, make_token
from tests.interop.psc_provider import provider_url, psc  # noqa: F401 (fixtures)


@pytest.fixture
def token(essms):
    return make_token(essms)


@pytest.fixture
def fhir(client, token):
    return Fhir(client, token[1])

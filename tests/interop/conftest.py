"""Fixtures of the FHIR tests: a partner token (IDE métier, FHIR scopes) and a client that sends it."""

import pytest

from tests.interop.fhir_helpers import Fhir, make_token


@pytest.fixture
def token(essms):
    return make_token(essms)


@pytest.fixture
def fhir(client, token):
    return Fhir(client, token[1])

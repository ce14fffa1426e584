"""FHIR interactions fuzzed (hypothesis): any search parameters, ids and bodies on every resource give a
FHIR answer — a Bundle, a resource or an OperationOutcome with a 4xx — never a 5xx, never a write of junk."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dui.models import Document
from interop.fhir.resources import HANDLERS
from soins.models import Evaluation
from tests.interop.fhir_helpers import make_token

TYPES = [h.resource_type for h in HANDLERS] + ["Spaceship", "metadata"]
PARAM_NAMES = sorted({p.name for h in HANDLERS for p in h.params} | {"_count", "_offset", "foo", "name:exact"})
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
VALUES = st.one_of(
    TEXT, st.integers(-(2**70), 2**70).map(str), st.sampled_from(["ge2020", "le1900-13-40", "Patient/1", "x|y"])
)
JSONISH = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), TEXT),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(TEXT, children, max_size=3),
    max_leaves=10,
)
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)


@pytest.fixture
def headers(essms):
    _, raw = make_token(essms, scopes="system/*.read system/*.write", metier="medecin")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _is_fhir(response) -> None:
    assert response.status_code < 500, response.content[:300]
    body = response.json()
    assert "resourceType" in body
    if response.status_code >= 400:
        assert body["resourceType"] == "OperationOutcome"


@pytest.mark.django_db
def test_fuzzed_searches_and_reads(client, usager, headers):
    @FUZZ
    @given(
        st.sampled_from(TYPES), st.dictionaries(st.sampled_from(PARAM_NAMES), VALUES, max_size=4), VALUES, st.booleans()
    )
    def run(resource_type, params, resource_id, strict):
        extra = {"HTTP_PREFER": "handling=strict"} if strict else {}
        _is_fhir(client.get(f"/fhir/{resource_type}", params, **headers, **extra))
        safe_id = resource_id.replace("/", "_").replace("?", "_").replace("#", "_") or "0"
        if resource_type != "metadata":
            _is_fhir(client.get(f"/fhir/{resource_type}/{safe_id}", **headers))

    run()


@pytest.mark.django_db
def test_fuzzed_creates_write_nothing(client, usager, headers):
    @FUZZ
    @given(st.sampled_from(["DocumentReference", "Observation", "Patient"]), JSONISH)
    def run(resource_type, body):
        if isinstance(body, dict) and body:
            body = {"resourceType": resource_type, "subject": {"reference": f"Patient/{usager.pk}"}, **body}
        response = client.post(
            f"/fhir/{resource_type}", json.dumps(body), content_type="application/fhir+json", **headers
        )
        _is_fhir(response)
        assert response.status_code != 201

    run()
    assert Document.objects.count() == 0 and Evaluation.objects.count() == 0

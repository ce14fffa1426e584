"""A stock FHIR client from PyPI (fhirpy) against a live server: what a partner integrates with."""

import base64

import pytest
from fhirpy import SyncFHIRClient
from fhirpy.base.exceptions import ResourceNotFound

from dui.ins import IdentityStatus
from tests.factories import UsagerFactory
from tests.interop.fhir_helpers import make_token

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


@pytest.fixture(scope="module")
def live_server(request, django_db_setup):
    """A live server on plain HTTP (SecurityMiddleware reads its settings when the server starts)."""
    from django.test.utils import override_settings
    from pytest_django.live_server_helper import LiveServer

    with override_settings(SECURE_SSL_REDIRECT=False, SECURE_HSTS_SECONDS=0):
        server = LiveServer("localhost")
        yield server
        server.stop()


@pytest.fixture
def partner(live_server, essms):
    _, raw = make_token(essms, name="Hôpital partenaire")
    return SyncFHIRClient(f"{live_server.url}/fhir", authorization=f"Bearer {raw}")


@pytest.mark.django_db(transaction=True)
def test_stock_client_reads_searches_pages_and_creates(partner, live_server, essms):
    UsagerFactory(
        essms=essms, birth_name="ÉLOÏSE", first_names="Anna", ins_matricule="279035121518989",
        ins_oid="1.2.250.1.213.1.4.10", identity_status=IdentityStatus.QUALIFIEE,
    )  # fmt: skip
    for _ in range(3):
        UsagerFactory(essms=essms)
    capability = SyncFHIRClient(f"{live_server.url}/fhir").execute("metadata", method="get")
    assert capability["resourceType"] == "CapabilityStatement"

    found = partner.resources("Patient").search(name="eloise").fetch()
    assert [p["name"][0]["family"] for p in found] == ["ÉLOÏSE"]
    patient = partner.reference("Patient", found[0]["id"]).to_resource()
    assert patient["identifier"][0]["value"] == "279035121518989"
    assert partner.resources("Patient").search(identifier="279035121518989").count() == 1
    every = partner.resources("Patient").limit(2).fetch_all()  # follows the next links
    assert len(every) == 4

    document = partner.resource(
        "DocumentReference",
        status="current",
        type={"coding": [{"system": "https://dui.essms.fr/fhir/CodeSystem/classe-document", "code": "cr_biologie"}]},
        subject={"reference": f"Patient/{patient['id']}"},
        description="Bilan biologique",
        content=[{"attachment": {"contentType": "image/png", "data": base64.b64encode(PNG).decode()}}],
    )
    document.save()
    assert document["id"]
    assert partner.resources("DocumentReference").search(patient=patient["id"]).count() == 1

    with pytest.raises(ResourceNotFound):
        partner.reference("Patient", "999999").to_resource()

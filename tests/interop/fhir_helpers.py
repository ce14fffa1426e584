"""Shared setup of the FHIR tests: a partner token with scopes and a métier, and a FHIR client."""

from interop.services import api_token_create

ALL_FHIR = "system/*.read system/DocumentReference.write system/Observation.write"


def make_token(essms, *, scopes=ALL_FHIR, metier="ide", name="Partenaire FHIR"):
    return api_token_create(essms_finess=essms.finess, name=name, scopes=scopes, metier=metier)


class Fhir:
    def __init__(self, client, raw):
        self.client = client
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}", "HTTP_ACCEPT": "application/fhir+json"}

    def get(self, path, params=None, **extra):
        return self.client.get(f"/fhir/{path}", params or {}, **self.headers, **extra)

    def post(self, path, body, **extra):
        import json

        return self.client.post(
            f"/fhir/{path}", json.dumps(body), content_type="application/fhir+json", **self.headers, **extra
        )

"""FHIR errors: every refusal under /fhir/ is an OperationOutcome with its HTTP status."""

import json

from django.http import HttpResponse

FHIR_JSON = "application/fhir+json"


class FhirError(Exception):
    """An answer other than success: HTTP status, OperationOutcome issue code and a French message."""

    def __init__(self, status: int, code: str, message: str, *, severity: str = "error"):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.severity = severity


def not_found(message: str = "Ressource introuvable.") -> FhirError:
    return FhirError(404, "not-found", message)


def invalid(message: str) -> FhirError:
    return FhirError(400, "invalid", message)


def outcome(issues: list[tuple[str, str, str]]) -> dict:
    """An OperationOutcome of (severity, code, French diagnostics) issues."""
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": s, "code": c, "diagnostics": d} for s, c, d in issues],
    }


def fhir_response(body: dict, status: int = 200, headers: dict | None = None) -> HttpResponse:
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, separators=(",", ":")),
        status=status,
        content_type=f"{FHIR_JSON}; charset=utf-8",
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def error_response(error: FhirError) -> HttpResponse:
    return fhir_response(outcome([(error.severity, error.code, error.message)]), error.status)

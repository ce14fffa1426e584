"""What a partner token may do: SMART-on-FHIR style scopes for /fhir/, and their REST equivalents.

FHIR scopes read `system/<Resource>.<read|write>` (`system/*.read` for every resource); REST scopes
read `<family>.<read|write>`, the family being the first segment of the route under /api/v1/
(`usagers.read`, `transmissions.write`, `cibles.read`…). A write scope does not imply the read one.
The habilitation matrix still decides, through the métier of the token's account: a scope opens a
door, the matrix says which dossier sections are behind it.
"""

import re

READ, WRITE = "read", "write"
FHIR_RESOURCES = (
    "Patient",
    "Encounter",
    "DocumentReference",
    "Binary",
    "Observation",
    "AllergyIntolerance",
    "Condition",
)
# Routes any valid token may call: who am I (the token's own account and ESSMS).
OPEN_ROUTES = {"me"}
_FHIR_RE = re.compile(r"^system/(?P<resource>\*|[A-Za-z]+)\.(?P<action>read|write|\*)$")
_REST_RE = re.compile(r"^(?P<family>[a-z][a-z0-9-]*)\.(?P<action>read|write)$")


def rest_families() -> list[str]:
    """First segments of the REST routes (read from the router, so a new route gets its scope)."""
    from django.urls import get_resolver

    families = set()
    for pattern in get_resolver().url_patterns:
        if str(pattern.pattern) == "api/v1/":
            for inner in pattern.url_patterns:
                segment = str(inner.pattern).lstrip("^").split("/")[0].split("\\")[0]
                if re.fullmatch(r"[a-z][a-z0-9-]*", segment) and segment not in OPEN_ROUTES:
                    families.add(segment)
    return sorted(families)


def read_only_scopes() -> list[str]:
    """Every read scope: what a token could do before scopes existed (the partner métier's reads)."""
    return ["system/*.read", *(f"{family}.{READ}" for family in rest_families())]


def fhir_scope(resource: str, action: str) -> str:
    return f"system/{resource}.{action}"


def rest_scope(family: str, action: str) -> str:
    return f"{family}.{action}"


def clean_scopes(raw) -> list[str]:
    """The scopes as given (spaces or commas between them), checked; a ValueError names the bad one."""
    if isinstance(raw, str):
        raw = [raw]
    scopes: list[str] = []
    families = None
    for chunk in raw or []:
        for scope in re.split(r"[\s,]+", str(chunk).strip()):
            if not scope:
                continue
            fhir = _FHIR_RE.match(scope)
            if fhir:
                if fhir["resource"] != "*" and fhir["resource"] not in FHIR_RESOURCES:
                    raise ValueError(
                        f"Ressource FHIR inconnue dans la portée « {scope} » : {', '.join(FHIR_RESOURCES)}."
                    )
            else:
                rest = _REST_RE.match(scope)
                families = rest_families() if families is None else families
                if not rest or rest["family"] not in families:
                    raise ValueError(
                        f"Portée inconnue : « {scope[:60]} ». Attendu : system/<Ressource>.read|write "
                        f"ou <route>.read|write, route parmi : {', '.join(families)}."
                    )
            if scope not in scopes:
                scopes.append(scope)
    if not scopes:
        raise ValueError("Au moins une portée est obligatoire (ex. : system/Patient.read).")
    return scopes


def grants(scopes, needed: str) -> bool:
    """True when `scopes` contain `needed` or a wildcard covering it (`system/*.read`, `system/Patient.*`)."""
    if needed in scopes:
        return True
    fhir = _FHIR_RE.match(needed)
    if not fhir:
        return False
    resource, action = fhir["resource"], fhir["action"]
    return any(candidate in scopes for candidate in (f"system/*.{action}", f"system/{resource}.*", "system/*.*"))

"""RPPS numbers of professionals: 11 digits, the last a Luhn check key.

The key rule is not stated in the ANS sources the project keeps (INTEROP.md §3 calls it
unconfirmed); every published RPPS checked passes Luhn, as the FINESS does, so the key is checked
by default. `RPPS_CHECK_KEY=0` turns the key check off (format only) should a real number fail it.
In CDA and FHIR the national identifier is the idNat_PS form "8" + RPPS."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError

from dui.finess import luhn_is_valid

RPPS_RE = re.compile(r"^\d{11}$")
IDNAT_PS_RPPS_PREFIX = "8"


def normalise_rpps(value: str) -> str:
    """Spaces and dots typed between digit groups are dropped."""
    return re.sub(r"[\s.]", "", value or "")


def validate_rpps(value: str) -> None:
    number = normalise_rpps(value)
    if not RPPS_RE.match(number):
        raise ValidationError("Numéro RPPS invalide : 11 chiffres attendus.", code="rpps_format")
    if getattr(settings, "RPPS_CHECK_KEY", True) and not luhn_is_valid(number):
        raise ValidationError(
            "Numéro RPPS invalide : la clé de contrôle (11e chiffre) ne correspond pas. Vérifiez la saisie.",
            code="rpps_key",
        )


def rpps_from_national_id(national_id: str) -> str:
    """The RPPS inside a PS national identifier: "8" + RPPS (idNat_PS) or the bare 11 digits; "" otherwise."""
    value = (national_id or "").strip()
    if len(value) == 12 and value.startswith(IDNAT_PS_RPPS_PREFIX) and value[1:].isdigit():
        return value[1:]
    if RPPS_RE.match(value):
        return value
    return ""


def idnat_ps(rpps: str) -> str:
    """The idNat_PS of a professional with an RPPS (OID 1.2.250.1.71.4.2.1)."""
    return IDNAT_PS_RPPS_PREFIX + rpps

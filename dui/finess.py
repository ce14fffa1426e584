"""FINESS numbers: 9 characters, the last a Luhn check digit (Corsican 2A/2B: format only)."""

import re

from django.core.exceptions import ValidationError

FINESS_RE = re.compile(r"^(\d{2}|2A|2B)\d{7}$")


def luhn_is_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def normalise_finess(value: str) -> str:
    return re.sub(r"\s", "", value or "").upper()


def finess_is_valid(value: str) -> bool:
    number = normalise_finess(value)
    if not FINESS_RE.match(number):
        return False
    if number[:2] in {"2A", "2B"}:
        return True
    return luhn_is_valid(number)


def validate_finess(value: str) -> None:
    number = normalise_finess(value)
    if not FINESS_RE.match(number):
        raise ValidationError(
            "Numéro FINESS invalide : 9 caractères attendus (chiffres, ou 2A/2B pour la Corse).",
            code="finess_format",
        )
    if not finess_is_valid(number):
        raise ValidationError("Numéro FINESS invalide : la clé de contrôle ne correspond pas.", code="finess_key")

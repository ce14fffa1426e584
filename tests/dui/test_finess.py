import pytest
from django.core.exceptions import ValidationError

from dui.finess import finess_is_valid, validate_finess


@pytest.mark.parametrize("number", ["630781227", "630000529", "940711344", "750803447", "010000016", "2A0000012"])
def test_valid_finess(number):
    assert finess_is_valid(number)
    validate_finess(number)


@pytest.mark.parametrize("number", ["630781228", "630000528", "940711345", "640781227", "630000539"])
def test_one_changed_digit_breaks_the_key(number):
    assert not finess_is_valid(number)
    with pytest.raises(ValidationError, match="clé de contrôle"):
        validate_finess(number)


@pytest.mark.parametrize("number", ["", "12345678", "1234567890", "2C0000012", "63078122A", "ABCDEFGHI"])
def test_malformed_finess(number):
    with pytest.raises(ValidationError, match="9 caractères"):
        validate_finess(number)


def test_spaces_are_ignored():
    assert finess_is_valid("63 078 122 7")

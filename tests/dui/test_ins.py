import datetime

import pytest
from django.core.exceptions import ValidationError

from dui.ins import (
    INS_NIA_OID,
    INS_NIR_OID,
    check_matricule_traits,
    matricule_key,
    matricule_oid,
    name_key,
    search_key,
    validate_insee_code,
    validate_matricule,
)


@pytest.mark.parametrize(
    ("first13", "key"), [("2550814168025", 38), ("284052A321025", 52), ("284052B321025", 79), ("2790351215189", 89)]
)
def test_key_matches_the_cnam_rule(first13, key):
    assert matricule_key(first13) == key


@pytest.mark.parametrize(
    "matricule", ["255081416802538", "284052A32102552", "279035121518989", "2 55 08 14 168 025 38"]
)
def test_valid_matricules(matricule):
    validate_matricule(matricule)


@pytest.mark.parametrize("matricule", ["255081416802539", "279035121518988", "284052A32102579"])
def test_wrong_key_is_refused(matricule):
    with pytest.raises(ValidationError, match="clé"):
        validate_matricule(matricule)


@pytest.mark.parametrize("matricule", ["", "25508141680253", "955081416802538", "2550814168025AB", "2550814168025388"])
def test_malformed_matricule_is_refused(matricule):
    with pytest.raises(ValidationError, match="15 caractères"):
        validate_matricule(matricule)


def test_traits_consistency():
    assert check_matricule_traits("255081416802538", sex="F", birth_date=datetime.date(1955, 8, 3)) == []
    errors = check_matricule_traits("255081416802538", sex="M", birth_date=datetime.date(1956, 9, 3))
    assert len(errors) == 3
    assert "sexe" in errors[0]


def test_unknown_month_is_not_checked():
    assert check_matricule_traits("255301416802538", sex="F", birth_date=datetime.date(1955, 8, 3)) == []


def test_oid_by_kind():
    assert matricule_oid("255081416802538") == INS_NIR_OID
    assert matricule_oid("755081416802538") == INS_NIA_OID


@pytest.mark.parametrize("code", ["75056", "2A004", "2b033", "99134", "97105"])
def test_valid_insee_codes(code):
    validate_insee_code(code)


@pytest.mark.parametrize("code", ["", "7505", "750561", "2C004", "ABCDE"])
def test_malformed_insee_code(code):
    with pytest.raises(ValidationError, match="INSEE"):
        validate_insee_code(code)


def test_name_key_ignores_accents_case_hyphens_and_spaces():
    assert name_key("Lefèvre-Dupont") == name_key("LEFEVRE DUPONT") == name_key("le fevre dupont")
    assert name_key("D'Hérouville") == name_key("dherouville")


def test_search_key():
    assert search_key("Éloïse", "Lefèvre") == "eloise lefevre"

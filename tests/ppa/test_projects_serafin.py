"""SERAFIN-PH reference data: the whole tree at its detailed level, official labels, plain wordings."""

import pytest
from django.core.exceptions import ValidationError

from dui.models import EssmsKind
from ppa import serafin


def test_every_detailed_code_of_the_nomenclature_is_there():
    codes = set(serafin.concepts())
    expected = (
        [f"1.1.{n}" for n in range(1, 11)]
        + [f"1.2.1.{n}" for n in range(1, 5)]
        + ["1.3.1.1", "1.3.2.1", "1.3.2.2", *[f"1.3.3.{n}" for n in range(1, 6)], "1.3.4.1", "1.3.4.2", "1.3.5.1"]
        + [*[f"2.1.1.{n}" for n in range(1, 5)], "2.1.2.1", "2.2.1", "2.2.2", "2.2.3"]
        + ["2.3.1.1", "2.3.1.2", "2.3.2.1", "2.3.2.2", *[f"2.3.3.{n}" for n in range(1, 7)]]
        + ["2.3.4.1", "2.3.4.2", "2.3.4.3", "2.3.5.1", "2.3.5.2", "2.3.5.3", "2.4.1"]
        + [*[f"3.1.{n}" for n in range(1, 7)], *[f"3.2.1.{n}" for n in range(1, 6)], "3.2.2.1", "3.2.3.1"]
        + ["3.2.4.1", "3.2.4.2", "3.2.4.3", "3.2.5"]
    )
    assert set(expected) <= codes
    for concept in serafin.concepts().values():
        assert concept.label and concept.plain
        if concept.parent_code:
            assert concept.parent_code in codes, concept.code
    assert serafin.concept("1.1.3").label == "Besoins en matière de douleur"
    assert serafin.concept("2.3.1.1").label == "Accompagnements à l'expression du projet personnalisé"
    # Tree order: 1.1.2 before 1.1.10.
    order = list(serafin.concepts())
    assert order.index("1.1.2") < order.index("1.1.10")


def test_families_and_validation():
    assert all(c.is_need for c in serafin.selectable(serafin.BESOIN))
    assert all(c.is_prestation for c in serafin.selectable("prestation"))
    assert serafin.validate_need_code(" 1.2.1.3 ") == "1.2.1.3"
    assert serafin.validate_prestation_code("3.2.4.1") == "3.2.4.1"
    assert serafin.validate_need_code("") == ""
    for code, message in [("2.2.1", "prestation"), ("1.x", "inconnu"), ("2", "racine")]:
        with pytest.raises(ValidationError, match=message):
            serafin.validate_need_code(code)
    with pytest.raises(ValidationError, match="est un besoin"):
        serafin.validate_prestation_code("1.1.1")


@pytest.mark.parametrize("kind", ["ime", "impro", "mas", "fam", "esat", "foyer", "sessad", "camsp"])
def test_disability_kinds_code_their_projects(kind):
    assert kind in serafin.DISABILITY_KINDS


def test_ehpad_does_not():
    assert EssmsKind.EHPAD not in serafin.DISABILITY_KINDS

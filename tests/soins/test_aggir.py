"""AGGIR: adverbs → modality, sub-variables → variables (guide), and the GIR by the CASF annexe 2-2 algorithm.

Every expected rank below was computed by hand from the annexe's tables (sums noted per case).
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from soins.grids import Context, grid_by_code
from soins.grids.aggir import GROUPS, ILLUSTRATIVES, SUB_VARIABLES, VARIABLES, combine, gir_of, group_sum, rank_in_group
from soins.grids.engine import adverbs_modality

AGGIR = grid_by_code("aggir")
CONTEXT = Context(evaluated_at=timezone.now())
YES = {"S": True, "T": True, "C": True, "H": True}
NO = {"S": False, "T": False, "C": False, "H": False}


def modalities(**overrides) -> dict[str, str]:
    values = dict.fromkeys(VARIABLES, "A")
    values.update(overrides)
    return values


def answers_all(value) -> dict:
    return {code: value for code, *_ in SUB_VARIABLES}


# --- Adverbs and sub-variables (guide de remplissage) -----------------------------------------


def test_adverbs_four_yes_is_a_four_no_is_c_otherwise_b():
    assert adverbs_modality(YES) == "A"
    assert adverbs_modality(NO) == "C"
    for missing in "STCH":
        assert adverbs_modality({**YES, missing: False}) == "B"
        assert adverbs_modality({**NO, missing: True}) == "B"


@pytest.mark.parametrize(
    ("variable", "subs", "expected"),
    [
        ("coherence", ["A", "A"], "A"),
        ("coherence", ["C", "C"], "C"),
        ("coherence", ["A", "C"], "B"),
        ("coherence", ["B", "C"], "B"),
        ("orientation", ["A", "B"], "B"),
        ("toilette", ["A", "C"], "B"),
        ("toilette", ["C", "C"], "C"),
        ("habillage", ["A", "A", "A"], "A"),
        ("habillage", ["C", "C", "C"], "C"),
        ("habillage", ["A", "A", "C"], "B"),
        ("habillage", ["C", "C", "B"], "B"),
        ("alimentation", ["A", "A"], "A"),
        ("alimentation", ["B", "C"], "C"),
        ("alimentation", ["C", "B"], "C"),
        ("alimentation", ["A", "C"], "B"),
        ("alimentation", ["B", "B"], "B"),
        ("elimination", ["A", "C"], "C"),
        ("elimination", ["C", "A"], "C"),
        ("elimination", ["B", "C"], "C"),
        ("elimination", ["A", "B"], "B"),
        ("elimination", ["B", "B"], "B"),
        ("transferts", ["B"], "B"),
    ],
)
def test_sub_variables_combine_as_the_guide_says(variable, subs, expected):
    assert combine(variable, subs) == expected


# --- The algorithm (annexe 2-2) ---------------------------------------------------------------


def test_the_tables_are_complete():
    assert [name for name, _w, _t in GROUPS] == list("ABCDEFGH")
    assert all(set(weights) == set(VARIABLES) for _n, weights, _t in GROUPS)
    # Déplacement extérieur and communication weigh nothing in any group.
    assert all(weights["deplacement_exterieur"] == weights["communication"] == (0, 0) for _n, weights, _t in GROUPS)


@pytest.mark.parametrize(
    ("group", "total", "rank"),
    [
        ("A", 4380, 1), ("A", 4379, 2), ("A", 4140, 2), ("A", 4139, 3), ("A", 3390, 3), ("A", 3389, None),
        ("B", 2016, 4), ("B", 2015, None),
        ("C", 1700, 5), ("C", 1699, 6), ("C", 1432, 6), ("C", 1431, None),
        ("D", 2400, 7), ("D", 2399, None),
        ("E", 1200, 8), ("E", 1199, None),
        ("F", 800, 9), ("F", 799, None),
        ("G", 650, 10), ("G", 649, None),
        ("H", 4000, 11), ("H", 3999, 12), ("H", 2000, 12), ("H", 1999, 13), ("H", 0, 13),
    ],
)  # fmt: skip
def test_rank_boundaries(group, total, rank):
    assert rank_in_group(group, total) == rank


@pytest.mark.parametrize(
    ("overrides", "gir", "rank", "last_sums"),
    [
        # Everything A: every group sums 0, H < 2000 → rank 13.
        ({}, 6, 13, {"H": 0}),
        # Everything C: group A = 2000+1200+40+40+60+100+800+200 = 4440 ≥ 4380.
        (dict.fromkeys(VARIABLES, "C"), 1, 1, {"A": 4440}),
        # Cohérence and orientation C: A = 3200 < 3390; B = 1500+1200 = 2700 ≥ 2016 → rank 4.
        ({"coherence": "C", "orientation": "C"}, 2, 4, {"A": 3200, "B": 2700}),
        # Alimentation and transferts C: C = 60+1000 = 1060; D = 2000+2000 = 4000 ≥ 2400 → rank 7.
        ({"alimentation": "C", "transferts": "C"}, 2, 7, {"C": 1060, "D": 4000}),
        # Transferts C, dépl. int. C, élimination B: C = 1000+400+20 = 1420; D = 2000+200+200 = 2400 → rank 7.
        ({"transferts": "C", "deplacement_interieur": "C", "elimination": "B"}, 2, 7, {"C": 1420, "D": 2400}),
        # Transferts C, dépl. int. C, toilette B, habillage B: C = 1000+400+16+16 = 1432 → rank 6.
        (
            {"transferts": "C", "deplacement_interieur": "C", "toilette": "B", "habillage": "B"},
            2,
            6,
            {"A": 1032, "B": 752, "C": 1432},
        ),
        # Transferts C, dépl. int. C, toilette B: C = 1416; D = 2200; E = 1100; F = 500+200+100 = 800 → rank 9.
        (
            {"transferts": "C", "deplacement_interieur": "C", "toilette": "B"},
            3,
            9,
            {"C": 1416, "D": 2200, "E": 1100, "F": 800},
        ),
        # Toilette, habillage, alimentation C: D = 2000; E = 400+400+400 = 1200 → rank 8.
        ({"toilette": "C", "habillage": "C", "alimentation": "C"}, 3, 8, {"D": 2000, "E": 1200}),
        # Toilette C, habillage C, alimentation B, élimination B, transferts B, dépl. int. B, dépl. ext. C:
        # E = 400+400+100+100+100 = 1100; F = 500+500+100+100+100 = 1300 → rank 9.
        (
            {
                "toilette": "C",
                "habillage": "C",
                "alimentation": "B",
                "elimination": "B",
                "transferts": "B",
                "deplacement_interieur": "B",
                "deplacement_exterieur": "C",
            },
            3,
            9,
            {"A": 268, "B": 176, "C": 360, "D": 600, "E": 1100, "F": 1300},
        ),
        # Toilette B, habillage B, alimentation B: G = 600 < 650; H = 6000 → rank 11.
        ({"toilette": "B", "habillage": "B", "alimentation": "B"}, 4, 11, {"G": 600, "H": 6000}),
        # Transferts B, dépl. int. B, toilette B: G = 200+200+100 = 500; H = 2000+2000+1000 = 5000 → rank 11.
        ({"transferts": "B", "deplacement_interieur": "B", "toilette": "B"}, 4, 11, {"G": 500, "H": 5000}),
        # Toilette C, habillage B: F = 500+100 = 600; G = 300+200 = 500; H = 3000+2000 = 5000 → rank 11.
        ({"toilette": "C", "habillage": "B"}, 4, 11, {"F": 600, "G": 500, "H": 5000}),
        # Toilette C, élimination C: D = 400; E = 400+800 = 1200 → rank 8.
        ({"toilette": "C", "elimination": "C"}, 3, 8, {"C": 200, "D": 400, "E": 1200}),
        # Toilette B, élimination C: E = 100+800 = 900; F = 100+500 = 600; G = 200+500 = 700 → rank 10.
        ({"toilette": "B", "elimination": "C"}, 4, 10, {"E": 900, "F": 600, "G": 700}),
        # Toilette B only: H = 2000 → rank 12.
        ({"toilette": "B"}, 5, 12, {"G": 200, "H": 2000}),
        # Transferts C and dépl. int. C only: G = 600 < 650; H = 1000+1000 = 2000 → rank 12.
        ({"transferts": "C", "deplacement_interieur": "C"}, 5, 12, {"G": 600, "H": 2000}),
        # Dépl. extérieur and communication C only: they weigh nothing → rank 13.
        ({"deplacement_exterieur": "C", "communication": "C"}, 6, 13, {"H": 0}),
    ],
)
def test_gir_on_worked_examples(overrides, gir, rank, last_sums):
    values = modalities(**overrides)
    got_gir, got_rank, sums = gir_of(values)
    assert (got_gir, got_rank) == (gir, rank)
    for group, total in last_sums.items():
        assert sums[group] == total == group_sum(group, values)


def test_the_grid_codes_adverbs_combines_and_scores():
    answers = answers_all(YES)
    answers["toilette_haut"] = {**YES, "S": False}  # B
    answers["toilette_bas"] = NO  # C → toilette B
    answers["elimination_urinaire"] = "c"  # modality given directly → élimination C
    cleaned, outcome = AGGIR.evaluate(answers, CONTEXT)
    assert cleaned["toilette_haut"]["modalite"] == "B"
    assert outcome.results["variables"]["toilette"] == "B"
    assert outcome.results["variables"]["elimination"] == "C"
    # Toilette B + élimination C: G = 200+500 = 700 ≥ 650 → rank 10, GIR 4.
    assert outcome.results["rang"] == 10
    assert outcome.score == 4
    assert outcome.interpretation.startswith("GIR 4")


def test_illustrative_variables_are_optional_and_outside_the_gir():
    answers = answers_all(YES)
    _cleaned, without = AGGIR.evaluate(answers, CONTEXT)
    answers |= {code: NO for code, _label, _help in ILLUSTRATIVES}
    _cleaned, with_them = AGGIR.evaluate(answers, CONTEXT)
    assert without.score == with_them.score == 6
    assert with_them.results["illustratives"]["cuisine"] == "C"


@pytest.mark.parametrize(
    ("answers", "key", "fragment"),
    [
        ({"transferts": None}, "transferts", "obligatoire"),
        ({"transferts": {"S": True, "T": True, "C": True}}, "transferts", "quatre adverbes"),
        ({"transferts": {"S": True, "T": True, "C": True, "H": "oui"}}, "transferts", "quatre adverbes"),
        ({"transferts": {"S": True, "T": True, "C": True, "H": True, "X": True}}, "transferts", "S, T, C, H"),
        ({"transferts": "D"}, "transferts", "A, B ou C"),
        ({"transferts": 3}, "transferts", "adverbes"),
        ({"cuisine": {"S": True}}, "cuisine", "quatre adverbes"),
        ({"marche": "A"}, "marche", "Item inconnu"),
    ],
)
def test_bad_aggir_answers_are_refused_in_french(answers, key, fragment):
    full = answers_all(YES) | answers
    with pytest.raises(ValidationError) as error:
        AGGIR.evaluate(full, CONTEXT)
    assert fragment in error.value.message_dict[key][0]


def test_context_is_not_needed_by_aggir():
    late = Context(evaluated_at=timezone.now() - datetime.timedelta(days=3))
    assert AGGIR.evaluate(answers_all(NO), late)[1].score == 1

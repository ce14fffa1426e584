"""SERAFIN-PH reference data: the nomenclature of needs (besoins) and services (prestations).

Shipped with the application (ppa/data/serafin_ph.json, from the ANS terminology
https://smt.esante.gouv.fr/terminologie-SERAFINPH, value sets JDV_J285 besoins, JDV_J284
prestations directes, JDV_J283 prestations indirectes). Each concept keeps its official label
and a plain-language wording, shown first to the teams and the person (the field documents
call the tree "too complex, technical vocabulary").

Only disability establishments code their projects; for an EHPAD the codes are optional and not shown.
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError

from dui.models import EssmsKind

DATA_FILE = Path(__file__).resolve().parent / "data" / "serafin_ph.json"
SYSTEM = "https://smt.esante.gouv.fr/terminologie-SERAFINPH"

# Establishments for persons with disabilities: the projects there code needs and prestations.
DISABILITY_KINDS = frozenset(
    {
        EssmsKind.IME,
        EssmsKind.IMPRO,
        EssmsKind.MAS,
        EssmsKind.FAM,
        EssmsKind.ESAT,
        EssmsKind.FOYER,
        EssmsKind.SESSAD,
        EssmsKind.CAMSP,
    }
)

BESOIN, PRESTATION_DIRECTE, PRESTATION_INDIRECTE = "besoin", "prestation_directe", "prestation_indirecte"
_FAMILY_OF_ROOT = {"1": BESOIN, "2": PRESTATION_DIRECTE, "3": PRESTATION_INDIRECTE}


@dataclass(frozen=True)
class Concept:
    code: str
    label: str  # official label
    plain: str  # plain-language wording
    family: str

    @property
    def depth(self) -> int:
        return self.code.count(".") + 1

    @property
    def parent_code(self) -> str | None:
        return self.code.rsplit(".", 1)[0] if "." in self.code else None

    @property
    def is_need(self) -> bool:
        return self.family == BESOIN

    @property
    def is_prestation(self) -> bool:
        return self.family in (PRESTATION_DIRECTE, PRESTATION_INDIRECTE)

    @property
    def display(self) -> str:
        """What the screens show: the plain wording, then the code."""
        return f"{self.plain} ({self.code})"


def _sort_key(code: str) -> tuple[int, ...]:
    return tuple(int(part) for part in code.split("."))


@cache
def concepts() -> dict[str, Concept]:
    """Every concept of the nomenclature by code, in the tree order (1.1.2 before 1.1.10)."""
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    rows = [
        Concept(code=code, label=label, plain=plain, family=_FAMILY_OF_ROOT[code.split(".")[0]])
        for code, label, plain in data["concepts"]
    ]
    return {row.code: row for row in sorted(rows, key=lambda row: _sort_key(row.code))}


def concept(code: str) -> Concept | None:
    return concepts().get((code or "").strip())


def applies_to(essms) -> bool:
    """Whether projects of this ESSMS carry SERAFIN-PH codes (disability establishments)."""
    return essms.kind in DISABILITY_KINDS


def selectable(family: str) -> list[Concept]:
    """Codes a need (family besoin) or an action (prestation) may take: every node but the roots."""
    if family == BESOIN:
        return [c for c in concepts().values() if c.is_need and c.depth > 1]
    return [c for c in concepts().values() if c.is_prestation and c.depth > 1]


def children(code: str) -> list[Concept]:
    return [c for c in concepts().values() if c.parent_code == code]


def validate_need_code(code: str, field: str = "serafin_code") -> str:
    """A besoin code (1.x…), or "" when empty; a French error for an unknown or prestation code."""
    return _validate(code, field, need=True)


def validate_prestation_code(code: str, field: str = "serafin_code") -> str:
    return _validate(code, field, need=False)


def _validate(code: str, field: str, *, need: bool) -> str:
    code = (code or "").strip()
    if not code:
        return ""
    found = concept(code)
    if found is None:
        raise ValidationError({field: f"Code SERAFIN-PH inconnu : « {code} »."})
    if found.depth == 1:
        raise ValidationError(
            {field: f"Le code « {code} » est une racine de la nomenclature : choisissez un code précis."}
        )
    if need and not found.is_need:
        raise ValidationError(
            {field: f"Le code « {code} » est une prestation SERAFIN-PH : un besoin prend un code besoin (1.x)."}
        )
    if not need and not found.is_prestation:
        raise ValidationError(
            {field: f"Le code « {code} » est un besoin SERAFIN-PH : une action prend un code prestation (2.x ou 3.x)."}
        )
    return found.code

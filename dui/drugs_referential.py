"""Loading the drug referential: the shipped starter set and the BDPM public files.

BDPM files are tab-separated, Windows-1252, without header:
- CIS_bdpm.txt (12 columns): CIS, dénomination, forme, voies (";"), statut AMM, procédure,
  état de commercialisation, date AMM, statut BdM, n° européen, titulaire(s), surveillance renforcée;
- CIS_COMPO_bdpm.txt (8 columns): CIS, élément pharmaceutique, code substance, dénomination de la
  substance, dosage, référence du dosage, nature (SA/FT), n° de liaison SA/FT;
- CIS_CIP_bdpm.txt (10 columns or more): CIS, CIP7, libellé, statut, état de commercialisation,
  date de déclaration, CIP13, agrément collectivités, taux de remboursement, prix…

An import is all or nothing: the first malformed line stops it with its file and line number.
"""

import json
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import SimpleNamespace

from django.db import transaction

from dui import audit
from dui.models import AccessAction, Drug, DrugComponent, Presentation, Substance, SubstanceClass

STARTER_FILE = Path(__file__).resolve().parent / "data" / "drug_starter.json"
MASS_UNITS = {"g": Decimal(1000), "mg": Decimal(1), "microgrammes": Decimal("0.001"), "µg": Decimal("0.001")}
STRENGTH = re.compile(r"^\s*([\d\s]+(?:[.,]\d+)?)\s*(g|mg|microgrammes|µg)\s*$", re.IGNORECASE)
CIS = re.compile(r"^\d{8}$")
CIP13 = re.compile(r"^\d{13}$")


class BdpmError(ValueError):
    """A malformed BDPM line: the message names the file and the line."""


@dataclass(frozen=True)
class _Referential:
    """The drug referential as the access log sees it: public data, no ESSMS, no dossier."""

    pk: str = "bdpm"
    _meta = SimpleNamespace(model_name="referentiel", label_lower="dui.drug")


def normalize(name: str) -> str:
    """Accent- and case-free form of a substance name, to match BDPM names with the starter set."""
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode()
    return " ".join(text.lower().split())


def strength_mg(dosage: str) -> Decimal | None:
    """ "500 mg" → 500, "1 g" → 1000, "1 000 mg" → 1000, "50 microgrammes" → 0.05; anything else → None."""
    match = STRENGTH.match(dosage or "")
    if not match:
        return None
    try:
        value = Decimal(match.group(1).replace(" ", "").replace(",", "."))
    except InvalidOperation:
        return None
    return value * MASS_UNITS[match.group(2).lower()]


def _substance_index() -> dict[str, Substance]:
    return {normalize(substance.name): substance for substance in Substance.objects.all()}


@transaction.atomic
def starter_referential_load(path: Path = STARTER_FILE) -> int:
    """Create or update the shipped classes, substances and specialities; idempotent. Returns the drug count."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    classes = {}
    for row in data["classes"]:
        classes[row["code"]], _ = SubstanceClass.objects.update_or_create(
            code=row["code"], defaults={"name": row["name"]}
        )
    index = _substance_index()
    for row in data["substances"]:
        substance = index.get(normalize(row["name"])) or Substance(name=row["name"])
        for field in ("max_daily_mg_frail", "max_daily_mg_adult"):
            value = row.get(field)
            setattr(substance, field, None if value is None else Decimal(str(value)))
        substance.save()
        substance.classes.add(*(classes[code] for code in row["classes"]))
        index[normalize(row["name"])] = substance
    for row in data["drugs"]:
        drug, _ = Drug.objects.update_or_create(
            cis=row["cis"], defaults={"name": row["name"], "form": row["form"], "routes": row["routes"]}
        )
        for name, dosage, reference in row["components"]:
            DrugComponent.objects.update_or_create(
                drug=drug,
                substance=index[normalize(name)],
                defaults={"dosage": dosage, "reference": reference, "strength_mg": strength_mg(dosage)},
            )
    return len(data["drugs"])


@dataclass
class ImportResult:
    drugs: int
    components: int
    presentations: int


def _rows(path: Path, label: str, min_columns: int):
    """(line number, columns) of a BDPM file; blank lines skipped, short lines refused."""
    with open(path, encoding="cp1252", newline="") as handle:
        for number, raw in enumerate(handle, start=1):
            line = raw.rstrip("\r\n")
            if not line.strip():
                continue
            columns = [column.strip() for column in line.split("\t")]
            if len(columns) < min_columns:
                raise BdpmError(
                    f"{label}, ligne {number} : {len(columns)} colonne(s) au lieu de {min_columns} au moins "
                    "(séparateur tabulation attendu)."
                )
            yield number, columns


def _check(condition: bool, label: str, number: int, message: str) -> None:
    if not condition:
        raise BdpmError(f"{label}, ligne {number} : {message}")


@transaction.atomic
def bdpm_import(actor, cis_path: Path, compo_path: Path, cip_path: Path | None = None) -> ImportResult:
    """Upsert specialities, compositions and presentations from the BDPM files; nothing is kept on error.

    The import is written to the access log (who ran it, what it loaded).
    """
    cis_label, compo_label, cip_label = (Path(p).name if p else "" for p in (cis_path, compo_path, cip_path))
    drugs: dict[str, Drug] = {}
    for number, cols in _rows(cis_path, cis_label, 12):
        _check(CIS.match(cols[0]) is not None, cis_label, number, f"code CIS « {cols[0][:20]} » invalide (8 chiffres).")
        _check(bool(cols[1]), cis_label, number, "dénomination vide.")
        drug, _ = Drug.objects.update_or_create(
            cis=cols[0],
            defaults={
                "name": cols[1][:300],
                "form": cols[2][:200],
                "routes": cols[3][:200],
                "marketed": cols[6].lower() == "commercialisée",
            },
        )
        drugs[cols[0]] = drug
    known = set(drugs) | set(Drug.objects.values_list("cis", flat=True))
    # One component per (CIS, liaison number): the therapeutic fraction (FT) wins over the salt (SA).
    chosen: dict[tuple[str, str], list[str]] = {}
    for number, cols in _rows(compo_path, compo_label, 8):
        _check(cols[0] in known, compo_label, number, f"code CIS « {cols[0][:20]} » absent de CIS_bdpm.")
        _check(cols[6] in ("SA", "FT"), compo_label, number, f"nature « {cols[6][:10]} » inconnue (SA ou FT).")
        _check(bool(cols[3]), compo_label, number, "dénomination de la substance vide.")
        key = (cols[0], cols[7] or f"ligne{number}")
        if cols[6] == "FT" or key not in chosen:
            chosen[key] = cols
    index = _substance_index()
    by_code = {substance.code: substance for substance in Substance.objects.exclude(code=None)}
    components = 0
    for cols in chosen.values():
        code, name = cols[2] or None, cols[3]
        substance = by_code.get(code) if code else None
        substance = substance or index.get(normalize(name))
        if substance is None:
            substance = Substance.objects.create(code=code, name=name.lower()[:200])
        elif code and substance.code is None and code not in by_code:
            substance.code = code
            substance.save(update_fields=["code"])
        if code:
            by_code[code] = substance
        index[normalize(name)] = substance
        drug = drugs.get(cols[0]) or Drug.objects.get(cis=cols[0])
        DrugComponent.objects.update_or_create(
            drug=drug,
            substance=substance,
            defaults={"dosage": cols[4][:200], "reference": cols[5][:200], "strength_mg": strength_mg(cols[4])},
        )
        components += 1
    presentations = 0
    if cip_path:
        for number, cols in _rows(cip_path, cip_label, 10):
            _check(cols[0] in known, cip_label, number, f"code CIS « {cols[0][:20]} » absent de CIS_bdpm.")
            _check(
                CIP13.match(cols[6]) is not None, cip_label, number, f"CIP13 « {cols[6][:20]} » invalide (13 chiffres)."
            )
            drug = drugs.get(cols[0]) or Drug.objects.get(cis=cols[0])
            Presentation.objects.update_or_create(cip13=cols[6], defaults={"drug": drug, "label": cols[2][:300]})
            presentations += 1
    result = ImportResult(len(drugs), components, presentations)
    audit.log_access(
        actor,
        AccessAction.UPDATE,
        _Referential(),
        detail=f"import BDPM : {result.drugs} spécialité(s), {result.components} composant(s), "
        f"{result.presentations} présentation(s)",
    )
    return result

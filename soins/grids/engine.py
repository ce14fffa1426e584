"""The evaluation grid engine: a grid is data (items, scoring, interpretation, follow-up rules).

`Grid.evaluate(answers, context)` validates a JSON object of answers against the grid's items
(unknown item, wrong type, out of range, missing required answer: French messages keyed by item
code, raised together as one ValidationError) and returns an `Outcome`: score, computed results,
interpretation and the follow-up cares the result calls for. Nothing here touches the database.
"""

import datetime
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError

from dui.errors import NotFound

BOOLEAN = "booleen"
INTEGER = "entier"
DECIMAL = "decimal"
CHOICE = "choix"
MULTICHOICE = "choix_multiple"
ADVERBS = "adverbes"
ITEM_TYPES = (BOOLEAN, INTEGER, DECIMAL, CHOICE, MULTICHOICE, ADVERBS)

GRID_LEVEL = "answers"  # error key of rules that concern the whole grid

# The four adverbs of the AGGIR guide: each answered yes (fait) or no (ne fait pas).
ADVERB_CODES = ("S", "T", "C", "H")
ADVERB_LABELS = {
    "S": ("Spontanément", "Sans incitation ni stimulation d'un tiers."),
    "T": ("Totalement", "L'ensemble des activités du champ est réalisé."),
    "C": ("Correctement", "Qualité de réalisation, conformité aux usages, sécurité pour soi et les autres."),
    "H": ("Habituellement", "Chaque fois que nécessaire, à la fréquence attendue."),
}
MODALITIES = ("A", "B", "C")


class UnknownGridError(NotFound):
    """An unknown grid code: a 404 in a view, a French ValidationError in a service."""

    def __init__(self, code):
        self.code = code
        super().__init__(f"Grille inconnue : « {str(code)[:40]} ».")


@dataclass(frozen=True)
class Item:
    """One question of a grid. `minimum`/`maximum` bound what is accepted (plausible values);
    `scale` labels the points of an integer item (Bristol types…); `choices` are (value, label)."""

    code: str
    label: str
    type: str
    required: bool = True
    help: str = ""
    unit: str = ""
    minimum: float | None = None
    maximum: float | None = None
    decimals: int = 0
    choices: tuple[tuple[str, str], ...] = ()
    scale: tuple[tuple[int, str], ...] = ()
    group: str = ""
    out_of_range: str = ""  # a clearer message than "hors limites" for a measure (weight…)
    ruler: bool = False  # drawn as a horizontal ruler of its scale points (EN 0–10)

    def __post_init__(self):
        assert self.type in ITEM_TYPES, self.type

    @property
    def range_text(self) -> str:
        def fmt(value):
            return f"{value:g}".replace(".", ",")

        return f"{fmt(self.minimum)} à {fmt(self.maximum)}{' ' + self.unit if self.unit else ''}"

    def clean(self, value):
        """The typed, bounded value; ValidationError (French) otherwise. None/"" mean "no answer"."""
        if self.type == BOOLEAN:
            if not isinstance(value, bool):
                raise ValidationError("Réponse attendue : oui ou non (true / false).")
            return value
        if self.type in (INTEGER, DECIMAL):
            return self._clean_number(value)
        if self.type == CHOICE:
            values = [choice for choice, _ in self.choices]
            if not isinstance(value, str) or value not in values:
                raise ValidationError(f"Choix invalide : valeurs possibles {', '.join(values)}.")
            return value
        if self.type == MULTICHOICE:
            values = [choice for choice, _ in self.choices]
            if not isinstance(value, list) or any(not isinstance(v, str) or v not in values for v in value):
                raise ValidationError(f"Liste attendue parmi : {', '.join(values)}.")
            if len(set(value)) != len(value):
                raise ValidationError("Une même réponse est cochée deux fois.")
            return [v for v in values if v in value]
        return _clean_adverbs(value)

    def _clean_number(self, value):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValidationError("Nombre attendu.")
        if isinstance(value, float) and not math.isfinite(value):
            raise ValidationError("Nombre attendu.")
        if self.type == INTEGER:
            if isinstance(value, float):
                if not value.is_integer():
                    raise ValidationError("Nombre entier attendu.")
                value = int(value)
            if self.minimum is not None and not self.minimum <= value <= self.maximum:
                raise ValidationError(self._range_message())
            return value
        number = Decimal(str(value)).quantize(Decimal(1).scaleb(-self.decimals), rounding=ROUND_HALF_UP)
        if self.minimum is not None and not Decimal(str(self.minimum)) <= number <= Decimal(str(self.maximum)):
            raise ValidationError(self._range_message())
        return float(number)

    def _range_message(self) -> str:
        return (
            f"{self.out_of_range} (de {self.range_text})."
            if self.out_of_range
            else (f"Valeur hors limites : de {self.range_text}.")
        )

    def definition(self) -> dict:
        """The item as the API and the tablet render it."""
        return {
            "code": self.code,
            "label": self.label,
            "type": self.type,
            "required": self.required,
            "help": self.help,
            "unit": self.unit,
            "minimum": self.minimum,
            "maximum": self.maximum,
            "decimals": self.decimals,
            "choices": [{"value": value, "label": label} for value, label in self.choices],
            "scale": [{"value": value, "label": label} for value, label in self.scale],
            "group": self.group,
        }


def _clean_adverbs(value) -> dict:
    """AGGIR sub-variable: the four adverbs answered (dict of booleans) or the modality A/B/C itself."""
    if isinstance(value, str):
        if value.upper() in MODALITIES:
            return {"modalite": value.upper()}
        raise ValidationError("Modalité attendue : A, B ou C (ou les quatre adverbes S, T, C, H).")
    if not isinstance(value, dict):
        raise ValidationError("Réponse attendue : les quatre adverbes {S, T, C, H: oui/non} ou la modalité A, B, C.")
    keys = set(value)
    if keys - set(ADVERB_CODES):
        raise ValidationError("Adverbes possibles : S, T, C, H.")
    if keys != set(ADVERB_CODES) or any(not isinstance(value[key], bool) for key in ADVERB_CODES):
        raise ValidationError("Répondez oui ou non à chacun des quatre adverbes (S, T, C, H).")
    cleaned = {key: value[key] for key in ADVERB_CODES}
    cleaned["modalite"] = adverbs_modality(cleaned)
    return cleaned


def adverbs_modality(adverbs: dict) -> str:
    """Guide AGGIR: fait spontanément, totalement, correctement et habituellement → A; aucun → C; sinon B."""
    done = sum(1 for key in ADVERB_CODES if adverbs[key])
    return "A" if done == 4 else "C" if done == 0 else "B"


@dataclass(frozen=True)
class FollowUp:
    """A care the result calls for: scheduled into the worklist (soins.services.worklist.schedule_follow_up)."""

    label: str
    within: datetime.timedelta
    metier: str = ""


@dataclass(frozen=True)
class Context:
    """What a grid may need besides the answers: age at evaluation, earlier measures of the person."""

    evaluated_at: datetime.datetime
    age_years: int | None = None
    previous: tuple = ()  # ((evaluated_at, answers), …) of the same grid, newest first
    hydration_target_ml: int | None = None  # the person's daily target, when one is set


@dataclass
class Outcome:
    score: Decimal | None
    results: dict
    interpretation: str
    follow_ups: list[FollowUp] = field(default_factory=list)


@dataclass(frozen=True)
class Grid:
    code: str
    label: str
    document_class_code: str
    items: tuple[Item, ...]
    compute: Callable[[dict, Context], Outcome]
    description: str = ""
    source: str = ""
    score_label: str = "Score"
    check: Callable[[dict], dict] | None = None  # grid-level rules: {key: message}
    # The score as the form shows it while ticking (static/js/evaluation-score.js), mirroring
    # `compute`: {"method": "count_true" | "value", "item": code (value), "max": n,
    # "bands": [[lowest score, text, "ok" | "alert"], …]}. The server's score stays the one recorded.
    live: dict | None = None

    @property
    def item_by_code(self) -> dict[str, Item]:
        return {item.code: item for item in self.items}

    @property
    def groups(self) -> list[tuple[str, list[Item]]]:
        """Items in order, grouped by their `group` heading."""
        out: list[tuple[str, list[Item]]] = []
        for item in self.items:
            if not out or out[-1][0] != item.group:
                out.append((item.group, []))
            out[-1][1].append(item)
        return out

    def clean(self, answers) -> dict:
        """The typed answers (unanswered optional items left out), or every error at once."""
        if not isinstance(answers, dict):
            raise ValidationError({GRID_LEVEL: "Les réponses doivent être un objet { code de l'item : valeur }."})
        items = self.item_by_code
        errors: dict[str, str] = {}
        for key in answers:
            if key not in items:
                errors[str(key)[:60]] = f"Item inconnu pour la grille « {self.label} »."
        cleaned = {}
        for item in self.items:
            value = answers.get(item.code)
            if value is None or value == "" or value == []:
                if item.required:
                    errors[item.code] = f"{item.label} : réponse obligatoire."
                continue
            try:
                cleaned[item.code] = item.clean(value)
            except ValidationError as error:
                errors[item.code] = f"{item.label} : {error.messages[0]}"
        if not errors and self.check is not None:
            errors.update(self.check(cleaned))
        if errors:
            raise ValidationError(errors)
        return cleaned

    def evaluate(self, answers, context: Context) -> tuple[dict, Outcome]:
        cleaned = self.clean(answers)
        return cleaned, self.compute(cleaned, context)

    def live_preview(self, answers: dict) -> tuple[int | None, str]:
        """(score, band text) the form shows for these typed answers: what the JS computes."""
        if self.live is None:
            return None, ""
        if self.live["method"] == "count_true":
            score = sum(1 for item in self.items if answers.get(item.code) is True)
        else:
            score = answers.get(self.live["item"])
            if score is None:
                return None, ""
        text = ""
        for lowest, band_text, _level in self.live["bands"]:
            if score >= lowest:
                text = band_text
        return score, text

    def definition(self) -> dict:
        return {
            "code": self.code,
            "label": self.label,
            "description": self.description,
            "document_class": self.document_class_code,
            "source": self.source,
            "score_label": self.score_label,
            "items": [item.definition() for item in self.items],
            "adverbs": [
                {"code": code, "label": label, "help": help_}
                for code, (label, help_) in ADVERB_LABELS.items()
                if any(item.type == ADVERBS for item in self.items)
            ],
        }


def parse_form_value(item: Item, data, prefix: str = ""):
    """A posted form's value for the item, typed as the JSON API would send it (None when empty).

    Malformed numbers come back as the raw text, which `Item.clean` then refuses in French.
    """
    name = prefix + item.code
    if item.type == BOOLEAN:
        raw = (data.get(name) or "").strip()
        return {"oui": True, "non": False}.get(raw, raw or None)
    if item.type in (INTEGER, DECIMAL):
        raw = (data.get(name) or "").strip().replace(",", ".").replace(" ", "")
        if not raw:
            return None
        try:
            number = float(raw)
        except ValueError:
            return raw[:20]
        return int(number) if item.type == INTEGER and number.is_integer() and "." not in raw else number
    if item.type == CHOICE:
        return (data.get(name) or "").strip() or None
    if item.type == MULTICHOICE:
        return data.getlist(name) or None
    raw = {key: (data.get(f"{name}_{key}") or "").strip() for key in ADVERB_CODES}
    if not any(raw.values()):
        return None
    return {key: {"oui": True, "non": False}.get(value, value or None) for key, value in raw.items()}

"""Scale data: shared constants (password, batch size), French names and places, small random helpers
and the report of a run."""

import datetime
import math
import random
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from dui.finess import luhn_is_valid

# Published on purpose (README, command output): every generated account shares it.
SCALE_PASSWORD = "Volume-DUI-2026!"  # noqa: S105
DEFAULT_BATCH_SIZE = 2000
# PostgreSQL accepts at most 65 535 parameters per statement.
MAX_PARAMETERS = 60_000

# --- French names -------------------------------------------------------------------------------

SURNAMES = (
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
    "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier",
    "Morel", "Girard", "André", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez", "Legrand",
    "Garnier", "Faure", "Rousseau", "Blanc", "Guérin", "Muller", "Henry", "Roussel", "Nicolas", "Perrin",
    "Morin", "Mathieu", "Clément", "Gauthier", "Dumont", "Lopez", "Fontaine", "Chevalier", "Robin", "Masson",
    "Boyer", "Denis", "Lemaire", "Duval", "Joly", "Roger", "Roche", "Meyer", "Meunier", "Marchand",
    "Dufour", "Blanchard", "Brun", "Barbier", "Arnaud", "Giraud", "Brunet", "Schmitt", "Colin", "Renard",
    "Aubert", "Rolland", "Ménard", "Hébert", "Gérard", "Bénard", "Lemaître", "Brémond", "Dupré", "Rémy",
    "Thévenin", "Sénéchal", "Béranger", "Chrétien", "Noël", "Lévêque", "Pétillon", "Delépine", "Besançon",
    "Lefébure", "Crémieux", "Désiré", "Vallée", "Frémont", "Héraud", "Gaillard", "Fabre", "Chauvet", "Vidal",
    "Bouchet", "Chabrol", "Pélissier", "Da Silva", "Nguyen", "Benali", "Diallo", "Haddad", "Le Gall",
    "Le Goff", "Saint-Martin", "Pons", "Cordier", "Bailly", "Collet", "Tessier", "Charpentier", "Carré",
    "Aubry", "Leclerc", "Léger", "Perrot", "Besson", "Marty", "Jacquet", "Gilles", "Royer", "Humbert",
    "D'Almeida", "Lacroix", "Caron", "Bouvier", "Maréchal", "Cousin", "Boulanger", "Verdier", "Étienne",
)  # fmt: skip

FIRST_NAMES = {
    ("elderly", "F"): (
        "Jeanne", "Marie", "Germaine", "Yvonne", "Suzanne", "Simone", "Hélène", "Madeleine", "Marcelle",
        "Odette", "Paulette", "Denise", "Geneviève", "Renée", "Lucienne", "Thérèse", "Andrée", "Josette",
        "Colette", "Éliane", "Gisèle", "Jacqueline", "Monique", "Ginette", "Raymonde", "Françoise", "Mireille",
        "Léone", "Agnès", "Bernadette", "Henriette", "Solange", "Huguette", "Édith", "Léonie", "Augustine",
    ),
    ("elderly", "M"): (
        "Jean", "Marcel", "René", "André", "Louis", "Pierre", "Henri", "Roger", "Robert", "Georges",
        "Maurice", "Lucien", "Raymond", "Fernand", "Joseph", "Paul", "Émile", "Gérard", "Jacques", "Michel",
        "Bernard", "Claude", "Marius", "Gaston", "Léon", "Albert", "Félix", "Régis", "François", "Noël",
        "Étienne", "Désiré", "Honoré", "Aimé", "Jérôme", "Gilbert",
    ),
    ("adult", "F"): (
        "Nathalie", "Isabelle", "Sandrine", "Céline", "Sophie", "Émilie", "Aurélie", "Julie", "Stéphanie",
        "Laetitia", "Hélène", "Élodie", "Mélanie", "Audrey", "Karine", "Valérie", "Anaïs", "Chloé", "Pauline",
        "Océane", "Maëva", "Noémie", "Clémence", "Inès", "Gaëlle", "Séverine", "Delphine", "Agnès", "Bérénice",
    ),
    ("adult", "M"): (
        "Stéphane", "Nicolas", "Sébastien", "Frédéric", "Jérôme", "Christophe", "Thierry", "Laurent", "Cédric",
        "Julien", "Mathieu", "Grégory", "Loïc", "Kévin", "Anthony", "Jérémy", "Rémi", "Benoît", "Mickaël",
        "Hervé", "Théo", "Maxime", "Raphaël", "Joël", "Gaël", "Aurélien", "Noël", "Yannick", "François",
    ),
    ("child", "F"): (
        "Emma", "Jade", "Louise", "Alice", "Chloé", "Léa", "Manon", "Inès", "Lina", "Zoé", "Éloïse", "Léonie",
        "Anaïs", "Maëlle", "Juliette", "Camille", "Lucie", "Romane", "Ambre", "Clémence", "Héloïse", "Noémie",
        "Rose", "Anna", "Léna", "Mélina", "Maïa", "Aïssata", "Célia", "Énora",
    ),
    ("child", "M"): (
        "Lucas", "Hugo", "Gabriel", "Louis", "Raphaël", "Arthur", "Jules", "Nathan", "Léo", "Théo", "Éthan",
        "Noé", "Timothée", "Mathéo", "Enzo", "Adam", "Maël", "Sacha", "Gaël", "Loïc", "Baptiste", "Rémi",
        "Nolan", "Tom", "Évan", "Côme", "Anaël", "Noah", "Mathis", "Élie",
    ),
}  # fmt: skip

# Birthplaces (code officiel géographique): mostly the region, some elsewhere, some abroad.
BIRTH_PLACES = (
    ("63113", 14), ("63300", 4), ("63430", 3), ("03185", 3), ("15014", 2), ("43157", 2), ("69123", 4),
    ("75056", 5), ("13055", 2), ("31555", 1), ("33063", 1), ("59350", 1), ("44109", 1), ("67482", 1),
    ("35238", 1), ("42218", 2), ("2A004", 1), ("2B033", 1), ("99350", 2), ("99352", 2), ("99139", 2),
    ("99127", 1), ("99109", 1),
)  # fmt: skip
CITIES = (
    ("63000", "Clermont-Ferrand"), ("63200", "Riom"), ("63300", "Thiers"), ("63500", "Issoire"),
    ("63100", "Clermont-Ferrand"), ("63800", "Cournon-d'Auvergne"), ("63110", "Beaumont"),
    ("63400", "Chamalières"), ("63170", "Aubière"), ("03200", "Vichy"), ("63460", "Combronde"),
)  # fmt: skip
STREETS = (
    "rue Pasteur", "avenue de la République", "rue Victor-Hugo", "place de l'Église", "rue des Écoles",
    "chemin des Vignes", "rue du Général-de-Gaulle", "allée des Châtaigniers", "rue Jean-Jaurès",
    "boulevard Lafayette", "impasse des Mûriers", "rue de la Fontaine",
)  # fmt: skip
FINESS_DEPARTMENTS = ("63", "63", "63", "03", "15", "43", "69", "42")


# --- Helpers ------------------------------------------------------------------------------------


def luhn_digit(body: str) -> str:
    """The Luhn check digit that completes `body`."""
    for digit in "0123456789":
        if luhn_is_valid(body + digit):
            return digit
    raise AssertionError("unreachable")


def ascii_slug(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value)
    letters = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "", letters)


def _weighted(rng: random.Random, choices: Sequence[tuple]) -> object:
    values = [c[0] for c in choices]
    weights = [c[-1] for c in choices]
    return rng.choices(values, weights=weights)[0]


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, month=3, day=1)


def _poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw (Knuth): small means only."""
    if mean <= 0:
        return 0
    limit, k, p = math.exp(-min(mean, 30)), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _phone(rng: random.Random, mobile: bool = True) -> str:
    head = rng.choice(("06", "07")) if mobile else "04"
    return " ".join([head, *(f"{rng.randrange(100):02d}" for _ in range(4))])


def _address(rng: random.Random) -> str:
    postcode, city = rng.choice(CITIES)
    return f"{rng.randint(1, 120)} {rng.choice(STREETS)}, {postcode} {city}"


def _batch_size(model, wanted: int) -> int:
    columns = len(model._meta.concrete_fields)
    return max(1, min(wanted, MAX_PARAMETERS // columns))


@dataclass
class TableStat:
    rows: int = 0
    seconds: float = 0.0


@dataclass
class Report:
    tables: dict[str, TableStat] = field(default_factory=dict)
    seconds: float = 0.0
    password: str = SCALE_PASSWORD
    analyse_seconds: float = 0.0
    og_names: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(stat.rows for stat in self.tables.values())

    @property
    def insert_seconds(self) -> float:
        return sum(stat.seconds for stat in self.tables.values())


class ScaleDataRefusedError(Exception):
    """The database already holds data and --append was not given."""

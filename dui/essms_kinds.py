"""Which catalogue items fit which kind of establishment, kept as data.

An item is a cible (by label), an event kind, an evaluation grid or a document class (the dossier
sections, navigation entries and blocks that read it). Its default kinds are those of
ITEM_DEFAULTS, else every kind. Each OG edits them: a cible row carries its own kinds, the other
items get one CatalogueKinds row per OG (see dui.services.catalogue_kinds).

Epilepsy: the seizure event fits children's and disabled adults' establishments by default; in
any other establishment it stays offered for a person whose dossier records epilepsy (an open
antecedent), never on every résident.
"""

from dui.catalogue import CLASS_BY_CODE
from dui.ins import search_key
from dui.models.tenancy import EssmsKind

ELDERLY = frozenset({EssmsKind.EHPAD, EssmsKind.SSIAD, EssmsKind.SAAD, EssmsKind.SSAD})
CHILDREN = frozenset({EssmsKind.IME, EssmsKind.IMPRO, EssmsKind.SESSAD, EssmsKind.CAMSP, EssmsKind.MECS})
DISABLED_ADULTS = frozenset({EssmsKind.MAS, EssmsKind.FAM, EssmsKind.FOYER, EssmsKind.ESAT})
OTHERS = frozenset({EssmsKind.CHRS, EssmsKind.OTHER})
ALL_KINDS = frozenset(EssmsKind.values)

# The groups as shown to the OG that edits its catalogue, in this order.
GROUPS: tuple[tuple[str, frozenset], ...] = (
    ("Personnes âgées", ELDERLY),
    ("Enfants et adolescents", CHILDREN),
    ("Adultes handicapés", DISABLED_ADULTS),
    ("Autres", OTHERS),
)

CIBLE, EVENT, GRID, SECTION = "cible", "event", "grid", "section"
DOMAINS = (CIBLE, EVENT, GRID, SECTION)
DOMAIN_LABELS = {
    CIBLE: "Cibles de transmission",
    EVENT: "Types d'événement",
    GRID: "Grilles d'évaluation",
    SECTION: "Rubriques du dossier",
}

# item → kinds where it is offered by default; an item not listed fits every kind.
ITEM_DEFAULTS: dict[tuple[str, str], frozenset] = {
    (CIBLE, "Scolarité"): CHILDREN,
    (CIBLE, "Apprentissages et autonomie"): CHILDREN,
    (EVENT, "epilepsie"): CHILDREN | DISABLED_ADULTS,
    (GRID, "aggir"): ELDERLY,
    (SECTION, "amendement_creton"): CHILDREN,
    (SECTION, "projet_scolarisation"): CHILDREN,
    (SECTION, "bilan_educatif"): CHILDREN | DISABLED_ADULTS,
    (SECTION, "notifications_mdph"): CHILDREN | DISABLED_ADULTS,
    (SECTION, "besoins_prestations"): CHILDREN | DISABLED_ADULTS,
    (SECTION, "aggir"): ELDERLY,
    (SECTION, "coupe_pathos"): ELDERLY,
}

# The event kind that a person's own dossier can call for, and the words that say so.
EPILEPSY_EVENT = "epilepsie"
EPILEPSY_KEY = "epilep"


def default_kinds(domain: str, code: str) -> frozenset:
    """The kinds an item fits before any OG choice (cibles: by label, without accents or case)."""
    if domain == CIBLE:
        key = search_key(code)
        for (item_domain, label), kinds in ITEM_DEFAULTS.items():
            if item_domain == CIBLE and search_key(label) == key:
                return kinds
        return ALL_KINDS
    return ITEM_DEFAULTS.get((domain, code), ALL_KINDS)


def sorted_kinds(kinds) -> list[str]:
    """Kinds in the order of EssmsKind (stable storage and display)."""
    chosen = set(kinds)
    return [value for value in EssmsKind.values if value in chosen]


# Items of the other apps (event kinds, grids), registered by their AppConfig.ready:
# domain → ((code, label), ...). dui imports none of those apps.
_REGISTRY: dict[str, tuple[tuple[str, str], ...]] = {}


def register_items(domain: str, items) -> None:
    _REGISTRY[domain] = tuple(items)


def registered_items(domain: str) -> tuple[tuple[str, str], ...]:
    if domain == SECTION:
        return tuple(
            (code, CLASS_BY_CODE[code].label) for (item_domain, code) in ITEM_DEFAULTS if item_domain == SECTION
        )
    return _REGISTRY.get(domain, ())


def kind_groups(selected) -> list[dict]:
    """The groups with their kinds and whether each is chosen: what the edit forms draw."""
    chosen = set(selected)
    return [
        {
            "label": label,
            "kinds": [
                {"value": value, "label": EssmsKind(value).label, "checked": value in chosen}
                for value in sorted_kinds(kinds)
            ],
        }
        for label, kinds in GROUPS
    ]


def kinds_summary(selected) -> str:
    """« EHPAD, SSIAD… » in EssmsKind order; « aucun établissement » when empty."""
    kinds = sorted_kinds(selected)
    if set(kinds) == ALL_KINDS:
        return "tous les établissements"
    return ", ".join(EssmsKind(kind).label for kind in kinds) or "aucun établissement"

"""INS identity rules: matricule key, consistency with the traits, RNIV statuses (INTEROP.md §1)."""

import datetime
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.db import models

INS_NIR_OID = "1.2.250.1.213.1.4.8"
INS_NIA_OID = "1.2.250.1.213.1.4.9"
INS_NIR_TEST_OID = "1.2.250.1.213.1.4.10"
INS_NIR_DEMO_OID = "1.2.250.1.213.1.4.11"

MATRICULE_RE = re.compile(r"^[1-478]\d{4}(\d{2}|2A|2B)\d{6}\d{2}$")
INSEE_CODE_RE = re.compile(r"^(\d{2}|2A|2B)\d{3}$")
_SEX_DIGITS = {"1": "M", "3": "M", "7": "M", "2": "F", "4": "F", "8": "F"}


class IdentityStatus(models.TextChoices):
    PROVISOIRE = "PROV", "Provisoire"
    RECUPEREE = "RECUP", "Récupérée"
    VALIDEE = "VALI", "Validée"
    QUALIFIEE = "QUAL", "Qualifiée"


class IdentityProof(models.TextChoices):
    """High-trust documents accepted by the RNIV to validate an identity."""

    CNI = "cni", "Carte nationale d'identité"
    PASSEPORT = "passeport", "Passeport"
    TITRE_SEJOUR = "titre_sejour", "Titre de séjour"
    LIVRET_FAMILLE = "livret_famille", "Livret de famille (admission directe en EHPAD)"
    EXTRAIT_NAISSANCE = "extrait_naissance", "Extrait d'acte de naissance + carte Vitale avec photo (EHPAD)"


def normalise_matricule(value: str) -> str:
    return re.sub(r"\s", "", value or "").upper()


def matricule_key(first13: str) -> int:
    number = int(first13.replace("2A", "19").replace("2B", "18"))
    return 97 - number % 97


def matricule_oid(matricule: str) -> str:
    """NIA numbers start with 7 or 8 (temporary numbers); the others are NIR."""
    return INS_NIA_OID if matricule[:1] in {"7", "8"} else INS_NIR_OID


def validate_matricule(value: str) -> None:
    matricule = normalise_matricule(value)
    if not MATRICULE_RE.match(matricule):
        raise ValidationError(
            "Matricule INS invalide : 15 caractères attendus (13 pour le numéro, 2 pour la clé).",
            code="ins_format",
        )
    if matricule_key(matricule[:13]) != int(matricule[13:]):
        raise ValidationError("Matricule INS invalide : la clé ne correspond pas au numéro.", code="ins_key")


def check_matricule_traits(matricule: str, *, sex: str, birth_date: datetime.date) -> list[str]:
    """Inconsistencies between the matricule and the traits, as French messages."""
    errors = []
    expected_sex = _SEX_DIGITS.get(matricule[0])
    if expected_sex and sex in {"F", "M"} and sex != expected_sex:
        errors.append("Le matricule INS ne correspond pas au sexe de l'usager.")
    if birth_date and matricule[1:3] != f"{birth_date.year % 100:02d}":
        errors.append("Le matricule INS ne correspond pas à l'année de naissance.")
    month = int(matricule[3:5])
    if birth_date and 1 <= month <= 12 and month != birth_date.month:
        errors.append("Le matricule INS ne correspond pas au mois de naissance.")
    return errors


def validate_insee_code(value: str) -> None:
    if not INSEE_CODE_RE.match((value or "").upper()):
        raise ValidationError(
            "Code INSEE du lieu de naissance invalide : 5 caractères attendus "
            "(ex. 75056, 2A004, ou 99xxx à l'étranger).",
            code="insee_format",
        )


def validate_birth_date(value: datetime.date) -> None:
    from django.utils import timezone

    if value > timezone.localdate():
        raise ValidationError("La date de naissance ne peut pas être dans le futur.", code="birth_future")
    if value.year < 1880:
        raise ValidationError("La date de naissance est invraisemblable.", code="birth_too_old")


# RNIV character set of the name traits: after removing diacritics (and splitting the ligatures),
# uppercase A-Z, space, hyphen and apostrophe. Anything else (digits, bidi controls, zero-width
# characters, emoji, control characters) is refused: an invisible character would let a
# second "DUPONT" pass the duplicate check.
_LIGATURES = str.maketrans(
    {
        "Œ": "OE",
        "œ": "OE",
        "Æ": "AE",
        "æ": "AE",
        "ß": "SS",
        "Ł": "L",
        "ł": "L",
        "Ø": "O",
        "ø": "O",
        "Đ": "D",
        "đ": "D",
        "’": "'",
        "ʼ": "'",
    }
)
_NAME_RE = re.compile(r"^[A-Z]+(?:[ '\-]+[A-Z]+)*$")
_BIDI = {"\u061c", "\u200e", "\u200f", *map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A))}


def rniv_letters(value: str) -> str:
    """The name in the RNIV alphabet: accents removed, ligatures split, uppercase."""
    decomposed = unicodedata.normalize("NFD", (value or "").translate(_LIGATURES))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).upper()


def _character_kind(char: str) -> str:
    category = unicodedata.category(char)
    if char in _BIDI:
        return "caractère de contrôle du sens d'écriture"
    if category == "Cf":
        return "caractère invisible (largeur nulle)"
    if category in {"Cc", "Zl", "Zp"}:
        return "caractère de contrôle"
    if category == "So" or category == "Sk" or 0x1F000 <= ord(char) <= 0x1FAFF:
        return "émoji ou symbole"
    if category == "Nd":
        return "chiffre"
    return "caractère"


def validate_name_trait(value: str) -> None:
    """Refuse a name outside the RNIV character set, naming the offending character."""
    if not value:
        return
    bad = next((c for c in value if not _allowed_char(c)), None)
    if bad is not None:
        raise ValidationError(
            "%(kind)s refusé (U+%(code)04X) : seuls les lettres, l'espace, le trait d'union et "
            "l'apostrophe sont acceptés dans les noms et prénoms (RNIV).",
            code="rniv_charset",
            params={"kind": _character_kind(bad).capitalize(), "code": ord(bad)},
        )
    if not _NAME_RE.match(rniv_letters(value)):
        raise ValidationError(
            "Nom ou prénom mal formé : il doit commencer et finir par une lettre (RNIV).",
            code="rniv_format",
        )


def _allowed_char(char: str) -> bool:
    if char in " -'’ʼ":
        return True
    return bool(re.fullmatch(r"[A-Z]+", rniv_letters(char)))


def name_key(value: str) -> str:
    """Compare names as identitovigilance does: no accents, case, hyphens, apostrophes or spaces."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    # Invisible characters (category Cf, e.g. U+200B) never separate two names: a dossier saved
    # before the RNIV character check must still meet its twin.
    letters = "".join(c for c in decomposed if not unicodedata.combining(c) and unicodedata.category(c) != "Cf")
    return re.sub(r"[\s\-'’.]", "", letters).upper()


def search_key(*values: str) -> str:
    """Accent- and case-free text used for searching by name on any database."""
    decomposed = unicodedata.normalize("NFKD", " ".join(v for v in values if v))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()

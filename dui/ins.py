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


def name_key(value: str) -> str:
    """Compare names as identitovigilance does: no accents, case, hyphens, apostrophes or spaces."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\s\-'’.]", "", letters).upper()


def search_key(*values: str) -> str:
    """Accent- and case-free text used for searching by name on any database."""
    decomposed = unicodedata.normalize("NFKD", " ".join(v for v in values if v))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()

"""The rules every medication write shares: who may act (the reserved acts of the matrix), the line
under lock, and the content of a prescription line (French messages per field)."""

import datetime
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dui.errors import NotFound
from dui.permissions import active_membership, can
from soins.models import PrescriptionKind, PrescriptionLine, Route

# The reserved acts (dui.catalogue): prescribe, modify, stop (write) and validate a line.
PRESCRIPTION_ACT = "prescription_medicale"
PHARMACY_ACT = "intervention_pharmaceutique"
# Who gives a "si besoin" dose on their own judgement (by default: nurses and doctors).
AS_NEEDED_ACT = "prise_si_besoin"
MAX_TIMES_PER_DAY = 24
TIME_PATTERN = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
ALL_WEEKDAYS = "1234567"

NOT_A_PRESCRIBER = "Seul un médecin peut prescrire : votre métier ne le permet pas."
NOT_A_VALIDATOR = "Seul un médecin peut valider une ligne de prescription."
NOT_A_PHARMACIST = "Seul un pharmacien peut commenter ou substituer une ligne de prescription."
NOT_AN_AS_NEEDED_GIVER = "Seul un(e) infirmier(ère) ou un médecin peut enregistrer une prise « si besoin »."
NOT_A_STOPPER = "Seul un médecin peut arrêter une ligne de prescription."
STOPPED = "Cette ligne est arrêtée : elle ne peut plus être modifiée."


def membership_of(actor):
    membership = active_membership(actor)
    if membership is None:
        raise NotFound
    return membership


def may_act(actor, action: str, obj, act: str) -> bool:
    """The matrix, twice: `action` on the object's class and on the reserved act's class."""
    return active_membership(actor) is not None and can(actor, action, act) and can(actor, action, obj)


def check_act(actor, action: str, obj, act: str, message: str) -> None:
    membership_of(actor)
    if not may_act(actor, action, obj, act):
        raise PermissionDenied(message)


def locked_line(line: PrescriptionLine) -> PrescriptionLine:
    """The line re-read under a row lock: two validations or stops never both pass."""
    return PrescriptionLine.objects.select_for_update().select_related("usager").get(pk=line.pk)


def who(user) -> str:
    return user.get_full_name() or user.username


def clean_text(value, field: str, max_length: int, label: str, *, required_message: str = "") -> str:
    value = (value or "").strip()
    if required_message and not value:
        raise ValidationError({field: required_message})
    if len(value) > max_length:
        raise ValidationError({field: f"{label} : {max_length} caractères au plus."})
    return value


def parse_times(values) -> list[str]:
    """ "HH:MM" strings, sorted and without duplicates; a string may list them separated by commas or spaces."""
    if values is None:
        return []
    if isinstance(values, str):
        values = [part for part in re.split(r"[\s,;]+", values) if part]
    if not isinstance(values, list | tuple):
        raise ValidationError({"times": "Heures d'administration invalides : une liste d'heures HH:MM est attendue."})
    times = set()
    for value in values:
        text = str(value).strip()
        if len(text) == 4 and text[1] == ":":  # 8:00 → 08:00
            text = f"0{text}"
        if not TIME_PATTERN.match(text):
            raise ValidationError(
                {"times": f"Heure invalide « {str(value)[:10]} » : format HH:MM attendu (00:00 à 23:59)."}
            )
        times.add(text)
    if len(times) > MAX_TIMES_PER_DAY:
        raise ValidationError({"times": f"{MAX_TIMES_PER_DAY} heures d'administration par jour au plus."})
    return sorted(times)


def parse_weekdays(value) -> str:
    text = "".join(sorted(set(str(value or "").strip())))
    if not text or any(char not in ALL_WEEKDAYS for char in text):
        raise ValidationError({"weekdays": "Jours invalides : chiffres de 1 (lundi) à 7 (dimanche), au moins un jour."})
    return text


def check_line_fields(line: PrescriptionLine) -> None:
    """Every rule of a line's content; raises one French ValidationError per bad field."""
    is_contention = line.kind == PrescriptionKind.CONTENTION
    if line.kind not in PrescriptionKind.values:
        raise ValidationError({"kind": "Nature inconnue : médicament ou contention."})
    line.drug = clean_text(
        line.drug,
        "drug",
        200,
        "Médicament",
        required_message="Indiquez le type de contention." if is_contention else "Indiquez le médicament.",
    )
    line.dose = clean_text(
        line.dose, "dose", 100, "Dose", required_message="" if is_contention else "Indiquez la dose (ex. : 1 g)."
    )
    line.instructions = clean_text(line.instructions, "instructions", 300, "Consignes")
    line.as_needed_condition = clean_text(line.as_needed_condition, "as_needed_condition", 200, "Condition")
    line.route = (line.route or "").strip()
    if is_contention:
        if line.route:
            raise ValidationError({"route": "Une contention n'a pas de voie d'administration."})
        if line.as_needed:
            raise ValidationError(
                {"as_needed": "Une contention ne se prescrit pas « si besoin » : indiquez ses dates et ses heures."}
            )
    elif not line.route:
        raise ValidationError({"route": "Indiquez la voie d'administration."})
    elif line.route not in Route.values:
        raise ValidationError({"route": f"Voie d'administration inconnue « {line.route[:30]} »."})
    line.times = parse_times(line.times)
    line.weekdays = parse_weekdays(line.weekdays)
    if line.as_needed:
        if line.times:
            raise ValidationError({"times": "Une ligne « si besoin » n'a pas d'heures fixes : retirez les heures."})
        if not line.as_needed_condition:
            raise ValidationError(
                {"as_needed_condition": "Indiquez la condition du « si besoin » (ex. : douleur > 3)."}
            )
        if line.max_per_day is None or not 1 <= line.max_per_day <= MAX_TIMES_PER_DAY:
            raise ValidationError(
                {"max_per_day": f"Indiquez le nombre maximum de prises par jour (1 à {MAX_TIMES_PER_DAY})."}
            )
    else:
        if line.as_needed_condition:
            raise ValidationError({"as_needed_condition": "Une condition ne s'applique qu'à une ligne « si besoin »."})
        if line.max_per_day is not None:
            raise ValidationError({"max_per_day": "Un maximum par jour ne s'applique qu'à une ligne « si besoin »."})
        if not is_contention and not line.times:
            raise ValidationError({"times": "Indiquez au moins une heure d'administration (HH:MM)."})
    if line.starts_on is None:
        raise ValidationError({"starts_on": "Indiquez la date de début."})
    if line.ends_on is not None and line.ends_on < line.starts_on:
        raise ValidationError({"ends_on": "La date de fin précède la date de début."})
    if is_contention and line.ends_on is None:
        raise ValidationError(
            {"ends_on": "Une contention est prescrite pour une durée limitée : indiquez la date de fin."}
        )
    if line.starts_on < timezone.localdate() - datetime.timedelta(days=1):
        raise ValidationError({"starts_on": "Une prescription ne peut pas commencer dans le passé (hier au plus tôt)."})

"""Observation: the measures of the evaluation grids with a LOINC code (constantes, weight, EN pain
score), one Observation per measure of an evaluation (id `<evaluation>-<measure>`); create records the
measure of a connected device (a scale, a monitor) as an evaluation of its grid, through soins' service."""

from dataclasses import dataclass

from django.utils import timezone

from interop.fhir import codes
from interop.fhir.outcome import FhirError, invalid, not_found
from interop.fhir.resources.base import ID_PARAM, Handler, Param
from interop.fhir.search import date_filter, reference_id, token
from interop.fhir.selectors import evaluations, logged_page, read_one
from interop.fhir.services import observation_record
from interop.fhir.validation import checked


@dataclass(frozen=True)
class Measure:
    key: str  # the id suffix
    grid: str
    answer: str  # the grid's item code
    loinc: str
    display: str
    unit: str  # UCUM
    category: str = "vital-signs"
    integer: bool = False
    components: tuple[tuple[str, str, str], ...] = ()  # (item code, LOINC, display)


MEASURES = (
    Measure("bp", "constantes", "tas", "85354-9", "Blood pressure panel with all children optional", "mm[Hg]",
            integer=True, components=(("tas", "8480-6", "Systolic blood pressure"),
                                      ("tad", "8462-4", "Diastolic blood pressure"))),
    Measure("pulse", "constantes", "pouls", "8867-4", "Heart rate", "/min", integer=True),
    Measure("temperature", "constantes", "temperature", "8310-5", "Body temperature", "Cel"),
    Measure("spo2", "constantes", "spo2", "59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry", "%",
            integer=True),
    Measure("glycaemia", "constantes", "glycemie", "2339-0", "Glucose [Mass/volume] in Blood", "g/L"),
    Measure("weight", "poids_imc", "poids", "29463-7", "Body weight", "kg"),
    Measure("pain", "en", "intensite", "72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
            "{score}", category="survey", integer=True),
)  # fmt: skip
BY_KEY = {m.key: m for m in MEASURES}
BY_LOINC = {m.loinc: m for m in MEASURES} | {c[1]: m for m in MEASURES for c in m.components}
GRIDS = sorted({m.grid for m in MEASURES})


def _quantity(value, unit: str) -> dict:
    return {"value": value, "unit": unit, "system": codes.UCUM, "code": unit}


def build_measure(evaluation, measure: Measure) -> dict:
    answers = evaluation.answers or {}
    resource = {
        "resourceType": "Observation",
        "id": f"{evaluation.pk}-{measure.key}",
        "status": "final",
        "category": [{"coding": [{"system": codes.CS_OBSERVATION_CATEGORY, "code": measure.category}]}],
        "code": {"coding": [{"system": codes.LOINC, "code": measure.loinc, "display": measure.display}]},
        "subject": {"reference": f"Patient/{evaluation.usager_id}"},
        "effectiveDateTime": timezone.localtime(evaluation.evaluated_at).isoformat(),
        "performer": [codes.practitioner_reference(evaluation.created_by)],
    }
    if measure.components:
        resource["component"] = [
            {
                "code": {"coding": [{"system": codes.LOINC, "code": loinc, "display": display}]},
                "valueQuantity": _quantity(answers[item], measure.unit),
            }
            for item, loinc, display in measure.components
            if item in answers
        ]
    else:
        resource["valueQuantity"] = _quantity(answers[measure.answer], measure.unit)
    if evaluation.comment:
        resource["note"] = [{"text": evaluation.comment}]
    return checked(resource)


def _measures_of(evaluation, wanted) -> list[Measure]:
    answers = evaluation.answers if isinstance(evaluation.answers, dict) else {}
    return [m for m in wanted if m.grid == evaluation.grid and m.answer in answers]


def read(actor, raw_id) -> dict:
    evaluation_id, _, key = str(raw_id).partition("-")
    measure = BY_KEY.get(key)
    if measure is None:
        raise not_found()
    evaluation = read_one(actor, evaluations(actor).filter(grid=measure.grid), evaluation_id, detail="FHIR Observation")
    if measure not in _measures_of(evaluation, (measure,)):
        raise not_found()
    return build_measure(evaluation, measure)


def _wanted(search) -> list[Measure]:
    if "code" not in search.params:
        return list(MEASURES)
    wanted = []
    for raw in ",".join(search.params["code"]).split(","):
        system, code = token(raw)
        measure = BY_LOINC.get(code) if system in (None, "", codes.LOINC) else None
        if measure and measure not in wanted:
            wanted.append(measure)
    return wanted


def search(actor, search) -> tuple[int, list[dict]]:
    wanted = _wanted(search)
    queryset = evaluations(actor).filter(grid__in={m.grid for m in wanted})
    for raw in search.params.get("patient", []) + search.params.get("subject", []):
        queryset = queryset.filter(usager_id=reference_id(raw, "Patient", "patient"))
    for raw in search.params.get("date", []):
        queryset = queryset.filter(**date_filter("evaluated_at", raw, "date", is_datetime=True))
    if "_id" in search.params:
        ids = [v.partition("-")[0] for v in ",".join(search.params["_id"]).split(",")]
        queryset = queryset.filter(pk__in=[int(i) for i in ids if i.isdigit() and len(i) < 19])
    queryset = queryset.order_by("-evaluated_at", "-pk")
    if not wanted:
        return 0, []
    if len(wanted) == 1:  # one measure per evaluation: the database counts and pages
        measure = wanted[0]
        queryset = queryset.filter(answers__has_key=measure.answer)
        total = queryset.count()
        rows = list(queryset[search.offset : search.offset + search.count]) if search.count else []
        pairs = [(row, measure) for row in rows]
    else:  # several measures per evaluation: page over (evaluation, measure) pairs
        keys = [
            (pk, m) for pk, grid, answers in queryset.values_list("pk", "grid", "answers")
            for m in wanted if m.grid == grid and isinstance(answers, dict) and m.answer in answers
        ]  # fmt: skip
        total = len(keys)
        page = keys[search.offset : search.offset + search.count]
        by_pk = {row.pk: row for row in queryset.filter(pk__in={pk for pk, _ in page})}
        pairs = [(by_pk[pk], m) for pk, m in page if pk in by_pk]
    if "_id" in search.params:
        asked = set(",".join(search.params["_id"]).split(","))
        pairs = [(row, m) for row, m in pairs if f"{row.pk}-{m.key}" in asked or str(row.pk) in asked]
    logged_page(actor, list({row.pk: row for row, _ in pairs}.values()), detail="FHIR Observation (recherche)")
    return total, [build_measure(row, m) for row, m in pairs]


def _number(quantity, measure: Measure, where: str):
    if quantity is None or quantity.value is None:
        raise invalid(f"Observation.{where} : valeur (valueQuantity.value) obligatoire.")
    unit = quantity.code or quantity.unit
    if unit and unit != measure.unit:
        raise invalid(f"Observation.{where} : unité « {unit} » refusée ; attendue : « {measure.unit} » (UCUM).")
    value = quantity.value
    if measure.integer:
        if value != int(value):
            raise invalid(f"Observation.{where} : nombre entier attendu.")
        return int(value)
    return float(value)


def create(actor, model, request) -> dict:
    codings = [c for c in (model.code.coding or []) if c.system == codes.LOINC] if model.code else []
    measure = next((BY_LOINC[c.code] for c in codings if c.code in BY_LOINC and BY_LOINC[c.code].loinc == c.code), None)
    if measure is None:
        known = ", ".join(f"{m.loinc} ({m.display})" for m in MEASURES)
        raise FhirError(422, "not-supported", f"Observation.code : code LOINC non pris en charge. Codes : {known}.")
    if model.subject is None or not (model.subject.reference or "").startswith("Patient/"):
        raise invalid("Observation.subject : référence Patient/<id> obligatoire.")
    if measure.components:
        by_code = {}
        for component in model.component or []:
            for coding in component.code.coding or []:
                by_code[coding.code] = component.valueQuantity
        missing = [display for _, loinc, display in measure.components if loinc not in by_code]
        if missing:
            raise invalid(f"Observation.component : {', '.join(missing)} manquante(s).")
        answers = {item: _number(by_code[loinc], measure, "component") for item, loinc, _ in measure.components}
    else:
        answers = {measure.answer: _number(model.valueQuantity, measure, "valueQuantity")}
    moment = model.effectiveDateTime if model.effectiveDateTime is not None else None
    if moment is not None and not hasattr(moment, "hour"):
        raise invalid("Observation.effectiveDateTime : date et heure attendues.")
    name = getattr(actor, "token_name", "")
    evaluation = observation_record(
        actor,
        usager_id=reference_id(model.subject.reference, "Patient", "subject"),
        grid=measure.grid,
        answers=answers,
        evaluated_at=moment,
        comment=f"Mesure transmise par « {name} »." if name else "",
    )
    return build_measure(evaluation, measure)


OBSERVATION = Handler(
    resource_type="Observation",
    profile="http://hl7.org/fhir/StructureDefinition/Observation",
    build=lambda row: row,
    read_fn=read,
    search_fn=search,
    create=create,
    params=(
        ID_PARAM,
        Param("patient", "reference", "Patient/<id>."),
        Param("subject", "reference", "Comme patient."),
        Param("code", "token", "Code LOINC : " + ", ".join(f"{m.loinc} {m.display}" for m in MEASURES) + "."),
        Param("date", "date", "Date de la mesure (préfixes eq, ge, le, gt, lt)."),
    ),
    interactions=("read", "search-type", "create"),
    documentation="Mesures des grilles (constantes, poids, douleur EN) ; création par un appareil connecté.",
)

"""FHIR API benchmarks (issue 15): Patient?name=, Patient/{id}, DocumentReference?patient=,
Observation?patient=&code=, with a partner token of an IDE's métier, beside their SQL floors."""

import datetime
import random

from django.db import connection
from django.utils import timezone

from bench.core import Benchmark

ISSUE_15 = "issue 15"
FHIR_TOKEN = {"api": True, "api_metier": "ide", "api_scopes": "system/*.read"}
# The floor's key test on the JSON answers: jsonb on PostgreSQL, JSON text on SQLite (the suite's default).
HAS_PULSE = (
    "jsonb_exists(e.answers, 'pouls')"
    if connection.vendor == "postgresql"
    else "json_extract(e.answers, '$.pouls') IS NOT NULL"
)
# The scale generator makes no grid evaluations: the Observation benchmark first records constantes for
# every person in séjour of the ESSMS (about two a week over the data's years), once.
CONSTANTES_PER_WEEK = 2


def seed_constantes(fixture) -> int:
    from dui.models import Usager
    from soins.models import Evaluation

    if Evaluation.objects.filter(essms=fixture.essms, grid="constantes").exists():
        return 0
    rng = random.Random(15)
    author = fixture.acting("ide")[0]
    now = timezone.now()
    rows = []
    for usager in Usager.objects.filter(essms=fixture.essms, merged_into__isnull=True).only("pk", "created_at"):
        start = max(usager.created_at, now - datetime.timedelta(days=5 * 365))
        moment = start
        while moment < now:
            answers = {"pouls": rng.randint(55, 100), "spo2": rng.randint(90, 100)}
            if rng.random() < 0.6:
                answers |= {"tas": rng.randint(105, 160), "tad": rng.randint(55, 95)}
            if rng.random() < 0.3:
                answers["temperature"] = round(rng.uniform(36.0, 38.4), 1)
            rows.append(
                Evaluation(
                    essms=fixture.essms, usager=usager, created_by=author, grid="constantes", answers=answers,
                    results={}, interpretation="", evaluated_at=moment,
                )
            )  # fmt: skip
            moment += datetime.timedelta(days=7 / CONSTANTES_PER_WEEK, hours=rng.randint(-6, 6))
    Evaluation.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def _fhir(path: str, **params) -> str:
    from urllib.parse import urlencode

    return f"/fhir/{path}" + (f"?{urlencode(params)}" if params else "")


PATIENT_PAGE_SQL = """
    SELECT u.* FROM dui_usager u
    WHERE u.essms_id = %s AND u.merged_into_id IS NULL AND u.search_text LIKE %s
    ORDER BY u.birth_name, u.first_names, u.id LIMIT 20
"""

FHIR_BENCHMARKS: list[Benchmark] = [
    Benchmark(
        name="FHIR Patient?name=",
        path=lambda f: _fhir("Patient", name=f.query),
        floor_sql=PATIENT_PAGE_SQL,
        floor_params=lambda f: [f.essms.pk, f"%{f.query}%"],
        target_ms=100,
        target_source=ISSUE_15,
        analyze=("dui_accesslog",),
        **FHIR_TOKEN,
    ),
    Benchmark(
        name="FHIR Patient/{id}",
        path=lambda f: _fhir(f"Patient/{f.usager.pk}"),
        floor_sql="SELECT u.*, e.finess, e.name FROM dui_usager u JOIN dui_essms e ON e.id = u.essms_id "
        "WHERE u.id = %s AND u.essms_id = %s",
        floor_params=lambda f: [f.usager.pk, f.essms.pk],
        target_ms=50,
        target_source=ISSUE_15,
        **FHIR_TOKEN,
    ),
    Benchmark(
        name="FHIR DocumentReference?patient=",
        path=lambda f: _fhir("DocumentReference", patient=f.usager.pk),
        floor_sql="""
            SELECT d.*, c.code, v.* FROM dui_document d
            JOIN dui_documentclass c ON c.id = d.document_class_id
            LEFT JOIN dui_documentversion v ON v.document_id = d.id
            WHERE d.essms_id = %s AND d.usager_id = %s
            ORDER BY d.document_date DESC, d.id DESC LIMIT 20
        """,
        floor_params=lambda f: [f.essms.pk, f.usager.pk],
        target_ms=100,
        target_source=ISSUE_15,
        **FHIR_TOKEN,
    ),
    Benchmark(
        name="FHIR Observation?patient=&code= (pouls)",
        path=lambda f: _fhir("Observation", patient=f.usager.pk, code="http://loinc.org|8867-4"),
        floor_sql=f"""
            SELECT e.* FROM ppa_evaluation e
            WHERE e.essms_id = %s AND e.usager_id = %s AND e.grid = 'constantes' AND {HAS_PULSE}
            ORDER BY e.evaluated_at DESC, e.id DESC LIMIT 20
        """,  # noqa: S608 (HAS_PULSE is one of two constants above)
        floor_params=lambda f: [f.essms.pk, f.usager.pk],
        target_ms=100,
        target_source=ISSUE_15,
        setup=seed_constantes,
        **FHIR_TOKEN,
    ),
]

"""The benchmarks: one declarative entry each, measured in this order by bench/run.py.

To add one: append a `Benchmark` with its URL (built from the fixture), the métier of the
professional acting (or `api=True` for the partner token), the target named in the issue and
one hand-written SQL query reading the same data (the "floor"). Placeholders are `%s`; keep the
SQL portable (it also runs on SQLite in the smoke test).
"""

from urllib.parse import urlencode

from django.urls import reverse

from bench.core import Benchmark, Fixture


def _url(name: str, *args, **query) -> str:
    url = reverse(name, args=args)
    return f"{url}?{urlencode(query)}" if query else url


def _like(fixture: Fixture) -> str:
    return f"%{fixture.query}%"


# People of the active file with their current placement (room, unit).
ACTIVE_FILE_SQL = """
SELECT u.id, u.birth_name, u.used_name, u.first_names, u.used_first_name, u.birth_date, u.photo,
       u.palliative_care, p.room, un.name
FROM dui_usager u
JOIN dui_sejour s ON s.usager_id = u.id AND s.essms_id = u.essms_id AND s.status = 'active'
JOIN dui_placement p ON p.sejour_id = s.id AND p.starts_on <= %s AND (p.ends_on IS NULL OR p.ends_on >= %s)
JOIN dui_unit un ON un.id = p.unit_id
WHERE u.essms_id = %s AND u.archived_at IS NULL AND u.merged_into_id IS NULL AND {condition}
ORDER BY COALESCE(NULLIF(u.used_name, ''), u.birth_name), u.first_names, u.id
LIMIT 60
"""

USAGER_PAGE_SQL = """
SELECT u.id, u.birth_name, u.first_names, u.used_name, u.used_first_name, u.birth_date, u.sex,
       u.identity_status, u.archived_at
FROM dui_usager u
WHERE u.essms_id = %s AND {condition}
ORDER BY u.birth_name, u.first_names, u.id
LIMIT 50
"""

ISSUE_3 = "issue 3 (dossier)"

BENCHMARKS: list[Benchmark] = [
    Benchmark(
        name="File active d'une unité",
        path=lambda f: _url("active-file", unite=f.unit.pk),
        floor_sql=ACTIVE_FILE_SQL.format(condition="p.unit_id = %s"),
        floor_params=lambda f: [f.today, f.today, f.essms.pk, f.unit.pk],
        target_ms=150,
        target_source=ISSUE_3,
        metier="aide_soignant",
    ),
    Benchmark(
        name="Page dossier",
        path=lambda f: _url("usager-detail", f.usager.pk),
        floor_sql="""
            SELECT u.*, e.name FROM dui_usager u JOIN dui_essms e ON e.id = u.essms_id
            WHERE u.id = %s AND u.essms_id = %s
        """,
        floor_params=lambda f: [f.usager.pk, f.essms.pk],
        target_ms=150,
        target_source=ISSUE_3,
        metier="ide",
    ),
    Benchmark(
        name="Recherche file active (nom partiel)",
        path=lambda f: _url("active-file", q=f.query),
        floor_sql=ACTIVE_FILE_SQL.format(condition="u.search_text LIKE %s"),
        floor_params=lambda f: [f.today, f.today, f.essms.pk, _like(f)],
        target_ms=100,
        target_source=ISSUE_3,
        metier="aide_soignant",
    ),
    Benchmark(
        name="Recherche liste des dossiers",
        path=lambda f: _url("usager-list", q=f.query),
        floor_sql=USAGER_PAGE_SQL.format(condition="u.search_text LIKE %s"),
        floor_params=lambda f: [f.essms.pk, _like(f)],
        target_ms=100,
        target_source=ISSUE_3,
        metier="secretaire_medicale",
    ),
    Benchmark(
        name="API recherche usagers (?search=)",
        path=lambda f: _url("api:usager-list", search=f.query),
        floor_sql=USAGER_PAGE_SQL.format(condition="u.search_text LIKE %s"),
        floor_params=lambda f: [f.essms.pk, _like(f)],
        target_ms=100,
        target_source=ISSUE_3,
        api=True,
    ),
    Benchmark(
        name="API liste des usagers",
        path=lambda f: _url("api:usager-list"),
        floor_sql=USAGER_PAGE_SQL.format(condition="1 = 1"),
        floor_params=lambda f: [f.essms.pk],
        api=True,
    ),
    # Last: the log then holds the reads of the benchmarks above.
    Benchmark(
        name="Journal des accès",
        path=lambda f: _url("audit-log"),
        floor_sql="""
            SELECT l.id, l.at, l.username, l.metier, l.action, l.channel, l.object_type, l.object_id,
                   l.document_class, l.usager_id, l.detail, l.ip
            FROM dui_accesslog l WHERE l.essms_id = %s ORDER BY l.at DESC, l.id DESC LIMIT 50
        """,
        floor_params=lambda f: [f.essms.pk],
        metier="direction",
        analyze=("dui_accesslog",),
    ),
]

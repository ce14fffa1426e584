"""The benchmarks: one declarative entry each, measured in this order by bench/run.py.

To add one: append a `Benchmark` with its URL (built from the fixture), the métier of the
professional acting (or `api=True` for the partner token), the target named in the issue and
one hand-written SQL query reading the same data (the "floor"). Placeholders are `%s`; keep the
SQL portable (it also runs on SQLite in the smoke test).
"""

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db import connection
from django.urls import reverse
from django.utils import timezone

from bench.accesslog_benchmarks import (
    INSERT_SQL,
    ISSUE_19,
    JOURNAL_BENCHMARKS,
    log_write_active_file,
    log_write_feed,
    write_floor_params,
)
from bench.care_benchmarks import CARE_BENCHMARKS
from bench.core import Benchmark, Fixture
from bench.dlu_benchmarks import DLU_BENCHMARKS
from bench.fhir_benchmarks import FHIR_BENCHMARKS
from bench.portal_benchmarks import PORTAL_BENCHMARKS


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
ISSUE_4 = "issue 4 (transmissions)"

# --- Transmissions (issue 4) ----------------------------------------------------------------------

# Two words typed in the search box; the generated texts hold them ("douleurs au genou droit").
TRANSMISSION_QUERY = "douleurs genou"


def _ide_id(fixture: Fixture) -> int:
    return fixture.acting("ide")[0].pk


def _since(days: float = 0, hours: float = 0) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days, hours=hours)


def _synthese_usager(fixture: Fixture) -> int:
    """A person of the fixture's unit with transmissions over the last 7 days (the lowest id)."""
    if not hasattr(fixture, "synthese_usager_id"):
        from transmissions.models import Transmission

        row = (
            Transmission.objects.filter(
                essms=fixture.essms, unit=fixture.unit, usager__isnull=False, observed_at__gte=_since(days=7)
            )
            .values("usager_id")
            .order_by("usager_id")
            .first()
        )
        fixture.synthese_usager_id = row["usager_id"] if row else fixture.usager.pk
    return fixture.synthese_usager_id


# One feed page: current versions an IDE may read (levels all, care, medical), with person, unit,
# cible, author, read flag and the event kind of the thread.
FEED_SQL = """
SELECT t.id, t.observed_at, t.written_at, t.theme, t.donnees, t.actions, t.resultats, t.narrative,
       t.visibility, t.version, t.free_cible, c.label, u.birth_name, u.used_name, u.first_names, un.name,
       au.first_name, au.last_name, t.author_metier,
       EXISTS (SELECT 1 FROM transmissions_readreceipt r WHERE r.user_id = %s AND r.transmission_id = t.id),
       (SELECT e.kind FROM transmissions_event e
         WHERE e.transmission_id = t.id OR e.transmission_id = t.original_id LIMIT 1)
FROM transmissions_transmission t
LEFT JOIN dui_usager u ON u.id = t.usager_id
LEFT JOIN dui_unit un ON un.id = t.unit_id
LEFT JOIN transmissions_cible c ON c.id = t.cible_id
JOIN dui_user au ON au.id = t.author_id
WHERE t.essms_id = %s AND t.is_current AND t.visibility IN ('all', 'care', 'medical') AND {condition}
ORDER BY t.observed_at DESC, t.id DESC
LIMIT {limit}
"""
if connection.vendor == "postgresql":
    SEARCH_CONDITION = (
        "to_tsvector('french'::regconfig, COALESCE(t.search_text, '')) @@ websearch_to_tsquery('french'::regconfig, %s)"
    )
    SEARCH_PARAM = TRANSMISSION_QUERY
else:  # the smoke test on SQLite: one word, as a substring
    SEARCH_CONDITION = "t.search_text LIKE %s"
    SEARCH_PARAM = "%genou%"

UNREAD_COUNT_SQL = """
SELECT COUNT(*) FROM transmissions_transmission t
WHERE t.essms_id = %s AND t.is_current AND t.visibility IN ('all', 'care', 'medical') AND t.observed_at >= %s
  AND NOT EXISTS (SELECT 1 FROM transmissions_readreceipt r WHERE r.user_id = %s AND r.transmission_id = t.id)
"""

TRANSMISSION_BENCHMARKS: list[Benchmark] = [
    Benchmark(
        name="Fil des transmissions (page 1)",
        path=lambda f: _url("transmission-feed"),
        floor_sql=FEED_SQL.format(condition="1 = 1", limit=31),
        floor_params=lambda f: [_ide_id(f), f.essms.pk],
        target_ms=150,
        target_source=ISSUE_4,
        metier="ide",
    ),
    Benchmark(
        name="Recherche plein texte des transmissions",
        path=lambda f: _url("transmission-feed", q=TRANSMISSION_QUERY),
        floor_sql=FEED_SQL.format(condition=SEARCH_CONDITION, limit=31),
        floor_params=lambda f: [_ide_id(f), f.essms.pk, SEARCH_PARAM],
        target_ms=300,
        target_source=ISSUE_4,
        metier="ide",
    ),
    Benchmark(
        name="Transmissions non lues (page)",
        path=lambda f: _url("transmission-unread"),
        floor_sql=FEED_SQL.format(
            condition="t.observed_at >= %s AND NOT EXISTS (SELECT 1 FROM transmissions_readreceipt r2 "
            "WHERE r2.user_id = %s AND r2.transmission_id = t.id)",
            limit=200,
        ),
        floor_params=lambda f: [_ide_id(f), f.essms.pk, _since(days=7), _ide_id(f)],
        metier="ide",
    ),
    Benchmark(
        name="Relève de poste d'une unité",
        path=lambda f: _url("handover", unite=f.unit.pk),
        # The unit's rows of the shift (12 h), with person and cible.
        floor_sql=FEED_SQL.format(condition="t.unit_id = %s AND t.observed_at >= %s", limit=500),
        floor_params=lambda f: [_ide_id(f), f.essms.pk, f.unit.pk, _since(hours=12)],
        target_ms=200,
        target_source=ISSUE_4,
        metier="ide",
    ),
    Benchmark(
        name="Synthèse d'une personne (7 jours)",
        path=lambda f: _url("synthese", _synthese_usager(f)),
        floor_sql=FEED_SQL.format(condition="t.usager_id = %s AND t.observed_at >= %s", limit=500),
        floor_params=lambda f: [_ide_id(f), f.essms.pk, _synthese_usager(f), _since(days=7)],
        metier="ide",
    ),
    Benchmark(
        name="API transmissions d'une personne (?usager=)",
        path=lambda f: _url("api:transmission-list", usager=_synthese_usager(f)),
        floor_sql=FEED_SQL.format(condition="t.usager_id = %s", limit=51),
        floor_params=lambda f: [0, f.essms.pk, _synthese_usager(f)],
        api=True,
    ),
]


@dataclass(frozen=True)
class SelectorBenchmark:
    """A selector called directly (no page around it), beside its SQL floor."""

    name: str
    call: Callable[[Fixture], Callable[[], object]]
    floor_sql: str
    floor_params: Callable[[Fixture], Sequence]
    target_ms: float | None = None
    target_source: str = ""
    metier: str = "ide"


def _unread_count(fixture: Fixture) -> Callable[[], object]:
    from dui.permissions import active_membership
    from transmissions.selectors.feed import unread_count

    user, membership = fixture.acting("ide")
    user.membership = membership
    assert active_membership(user) is not None
    return lambda: unread_count(user)


SELECTOR_BENCHMARKS: list[SelectorBenchmark] = [
    SelectorBenchmark(
        name="Compteur de non lues (sélecteur)",
        call=_unread_count,
        floor_sql=UNREAD_COUNT_SQL,
        floor_params=lambda f: [f.essms.pk, _since(days=7), _ide_id(f)],
        target_ms=50,
        target_source=ISSUE_4,
    ),
    # The log's write cost of one page view (issue 19: ≤ 2 ms), one INSERT of compact rows.
    SelectorBenchmark(
        name="Écriture du journal : file active (50 dossiers)",
        call=log_write_active_file,
        floor_sql=INSERT_SQL,
        floor_params=write_floor_params,
        target_ms=2,
        target_source=ISSUE_19,
    ),
    SelectorBenchmark(
        name="Écriture du journal : fil (30 transmissions)",
        call=log_write_feed,
        floor_sql=INSERT_SQL,
        floor_params=write_floor_params,
        target_ms=2,
        target_source=ISSUE_19,
    ),
]

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
    *TRANSMISSION_BENCHMARKS,
    *CARE_BENCHMARKS,
    *DLU_BENCHMARKS,
    *FHIR_BENCHMARKS,
    *PORTAL_BENCHMARKS,
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
    *JOURNAL_BENCHMARKS,
]

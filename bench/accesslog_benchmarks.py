"""Access log measures (issue 19): the journal filtered by person and by professional on a log of
100 M logical events (`generate_access_log` on a copy of the scale base), and the log's write cost
for one page view, measured in-process (log_reads of an active file and of a feed page)."""

from collections.abc import Callable
from urllib.parse import urlencode

from django.db import connection
from django.urls import reverse

from bench.core import Benchmark, Fixture

ISSUE_19 = "issue 19 (journal)"

JOURNAL_PAGE_SQL = """
    SELECT l.id, l.at, l.username, l.metier, l.action, l.channel, l.object_type, l.object_id, l.object_ids,
           l.document_class, l.usager_id, l.usager_ids, l.detail, l.ip
    FROM dui_accesslog l WHERE l.essms_id = %s AND ({condition}) ORDER BY l.at DESC, l.id DESC LIMIT 50
"""

# The floors run on PostgreSQL (the measure) and on SQLite (the runner's test).
POSTGRESQL = connection.vendor == "postgresql"
JSON = "%s::jsonb" if POSTGRESQL else "%s"
IN_LIST = (
    "l.usager_ids @> %s::jsonb" if POSTGRESQL else "EXISTS (SELECT 1 FROM json_each(l.usager_ids) WHERE value = %s)"
)

# One compact row, as log_reads writes for a list (the floor of the write cost).
INSERT_SQL = """
    INSERT INTO dui_accesslog (at, user_id, username, metier, essms_id, action, channel, object_type, object_id,
                               object_ids, document_class, usager_id, usager_ids, detail, ip)
    VALUES (CURRENT_TIMESTAMP, %s, 'bench', 'ide', %s, 'read', 'web', 'dui.usager', '', :json, 'identite', NULL,
            :json, 'file active', NULL)
    RETURNING id
""".replace(":json", JSON)


def _ide(fixture: Fixture):
    return fixture.acting("ide")[0]


JOURNAL_BENCHMARKS = [
    Benchmark(
        name="Journal des accès filtré par personne",
        path=lambda f: f"{reverse('audit-log')}?{urlencode({'usager': f.usager.pk})}",
        floor_sql=JOURNAL_PAGE_SQL.format(condition=f"l.usager_id = %s OR {IN_LIST}"),
        floor_params=lambda f: [f.essms.pk, f.usager.pk, f"[{f.usager.pk}]" if POSTGRESQL else f.usager.pk],
        target_ms=150,
        target_source=ISSUE_19,
        metier="direction",
        analyze=("dui_accesslog",),
    ),
    Benchmark(
        name="Journal des accès filtré par professionnel",
        path=lambda f: f"{reverse('audit-log')}?{urlencode({'utilisateur': _ide(f).username})}",
        floor_sql=JOURNAL_PAGE_SQL.format(condition="l.user_id = %s"),
        floor_params=lambda f: [f.essms.pk, _ide(f).pk],
        target_ms=150,
        target_source=ISSUE_19,
        metier="direction",
    ),
]


def _write_cost(objects: Callable[[Fixture], list], detail: str) -> Callable[[Fixture], Callable[[], object]]:
    def prepare(fixture: Fixture) -> Callable[[], object]:
        from dui.actor import Actor
        from dui.audit import log_reads

        user, membership = fixture.acting("ide")
        user.membership = membership
        actor = Actor(user=user, ip="10.0.0.1")
        listed = objects(fixture)
        return lambda: log_reads(actor, listed, detail=detail)

    prepare.__name__ = f"log_reads_{detail.replace(' ', '_')}"
    return prepare


def _active_file(fixture: Fixture) -> list:
    from dui.models import Usager

    return list(Usager.objects.filter(essms=fixture.essms).order_by("pk")[:50])


def _feed(fixture: Fixture) -> list:
    from transmissions.models import Transmission

    return list(Transmission.objects.filter(essms=fixture.essms).order_by("-pk")[:30])


log_write_active_file = _write_cost(_active_file, "file active")
log_write_feed = _write_cost(_feed, "fil des transmissions")


def write_floor_params(fixture: Fixture) -> list:
    ids = str(list(range(1, 51)))
    return [_ide(fixture).pk, fixture.essms.pk, ids, ids]

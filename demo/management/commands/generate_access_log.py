"""Fill the access log of a scale copy with years of events, in SQL (PostgreSQL only).

python manage.py generate_access_log [--events 100000000] [--months 60] [--seed 0.42]

Stored as the application stores them (dui.audit): a mix of list reads – active files (a run of
20–60 persons of an ESSMS, `dui.usager`), feeds (10–50 transmissions of as many persons) – and
single dossier reads, by the ESSMS's own professionals, spread evenly over the last `--months`
months (one INSERT … SELECT generate_series per month, each month in its own partition). About 21
logical events per row: 100 M events are ~4.7 M rows. For the benchmark copy only (bench/README.md).
"""

import datetime
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from dui.services import access_log

# Share of rows: active-file lists, feed lists, then single reads; mean size of each list.
ACTIVE_FILE_SHARE, FEED_SHARE = 0.3, 0.3
ACTIVE_FILE_SIZE, FEED_SIZE = (20, 60), (10, 50)
EVENTS_PER_ROW = (
    ACTIVE_FILE_SHARE * sum(ACTIVE_FILE_SIZE) / 2
    + FEED_SHARE * sum(FEED_SIZE) / 2
    + (1 - ACTIVE_FILE_SHARE - FEED_SHARE)
)

SOURCES = """
CREATE TEMP TABLE gen_essms ON COMMIT DROP AS
SELECT row_number() OVER (ORDER BY e.id) AS ord, e.id AS essms_id, p.people, s.staff_ids, s.staff_names, s.staff_metiers
FROM dui_essms e
JOIN LATERAL (SELECT array_agg(u.id ORDER BY u.id) AS people FROM dui_usager u WHERE u.essms_id = e.id) p ON true
JOIN LATERAL (
    SELECT array_agg(m.user_id ORDER BY m.id) AS staff_ids, array_agg(u.username ORDER BY m.id) AS staff_names,
           array_agg(m.metier ORDER BY m.id) AS staff_metiers
    FROM dui_membership m JOIN dui_user u ON u.id = m.user_id WHERE m.essms_id = e.id
) s ON true
WHERE p.people IS NOT NULL AND s.staff_ids IS NOT NULL;
"""

MONTH = """
INSERT INTO dui_accesslog (at, user_id, username, metier, essms_id, action, channel, object_type, object_id,
                           object_ids, document_class, usager_id, usager_ids, detail, ip)
SELECT x.at, x.staff_ids[x.si], x.staff_names[x.si], x.staff_metiers[x.si], x.essms_id, 'read', 'web',
       CASE x.kind WHEN 'feed' THEN 'transmissions.transmission' ELSE 'dui.usager' END,
       CASE x.kind WHEN 'single' THEN x.people[x.start]::text ELSE '' END,
       CASE x.kind
           WHEN 'single' THEN '[]'::jsonb
           WHEN 'active' THEN to_jsonb(x.people[x.start:x.start + x.n - 1])
           ELSE to_jsonb(ARRAY(
               SELECT x.g * 64 + i FROM generate_series(0, cardinality(x.people[x.start:x.start + x.n - 1]) - 1) i
           ))
       END,
       CASE x.kind WHEN 'feed' THEN 'transmissions' ELSE 'identite' END,
       CASE x.kind WHEN 'single' THEN x.people[x.start] END,
       CASE x.kind WHEN 'single' THEN '[]'::jsonb ELSE to_jsonb(x.people[x.start:x.start + x.n - 1]) END,
       CASE x.kind WHEN 'active' THEN 'file active' WHEN 'feed' THEN 'fil des transmissions' ELSE '' END,
       '10.0.0.1'::inet
FROM (
    SELECT r.g, r.kind, r.at, r.n, e.essms_id, e.people, e.staff_ids, e.staff_names, e.staff_metiers,
           1 + floor(random() * greatest(cardinality(e.people) - r.n + 1, 1))::int AS start,
           1 + floor(random() * cardinality(e.staff_ids))::int AS si
    FROM (
        SELECT b.*, CASE b.kind
                        WHEN 'active' THEN %(a_min)s + floor(random() * (%(a_max)s - %(a_min)s + 1))::int
                        WHEN 'feed' THEN %(f_min)s + floor(random() * (%(f_max)s - %(f_min)s + 1))::int
                        ELSE 1
                    END AS n
        FROM (
            SELECT a.g, a.at, a.eo,
                   CASE WHEN a.k < %(a_share)s THEN 'active'
                        WHEN a.k < %(af_share)s THEN 'feed' ELSE 'single' END AS kind
            FROM (
                SELECT g, random() AS k, %(start)s + random() * (%(end)s - %(start)s) AS at,
                       1 + floor(random() * %(essms)s)::int AS eo
                FROM generate_series(1, %(rows)s) g
            ) a
        ) b
    ) r
    JOIN gen_essms e ON e.ord = r.eo
) x
"""

STATS = """
SELECT count(*), COALESCE(SUM(GREATEST(jsonb_array_length(object_ids), 1)), 0),
       (SELECT pg_size_pretty(SUM(pg_total_relation_size(inhrelid)))
        FROM pg_inherits WHERE inhparent = 'dui_accesslog'::regclass)
FROM dui_accesslog
"""


class Command(BaseCommand):
    help = (
        "Remplit le journal des accès d'une copie de la base de mesure : lectures de listes et de dossiers "
        "sur N mois (PostgreSQL, partitions mensuelles), pour mesurer l'écran du journal avec un gros volume."
    )

    def add_arguments(self, parser):
        parser.add_argument("--events", type=int, default=100_000_000, help="Événements logiques (défaut : 100 M).")
        parser.add_argument("--months", type=int, default=60, help="Mois à remplir, jusqu'à aujourd'hui (défaut : 60).")
        parser.add_argument("--seed", type=float, default=0.42, help="Graine du hasard de PostgreSQL (-1 à 1).")

    def handle(self, *args, events, months, seed, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Ce générateur écrit en SQL PostgreSQL : lancez-le sur une copie de la base de mesure.")
        if events < 1 or not 1 <= months <= 240 or not -1 <= seed <= 1:
            raise CommandError("--events doit être positif, --months entre 1 et 240, --seed entre -1 et 1.")
        now = timezone.now()
        current = access_log.month_start(now.astimezone(datetime.UTC).date())
        first = access_log.add_months(current, -(months - 1))
        access_log.partitions_ensure(1, since=first)
        rows_per_month = max(1, round(events / EVENTS_PER_ROW / months))
        started = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("SELECT setseed(%s)", [seed])
            for index in range(months):
                month = access_log.add_months(first, index)
                start = datetime.datetime.combine(month, datetime.time.min, tzinfo=datetime.UTC)
                end = datetime.datetime.combine(access_log.add_months(month, 1), datetime.time.min, tzinfo=datetime.UTC)
                with transaction.atomic():
                    cursor.execute(SOURCES)
                    cursor.execute("SELECT count(*) FROM gen_essms")
                    (essms,) = cursor.fetchone()
                    if not essms:
                        raise CommandError("Aucun ESSMS avec usagers et professionnels : générez la base de mesure.")
                    cursor.execute(
                        MONTH,
                        {
                            "rows": rows_per_month,
                            "a_min": ACTIVE_FILE_SIZE[0],
                            "a_max": ACTIVE_FILE_SIZE[1],
                            "f_min": FEED_SIZE[0],
                            "f_max": FEED_SIZE[1],
                            "a_share": ACTIVE_FILE_SHARE,
                            "af_share": ACTIVE_FILE_SHARE + FEED_SHARE,
                            "start": start,
                            "end": min(end, now),
                            "essms": essms,
                        },
                    )
                if options["verbosity"] >= 1:
                    self.stdout.write(f"{month:%Y-%m} : {rows_per_month} lignes ({time.monotonic() - started:.0f} s)")
            cursor.execute("ANALYZE dui_accesslog")
            cursor.execute(STATS)
            rows, logical, size = cursor.fetchone()
        self.stdout.write(
            f"Journal : {rows} lignes, {logical} événements logiques, {size} ; {time.monotonic() - started:.0f} s."
        )

"""Monthly partitions of the access log (PostgreSQL) and the archive of old months.

The table `dui_accesslog` is partitioned by RANGE on `at` (UTC months, migration 0013). A DEFAULT
partition catches any row whose month has no partition yet, so no event is ever lost;
`partitions_ensure` creates the current and next months ahead of time (beat task, command
`access_log_partitions`, and the migration). `month_archive` exports one old month to a CSV.gz of
logical events with its .sha256, checks the count, then detaches (and drops) the partition – the
only way rows ever leave the log, since the append-only trigger refuses UPDATE and DELETE.
On SQLite (demo, tests) the log is a plain table: these functions do nothing or refuse.
"""

import csv
import datetime
import gzip
import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from dui.access_events import logical_events
from dui.models import AccessLog

logger = logging.getLogger(__name__)

TABLE = "dui_accesslog"
DEFAULT_PARTITION = f"{TABLE}_default"
ARCHIVE_COLUMNS = (
    "at",
    "user_id",
    "username",
    "metier",
    "essms_id",
    "action",
    "channel",
    "object_type",
    "object_id",
    "document_class",
    "usager_id",
    "detail",
    "ip",
)


class ArchiveError(Exception):
    """The archive of a month failed or was refused; nothing was detached."""


def is_partitioned() -> bool:
    return connection.vendor == "postgresql"


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def partition_name(month: datetime.date) -> str:
    return f"{TABLE}_y{month.year:04d}m{month.month:02d}"


def _bound(month: datetime.date) -> str:
    return f"{month:%Y-%m-%d} 00:00:00+00"


def _existing(cursor) -> set[str]:
    cursor.execute(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = %s",
        [TABLE],
    )
    return {name for (name,) in cursor.fetchall()}


def partitions_ensure(months_ahead: int = 3, *, since: datetime.date | None = None) -> list[str]:
    """Create the monthly partitions from `since` (default: this month) to `months_ahead` months after
    this month; idempotent. A month whose rows already sit in the DEFAULT partition is skipped with
    a warning (its events stay there, found by every query; archive them with that partition)."""
    if not is_partitioned():
        return []
    current = month_start(timezone.now().astimezone(datetime.UTC).date())
    month = month_start(since) if since else current
    last = add_months(current, months_ahead)
    created = []
    with connection.cursor() as cursor:
        existing = _existing(cursor)
        while month <= last:
            name = partition_name(month)
            if name not in existing:
                lower, upper = _bound(month), _bound(add_months(month, 1))
                cursor.execute(
                    f"SELECT EXISTS (SELECT 1 FROM {DEFAULT_PARTITION} WHERE at >= %s AND at < %s)",  # noqa: S608
                    [lower, upper],
                )
                if cursor.fetchone()[0]:
                    logger.warning("Journal des accès : des lignes de %s sont dans la partition par défaut.", name)
                else:
                    cursor.execute(
                        f"CREATE TABLE IF NOT EXISTS {name} PARTITION OF {TABLE} "
                        f"FOR VALUES FROM ('{lower}') TO ('{upper}')"
                    )
                    created.append(name)
            month = add_months(month, 1)
    return created


def monthly_partitions() -> list[tuple[str, datetime.date]]:
    """(name, month) of every monthly partition, oldest first."""
    if not is_partitioned():
        return []
    with connection.cursor() as cursor:
        names = _existing(cursor)
    result = []
    for name in names:
        suffix = name.removeprefix(f"{TABLE}_y")
        if suffix != name and len(suffix) == 7 and suffix[4] == "m":
            result.append((name, datetime.date(int(suffix[:4]), int(suffix[5:]), 1)))
    return sorted(result, key=lambda item: item[1])


@dataclass
class ArchivedMonth:
    partition: str
    path: Path
    events: int
    sha256: str
    dropped: bool


def _expected_events(cursor, partition: str) -> int:
    cursor.execute(
        f"SELECT COALESCE(SUM(GREATEST(jsonb_array_length(object_ids), 1)), 0) FROM {partition}"  # noqa: S608
    )
    return int(cursor.fetchone()[0])


def _export(month: datetime.date, path: Path) -> int:
    """Write the month's logical events to `path` (CSV.gz, UTF-8, `;`), return the lines written."""
    start = datetime.datetime.combine(month, datetime.time.min, tzinfo=datetime.UTC)
    end = datetime.datetime.combine(add_months(month, 1), datetime.time.min, tzinfo=datetime.UTC)
    rows = AccessLog.objects.filter(at__gte=start, at__lt=end).order_by("at", "id")
    written = 0
    with gzip.open(path, "wt", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(ARCHIVE_COLUMNS)
        for event in logical_events(rows):
            values = event._replace(at=event.at.astimezone(datetime.UTC).isoformat())._asdict()
            writer.writerow(["" if values[column] is None else values[column] for column in ARCHIVE_COLUMNS])
            written += 1
    return written


def _count_lines(path: Path) -> int:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        return sum(1 for _ in csv.reader(handle, delimiter=";")) - 1


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def month_archive(month: datetime.date, directory: Path, *, keep_detached: bool = False) -> ArchivedMonth:
    """Export one month's partition, verify it, then detach it (and drop it unless `keep_detached`).

    Refused for the current month and later, for a month without its own partition, and when the file
    does not hold exactly the partition's events: then nothing is detached."""
    if not is_partitioned():
        raise ArchiveError("L'archivage des partitions du journal n'existe que sur PostgreSQL.")
    month = month_start(month)
    current = month_start(timezone.now().astimezone(datetime.UTC).date())
    if month >= current:
        raise ArchiveError(f"Le mois {month:%m/%Y} est en cours ou à venir : il ne peut pas être archivé.")
    partition = partition_name(month)
    if partition not in dict(monthly_partitions()):
        raise ArchiveError(f"Aucune partition {partition} à archiver.")
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{partition}.csv.gz"
    with connection.cursor() as cursor:
        expected = _expected_events(cursor, partition)
    written = _export(month, path)
    if written != expected or _count_lines(path) != expected:
        raise ArchiveError(
            f"Export de {partition} incomplet ({written} événements écrits, {expected} attendus) : rien n'est détaché."
        )
    digest = _sha256(path)
    (directory / f"{partition}.csv.gz.sha256").write_text(f"{digest}  {path.name}\n")
    with transaction.atomic(), connection.cursor() as cursor:
        # Deferred foreign-key checks still pending in an enclosing transaction would forbid the DROP.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"ALTER TABLE {TABLE} DETACH PARTITION {partition}")
        if not keep_detached:
            cursor.execute(f"DROP TABLE {partition}")
    logger.info("Journal des accès : %s archivée dans %s (%s événements).", partition, path, expected)
    return ArchivedMonth(partition, path, expected, digest, not keep_detached)

"""On PostgreSQL, a GIN index for the French full-text search of transmissions.

The expression is exactly what `SearchVector("search_text", config="french")` generates, so
that the feed's search (transmissions.selectors.feed.apply_search) uses it. Built
CONCURRENTLY: the table may already be large, writes go on during the build. Other databases
(SQLite) search without this index.
"""

from django.db import migrations

INDEX = "transmission_search_fr"
FORWARD = (
    f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {INDEX} ON transmissions_transmission "
    "USING gin (to_tsvector('french'::regconfig, COALESCE(search_text, '')))"
)
BACKWARD = f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("transmissions", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]

"""On PostgreSQL, the database itself refuses UPDATE and DELETE on the access log."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION dui_accesslog_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'dui_accesslog is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER dui_accesslog_no_update_delete
    BEFORE UPDATE OR DELETE ON dui_accesslog
    FOR EACH ROW EXECUTE FUNCTION dui_accesslog_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS dui_accesslog_no_update_delete ON dui_accesslog;
DROP FUNCTION IF EXISTS dui_accesslog_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("dui", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]

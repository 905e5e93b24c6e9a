"""The GIN index of the search's stored vectors, on PostgreSQL only (SQLite, the demo's
database, has no text search: its search is a plain match)."""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS evaluations_searchdocument_vector_gin "
    "ON evaluations_searchdocument USING gin (vector)"
)
DROP = "DROP INDEX IF EXISTS evaluations_searchdocument_vector_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0001_evaluations_lessons_search")]

    operations = [migrations.RunPython(create_index, drop_index)]
